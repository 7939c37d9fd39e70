// CoNet's small islands of behaviour. Data comes from the page (data-* attributes and
// json_script blocks), never from inline scripts, so the Content-Security-Policy stays strict.
(function () {
  "use strict";

  function paintSwatches() {
    document.querySelectorAll("[data-colour]").forEach(function (element) {
      element.style.backgroundColor = element.dataset.colour;
    });
  }

  function partnerMap() {
    var element = document.getElementById("partner-map");
    var data = document.getElementById("partner-points");
    if (!element || !data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: element.dataset.attribution,
    }).addTo(map);
    // The view must be set before markers are added, or Leaflet has not drawn them yet.
    var bounds = points.map(function (point) { return [point.lat, point.lng]; });
    if (bounds.length === 1) map.setView(bounds[0], 10);
    else map.fitBounds(bounds, { padding: [24, 24] });
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], {
        title: point.name,
        alt: point.name,
        keyboard: true,
      }).addTo(map);
      if (point.lead) marker.getElement().classList.add("map-marker-lead");
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      popup.appendChild(link);
      popup.appendChild(document.createTextNode(" (" + point.country + ")"));
      if (point.focus) {
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode(point.focus));
      }
      marker.bindPopup(popup);
    });
    element.dataset.ready = "true";
  }

  function start() {
    paintSwatches();
    partnerMap();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
