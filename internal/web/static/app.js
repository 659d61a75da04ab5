// Fascia's page script: automatic sign-out after the organisation's idle
// time, so a chart left open on a shared computer does not stay on screen;
// and at sign-out, explicit or idle, the note editor's copies of drafts on
// this device are removed once the open note's last words are saved.
(function () {
  "use strict";
  var out = document.getElementById("signout");
  if (out) out.addEventListener("submit", function (e) {
    if (out.dataset.ready) return;
    e.preventDefault();
    var flush = window.fasciaFlush ? window.fasciaFlush() : Promise.resolve(true);
    flush.then(function (saved) {
      if (!saved && !window.confirm("The last changes to this note could not be saved. Sign out anyway and remove them from this device?")) return;
      dropNoteCopies();
      out.dataset.ready = "1";
      out.submit();
    });
  });
  function dropNoteCopies() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf("fascia-note-") === 0) localStorage.removeItem(k);
      }
    } catch (err) { /* storage unavailable: nothing was kept */ }
  }
  // Idle sign-out: the copies go too, unless the last words could not be
  // saved (the session may have ended first); then they stay on the device
  // for whoever signs in next to this note, so nothing typed is lost.
  function idleOut() {
    var flush = window.fasciaFlush ? window.fasciaFlush() : Promise.resolve(true);
    var leave = function () { window.location.assign("/signin?reason=idle"); };
    flush.then(function (saved) { if (saved) dropNoteCopies(); leave(); }, leave);
  }
  window.fasciaIdleOut = idleOut; // the browser tests call it instead of waiting a minute

  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle) return;
  var timer;
  function arm() {
    clearTimeout(timer);
    // The server ends the session on its own clock; the page follows a moment later.
    timer = setTimeout(idleOut, idle * 1000 + 2000);
  }
  // Only requests to the server keep a session alive, so only they re-arm the timer.
  document.body.addEventListener("htmx:afterRequest", arm);
  document.body.addEventListener("fascia:afterRequest", arm); // the note editor's saves
  arm();
})();
