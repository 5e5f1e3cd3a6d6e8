// Interactive figures. A <figure data-json="…"> whose snippet has a data_<name>() function gets a
// live plot drawn from that JSON: fixed axes, a legend below the plot, a slider that picks one of
// the precomputed frames, a readout of the slider's value and an aria-live sentence per frame.
// Colours are CSS variables (assets/interactive.css) that follow Material's light/dark palette, so
// one drawing serves both. The static light/dark images stay in the page for readers without
// JavaScript, and stay shown if the data cannot be drawn. The JSON schema ("kind": "frames") is
// documented in CONTRIBUTING.md; tests/build/test_interactive.py checks every file against it.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var MINUS = "\u2212";
  var FONT = 13; // px; the SVG is drawn at the size it is shown, so this is the size read
  var COLOURS = ["fg", "muted", "blue", "orange", "green", "pink", "sky", "yellow"];
  var SUP = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸",
    "9": "⁹", "-": "⁻", "\u2212": "⁻" };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, cls, parent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }

  // ------------------------------------------------------------------ numbers as text

  function minus(s) { return String(s).replace(/-/g, MINUS); }

  function sup(n) { return String(n).replace(/./g, function (c) { return SUP[c] || c; }); }

  function trim(s) { return s.indexOf(".") < 0 ? s : s.replace(/0+$/, "").replace(/\.$/, ""); }

  // 1.2 × 10⁻³ (two significant digits), 10⁴, 0
  function sci(v) {
    if (v === 0) return "0";
    var e = Math.floor(Math.log10(Math.abs(v)));
    var m = +(v / Math.pow(10, e)).toPrecision(2);
    if (Math.abs(m) >= 10) { m /= 10; e += 1; }
    var p = "10" + sup(e);
    return minus(m === 1 ? p : m === -1 ? "-" + p : trim(String(m)) + " × " + p);
  }

  // thousands separated by commas, as Python's "," option does: 12345.6 -> 12,345.6
  function group(s) {
    var parts = s.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  // "sci", or a Python-like spec: ".2f", ".3g", "d", ".1%", with an optional "," (",d", ",.1f")
  function formatter(spec) {
    if (!spec || spec === "sci") return sci;
    var m = /^(,?)\.?(\d*)([fgde%])$/.exec(spec);
    if (!m) return function (v) { return minus(String(v)); };
    var digits = m[2] === "" ? 6 : +m[2], type = m[3];
    return function (v) {
      var s;
      if (type === "d") s = String(Math.round(v));
      else if (type === "f") s = v.toFixed(digits);
      else if (type === "%") s = (100 * v).toFixed(digits) + " %";
      else if (type === "e") return sci(v);
      else s = trim(String(+v.toPrecision(Math.max(1, digits))));
      if (m[1] && type !== "g") s = group(s);
      return minus(/^-0(\.0*)?$/.test(s) ? s.slice(1) : s);
    };
  }

  // ------------------------------------------------------------------ scales and ticks

  function scale(type, d0, d1, r0, r1) {
    var log = type === "log";
    var f = log ? Math.log10 : function (v) { return v; };
    var a = f(d0), b = f(d1);
    return function (v) { return r0 + (f(v) - a) * (r1 - r0) / (b - a); };
  }

  function linearTicks(lo, hi, count) {
    var raw = (hi - lo) / Math.max(1, count);
    var step = Math.pow(10, Math.floor(Math.log10(raw)));
    var err = raw / step;
    step *= err >= 5 ? 10 : err >= 2.5 ? 5 : err >= 1.5 ? 2 : 1;
    var decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    var out = [];
    for (var k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
      var v = k * step;
      var s = v.toFixed(decimals);
      if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
      out.push({ v: v, text: minus(s) });
    }
    return out;
  }

  function logTicks(lo, hi, count) {
    var e0 = Math.ceil(Math.log10(lo) - 1e-9), e1 = Math.floor(Math.log10(hi) + 1e-9);
    var out = [], e;
    if (e1 - e0 >= 2) {
      var every = Math.max(1, Math.ceil((e1 - e0 + 1) / Math.max(2, count)));
      for (e = e0; e <= e1; e++) if ((e - e0) % every === 0) out.push({ v: Math.pow(10, e), text: "10" + sup(e) });
      return out;
    }
    // less than a decade or two: 1, 2, 5 × 10ᵏ, written as plain numbers
    for (e = e0 - 1; e <= e1; e++) {
      [1, 2, 5].forEach(function (m) {
        var v = m * Math.pow(10, e);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push({ v: v, text: minus(trim(v.toPrecision(1))) });
      });
    }
    return out;
  }

  function ticks(type, lo, hi, count) {
    return type === "log" ? logTicks(lo, hi, count) : linearTicks(lo, hi, count);
  }

  // ------------------------------------------------------------------ drawing series

  // One <path> per series: a polyline for "line" (broken where a log axis cannot show a value),
  // a ring of arcs per point for "points".
  function pathData(series, sx, sy, xlog, ylog) {
    var out = [], pen = "M", r = series.type === "points" ? 4 : 0;
    for (var i = 0; i < series.x.length; i++) {
      var x = series.x[i], y = series.y[i];
      if ((xlog && !(x > 0)) || (ylog && !(y > 0)) || !isFinite(x) || !isFinite(y)) { pen = "M"; continue; }
      var px = Math.max(-1e4, Math.min(1e4, sx(x))), py = Math.max(-1e4, Math.min(1e4, sy(y)));
      if (r) {
        out.push("M" + (px - r).toFixed(1) + "," + py.toFixed(1) + "a" + r + "," + r + " 0 1,0 " + 2 * r +
          ",0a" + r + "," + r + " 0 1,0 " + -2 * r + ",0");
      } else {
        out.push(pen + px.toFixed(1) + "," + py.toFixed(1));
        pen = "L";
      }
    }
    return out.join("");
  }

  function styleSeries(path, series) {
    var colour = "var(--wsw-" + (COLOURS.indexOf(series.color) >= 0 ? series.color : "fg") + ")";
    path.setAttribute("class", "wsw-series wsw-" + (series.type === "points" ? "points" : "line") +
      (series.dash ? " wsw-dash" : ""));
    path.style.stroke = colour; // points: stroke-width 0 (interactive.css), but the colour is there to read
    path.style.fill = series.type === "points" ? colour : "none";
  }

  // ------------------------------------------------------------------ one figure

  function checkData(data) {
    if (!data || data.kind !== "frames") return "data has kind " + JSON.stringify(data && data.kind) + ", not \"frames\"";
    if (!data.slider || !data.slider.values || !data.frames) return "data has no slider values or no frames";
    if (data.frames.length !== data.slider.values.length) return "frames and slider values differ in number";
    return "";
  }

  // "wsw-curve" marks the frame's main curve: the first line that changes from frame to frame
  // (else the first series). test_browser.py follows it.
  function mainCurve(frames) {
    var first = frames[0].series, best = -1;
    first.forEach(function (s, i) {
      if (best >= 0 && first[best].type === "line") return;
      var moves = frames.some(function (f) { return f.series[i] && JSON.stringify(f.series[i].y) !== JSON.stringify(s.y); });
      if (moves && (best < 0 || s.type === "line")) best = i;
    });
    return Math.max(0, best);
  }

  function Figure(figure, data) {
    this.figure = figure;
    this.data = data;
    this.panels = [data].concat(data.panels || []);
    var index = Math.round(data.slider.initial || 0);
    this.index = Math.max(0, Math.min(data.frames.length - 1, index));
    this.width = 0;
    this.main = mainCurve(data.frames);
    this.build();
  }

  Figure.prototype.build = function () {
    var self = this, data = this.data, figure = this.figure, id = figure.id || "wsw-fig";
    var holder = html("div", "wsw-interactive");
    this.svg = el("svg", { class: "wsw-plot", role: "img", "aria-labelledby": id + "-title" });
    var img = figure.querySelector("img");
    el("title", { id: id + "-title" }, this.svg).textContent = img ? img.getAttribute("alt") : "";
    this.body = el("g", {}, this.svg);
    holder.appendChild(this.svg);

    var legend = this.legend();
    if (legend) holder.appendChild(legend);

    var controls = html("div", "wsw-controls", holder);
    var label = html("label", "wsw-slider-label", controls);
    var slider = html("input", "wsw-slider", controls);
    var output = html("output", "wsw-value wsw-lambda", controls);
    slider.type = "range";
    slider.min = 0;
    slider.max = data.frames.length - 1;
    slider.step = 1;
    slider.value = this.index;
    slider.id = id + "-slider";
    label.htmlFor = slider.id;
    label.textContent = data.slider.label || "frame";
    output.htmlFor = slider.id;
    output.setAttribute("aria-hidden", "true"); // the slider's aria-valuetext says it already
    this.format = formatter(data.slider.format);
    // a fixed-width readout: as wide as the widest value it will show, so nothing moves
    var widest = 0;
    data.slider.values.forEach(function (v) { widest = Math.max(widest, self.format(v).length); });
    output.style.minWidth = widest + 1 + "ch";
    this.slider = slider;
    this.output = output;
    this.readout = html("p", "wsw-readout", holder);
    this.readout.setAttribute("aria-live", "polite");
    slider.addEventListener("input", function () { self.show(+slider.value); });

    figure.insertBefore(holder, figure.firstChild);
    figure.classList.add("wsw-live");
    this.layout();
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.layout(); }).observe(holder);
    }
  };

  // The legend: an HTML list below the plot (never over the data), one entry per labelled series.
  Figure.prototype.legend = function () {
    var seen = {}, items = [];
    function add(s) {
      if (!s.label) return;
      var key = s.label + "|" + s.color + "|" + s.type + "|" + !!s.dash;
      if (seen[key]) return;
      seen[key] = true;
      items.push(s);
    }
    this.panels.forEach(function (p, k) {
      (p.static || []).forEach(add);
      this.data.frames.forEach(function (f) {
        (k === 0 ? f.series : (f.panels || [])[k - 1] || []).forEach(add);
      });
    }, this);
    if (!items.length) return null;
    var list = html("ul", "wsw-legend");
    items.forEach(function (s) {
      var li = html("li", "", list);
      var key = el("svg", { width: 26, height: 12, viewBox: "0 0 26 12", "aria-hidden": "true", class: "wsw-key" }, li);
      var p = el("path", { d: s.type === "points" ? "M9,6a4,4 0 1,0 8,0a4,4 0 1,0 -8,0" : "M1,6H25" }, key);
      styleSeries(p, s);
      li.appendChild(document.createTextNode(s.label));
    });
    return list;
  };

  // (Re)draw the axes for the width the plot has on screen, then the current frame.
  Figure.prototype.layout = function () {
    var width = Math.round(this.svg.parentNode.getBoundingClientRect().width) || 640;
    if (width === this.width) return;
    this.width = width;
    while (this.body.firstChild) this.body.removeChild(this.body.firstChild);
    var top = 0, self = this;
    this.axes = this.panels.map(function (p, k) {
      var ax = self.panel(p, k, top, width);
      top += ax.height;
      return ax;
    });
    this.svg.setAttribute("viewBox", "0 0 " + width + " " + top);
    this.svg.setAttribute("width", width);
    this.svg.setAttribute("height", top);
    this.show(this.index);
  };

  Figure.prototype.panel = function (p, k, top, width) {
    var guess = Math.max(180, Math.min(420, (width - 60) * 0.62));
    var yt = ticks(p.yscale, p.ylim[0], p.ylim[1], Math.max(2, Math.min(6, Math.floor(guess / 45))));
    var ywide = 0;
    yt.forEach(function (t) { ywide = Math.max(ywide, t.text.length); });
    var pad = { left: Math.round(ywide * FONT * 0.62) + (p.ylabel ? 30 : 10), right: 14, top: 10,
      bottom: p.xlabel ? 48 : 26 };
    var pw = width - pad.left - pad.right;
    // the main panel about 0.6 of its width, the extra panels below it lower
    var ph = Math.round(k ? Math.max(150, Math.min(280, pw * 0.45)) : Math.max(180, Math.min(380, pw * 0.6)));
    if (p.equal) { // one unit is as long on both axes: the height follows, or the width shrinks
      var ratio = (p.ylim[1] - p.ylim[0]) / (p.xlim[1] - p.xlim[0]);
      ph = Math.round(pw * ratio);
      if (ph > 480) { ph = 480; var w2 = ph / ratio; pad.left += Math.round((pw - w2) / 2); pw = Math.round(w2); }
    }
    var x0 = pad.left, x1 = pad.left + pw, y0 = top + pad.top, y1 = top + pad.top + ph;
    var sx = scale(p.xscale, p.xlim[0], p.xlim[1], x0, x1);
    var sy = scale(p.yscale, p.ylim[0], p.ylim[1], y1, y0);
    var g = el("g", { class: "wsw-axes" }, this.body);
    var xt = ticks(p.xscale, p.xlim[0], p.xlim[1], Math.max(2, Math.floor(pw / 70)));
    xt.forEach(function (t) {
      var x = sx(t.v).toFixed(1);
      el("line", { x1: x, x2: x, y1: y0, y2: y1, class: "wsw-grid" }, g);
      el("text", { x: x, y: y1 + FONT + 5, "text-anchor": "middle", class: "wsw-tick" }, g).textContent = t.text;
    });
    yt.forEach(function (t) {
      var y = sy(t.v).toFixed(1);
      el("line", { x1: x0, x2: x1, y1: y, y2: y, class: "wsw-grid" }, g);
      el("text", { x: x0 - 6, y: +y + FONT * 0.35, "text-anchor": "end", class: "wsw-tick" }, g).textContent = t.text;
    });
    el("path", { d: "M" + x0 + "," + y0 + "V" + y1 + "H" + x1, class: "wsw-spine" }, g);
    if (p.xlabel) {
      el("text", { x: (x0 + x1) / 2, y: y1 + 2 * FONT + 14, "text-anchor": "middle", class: "wsw-label" }, g)
        .textContent = p.xlabel;
    }
    if (p.ylabel) {
      el("text", { transform: "translate(" + (FONT + 2) + "," + (y0 + y1) / 2 + ") rotate(-90)",
        "text-anchor": "middle", class: "wsw-label" }, g).textContent = p.ylabel;
    }
    var clip = (this.figure.id || "wsw") + "-clip-" + k;
    el("rect", { x: x0 - 5, y: y0 - 5, width: pw + 10, height: ph + 10 }, el("clipPath", { id: clip }, this.body));
    var layer = el("g", { "clip-path": "url(#" + clip + ")" }, this.body);
    var xlog = p.xscale === "log", ylog = p.yscale === "log";
    var draw = function (series, path) {
      path = path || el("path", {}, layer);
      styleSeries(path, series);
      path.setAttribute("d", pathData(series, sx, sy, xlog, ylog));
      return path;
    };
    (p.static || []).forEach(function (s) { draw(s); });
    return { height: pad.top + ph + pad.bottom, layer: el("g", {}, layer), draw: draw, paths: [] };
  };

  Figure.prototype.show = function (index) {
    var frame = this.data.frames[index], self = this;
    this.index = index;
    this.axes.forEach(function (ax, k) {
      var list = (k === 0 ? frame.series : (frame.panels || [])[k - 1]) || [];
      var main = k === 0 ? self.main : -1;
      list.forEach(function (s, i) {
        if (!ax.paths[i]) ax.paths[i] = ax.layer.appendChild(document.createElementNS(NS, "path"));
        ax.draw(s, ax.paths[i]);
        if (k === 0 && i === main) ax.paths[i].classList.add("wsw-curve");
        ax.paths[i].style.display = "";
      });
      for (var i = list.length; i < ax.paths.length; i++) ax.paths[i].style.display = "none";
    });
    var value = this.format(this.data.slider.values[index]);
    if (this.output.textContent !== value) this.output.textContent = value;
    this.slider.setAttribute("aria-valuetext", (this.data.slider.label || "") + " = " + value);
    var text = frame.readout || "";
    if (this.readout.textContent !== text) this.readout.textContent = text;
  };

  function init() {
    document.querySelectorAll("figure[data-json]:not(.wsw-live)").forEach(function (figure) {
      fetch(figure.getAttribute("data-json"))
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (data) {
          var problem = checkData(data);
          if (problem) throw new Error(problem + " (see CONTRIBUTING.md, Interactive figures)");
          new Figure(figure, data);
        })
        .catch(function (err) {
          console.error("interactive figure " + figure.id + " (" + figure.getAttribute("data-json") + "): " + err.message);
        });
    });
  }

  // Material's instant navigation replaces pages without reloading: document$ fires each time.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
