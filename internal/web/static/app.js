// Fascia's page script: automatic sign-out after the organisation's idle
// time, so a chart left open on a shared computer does not stay on screen.
(function () {
  "use strict";
  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle) return;
  var timer;
  function arm() {
    clearTimeout(timer);
    // The server ends the session on its own clock; the page follows a moment later.
    timer = setTimeout(function () {
      window.location.assign("/signin?reason=idle");
    }, idle * 1000 + 2000);
  }
  // Only requests to the server keep a session alive, so only they re-arm the timer.
  document.body.addEventListener("htmx:afterRequest", arm);
  arm();
})();
