// Interactive figures: a <figure data-json="..."> whose snippet wrote a data_<name>() JSON file
// gets a slider that picks one of the precomputed curves. The static light/dark images stay in the
// page for readers without JavaScript; with it, they are replaced by an SVG drawn in the page's
// theme colours (CSS variables), so both palettes work without shipping the frames twice.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var W = 640, H = 360, PAD = { left: 48, right: 12, top: 12, bottom: 40 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function scale(d0, d1, r0, r1) {
    return function (v) { return r0 + (v - d0) * (r1 - r0) / (d1 - d0); };
  }

  function ticks(lo, hi, count) {
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / count)));
    var err = (hi - lo) / count / step;
    step *= err >= 5 ? 10 : err >= 2 ? 5 : err >= 1.5 ? 2 : 1;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }

  function formatLambda(v) {
    if (v === 0) return "0";
    var e = Math.floor(Math.log10(v));
    if (e >= -2 && e <= 3) return String(+v.toPrecision(3));
    var m = +(v / Math.pow(10, e)).toPrecision(2);
    return (m === 1 ? "" : m + " × ") + "10" + String(e).replace(/-/g, "⁻").replace(/\d/g, function (d) {
      return "⁰¹²³⁴⁵⁶⁷⁸⁹"[+d];
    });
  }

  function build(figure, data) {
    var xs = data.x, x0 = xs[0], x1 = xs[xs.length - 1];
    var sx = scale(x0, x1, PAD.left, W - PAD.right);
    var sy = scale(data.ylim[0], data.ylim[1], H - PAD.bottom, PAD.top);
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, class: "wsw-plot", role: "img" });
    el("title", {}, svg).textContent = figure.querySelector("img").getAttribute("alt");
    var axes = el("g", { class: "wsw-axes" }, svg);
    ticks(x0, x1, 6).forEach(function (t) {
      el("line", { x1: sx(t), x2: sx(t), y1: PAD.top, y2: H - PAD.bottom, class: "wsw-grid" }, axes);
      el("text", { x: sx(t), y: H - PAD.bottom + 16, "text-anchor": "middle" }, axes).textContent = t;
    });
    ticks(data.ylim[0], data.ylim[1], 6).forEach(function (t) {
      el("line", { x1: PAD.left, x2: W - PAD.right, y1: sy(t), y2: sy(t), class: "wsw-grid" }, axes);
      el("text", { x: PAD.left - 6, y: sy(t) + 4, "text-anchor": "end" }, axes).textContent = t;
    });
    el("text", { x: (W + PAD.left) / 2, y: H - 6, "text-anchor": "middle" }, axes).textContent = data.xlabel;
    var clip = "wsw-clip-" + figure.id;
    el("rect", { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom },
      el("clipPath", { id: clip }, svg));
    var curve = el("path", { class: "wsw-curve", "clip-path": "url(#" + clip + ")" }, svg);
    data.points.x.forEach(function (px, i) {
      el("circle", { cx: sx(px), cy: sy(data.points.y[i]), r: 4, class: "wsw-point" }, svg);
    });

    var controls = document.createElement("div");
    controls.className = "wsw-controls";
    var label = document.createElement("label");
    var slider = document.createElement("input");
    slider.type = "range";
    slider.min = 0;
    slider.max = data.lambdas.length - 1;
    slider.step = 1;
    slider.value = 0;
    slider.id = figure.id + "-slider";
    label.htmlFor = slider.id;
    label.textContent = "Penalty strength λ = ";
    var output = document.createElement("output");
    output.htmlFor = slider.id;
    output.className = "wsw-lambda";
    label.appendChild(output);
    controls.appendChild(label);
    controls.appendChild(slider);

    function draw() {
      var ys = data.curves[+slider.value];
      curve.setAttribute("d", xs.map(function (x, i) {
        return (i ? "L" : "M") + sx(x).toFixed(1) + "," + sy(Math.max(-1e4, Math.min(1e4, ys[i]))).toFixed(1);
      }).join(""));
      output.textContent = formatLambda(data.lambdas[+slider.value]);
      slider.setAttribute("aria-valuetext", "λ = " + output.textContent);
    }
    slider.addEventListener("input", draw);
    draw();
    var holder = document.createElement("div");
    holder.className = "wsw-interactive";
    holder.appendChild(svg);
    holder.appendChild(controls);
    figure.insertBefore(holder, figure.firstChild);
    figure.classList.add("wsw-live");
  }

  function init() {
    document.querySelectorAll("figure[data-json]:not(.wsw-live)").forEach(function (figure) {
      fetch(figure.getAttribute("data-json"))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { build(figure, data); })
        .catch(function (err) { console.error("interactive figure " + figure.id + ": " + err); });
    });
  }

  // Material's instant navigation replaces pages without reloading: document$ fires each time.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
