/* Lotse: small enhancements on top of server-rendered pages. Every page works without this file. */
(function () {
  "use strict";

  // --- Error summary: take focus, so that a screen reader reads every problem at once. ---------
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // A link in the summary may point into a closed <details>: open it before jumping.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var details = target.closest("details");
    while (details) {
      details.open = true;
      details = details.parentElement ? details.parentElement.closest("details") : null;
    }
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  // --- Copy a text with one click (the text stays visible and selectable without script). -----
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy-target]") : null;
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) {
      return;
    }
    var text = source.value !== undefined ? source.value : source.textContent;
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    function done(ok) {
      if (status) {
        status.textContent = ok ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed");
      }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.trim()).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  });

  // --- Session: warn before it expires, offer to stay signed in. ------------------------------
  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    try {
      return headers ? JSON.parse(headers)["X-CSRFToken"] : "";
    } catch (error) {
      return "";
    }
  }

  function watchSession() {
    var box = document.querySelector("[data-session-warning]");
    if (!box) {
      return;
    }
    var seconds = parseInt(box.getAttribute("data-session-seconds"), 10);
    var warnBefore = parseInt(box.getAttribute("data-warn-seconds"), 10);
    if (!(seconds > 0)) {
      return;
    }
    var expiresAt = Date.now() + seconds * 1000;
    var timer = null;
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        box.hidden = false;
        var button = box.querySelector("[data-session-stay]");
        if (button) {
          button.focus();
        }
      }, Math.max(0, expiresAt - Date.now() - warnBefore * 1000));
    }
    box.addEventListener("click", function (event) {
      if (!event.target.closest("[data-session-stay]")) {
        return;
      }
      fetch(box.getAttribute("data-keepalive-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      }).then(function (response) {
        if (response.ok) {
          return response.json().then(function (body) {
            expiresAt = Date.now() + body.seconds * 1000;
            box.hidden = true;
            schedule();
          });
        }
        var expired = box.querySelector("[data-session-expired]");
        if (expired) {
          expired.hidden = false;
        }
        return null;
      });
    });
    schedule();
  }

  // A table wider than the screen scrolls in its wrapper; keyboard users must reach it too.
  function focusableScrollers(root) {
    (root || document).querySelectorAll(".lotse-table-wrap:not([tabindex])").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
      }
    });
  }

  function start() {
    focusableScrollers(document);
    focusErrorSummary(document);
    watchSession();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    focusableScrollers(event.target);
    focusErrorSummary(event.target);
  });
})();
