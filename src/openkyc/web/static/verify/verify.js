/* The hosted verification flow: keeps the session id out of the address bar, sends it
 * as the Session-Id header on every request, and starts each step's component.
 * No inline code anywhere: the pages' Content-Security-Policy allows scripts from here only. */
(function () {
  "use strict";
  var KEY = "openkyc.verify.session";
  var LANG = "openkyc.verify.lang";
  var components = {};
  var sessionId = null;

  function view() { return document.getElementById("view"); }

  function words() {
    var root = view();
    try { return JSON.parse((root && root.dataset.words) || "{}"); } catch (e) { return {}; }
  }

  var shown = null;

  /* What the view shows: the step's id, or the kind of message page. */
  function shownKey(root) {
    var step = root.querySelector("[data-step]");
    if (step) return step.dataset.step;
    var section = root.querySelector("main section");
    return section ? section.className : "";
  }

  function lang() { var root = view(); return (root && root.dataset.lang) || "en"; }

  function base() { var root = view(); return (root && root.dataset.base) || ""; }

  /* The id arrives once in the link; it is kept for this tab only (a reload works, a
   * shared screenshot or copied address does not carry it) and removed from the URL. */
  function adoptSession() {
    var root = view();
    if (root && root.dataset.session) {
      sessionId = root.dataset.session;
      root.removeAttribute("data-session");
      try { sessionStorage.setItem(KEY, sessionId); } catch (e) { /* private mode */ }
      history.replaceState(null, "", location.pathname);
    } else {
      try { sessionId = sessionStorage.getItem(KEY); } catch (e) { sessionId = null; }
    }
  }

  function errorText(status) {
    var all = words().error || {};
    if (status === 0) return all.network;
    return all[String(status)] || all.generic;
  }

  /* A call to the end-user API: answers {ok, status, body, retryAfter}. */
  function api(method, path, body) {
    var headers = { "Session-Id": sessionId || "", "Accept-Language": lang() };
    var init = { method: method, headers: headers, credentials: "omit" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(base() + path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {
          ok: response.ok, status: response.status, body: data,
          retryAfter: parseInt(response.headers.get("Retry-After") || "0", 10) || 0,
        };
      });
    }, function () { return { ok: false, status: 0, body: {}, retryAfter: 0 }; });
  }

  /* Show the step that comes next (or the same one, with the reason to try again). */
  function refresh() {
    return htmx.ajax("GET", base() + "/verify/view?lang=" + encodeURIComponent(lang()), {
      target: "#view", swap: "outerHTML",
    });
  }

  function showError(element, status) {
    if (element) element.textContent = status === null ? "" : errorText(status);
  }

  function busy(button, on) {
    if (!button) return;
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  function start(root) {
    var parts = root.querySelectorAll ? root.querySelectorAll("[data-component]") : [];
    Array.prototype.forEach.call(parts, function (element) {
      var make = components[element.dataset.component];
      if (make && !element.dataset.started) {
        element.dataset.started = "1";
        make(element);
      }
    });
  }

  window.OpenKYC = {
    register: function (name, make) { components[name] = make; },
    api: api, refresh: refresh, words: words, errorText: errorText,
    showError: showError, busy: busy, lang: lang,
  };

  document.addEventListener("DOMContentLoaded", function () {
    adoptSession();
    if (view()) shown = shownKey(view());
    document.body.addEventListener("htmx:configRequest", function (event) {
      if (sessionId) event.detail.headers["Session-Id"] = sessionId;
    });
    // An unknown session answers 404 with a page that says so: show it.
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      // The camera is released with the page that opened it (a language switch, a poll).
      Array.prototype.forEach.call(document.querySelectorAll("video"), function (video) {
        if (video.srcObject) video.srcObject.getTracks().forEach(function (track) { track.stop(); });
      });
      if (event.detail.xhr.status === 404) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:afterSwap", function () {
      var current = view();
      if (current) {
        document.documentElement.lang = current.dataset.lang || "en";
        try { sessionStorage.setItem(LANG, current.dataset.lang); } catch (e) { /* ignore */ }
        var title = current.querySelector("h1");
        if (title) document.title = title.textContent;
        var key = shownKey(current);
        if (key !== shown) {
          // A new step (not the same one in another language): move focus to it, so a
          // screen reader announces it.
          shown = key;
          var main = current.querySelector("main");
          if (main) main.focus();
        }
      }
    });
    var root = view();
    if (root && root.dataset.kind === "missing" && sessionId) {
      // A reload: the id (and the language chosen) are in this tab's storage, not the URL.
      try { root.dataset.lang = sessionStorage.getItem(LANG) || root.dataset.lang; } catch (e) { /* */ }
      refresh();
    }
    start(document.body);
    htmx.onLoad(start); // content swapped in later
  });
})();
