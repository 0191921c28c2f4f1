/* ID_DOCUMENT step: each side from the camera (getUserMedia, with a framing guide) or
 * from a file, a preview before sending, then POST /v3/identity/submit. */
(function () {
  "use strict";
  var K = window.OpenKYC;
  var JPEG_QUALITY = 0.92;

  function stopStream(stream) {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
  }

  K.register("document", function (form) {
    var step = encodeURIComponent(form.dataset.step);
    var texts = K.words().document || {};
    var error = form.querySelector(".error");
    var camera = form.querySelector(".camera");
    var video = camera.querySelector("video");
    var typeSelect = form.querySelector("select[name=document_type]");
    var chosen = {}; // side -> Blob
    var stream = null;
    var aiming = null; // the side the camera is open for

    function sides() {
      var option = typeSelect.options[typeSelect.selectedIndex];
      return option && option.dataset.sides === "2" ? ["front", "back"] : ["front"];
    }

    function fieldset(side) { return form.querySelector("fieldset[data-side=" + side + "]"); }

    function showPreview(side, blob, name) {
      var box = fieldset(side);
      var img = box.querySelector(".preview img");
      if (img.src) URL.revokeObjectURL(img.src);
      chosen[side] = blob;
      var isImage = /^image\//.test(blob.type);
      img.hidden = !isImage;
      if (isImage) img.src = URL.createObjectURL(blob); else img.removeAttribute("src");
      box.querySelector(".file-name").textContent = isImage ? "" : name;
      box.querySelector(".preview").hidden = false;
      box.querySelector(".pick").hidden = true;
    }

    function clearSide(side) {
      var box = fieldset(side);
      delete chosen[side];
      box.querySelector(".preview").hidden = true;
      box.querySelector(".pick").hidden = false;
      box.querySelector("input[type=file]").value = "";
    }

    function closeCamera() {
      stopStream(stream);
      stream = null;
      aiming = null;
      camera.hidden = true;
    }

    function openCamera(side) {
      K.showError(error, null);
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        error.textContent = texts.camera_error;
        return;
      }
      var wanted = { video: { facingMode: "environment", width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false };
      navigator.mediaDevices.getUserMedia(wanted).then(function (media) {
        stream = media;
        aiming = side;
        video.srcObject = media;
        camera.hidden = false;
        return video.play();
      }).then(function () {
        camera.querySelector(".capture").focus();
      }, function () {
        closeCamera();
        error.textContent = texts.camera_error;
      });
    }

    function capture() {
      var width = video.videoWidth, height = video.videoHeight;
      if (!width || !height) return;
      var canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(video, 0, 0, width, height);
      var side = aiming;
      canvas.toBlob(function (blob) {
        closeCamera();
        if (blob) showPreview(side, blob, side + ".jpg");
        fieldset(side).querySelector(".retake").focus();
      }, "image/jpeg", JPEG_QUALITY);
    }

    ["front", "back"].forEach(function (side) {
      var box = fieldset(side);
      box.querySelector(".camera-open").addEventListener("click", function () { openCamera(side); });
      box.querySelector("input[type=file]").addEventListener("change", function (event) {
        var file = event.target.files && event.target.files[0];
        if (file) showPreview(side, file, file.name);
      });
      box.querySelector(".retake").addEventListener("click", function () { clearSide(side); });
    });
    camera.querySelector(".capture").addEventListener("click", capture);
    camera.querySelector(".cancel").addEventListener("click", closeCamera);

    typeSelect.addEventListener("change", function () {
      var two = sides().length === 2;
      fieldset("back").hidden = !two;
      if (!two) clearSide("back");
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var needed = sides();
      var country = form.querySelector("select[name=country]").value;
      if (!country) { K.showError(error, 422); return; }
      if (needed.some(function (side) { return !chosen[side]; })) {
        error.textContent = texts.missing;
        return;
      }
      var data = new FormData();
      data.append("document_type", typeSelect.value);
      data.append("country", country);
      needed.forEach(function (side) {
        var blob = chosen[side];
        data.append(side, blob, blob.name || side + ".jpg");
      });
      var button = form.querySelector(".submit");
      K.busy(button, true);
      K.showError(error, null);
      K.api("POST", "/v3/identity/submit?step_id=" + step, data).then(function (r) {
        K.busy(button, false);
        if (r.ok) { closeCamera(); K.refresh(); return; }
        K.showError(error, r.status);
      });
    });
  });
})();
