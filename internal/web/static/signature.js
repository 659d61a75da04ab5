// The signature pad: draws with a finger, pen or mouse on the canvas and
// keeps the drawing as a PNG data URL in the hidden signature_png field.
// Without it the client signs by typing their name.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var out = document.getElementById("signature_png");
  if (!canvas || !out) return;
  var ctx = canvas.getContext("2d");
  var drawing = false, inked = false, last = null;

  function reset() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#1d2a33";
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    inked = false;
  }
  reset();
  // A drawing sent back after a form error is shown again.
  if (out.value.indexOf("data:image/png;base64,") === 0) {
    var img = new Image();
    img.onload = function () { ctx.drawImage(img, 0, 0, canvas.width, canvas.height); inked = true; };
    img.src = out.value;
  }

  function at(ev) {
    var r = canvas.getBoundingClientRect();
    return { x: (ev.clientX - r.left) * canvas.width / r.width, y: (ev.clientY - r.top) * canvas.height / r.height };
  }
  function save() { if (inked) out.value = canvas.toDataURL("image/png"); }

  canvas.addEventListener("pointerdown", function (ev) {
    drawing = true;
    last = at(ev);
    if (canvas.setPointerCapture) { try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic events */ } }
    ev.preventDefault();
  });
  canvas.addEventListener("pointermove", function (ev) {
    if (!drawing) return;
    var p = at(ev);
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    inked = true;
    ev.preventDefault();
  });
  function end() {
    if (!drawing) return;
    drawing = false;
    save();
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("pointerleave", end);

  var clear = document.getElementById("signature-clear");
  if (clear) clear.addEventListener("click", function () { reset(); out.value = ""; });
})();
