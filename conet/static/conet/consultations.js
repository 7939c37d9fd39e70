// Consultations: the results page refreshes its map, groups and common ground while votes arrive.
// The server renders everything; this only fetches the same page again and swaps the parts that
// changed, every data-refresh seconds, while the tab is visible. No inline script (CSP).
(function () {
  "use strict";

  var PARTS = ["opinion-map", "groups", "consensus", "statements"];

  function refresh(container) {
    if (document.hidden) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var stamp = fresh.querySelector("[data-computed]");
        var current = document.querySelector("[data-computed]");
        if (stamp && current && stamp.dataset.computed === current.dataset.computed) return;
        PARTS.forEach(function (id) {
          var now = document.getElementById(id);
          var next = fresh.getElementById(id);
          if (now && next) now.replaceWith(document.importNode(next, true));
        });
        container.dataset.refreshed = String(Number(container.dataset.refreshed || 0) + 1);
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  function start() {
    var container = document.querySelector("[data-refresh]");
    if (!container) return;
    var seconds = Math.max(1, Number(container.dataset.refresh) || 15);
    window.setInterval(function () { refresh(container); }, seconds * 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
