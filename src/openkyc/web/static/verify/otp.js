/* PHONE and EMAIL steps: enter the number or address, receive a code, type it in.
 * The resend button waits out the server's throttle (resend_in, or Retry-After on a 429). */
(function () {
  "use strict";
  var K = window.OpenKYC;

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  K.register("otp", function (root) {
    var kind = root.dataset.kind; // phone or email
    var step = encodeURIComponent(root.dataset.step);
    var sendForm = root.querySelector(".otp-send");
    var verifyForm = root.querySelector(".otp-verify");
    var error = root.querySelector(".error");
    var resend = root.querySelector(".resend");
    var throttle = root.querySelector(".throttle");
    var texts = K.words().otp || {};
    var target = "";
    var timer = null;

    function countdown(seconds) {
      clearInterval(timer);
      var left = Math.max(0, seconds | 0);
      function tick() {
        if (left <= 0) {
          clearInterval(timer);
          throttle.textContent = "";
          resend.disabled = false;
          return;
        }
        resend.disabled = true;
        throttle.textContent = format(texts.resend_in, { s: left });
        left -= 1;
      }
      tick();
      timer = setInterval(tick, 1000);
    }

    function send(button) {
      var body = kind === "phone" ? { phone_number: target, method: "sms" } : { email: target };
      K.busy(button, true);
      K.showError(error, null);
      return K.api("POST", "/v3/" + kind + "/send?step_id=" + step, body).then(function (r) {
        K.busy(button, false);
        if (r.status === 429) {
          showVerify();
          countdown(r.retryAfter || 30);
          K.showError(error, 429);
          return;
        }
        if (!r.ok) { K.showError(error, r.status); return; }
        showVerify();
        countdown(r.body.resend_in || 30);
        verifyForm.querySelector("input").focus();
      });
    }

    function showVerify() {
      sendForm.hidden = true;
      verifyForm.hidden = false;
      // textContent: what the applicant typed is shown as text, never parsed as markup.
      verifyForm.querySelector(".sent").textContent = format(texts.sent, { target: target });
    }

    sendForm.addEventListener("submit", function (event) {
      event.preventDefault();
      target = sendForm.querySelector("input").value.trim();
      if (!target) { K.showError(error, 422); return; }
      send(sendForm.querySelector("button[type=submit]"));
    });

    verifyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = verifyForm.querySelector("input").value.replace(/\s+/g, "");
      var button = verifyForm.querySelector("button[type=submit]");
      K.busy(button, true);
      K.showError(error, null);
      K.api("POST", "/v3/" + kind + "/verify?step_id=" + step, { code: code }).then(function (r) {
        K.busy(button, false);
        if (r.ok) { clearInterval(timer); K.refresh(); return; }
        K.showError(error, r.status);
      });
    });

    resend.addEventListener("click", function () { send(resend); });

    root.querySelector(".change").addEventListener("click", function () {
      clearInterval(timer);
      verifyForm.hidden = true;
      sendForm.hidden = false;
      K.showError(error, null);
      sendForm.querySelector("input").focus();
    });
  });
})();
