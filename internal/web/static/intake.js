// The intake form's script: marks on the body outline, rows added on
// demand, and the copy button of a new link. The form works without it:
// the list under the outline and the empty rows are always there.
(function () {
  "use strict";

  function show(el) { el.hidden = false; }
  document.querySelectorAll(".js-only").forEach(show);
  document.querySelectorAll(".no-js").forEach(function (el) { el.hidden = true; });

  // Copy a new link.
  document.querySelectorAll("button.copy-button").forEach(function (b) {
    b.addEventListener("click", function () {
      var src = document.getElementById(b.getAttribute("data-copy"));
      var status = document.querySelector(".copy-status");
      src.select();
      var done = function () { if (status) status.textContent = "Copied."; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(src.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });

  var form = document.getElementById("intake-form");
  if (!form) return;
  var SVGNS = "http://www.w3.org/2000/svg";

  // Rows: renumber a clone's names, ids and labels; clear its values.
  function rowsOf(prefix) { return form.querySelector('.rows[data-prefix="' + prefix + '"]'); }
  function addRow(prefix) {
    var rows = rowsOf(prefix);
    var all = rows.querySelectorAll(".row");
    if (all.length >= parseInt(rows.getAttribute("data-max") || "30", 10)) return null;
    var last = all[all.length - 1];
    var i = 0;
    all.forEach(function (r) { i = Math.max(i, parseInt(r.getAttribute("data-row"), 10) + 1); });
    var n = all.length + 1;
    var row = last.cloneNode(true);
    var from = prefix + "_" + last.getAttribute("data-row") + "_", to = prefix + "_" + i + "_";
    row.setAttribute("data-row", i);
    row.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.split(from).join(to));
      });
    });
    row.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    row.querySelectorAll(".has-error").forEach(function (e) { e.classList.remove("has-error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); });
    row.querySelectorAll("input").forEach(function (e) { e.value = ""; });
    row.querySelectorAll("select").forEach(function (e) { e.selectedIndex = 0; });
    row.querySelectorAll(".row-n, .mark-dot").forEach(function (e) { e.textContent = n; });
    rows.appendChild(row);
    wireRow(prefix, row);
    return row;
  }
  form.querySelectorAll("button.add-row").forEach(function (b) {
    b.addEventListener("click", function () {
      var row = addRow(b.getAttribute("data-for"));
      if (row) { var f = row.querySelector("input:not([type=hidden]), select"); if (f) f.focus(); }
    });
  });

  // Marks on the outline.
  var svg = form.querySelector("svg.bodychart.interactive");
  var zones = svg ? JSON.parse(svg.getAttribute("data-zones")) : [];
  var W = 200, H = 440;

  function regionAt(view, x, y) {
    var px = x * W, py = y * H, dx = Math.abs(px - W / 2);
    for (var k = 0; k < zones.length; k++) {
      var z = zones[k], b = z.b;
      if ((z.v && z.v !== view) || dx < b[0] || dx >= b[1] || py < b[2] || py >= b[3]) continue;
      if (dx < z.m) return [z.r, "midline"];
      var left = px < W / 2;
      if (view === "anterior") left = !left;
      return [z.r, left ? "left" : "right"];
    }
    return null;
  }
  function field(row, f) { return row.querySelector('[data-f="' + f + '"]'); }
  function markRows() { return rowsOf("mark").querySelectorAll(".row"); }
  function isBlank(row) { return !field(row, "region").value && !field(row, "x").value && !field(row, "note").value; }
  function renumber() {
    markRows().forEach(function (row, k) {
      row.querySelectorAll(".row-n, .mark-dot").forEach(function (e) { e.textContent = k + 1; });
    });
    drawMarks();
  }
  function drawMarks() {
    if (!svg) return;
    svg.querySelectorAll(".marks").forEach(function (g) { while (g.firstChild) g.removeChild(g.firstChild); });
    markRows().forEach(function (row, k) {
      var x = parseFloat(field(row, "x").value), y = parseFloat(field(row, "y").value);
      if (isNaN(x) || isNaN(y)) return;
      var g = svg.querySelector('.figure[data-view="' + field(row, "view").value + '"] .marks');
      if (!g) return;
      var c = document.createElementNS(SVGNS, "circle");
      c.setAttribute("class", "mark");
      c.setAttribute("cx", (x * W).toFixed(2));
      c.setAttribute("cy", (y * H).toFixed(2));
      c.setAttribute("r", "8");
      var t = document.createElementNS(SVGNS, "text");
      t.setAttribute("class", "mark-n");
      t.setAttribute("x", (x * W).toFixed(2));
      t.setAttribute("y", (y * H).toFixed(2));
      t.setAttribute("dy", "3.5");
      t.textContent = k + 1;
      g.appendChild(c);
      g.appendChild(t);
    });
  }
  function wireRow(prefix, row) {
    if (prefix !== "mark") return;
    var rm = row.querySelector(".remove-row");
    if (rm) rm.addEventListener("click", function () {
      if (markRows().length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach(function (e) { e.value = ""; });
        row.querySelectorAll("select").forEach(function (e) { e.selectedIndex = 0; });
      }
      renumber();
    });
    // Choosing another area from the list moves the mark there: the point no longer says where.
    field(row, "region").addEventListener("change", function () {
      field(row, "x").value = ""; field(row, "y").value = ""; field(row, "view").value = "";
      drawMarks();
    });
  }
  form.querySelectorAll('.rows[data-prefix="mark"] .row').forEach(function (r) { wireRow("mark", r); });

  if (svg) {
    svg.querySelectorAll(".figure").forEach(function (fig) {
      fig.addEventListener("click", function (ev) {
        var m = fig.getScreenCTM();
        if (!m) return;
        var pt = svg.createSVGPoint();
        pt.x = ev.clientX; pt.y = ev.clientY;
        var p = pt.matrixTransform(m.inverse());
        var view = fig.getAttribute("data-view");
        var x = Math.round(p.x / W * 10000) / 10000, y = Math.round(p.y / H * 10000) / 10000;
        if (x < 0 || x > 1 || y < 0 || y > 1) return;
        var rs = regionAt(view, x, y);
        if (!rs) return; // off the body
        var row = null;
        markRows().forEach(function (r) { if (!row && isBlank(r)) row = r; });
        if (!row) row = addRow("mark");
        if (!row) return;
        field(row, "view").value = view;
        field(row, "x").value = x;
        field(row, "y").value = y;
        field(row, "region").value = rs[0];
        field(row, "side").value = rs[1];
        drawMarks();
        var s = field(row, "intensity");
        if (s) s.focus({ preventScroll: true });
      });
    });
    drawMarks();
  }
})();
