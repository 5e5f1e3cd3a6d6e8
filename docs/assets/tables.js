// A table wider than the column scrolls sideways inside Material's wrapper (.md-typeset__scrollwrap).
// A keyboard reader must be able to reach it to scroll it (axe: scrollable-region-focusable), so a
// wrapper that overflows becomes a named, focusable region; one that fits is left alone.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "table, scrolls sideways");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();
