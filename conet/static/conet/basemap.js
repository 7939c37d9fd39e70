// The ground under every CoNet map: the tiles of CONET_MAP_TILES when they load, and country and
// coastline outlines kept with CoNet (Natural Earth 1:50m, from the world-atlas package) when they
// cannot be fetched — offline, behind a firewall, or with CONET_MAP_TILES=none. The outlines are
// fetched from our own server only when needed.
(function () {
  "use strict";

  var FAILED_TILES = 3; // a few broken tiles is the network; this many is the tile server gone

  function outlines(map, element) {
    if (element.dataset.outlinesShown) return;
    element.dataset.outlinesShown = "true";
    var url = element.dataset.outlines;
    if (!url || typeof topojson === "undefined" || !window.fetch) return;
    fetch(url)
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(countries, {
          interactive: false,
          style: { color: "#7a8591", weight: 1, fillColor: "#eef1ec", fillOpacity: 1 },
        }).addTo(map).bringToBack();
        map.getContainer().classList.add("map-offline");
        map.attributionControl.addAttribution(element.dataset.outlinesAttribution || "");
        if (element.dataset.offlineNote) {
          var note = L.control({ position: "bottomleft" });
          note.onAdd = function () {
            var text = L.DomUtil.create("p", "map-offline-note");
            text.setAttribute("role", "status");
            text.textContent = element.dataset.offlineNote;
            return text;
          };
          note.addTo(map);
        }
        element.dataset.base = "outlines";
      });
  }

  // Adds the base layer to `map`, built in `element` (which carries data-tiles, data-attribution,
  // data-outlines and data-outlines-attribution).
  window.conetBaseLayer = function (map, element) {
    var tiles = element.dataset.tiles;
    if (!tiles || tiles === "none") {
      outlines(map, element);
      return;
    }
    var failed = 0;
    var layer = L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.attribution });
    layer.on("tileerror", function () {
      failed += 1;
      if (failed === FAILED_TILES) outlines(map, element);
    });
    layer.on("tileload", function () { element.dataset.base = element.dataset.base || "tiles"; });
    layer.addTo(map);
  };
})();
