// The location of a good practice on a map. Data come from data-* attributes (no inline scripts:
// the Content-Security-Policy stays strict). Without Leaflet or coordinates, nothing happens and
// the coordinates stay readable in the page.
(function () {
  "use strict";

  function practiceMap() {
    var element = document.getElementById("practice-map");
    if (!element || typeof L === "undefined") return;
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
    if (isNaN(point[0]) || isNaN(point[1])) return;
    var map = L.map(element, { scrollWheelZoom: false }).setView(point, 11);
    window.conetBaseLayer(map, element);
    L.marker(point, { title: element.dataset.name, alt: element.dataset.name, keyboard: true })
      .addTo(map);
    element.dataset.ready = "true";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", practiceMap);
  else practiceMap();
})();
