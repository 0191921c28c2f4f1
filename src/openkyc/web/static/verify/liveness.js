/* LIVENESS step: ask the server for its challenges (POST /v3/liveness/init), record the
 * front camera with MediaRecorder while each movement is prompted on screen, then send
 * the video with the nonce (POST /v3/liveness/submit). A failed check comes back as the
 * same step with its reason and a "Try again" button: a new init, new challenges. */
(function () {
  "use strict";
  var K = window.OpenKYC;
  var READY_MS = 1500; // the neutral pose the server compares each movement with
  var PROMPT_MS = 2500; // well inside the server's 6 s window per movement
  var TYPES = ["video/webm;codecs=vp8", "video/webm", "video/mp4"];

  function recorderType() {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function wait(ms) { return new Promise(function (done) { setTimeout(done, ms); }); }

  K.register("liveness", function (root) {
    var step = encodeURIComponent(root.dataset.step);
    var texts = K.words().liveness || {};
    var selfie = root.querySelector(".selfie");
    var video = selfie.querySelector("video");
    var prompt = root.querySelector(".prompt");
    var status = root.querySelector(".status");
    var error = root.querySelector(".error");
    var button = root.querySelector(".start");

    function fail(message) {
      prompt.textContent = "";
      status.textContent = "";
      error.textContent = message;
      selfie.hidden = true;
      button.textContent = texts.retry;
      K.busy(button, false);
    }

    function camera() {
      var wanted = { video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false };
      return navigator.mediaDevices.getUserMedia(wanted);
    }

    function record(stream, challenges) {
      var type = recorderType();
      var recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      var chunks = [];
      recorder.ondataavailable = function (event) { if (event.data && event.data.size) chunks.push(event.data); };
      var stopped = new Promise(function (done) { recorder.onstop = done; });
      recorder.start(250);
      prompt.textContent = texts.ready;
      var sequence = wait(READY_MS);
      challenges.forEach(function (name) {
        sequence = sequence.then(function () {
          prompt.textContent = texts[name] || name;
          return wait(PROMPT_MS);
        });
      });
      return sequence.then(function () {
        recorder.stop();
        return stopped;
      }).then(function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        return new Blob(chunks, { type: (recorder.mimeType || type || "video/webm").split(";")[0] });
      });
    }

    function send(blob, nonce) {
      var data = new FormData();
      data.append("nonce", nonce);
      data.append("video", blob, /mp4/.test(blob.type) ? "selfie.mp4" : "selfie.webm");
      prompt.textContent = "";
      status.textContent = texts.uploading;
      return K.api("POST", "/v3/liveness/submit?step_id=" + step, data);
    }

    button.addEventListener("click", function () {
      K.busy(button, true);
      K.showError(error, null);
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
        fail(texts.camera_error);
        return;
      }
      var challenge = null;
      K.api("POST", "/v3/liveness/init?step_id=" + step).then(function (r) {
        if (!r.ok) throw { status: r.status };
        challenge = r.body;
        return camera().catch(function () { throw { camera: true }; });
      }).then(function (stream) {
        video.srcObject = stream;
        selfie.hidden = false;
        return video.play().then(function () { return record(stream, challenge.challenges || []); });
      }).then(function (blob) {
        return send(blob, challenge.nonce);
      }).then(function (r) {
        if (!r.ok) throw { status: r.status };
        status.textContent = "";
        K.refresh();
      }).catch(function (problem) {
        if (problem && problem.camera) fail(texts.camera_error);
        else fail(K.errorText(problem && problem.status !== undefined ? problem.status : 0));
      });
    });
  });
})();
