// The search index on demand. Material's bundle asks for search/search_index.json as every page
// loads; it is the heaviest file of a page view (about 100 KB compressed) and most readers never
// search. This script runs before the bundle and holds that one request back until the reader
// reaches for the search: the search box gets focus or is opened (click, tap, or the keys / s f),
// or the address already carries a search (?q= or ?h=). Material then shows "Initializing search"
// for the moment the index takes to arrive, as it does on a slow connection.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(\?|#|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var wanted = /[?&][qh]=/.test(location.search);
  var held = [];

  function release() {
    if (wanted && !held.length) return;
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.wswSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (xhr.wswSearchIndex && !wanted) {
      held.push(function () { send.apply(xhr, args); });
      return;
    }
    return send.apply(xhr, args);
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("[data-md-component=search]")) release();
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest('label[for="__search"]')) release();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) release();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (["/", "s", "S", "f", "F"].indexOf(event.key) >= 0) release();
  }, true);
})();
