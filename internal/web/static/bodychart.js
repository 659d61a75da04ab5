// The body chart editor (templates/partials/bodychart.html). A click or tap
// on a figure adds a mark of the chosen kind there; the region list adds one
// with the keyboard. The figures' outlines, regions and spots come from the
// server (the SVG's data-geometry, the same values assess.RegionAt and
// assess.RegionSpot use), so the page and the server name the same region.
// The marks live in the hidden field as JSON, posted with the page's form.
// Without this script the region list, notes and Remove buttons still work
// by submitting the form (assess.MarksFromForm).
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var INTENSITY = ["", "mild", "moderate", "severe"];

  function round4(v) { return Math.round(v * 10000) / 10000; }

  // Even-odd point in polygon, written exactly as assess.bcInside is, so
  // both give the same answer on the same numbers.
  function inside(ps, x, y) {
    var inn = false;
    for (var i = 0, j = ps.length - 1; i < ps.length; j = i, i++) {
      var a = ps[i], b = ps[j];
      if ((a[1] > y) !== (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) inn = !inn;
    }
    return inn;
  }

  function Editor(root) {
    this.root = root;
    this.prefix = root.getAttribute("data-prefix");
    this.max = parseInt(root.getAttribute("data-max") || "200", 10);
    this.svg = root.querySelector("svg.bodychart");
    this.geo = JSON.parse(this.svg.getAttribute("data-geometry"));
    this.json = root.querySelector("input.bc-json");
    this.list = root.querySelector("ol.bc-marks");
    this.empty = root.querySelector(".bc-empty");
    this.status = root.querySelector(".bc-status");
    this.hoverLabel = root.querySelector(".bc-hover-label");
    this.region = root.querySelector("#" + this.prefix + "-region");
    this.side = root.querySelector("#" + this.prefix + "-side");
    this.view = root.querySelector("#" + this.prefix + "-view");
    this.note = root.querySelector("#" + this.prefix + "-note");
    try { this.marks = JSON.parse(this.json.value || "[]") || []; } catch (e) { this.marks = []; }
    this.regionNames = {};
    var self = this;
    Array.prototype.forEach.call(this.region.options, function (o) { if (o.value) self.regionNames[o.value] = o.textContent; });
    this.kindLabels = {};
    root.querySelectorAll('input[name$="-kind"]').forEach(function (r) { self.kindLabels[r.value] = r.getAttribute("data-label"); });

    root.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    root.querySelectorAll(".no-js").forEach(function (el) { el.hidden = true; });

    this.region.addEventListener("change", function () { self.fitChoices(); });
    this.fitChoices();
    // With the script the buttons act here and never submit the page's
    // form; Enter in the chart's own text fields does not submit it either.
    var addButton = root.querySelector("button.bc-add");
    addButton.type = "button";
    addButton.addEventListener("click", function () { self.addFromList(); });
    var noSubmit = function (ev) {
      if (ev.key === "Enter" && ev.target.tagName === "INPUT" && ev.target.type === "text") ev.preventDefault();
    };
    root.addEventListener("keydown", noSubmit);
    root.addEventListener("keypress", noSubmit); // the form is submitted on keypress

    this.svg.addEventListener("click", function (ev) { self.addAtPointer(ev); });
    this.svg.addEventListener("pointermove", function (ev) { self.hover(ev); });
    this.svg.addEventListener("pointerleave", function () { self.hover(null); });
    this.render();
  }

  Editor.prototype.kind = function () {
    var r = this.root.querySelector('input[name$="-kind"]:checked');
    return r ? r.value : "pain";
  };
  Editor.prototype.intensity = function () {
    var r = this.root.querySelector('input[name$="-intensity"]:checked');
    return r ? parseInt(r.value, 10) : 2;
  };

  Editor.prototype.label = function (m) {
    var s = (this.kindLabels[m.kind] || m.kind);
    if (INTENSITY[m.intensity]) s += ", " + INTENSITY[m.intensity];
    s += " — " + (this.regionNames[m.region] || m.region);
    if (m.side && m.side !== "midline") s += ", " + m.side;
    return s;
  };

  // Side and figure lists follow the region: a midline region has no
  // side; a region is only offered on the figures that show it.
  Editor.prototype.fitChoices = function () {
    var o = this.region.selectedOptions[0];
    var sided = !o || !o.value || o.getAttribute("data-sided") === "true";
    var views = o && o.value ? o.getAttribute("data-views").split(" ") : null;
    Array.prototype.forEach.call(this.side.options, function (s) {
      s.disabled = sided ? s.value === "midline" : s.value !== "midline";
    });
    if (this.side.selectedOptions[0].disabled) this.side.value = sided ? "right" : "midline";
    Array.prototype.forEach.call(this.view.options, function (v) {
      v.disabled = !!(views && v.value && views.indexOf(v.value) < 0);
    });
    if (this.view.selectedOptions[0].disabled) this.view.value = "";
  };

  // regionAt is assess.RegionAt: the region and the client's side at x, y
  // (0..1) of a view, or null off the body and on the face.
  Editor.prototype.regionAt = function (view, x, y) {
    var g = this.geo.views[view];
    if (!g || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return null;
    var px = x * g.w, py = y * g.h;
    if (!inside(g.outline, px, py)) return null;
    var qx = px, side = "right";
    if (g.sym) {
      if (px < g.w / 2) { qx = g.w - px; side = g.rightOn === "left" ? "right" : "left"; } else { side = g.rightOn; }
    }
    for (var i = 0; i < g.zones.length; i++) {
      var z = g.zones[i];
      if (inside(z.p, qx, py)) {
        if (!z.r) return null;
        return { region: z.r, side: z.sided ? side : "midline", zone: z, mirrored: qx !== px };
      }
    }
    return null;
  };

  // spot is assess.RegionSpot.
  Editor.prototype.spot = function (view, region, side) {
    var g = this.geo.views[view];
    if (!g) return null;
    for (var i = 0; i < g.zones.length; i++) {
      var z = g.zones[i];
      if (z.r !== region) continue;
      var x = z.s[0];
      if (g.sym && z.sided) {
        var want = side === "left" ? "left" : "right";
        if (want !== g.rightOn) x = g.w - x;
      }
      return [round4(x / g.w), round4(z.s[1] / g.h)];
    }
    return null;
  };

  // The view under a pointer event and the point on it, 0..1.
  Editor.prototype.pointAt = function (ev) {
    var ctm = this.svg.getScreenCTM();
    if (!ctm) return null;
    var p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
    for (var view in this.geo.origins) {
      var o = this.geo.origins[view], g = this.geo.views[view];
      var x = (p.x - o[0]) / g.w, y = (p.y - o[1]) / g.h;
      if (x >= 0 && x <= 1 && y >= 0 && y <= 1) return { view: view, x: round4(x), y: round4(y) };
    }
    return null;
  };

  Editor.prototype.say = function (text) {
    // Clear first so the same message twice is announced twice.
    var st = this.status;
    st.textContent = "";
    window.setTimeout(function () { st.textContent = text; }, 30);
  };

  Editor.prototype.add = function (m) {
    if (this.marks.length >= this.max) {
      this.say("The chart holds at most " + this.max + " marks. Remove one first.");
      return false;
    }
    this.marks.push(m);
    this.render();
    this.say("Added mark " + this.marks.length + ": " + this.label(m) + ".");
    this.note.value = "";
    return true;
  };

  Editor.prototype.newMark = function (view, region, side, x, y) {
    return { view: view, region: region, side: side, x: x, y: y, kind: this.kind(), intensity: this.intensity(), note: this.note.value.trim() };
  };

  Editor.prototype.addAtPointer = function (ev) {
    var pt = this.pointAt(ev);
    if (!pt) return;
    var hit = this.regionAt(pt.view, pt.x, pt.y);
    if (!hit) {
      this.say("No region of the list there. Click on the body, or choose the region from the list.");
      return;
    }
    this.add(this.newMark(pt.view, hit.region, hit.side, pt.x, pt.y));
  };

  Editor.prototype.addFromList = function () {
    var o = this.region.selectedOptions[0];
    if (!o || !o.value) {
      this.say("Choose a region first.");
      this.region.focus();
      return;
    }
    var views = o.getAttribute("data-views").split(" ");
    var view = this.view.value && views.indexOf(this.view.value) >= 0 ? this.view.value : views[0];
    var side = o.getAttribute("data-sided") === "true" ? this.side.value : "midline";
    var xy = this.spot(view, o.value, side);
    if (!xy) {
      this.say("That region cannot be marked on that figure.");
      return;
    }
    this.add(this.newMark(view, o.value, side, xy[0], xy[1]));
  };

  Editor.prototype.remove = function (i) {
    var m = this.marks.splice(i, 1)[0];
    this.render();
    this.say("Removed mark " + (i + 1) + ": " + this.label(m) + "." + (this.marks.length > i ? " The marks after it are renumbered." : ""));
    var next = this.list.querySelectorAll("button.bc-remove")[Math.min(i, this.marks.length - 1)];
    (next || this.region).focus();
  };

  // The highlight of the region under the pointer, and its name.
  Editor.prototype.hover = function (ev) {
    var self = this;
    this.svg.querySelectorAll("path.bc-hover").forEach(function (p) { p.setAttribute("d", ""); });
    var pt = ev && this.pointAt(ev);
    var hit = pt && this.regionAt(pt.view, pt.x, pt.y);
    if (!hit) { this.hoverLabel.textContent = ""; return; }
    var g = this.geo.views[pt.view], o = this.geo.origins[pt.view];
    var d = hit.zone.p.map(function (q, k) {
      var x = hit.mirrored ? g.w - q[0] : q[0];
      return (k ? "L" : "M") + (x + o[0]).toFixed(2) + " " + (q[1] + o[1]).toFixed(2);
    }).join(" ") + " Z";
    var path = this.svg.querySelector('.bc-view[data-view="' + pt.view + '"] path.bc-hover');
    if (path) path.setAttribute("d", d);
    var name = this.regionNames[hit.region] || hit.region;
    self.hoverLabel.textContent = name + (hit.side !== "midline" ? ", " + hit.side : "");
  };

  // Draw one mark as the server does: its glyph (from the templates the
  // server wrote into <defs>) and its number.
  Editor.prototype.glyphAt = function (g, m, x, y, n) {
    var tpl = document.getElementById(this.prefix + "-glyph-" + m.kind + "-" + m.intensity);
    if (!tpl) return;
    var r = parseFloat(tpl.getAttribute("data-r"));
    var c = tpl.cloneNode(true);
    c.removeAttribute("id");
    c.setAttribute("transform", "translate(" + x.toFixed(2) + " " + y.toFixed(2) + ")");
    g.appendChild(c);
    var num = document.getElementById(this.prefix + "-number").firstElementChild.cloneNode(true);
    num.setAttribute("x", (x + r * 0.75 + 1.5).toFixed(2));
    num.setAttribute("y", (y - r * 0.75 - 0.5).toFixed(2));
    num.textContent = String(n);
    g.appendChild(num);
  };

  Editor.prototype.render = function () {
    var self = this;
    this.json.value = JSON.stringify(this.marks);
    // The figures.
    this.svg.querySelectorAll(".bc-marks").forEach(function (g) { while (g.firstChild) g.removeChild(g.firstChild); });
    this.marks.forEach(function (m, i) {
      if (!self.kindLabels[m.kind]) return;
      var layer = self.svg.querySelector('.bc-view[data-view="' + m.view + '"] .bc-marks');
      var gv = self.geo.views[m.view], o = self.geo.origins[m.view];
      if (!layer || !gv) return;
      var g = document.createElementNS(SVGNS, "g");
      g.setAttribute("class", "bc-mark");
      g.setAttribute("role", "img");
      g.setAttribute("data-n", i + 1);
      g.setAttribute("data-kind", m.kind);
      var t = document.createElementNS(SVGNS, "title");
      t.textContent = (i + 1) + ". " + self.label(m) + (m.note ? ": " + m.note : "");
      g.appendChild(t);
      self.glyphAt(g, m, o[0] + m.x * gv.w, o[1] + m.y * gv.h, i + 1);
      if (m.side === "bilateral" && gv.sym) self.glyphAt(g, m, o[0] + (1 - m.x) * gv.w, o[1] + m.y * gv.h, i + 1);
      layer.appendChild(g);
    });
    var title = this.svg.querySelector("title");
    if (title) {
      var n = this.marks.length;
      title.textContent = title.textContent.replace(/: [^:]*$/, ": " + (n === 0 ? "no marks." : n === 1 ? "1 mark." : n + " marks."));
    }
    // The list.
    while (this.list.firstChild) this.list.removeChild(this.list.firstChild);
    this.marks.forEach(function (m, i) {
      var n = i + 1, label = self.label(m);
      var li = document.createElement("li");
      li.setAttribute("data-n", n);
      var head = document.createElement("span");
      head.className = "bc-mark-label";
      var sw = self.kindLabels[m.kind] && self.root.querySelector('input[name$="-kind"][value="' + m.kind + '"] + svg');
      if (sw) head.appendChild(sw.cloneNode(true));
      var text = document.createElement("span");
      text.textContent = n + ". " + label;
      head.appendChild(text);
      li.appendChild(head);
      var lab = document.createElement("label");
      lab.className = "visually-hidden";
      lab.htmlFor = self.prefix + "-note-" + n;
      lab.textContent = "Note for mark " + n;
      li.appendChild(lab);
      var inp = document.createElement("input");
      inp.type = "text";
      inp.id = self.prefix + "-note-" + n;
      inp.maxLength = 500;
      inp.placeholder = "Note";
      inp.autocomplete = "off";
      inp.value = m.note || "";
      inp.addEventListener("input", function () {
        m.note = inp.value;
        self.json.value = JSON.stringify(self.marks);
        var t = self.svg.querySelector('.bc-mark[data-n="' + n + '"] title');
        if (t) t.textContent = n + ". " + label + (m.note.trim() ? ": " + m.note.trim() : "");
      });
      li.appendChild(inp);
      var rm = document.createElement("button");
      rm.type = "button";
      rm.className = "bc-remove";
      rm.textContent = "Remove";
      rm.setAttribute("aria-label", "Remove mark " + n + ": " + label);
      rm.addEventListener("click", function () { self.remove(i); });
      li.appendChild(rm);
      self.list.appendChild(li);
    });
    this.empty.hidden = this.marks.length > 0;
  };

  document.querySelectorAll("fieldset.bodychart-editor").forEach(function (root) {
    if (root.getAttribute("data-ready")) return; // the script may be included once per editor
    root.setAttribute("data-ready", "1");
    new Editor(root);
  });
})();
