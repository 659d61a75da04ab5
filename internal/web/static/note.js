// The SOAP note editor: autosave (every 5 seconds when something changed,
// and whenever a field loses focus), a copy in localStorage so a crash or a
// dropped network loses nothing, the conflict panel when another device
// saved first, quick phrases, added rows and the live units.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  var signed = document.getElementById("note-signed");
  if (signed) {
    // A signed note's draft copy on this device has done its job.
    try { localStorage.removeItem("fascia-note-" + signed.dataset.note); } catch (e) { }
  }
  if (!form || !window.fetch) return;
  var noteID = form.dataset.note;
  var draftURL = "/notes/" + noteID + "/draft";
  var unitsURL = "/notes/" + noteID + "/units";
  var storeKey = "fascia-note-" + noteID;
  var status = document.getElementById("save-status");
  var dirty = false, saving = null, blocked = false, retry = 0, retryTimer = null, edits = 0;

  function versionInputs() { return document.querySelectorAll("input.note-version"); }
  function version() { return document.getElementById("version").value; }
  function setVersion(v) {
    versionInputs().forEach(function (i) { i.value = v; });
    document.querySelectorAll(".note-version-text").forEach(function (e) { e.textContent = v; });
  }
  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("bad", !!bad);
  }
  function clock(d) {
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  }
  function formData() {
    var p = new URLSearchParams(new FormData(form));
    p.delete("save"); p.delete("sign");
    return p;
  }

  // ---- the local copy ----
  function keepLocal() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({ version: version(), at: Date.now(), data: formData().toString() }));
    } catch (e) { /* private mode or full: the server copy still saves */ }
  }
  function dropLocal() { try { localStorage.removeItem(storeKey); } catch (e) { } }
  function readLocal() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { return null; }
  }

  function fill(params) {
    // Rows the copy has beyond the page's are added first.
    ["technique", "modality"].forEach(function (kind) {
      var max = -1;
      params.forEach(function (_, k) {
        var m = k.match(new RegExp("^" + kind + "\\.(\\d+)\\."));
        if (m) max = Math.max(max, +m[1]);
      });
      while (rows(kind).length <= max) addRow(kind);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "submit" || el.type === "button") return;
      if (el.name === "version") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = params.getAll(el.name).indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        var vs = params.getAll(el.name);
        Array.prototype.forEach.call(el.options, function (o) { o.selected = vs.indexOf(o.value) >= 0; });
      } else if (params.has(el.name)) {
        el.value = params.get(el.name);
      } else if (el.type !== "hidden") {
        el.value = "";
      }
    });
    document.querySelectorAll("details.regions").forEach(summarise);
  }

  // ---- saving ----
  function changed() {
    dirty = true;
    edits++;
    keepLocal();
    if (!saving && !blocked) say("Not saved yet");
  }

  function save() {
    if (saving) return saving;
    if (blocked) return Promise.resolve();
    clearTimeout(retryTimer);
    var sent = edits;
    dirty = false;
    say("Saving…");
    saving = fetch(draftURL, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: formData().toString()
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return { res: res, body: body }; });
    }).then(function (r) {
      saving = null;
      document.body.dispatchEvent(new Event("fascia:afterRequest"));
      if (r.res.ok) {
        retry = 0;
        setVersion(r.body.version);
        say("Saved " + clock(new Date()));
        showUnits(r.body.units);
        if (edits === sent) dropLocal(); else keepLocal();
        return;
      }
      if (r.res.status === 409) {
        blocked = true;
        if (r.body.signed) { say("This note was signed on another device: reload to see it.", true); return; }
        showConflict(r.body.theirs || {});
        say("Not saved — the note was changed on another device", true);
        return;
      }
      if (r.res.status === 401 || r.res.status === 403) {
        dirty = true;
        say("Not saved — " + (r.body.error || "sign in again") + " (your text is kept on this device)", true);
        return;
      }
      if (r.res.status >= 500) throw new Error("server");
      dirty = true;
      say("Not saved — " + (r.body.error || "check the fields"), true);
    }).catch(function () {
      saving = null;
      dirty = true;
      retry = Math.min(retry + 1, 6);
      var wait = Math.pow(2, retry) * 1000;
      say("Not saved — retrying", true);
      retryTimer = setTimeout(save, wait);
    });
    return saving;
  }

  setInterval(function () { if (dirty && !saving && !blocked && !retryTimer) save(); }, 5000);
  // Sign-out (app.js) waits for the last words to reach the server; false
  // when they did not.
  window.fasciaFlush = function () {
    if (blocked) return Promise.resolve(!dirty);
    if (!dirty && !saving) return Promise.resolve(true);
    clearTimeout(retryTimer); retryTimer = null;
    return (dirty ? save() : saving).then(function () { return !dirty && !blocked; });
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", function (e) {
    if (e.target.closest && e.target.closest("button")) return;
    if (dirty) { clearTimeout(retryTimer); retryTimer = null; save(); }
  });
  // The last words typed before the tab closes go with a beacon.
  // Not when the page leaves by submitting a form: the submission carries
  // the note, and a beacon racing it would make a false conflict.
  var submitting = false;
  window.addEventListener("pagehide", function () {
    if (dirty && !blocked && !submitting && navigator.sendBeacon) navigator.sendBeacon(draftURL, formData());
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  // Submitting (Save draft, Sign, the acknowledgement) waits for a save in
  // flight, so the version sent is the latest.
  function waitThenSubmit(f, e, flush) {
    if (!saving && !(flush && dirty)) {
      submitting = true;
      // The submission carries the note: once the server's version has
      // moved past this copy's, the copy is not restored over it.
      var l = readLocal();
      if (l) { l.submitted = true; try { localStorage.setItem(storeKey, JSON.stringify(l)); } catch (err) { } }
      return;
    }
    e.preventDefault();
    var sub = e.submitter;
    (flush && dirty ? save() : saving).then(function () {
      if (blocked) return;
      if (f.requestSubmit) f.requestSubmit(sub); else f.submit();
    });
  }
  form.addEventListener("submit", function (e) { waitThenSubmit(form, e, false); });
  document.querySelectorAll("form.ack-form").forEach(function (f) {
    f.addEventListener("submit", function (e) { waitThenSubmit(f, e, true); });
  });

  // ---- conflict ----
  var labels = [["subjective", "S — report"], ["pain_before", "Pain before"], ["objective", "O — findings"], ["assessment", "A — response"],
    ["pain_after", "Pain after"], ["tolerance", "Tolerance"], ["plan", "P — plan"], ["next_visit", "Next visit"], ["pressure", "Pressure"],
    ["techniques", "Techniques"], ["modalities", "Modalities"], ["home_care", "Home care"]];
  var theirsVersion = null;

  function mine() {
    var p = formData(), out = {};
    labels.forEach(function (l) { out[l[0]] = p.get(l[0]) || ""; });
    ["technique", "modality"].forEach(function (kind) {
      var list = [];
      rows(kind).forEach(function (row) {
        var sel = row.querySelector("select");
        if (!sel || !sel.value) return;
        var min = row.querySelector("input[type=number]").value || "0";
        list.push(sel.options[sel.selectedIndex].text + ", " + min + " min");
      });
      out[kind === "technique" ? "techniques" : "modalities"] = list;
    });
    out.home_care = Array.prototype.map.call(form.querySelectorAll("input[name=home_care]:checked"), function (c) {
      return form.querySelector("label[for='" + c.id + "']").textContent;
    });
    return out;
  }
  function text(v) { return Array.isArray(v) ? v.join("; ") : (v == null ? "" : String(v)); }
  function showConflict(theirs) {
    theirsVersion = theirs.version;
    var panel = document.getElementById("conflict");
    var tb = panel.querySelector("tbody");
    tb.textContent = "";
    var m = mine();
    labels.forEach(function (l) {
      var a = text(m[l[0]]), b = text(theirs[l[0]]);
      var tr = document.createElement("tr");
      if (a !== b) tr.className = "differs";
      [l[1], a, b].forEach(function (v, i) {
        var td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) td.scope = "row";
        td.textContent = v;
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
    panel.hidden = false;
    panel.focus();
  }
  document.getElementById("keep-mine").addEventListener("click", function () {
    if (theirsVersion != null) setVersion(theirsVersion);
    blocked = false;
    document.getElementById("conflict").hidden = true;
    dirty = true;
    save();
  });
  document.getElementById("take-theirs").addEventListener("click", function () {
    dropLocal();
    location.reload();
  });

  // ---- rows ----
  function rows(kind) { return document.querySelectorAll("[data-rows='" + kind + "'] > .note-row"); }
  function addRow(kind) {
    var all = rows(kind), last = all[all.length - 1];
    var n = all.length, old = +last.id.split(".")[1];
    var row = last.cloneNode(true);
    var re = new RegExp("(" + kind + "[.-])" + old + "([.-])", "g");
    row.id = kind + "." + n;
    row.classList.remove("has-error");
    row.querySelectorAll(".row-error").forEach(function (e) { e.remove(); });
    row.querySelectorAll("[id],[name],[for]").forEach(function (el) {
      ["id", "name", "for"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.replace(re, "$1" + n + "$2"));
      });
    });
    row.querySelector("legend").textContent = row.querySelector("legend").textContent.replace(/\d+$/, n + 1);
    row.querySelectorAll("input[type=number]").forEach(function (i) { i.value = ""; });
    row.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
    row.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = false; });
    row.querySelector("details").open = false;
    last.parentNode.appendChild(row);
    summarise(row.querySelector("details"));
    return row;
  }
  document.querySelectorAll("button.add-row").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var row = addRow(b.dataset.add);
      row.querySelector("select").focus();
    });
  });
  function summarise(d) {
    if (!d) return;
    var names = Array.prototype.map.call(d.querySelectorAll("input:checked"), function (c) {
      return d.querySelector("label[for='" + c.id + "']").textContent;
    });
    d.querySelector(".region-summary").textContent = names.length ? names.join(", ") : "none chosen";
  }
  form.addEventListener("change", function (e) {
    var d = e.target.closest && e.target.closest("details.regions");
    if (d) summarise(d);
  });

  // ---- quick phrases ----
  document.querySelectorAll(".phrases").forEach(function (g) {
    g.hidden = false;
    g.addEventListener("click", function (e) {
      var b = e.target.closest("button.phrase");
      if (!b) return;
      var ta = document.getElementById(b.dataset.target);
      var v = ta.value.replace(/\s+$/, "");
      ta.value = v + (v ? " " : "") + b.dataset.text;
      ta.dispatchEvent(new Event("input", { bubbles: true }));
      ta.focus();
    });
  });

  // ---- changes since the copied-forward note ----
  // What carries forward (findings, pressure, body chart, rows, home care)
  // is compared with the last signed note, and each part is tagged
  // "changed" or "as last time", with a summary line.
  var changesLine = document.getElementById("changes");
  function rowKeys(p, kind, keyName) {
    var out = [];
    for (var i = 0; i < 60; i++) {
      var pre = kind + "." + i + ".";
      var k = p.get(pre + keyName);
      if (!k) continue;
      var m = parseInt((p.get(pre + "minutes") || "").trim() || "0", 10);
      out.push(k + "|" + m + "|" + p.getAll(pre + "regions").slice().sort().join(","));
    }
    return out.sort();
  }
  // carried is what a note's form (p) holds of the parts that carry forward,
  // in a form that compares: the previous note comes as the form it would
  // post, so both sides go through this one function.
  function carried(p) {
    var marks = [];
    try { marks = JSON.parse(p.get("marks") || "[]") || []; } catch (e) { marks = []; }
    return {
      objective: (p.get("objective") || "").replace(/\r\n/g, "\n").trim(),
      pressure: (p.get("pressure") || "").trim(),
      marks: marks.map(function (m) {
        return [m.view, m.region, m.side, Number(m.x).toFixed(4), Number(m.y).toFixed(4), m.kind, m.intensity, m.note || ""].join("|");
      }).sort(),
      techniques: rowKeys(p, "technique", "technique"),
      modalities: rowKeys(p, "modality", "kind"),
      home_care: p.getAll("home_care").slice().sort()
    };
  }
  var previous = changesLine ? carried(new URLSearchParams(changesLine.dataset.previous)) : null;
  var parts = [
    ["objective", "findings", function () { return document.getElementById("objective").closest(".field"); }],
    ["pressure", "pressure", function () { return document.getElementById("pressure").closest(".field"); }],
    ["marks", "body chart", function () { return document.getElementById("marks"); }],
    ["techniques", "techniques", function () { return document.getElementById("techniques"); }],
    ["modalities", "modalities", function () { return document.getElementById("modalities"); }],
    ["home_care", "home care", function () { return document.getElementById("home_care"); }]
  ];
  function tagOf(el) {
    var t = el.querySelector(".change-tag");
    if (t) return t;
    t = document.createElement("span");
    t.className = "change-tag";
    var host = el.querySelector(":scope > legend, :scope > label, :scope > summary") || el.querySelector("legend, label") || el;
    host.appendChild(document.createTextNode(" "));
    host.appendChild(t);
    return t;
  }
  function showChanges() {
    if (!previous) return;
    var now = carried(formData());
    var changed = [], kept = [];
    parts.forEach(function (part) {
      var el = part[2]();
      if (!el) return;
      var differs = JSON.stringify(now[part[0]]) !== JSON.stringify(previous[part[0]]);
      (differs ? changed : kept).push(part[1]);
      el.classList.toggle("changed", differs);
      el.classList.toggle("carried", !differs);
      tagOf(el).textContent = differs ? "changed" : "as last time";
    });
    changesLine.hidden = false;
    changesLine.textContent = "Compared with the note of " + changesLine.dataset.date + ": " +
      (changed.length ? "changed — " + changed.join(", ") : "nothing changed yet") +
      (kept.length ? "; as last time — " + kept.join(", ") + "." : ".");
  }
  var changesTimer = null;
  ["input", "change"].forEach(function (ev) {
    form.addEventListener(ev, function () { clearTimeout(changesTimer); changesTimer = setTimeout(showChanges, 200); });
  });
  showChanges();

  // ---- units ----
  var unitsTimer = null;
  function showUnits(u) {
    if (!u) return;
    document.getElementById("units-explanation").textContent = u.error || u.explanation;
    if (u.rule_why) {
      // A save answers with the rule of the payer on the note's date.
      document.getElementById("units").dataset.rule = u.rule;
      var why = document.getElementById("units-rule");
      if (why) why.textContent = "By the " + u.rule_why + ".";
    }
    var box = document.getElementById("units-unbilled");
    box.textContent = "";
    (u.unbilled || []).forEach(function (t) {
      var p = document.createElement("p");
      p.className = "muted";
      p.textContent = t;
      box.appendChild(p);
    });
  }
  function refreshUnits() {
    var q = new URLSearchParams();
    formData().forEach(function (v, k) { if (/^(technique|modality)\.\d+\.(technique|kind|minutes)$/.test(k)) q.append(k, v); });
    var rule = document.getElementById("units").dataset.rule;
    if (rule) q.set("rule", rule);
    fetch(unitsURL + "?" + q.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(showUnits)
      .catch(function () { /* the next save brings the units */ });
  }
  ["input", "change"].forEach(function (ev) {
    form.addEventListener(ev, function (e) {
      if (!e.target.closest || !e.target.closest(".note-rows")) return;
      clearTimeout(unitsTimer);
      unitsTimer = setTimeout(refreshUnits, 250);
    });
  });

  // ---- on load: a local copy newer than the server's draft comes back ----
  var local = readLocal();
  if (local && local.data) {
    var serverAt = Date.parse(form.dataset.saved) || 0;
    if (local.data === formData().toString() || local.at <= serverAt || (local.submitted && +version() > +local.version)) {
      dropLocal();
    } else {
      fill(new URLSearchParams(local.data));
      setVersion(local.version);
      dirty = true;
      edits++;
      say("Restored what you wrote on this device that was not saved yet; saving…");
      save();
      refreshUnits();
    }
  }
  if (!status.textContent) say("All changes saved");
})();
