// Plans of care. The form works without this script (three empty rows of
// each kind, every field shown); with it, each goal row shows only the
// fields its measure uses, rows can be added, each technique's summary
// names the regions ticked, and the "mark as sent" button names the
// physician chosen.
(function () {
  "use strict";

  // Errors first: the summary of a form sent back takes the focus.
  var summary = document.getElementById("form-error");
  if (summary) summary.focus();

  var units = { pain: "/10", rom: "degrees", outcome: "points" };
  var defaults = ["/10", "degrees", "points", ""];

  // measureChanged shows "what" or "motion and side" as the row's measure asks.
  function measureChanged(row, fromUser) {
    var measure = row.querySelector("select.goal-measure");
    if (!measure) return;
    var rom = measure.value === "rom";
    Array.prototype.forEach.call(row.querySelectorAll(".goal-what"), function (el) { el.hidden = rom; });
    Array.prototype.forEach.call(row.querySelectorAll(".goal-motion"), function (el) { el.hidden = !rom; });
    var unit = row.querySelector("input[name$='.unit']");
    if (fromUser && unit && defaults.indexOf(unit.value) >= 0 && units[measure.value]) {
      unit.value = units[measure.value];
    }
  }

  // regionsChanged names the ticked regions in the row's summary.
  function regionsChanged(row) {
    var out = row.querySelector(".region-summary");
    if (!out) return;
    var names = [];
    Array.prototype.forEach.call(row.querySelectorAll("input[type=checkbox]:checked"), function (box) {
      var label = row.querySelector("label[for='" + box.id + "']");
      names.push(label ? label.textContent : box.value);
    });
    out.textContent = names.length ? names.length + " chosen: " + names.join(", ") : "none chosen";
  }

  function rows(kind) {
    return document.querySelectorAll("fieldset.plan-row[data-row='" + kind + "']");
  }

  function indexOf(row) {
    var m = /-(\d+)$/.exec(row.id);
    return m ? parseInt(m[1], 10) : -1;
  }

  // addRow copies the last row of kind, empty, numbered after the others.
  function addRow(kind, button) {
    var all = rows(kind);
    if (!all.length) return;
    var last = all[all.length - 1];
    var from = indexOf(last), to = 0;
    Array.prototype.forEach.call(all, function (r) { to = Math.max(to, indexOf(r) + 1); });
    var row = last.cloneNode(true);
    var idOld = kind + "-" + from, idNew = kind + "-" + to;
    var nameOld = kind + "." + from + ".", nameNew = kind + "." + to + ".";
    row.id = idNew;
    row.classList.remove("has-error");
    row.removeAttribute("aria-describedby");
    Array.prototype.forEach.call(row.querySelectorAll(".row-error"), function (el) { el.parentNode.removeChild(el); });
    Array.prototype.forEach.call(row.querySelectorAll("[id],[for],[name],[aria-describedby]"), function (el) {
      ["id", "for", "aria-describedby"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v && v.indexOf(idOld + "-") >= 0) el.setAttribute(a, v.split(idOld + "-").join(idNew + "-"));
      });
      var n = el.getAttribute("name");
      if (n && n.indexOf(nameOld) === 0) el.setAttribute("name", nameNew + n.slice(nameOld.length));
    });
    Array.prototype.forEach.call(row.querySelectorAll("input, select"), function (el) {
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
    });
    var legend = row.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(to + 1));
    var details = row.querySelector("details");
    if (details) details.open = false;
    last.parentNode.insertBefore(row, last.nextSibling);
    wire(row);
    measureChanged(row, false);
    regionsChanged(row);
    var first = row.querySelector("select, input");
    if (first) first.focus();
  }

  function wire(row) {
    var measure = row.querySelector("select.goal-measure");
    if (measure) measure.addEventListener("change", function () { measureChanged(row, true); });
    row.addEventListener("change", function (e) {
      if (e.target.type === "checkbox") regionsChanged(row);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("fieldset.plan-row"), function (row) {
    wire(row);
    measureChanged(row, false);
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.add-row[data-add]"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { addRow(b.getAttribute("data-add"), b); });
  });

  // The "mark as sent" button says to whom.
  var to = document.getElementById("sent-physician");
  var sendButton = document.getElementById("sent-button");
  if (to && sendButton) {
    to.addEventListener("change", function () {
      var opt = to.options[to.selectedIndex];
      var name = opt && opt.value ? opt.textContent.split(" — ")[0] : "";
      sendButton.textContent = name ? "Mark as sent to " + name : "Mark as sent";
    });
  }
})();
