/* PROOF_OF_ADDRESS step: the v3 residency form (POST /v3/residency/submit), with the host
 * variant (the document is in the name of the person the applicant lives with). */
(function () {
  "use strict";
  var K = window.OpenKYC;

  K.register("address", function (form) {
    var step = encodeURIComponent(form.dataset.step);
    var error = form.querySelector(".error");
    var host = form.querySelector("fieldset.host");
    var hosted = form.querySelector(".hosted");

    hosted.addEventListener("change", function () {
      // A disabled fieldset's fields are left out of the submission.
      host.hidden = !hosted.checked;
      host.disabled = !hosted.checked;
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.checkValidity()) { K.showError(error, 422); form.reportValidity(); return; }
      var data = new FormData();
      new FormData(form).forEach(function (value, name) {
        // Empty optional fields and file inputs left empty are not sent at all.
        if (value instanceof File ? value.size > 0 : String(value).trim() !== "") data.append(name, value);
      });
      var button = form.querySelector(".submit");
      K.busy(button, true);
      K.showError(error, null);
      K.api("POST", "/v3/residency/submit?step_id=" + step, data).then(function (r) {
        K.busy(button, false);
        if (r.ok) { K.refresh(); return; }
        K.showError(error, r.status);
      });
    });
  });
})();
