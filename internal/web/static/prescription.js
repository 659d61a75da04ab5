// The prescription form's diagnosis finder: type words, choose a code, and
// it joins the codes field (which alone is sent, so the form works the same
// without this script: codes typed by hand, separated by commas).
(function () {
  "use strict";
  var field = document.getElementById("diagnoses");
  var finder = document.getElementById("dx-finder");
  var q = document.getElementById("dx-q");
  var options = document.getElementById("dx-options");
  var chosen = document.getElementById("dx-chosen");
  if (!field || !finder || !q || !options || !chosen) return;
  finder.hidden = false;

  var titles = {};
  Array.prototype.forEach.call(chosen.querySelectorAll("li[data-code]"), function (li) {
    var strong = li.querySelector("strong");
    titles[li.getAttribute("data-code")] = li.textContent.replace(strong ? strong.textContent : "", "").trim();
  });

  // format writes a code as the server does: upper case, dot after the category.
  function format(code) {
    var k = code.toUpperCase().replace(/[.\s]/g, "");
    return k.length > 3 ? k.slice(0, 3) + "." + k.slice(3) : k;
  }
  function codes() {
    return field.value.split(/[,;\s]+/).filter(Boolean).map(format);
  }
  function setCodes(list) {
    field.value = list.join(", ");
    render();
  }
  function render() {
    var list = codes();
    chosen.textContent = "";
    list.forEach(function (code, i) {
      var li = document.createElement("li");
      li.setAttribute("data-code", code);
      var strong = document.createElement("strong");
      strong.textContent = code;
      li.appendChild(strong);
      li.appendChild(document.createTextNode(" " + (titles[code] || "") + (i === 0 ? " (principal)" : "")));
      var rm = document.createElement("button");
      rm.type = "button";
      rm.textContent = "Remove";
      rm.setAttribute("aria-label", "Remove " + code);
      rm.addEventListener("click", function () {
        setCodes(codes().filter(function (c) { return c !== code; }));
        q.focus();
      });
      li.appendChild(rm);
      chosen.appendChild(li);
    });
    chosen.hidden = list.length === 0;
  }
  // choose adds a code to the field. A category cannot go on a claim: its
  // billable codes are listed instead, to choose from.
  function choose(code, title, billable) {
    if (billable === "false") {
      q.value = code;
      search();
      q.focus();
      return;
    }
    code = format(code);
    if (title) titles[code] = title;
    var list = codes();
    if (list.indexOf(code) < 0) list.push(code);
    setCodes(list);
    q.value = "";
    options.textContent = "";
    q.focus();
  }

  var timer, seq = 0;
  function search() {
    var text = q.value.trim();
    var mine = ++seq;
    if (text.length < 2) {
      options.textContent = "";
      return;
    }
    // The codes in force on the day the prescription was written.
    var written = document.getElementById("written_on");
    var date = written && /^\d{4}-\d{2}-\d{2}$/.test(written.value) ? "&date=" + written.value : "";
    fetch("/codes/icd10/options?q=" + encodeURIComponent(text) + date, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (res.status === 401) {
          window.location.assign("/signin?reason=idle");
          return "";
        }
        // The request kept the session alive: tell the idle timer (app.js).
        document.body.dispatchEvent(new CustomEvent("htmx:afterRequest"));
        // 422 carries the message of what is wrong with the words typed.
        return res.ok || res.status === 422 ? res.text() : "";
      })
      .then(function (html) {
        if (mine !== seq) return; // an older answer after a newer one
        options.innerHTML = html; // our own server's escaped markup
      })
      .catch(function () {});
  }
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  q.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    e.preventDefault(); // Enter here chooses, it does not send the form
    var first = options.querySelector("button[data-code]");
    if (first) choose(first.getAttribute("data-code"), first.getAttribute("data-title"), first.getAttribute("data-billable"));
  });
  options.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-code]");
    if (b) choose(b.getAttribute("data-code"), b.getAttribute("data-title"), b.getAttribute("data-billable"));
  });
  field.addEventListener("change", render);
  render();
})();
