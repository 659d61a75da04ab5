// The public booking page: offer only the therapists who work at the
// chosen location and perform the chosen service. Without script every
// therapist is listed and the page explains an impossible choice.
(function () {
  "use strict";
  var form = document.getElementById("book-choose");
  if (!form) return;
  var select = form.querySelector("select[name=therapist]");
  if (!select) return;

  function checked(name) {
    return form.querySelector("input[name=" + name + "]:checked");
  }
  function words(s) {
    return (s || "").split(" ").filter(function (w) { return w !== ""; });
  }

  function narrow() {
    var loc = checked("location");
    var svc = checked("service");
    var performers = svc ? words(svc.getAttribute("data-performers")) : [];
    Array.prototype.forEach.call(select.options, function (o) {
      if (o.value === "0") return; // anyone
      var ok = (!loc || words(o.getAttribute("data-locations")).indexOf(loc.value) >= 0) &&
        (performers.length === 0 || performers.indexOf(o.value) >= 0);
      o.hidden = !ok;
      o.disabled = !ok;
      if (!ok && o.selected) select.value = "0";
    });
  }

  form.addEventListener("change", function (e) {
    if (e.target !== select) narrow();
  });
  narrow();
})();
