// The calendar's page script (calendar.go): clicking an empty time opens
// the booking form there, and an appointment can be dragged to another time
// or column, or its lower edge to another length (15-minute steps, 5 with
// Alt). Every change is the Move form's
// POST, sent with fetch; the keyboard path is that form on the appointment
// page. Positions are CSSOM styles, which the page's CSP allows.
(function () {
  "use strict";

  // A search field of the booking forms: Enter searches, it does not book.
  document.querySelectorAll("input[data-find]").forEach(function (q) {
    q.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      var b = document.getElementById(q.getAttribute("data-find"));
      if (b) b.click();
    });
  });

  // Enter in another field sends the form with its main button (the
  // search's Find comes first, so it is the default without this script).
  document.querySelectorAll("form[data-submit]").forEach(function (f) {
    f.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key !== "Enter" || t.tagName !== "INPUT" || t.hasAttribute("data-find") || t.type === "radio" || t.type === "checkbox") return;
      var b = document.getElementById(f.getAttribute("data-submit"));
      if (b) { e.preventDefault(); b.click(); }
    });
  });

  var scroll = document.querySelector(".cal-scroll");
  var page = document.querySelector(".cal-page");
  if (!scroll || !page) return;
  var writable = page.getAttribute("data-write") === "1";
  var toast = document.querySelector(".cal-toast");
  var toastTimer;

  function say(msg, ok) {
    if (!toast) return;
    toast.textContent = msg;
    toast.className = "cal-toast" + (ok ? " ok" : "");
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.hidden = true; }, ok ? 3500 : 8000);
  }

  function grid() { return document.getElementById("cal-grid"); }
  function unitPx() { return parseFloat(getComputedStyle(page).getPropertyValue("--u")) || 6; }
  function gridStart() { return parseInt(grid().getAttribute("data-start"), 10) || 0; }
  function gridEnd() {
    var body = grid().querySelector(".cal-body");
    return gridStart() + Math.round(body.getBoundingClientRect().height / unitPx()) * 5;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(min) { return pad(Math.floor(min / 60)) + ":" + pad(min % 60); }
  function clock(min) {
    var h = Math.floor(min / 60) % 12;
    return (h === 0 ? 12 : h) + ":" + pad(min % 60);
  }
  function px(min) { return (min / 5) * unitPx(); }

  // Resize handles on what may be moved.
  function handles() {
    if (!writable) return;
    grid().querySelectorAll(".cal-a[data-movable]").forEach(function (a) {
      if (!a.querySelector(".cal-rs")) {
        var h = document.createElement("span");
        h.className = "cal-rs";
        h.setAttribute("aria-hidden", "true");
        a.appendChild(h);
      }
    });
  }
  handles();

  // The current time line follows the clock.
  var loaded = Date.now();
  var nowLine = scroll.querySelector(".cal-now");
  if (nowLine) {
    var nowTop = nowLine.offsetTop;
    setInterval(function () {
      var line = scroll.querySelector(".cal-now");
      if (line) line.style.top = (nowTop + ((Date.now() - loaded) / 300000) * unitPx()) + "px";
    }, 60000);
    // Open on the hours around now.
    scroll.scrollTop = Math.max(0, nowTop - 120);
  } else {
    var work = scroll.querySelector(".cal-work");
    if (work) scroll.scrollTop = Math.max(0, work.offsetTop - 24);
  }

  // Reloads the grid in place after a change, keeping the scroll position.
  function refresh(done) {
    fetch(window.location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("cal-grid");
        if (fresh) {
          var top = scroll.scrollTop, left = scroll.scrollLeft;
          grid().replaceWith(document.importNode(fresh, true));
          scroll.scrollTop = top;
          scroll.scrollLeft = left;
          handles();
        }
        var strip = doc.querySelector(".cal-strip"), mine = document.querySelector(".cal-strip");
        if (strip && mine) mine.replaceWith(document.importNode(strip, true));
        if (done) done();
      })
      .catch(function () { window.location.reload(); });
  }

  // Clicking an empty time opens the booking form for it.
  scroll.addEventListener("click", function (e) {
    if (!writable || e.target.closest(".cal-a, a, button")) return;
    var col = e.target.closest(".cal-col");
    if (!col) return;
    var y = e.clientY - col.getBoundingClientRect().top;
    var min = gridStart() + Math.floor(y / unitPx() / 3) * 15;
    var q = new URLSearchParams();
    q.set("location", grid().getAttribute("data-location"));
    q.set("date", col.getAttribute("data-date"));
    q.set("time", hhmm(min));
    if (col.getAttribute("data-therapist")) q.set("therapist", col.getAttribute("data-therapist"));
    if (col.getAttribute("data-room") && col.getAttribute("data-room") !== "0") q.set("room", col.getAttribute("data-room"));
    q.set("back", window.location.pathname + window.location.search);
    window.location.assign("/calendar/new?" + q.toString());
  });

  // Drag and drop.
  var drag = null;
  var swallowClick = null;

  function colAt(x, y) {
    var el = document.elementFromPoint(x, y);
    return el ? el.closest(".cal-col") : null;
  }

  // A block is a link, which the browser would drag as a link.
  scroll.addEventListener("dragstart", function (e) {
    if (writable && e.target.closest && e.target.closest(".cal-a")) e.preventDefault();
  });

  function pickUp(a, target, x, y, pointer, touch) {
    drag = {
      a: a, x: x, y: y, id: a.getAttribute("data-id"), version: a.getAttribute("data-version"),
      start: parseInt(a.getAttribute("data-start"), 10), minutes: parseInt(a.getAttribute("data-minutes"), 10),
      from: a.closest(".cal-col"), resize: !!target.closest(".cal-rs"), moving: false, pointer: pointer, touch: touch
    };
  }

  scroll.addEventListener("pointerdown", function (e) {
    if (!writable || e.pointerType === "touch" || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var a = e.target.closest(".cal-a[data-movable]");
    if (a) pickUp(a, e.target, e.clientX, e.clientY, e.pointerId, false);
  });

  // Touch: a finger held still on a block for half a second picks it up
  // (it is outlined), then moves it; a finger that moves first scrolls the
  // calendar, and a tap opens the appointment, as before.
  var press = null;
  function dropPress() { if (press) { clearTimeout(press.timer); press = null; } }
  scroll.addEventListener("pointerdown", function (e) {
    if (!writable || e.pointerType !== "touch" || drag) return;
    var a = e.target.closest(".cal-a[data-movable]");
    if (!a) return;
    dropPress();
    press = { x: e.clientX, y: e.clientY, pointer: e.pointerId, a: a, target: e.target };
    press.timer = setTimeout(function () {
      var p = press;
      press = null;
      pickUp(p.a, p.target, p.x, p.y, p.pointer, true);
      p.a.classList.add("lifted");
      if (navigator.vibrate) navigator.vibrate(15);
    }, 450);
  });
  scroll.addEventListener("pointermove", function (e) {
    if (press && e.pointerId === press.pointer && (Math.abs(e.clientX - press.x) > 8 || Math.abs(e.clientY - press.y) > 8)) dropPress();
  });
  ["pointerup", "pointercancel"].forEach(function (ev) {
    scroll.addEventListener(ev, function (e) { if (press && e.pointerId === press.pointer) dropPress(); });
  });
  // Once a block is picked up, the finger moves it rather than the page,
  // and holding it brings up no link menu.
  scroll.addEventListener("touchmove", function (e) { if (drag && drag.touch) e.preventDefault(); }, { passive: false });
  scroll.addEventListener("contextmenu", function (e) { if (drag && drag.touch || press) e.preventDefault(); });

  scroll.addEventListener("pointermove", function (e) {
    if (!drag || e.pointerId !== drag.pointer) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moving) {
      if (Math.abs(dx) < 5 && Math.abs(dy) < 5) return;
      drag.moving = true;
      try { scroll.setPointerCapture(e.pointerId); } catch (err) { /* the pointer may be gone */ }
      drag.a.classList.add("moving");
      drag.ghost = document.createElement("div");
      drag.ghost.className = "cal-ghost";
    }
    e.preventDefault();
    var step = e.altKey ? 5 : 15;
    var perMin = unitPx() / 5;
    var col = drag.from, start = drag.start, minutes = drag.minutes;
    if (drag.resize) {
      minutes = Math.max(step, drag.minutes + Math.round(dy / perMin / step) * step);
      minutes = Math.min(minutes, gridEnd() - start, 480);
    } else {
      col = colAt(e.clientX, e.clientY) || drag.col || drag.from;
      start = drag.start + Math.round(dy / perMin / step) * step;
      start = Math.max(gridStart(), Math.min(start, gridEnd() - minutes));
    }
    if (col !== drag.col) {
      col.appendChild(drag.ghost);
      drag.col = col;
    }
    drag.newStart = start;
    drag.newMinutes = minutes;
    drag.ghost.style.top = px(start - gridStart()) + "px";
    drag.ghost.style.height = px(minutes) + "px";
    drag.ghost.textContent = clock(start) + "–" + clock(start + minutes);
  });

  function endDrag() {
    if (!drag) return;
    if (drag.ghost) drag.ghost.remove();
    drag.a.classList.remove("moving", "lifted");
    drag = null;
  }

  scroll.addEventListener("pointercancel", endDrag);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && drag && drag.moving) endDrag();
  });

  scroll.addEventListener("pointerup", function (e) {
    if (!drag || e.pointerId !== drag.pointer) return;
    var d = drag;
    if (!d.moving) {
      // A block held and let go where it was stays put (no opening it).
      if (d.touch) swallowClick = d.a;
      endDrag();
      return;
    }
    swallowClick = d.a;
    var col = d.col || d.from;
    var body = new URLSearchParams();
    body.set("version", d.version);
    var changed = false;
    if (d.newStart !== d.start || col.getAttribute("data-date") !== d.from.getAttribute("data-date")) {
      body.set("date", col.getAttribute("data-date"));
      body.set("time", hhmm(d.newStart));
      changed = true;
    }
    if (d.newMinutes !== d.minutes) {
      body.set("minutes", String(d.newMinutes));
      changed = true;
    }
    if (col !== d.from) {
      var t = col.getAttribute("data-therapist"), r = col.getAttribute("data-room");
      if (t && t !== d.from.getAttribute("data-therapist")) { body.set("therapist_id", t); changed = true; }
      if (r !== null && r !== d.from.getAttribute("data-room")) { body.set("room_id", r); changed = true; }
    }
    if (!changed) { endDrag(); return; }
    d.ghost.textContent = "Saving…";
    fetch("/appointments/" + encodeURIComponent(d.id) + "/move", {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (r) {
      return r.json().catch(function () { return { error: "The change was not saved (" + r.status + ")." }; }).then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (res) {
      if (res.ok) {
        refresh(function () { endDrag(); say("Moved to " + clock(d.newStart) + "–" + clock(d.newStart + d.newMinutes) + ". The client is e-mailed the change.", true); });
      } else {
        endDrag();
        say(res.j && res.j.error ? res.j.error : "The change was not saved.", false);
        if (res.j && /changed this appointment/.test(res.j.error || "")) refresh();
      }
    }).catch(function () {
      endDrag();
      say("The change was not saved: the server could not be reached.", false);
    });
  });

  // A drag ends with a click on the block: it must not open it.
  scroll.addEventListener("click", function (e) {
    if (swallowClick && e.target.closest(".cal-a") === swallowClick) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    swallowClick = null;
  }, true);
})();
