// CoNet's small islands of behaviour. Data comes from the page (data-* attributes and
// json_script blocks), never from inline scripts, so the Content-Security-Policy stays strict.
(function () {
  "use strict";

  function paintSwatches() {
    document.querySelectorAll("[data-colour]").forEach(function (element) {
      element.style.backgroundColor = element.dataset.colour;
    });
  }

  // A focus area with an outline in the city's monitoring: the outline, named, linking to its
  // figures (drawn as the monitoring map draws its focus area), instead of a point.
  function focusAreaShape(map, element, feature) {
    var shape = L.geoJSON(feature, {
      style: { color: "#111111", weight: 3, dashArray: "8 6", fillColor: "#111111", fillOpacity: 0.08 },
      onEachFeature: function (item, layer) {
        var link = document.createElement("a");
        link.href = item.properties.url;
        link.textContent = item.properties.name;
        layer.bindPopup(link);
        // An element, never a string: Leaflet puts a string in as HTML.
        var label = document.createElement("span");
        label.textContent = item.properties.name;
        layer.bindTooltip(label, { permanent: true, direction: "center", className: "map-label" });
        layer.on("add", function () {
          var path = layer.getElement && layer.getElement();
          if (path) path.setAttribute("data-focus-area", item.properties.name);
        });
      },
    });
    map.fitBounds(shape.getBounds(), { padding: [24, 24] });
    shape.addTo(map);
    element.dataset.ready = "true";
  }

  function partnerMap() {
    var element = document.getElementById("partner-map");
    var data = document.getElementById("partner-points");
    var shapeData = document.getElementById("partner-shape");
    if (!element || !(data || shapeData) || typeof L === "undefined") return;
    var map = L.map(element, { scrollWheelZoom: false });
    window.conetBaseLayer(map, element);
    if (shapeData) {
      focusAreaShape(map, element, JSON.parse(shapeData.textContent));
      return;
    }
    var points = JSON.parse(data.textContent);
    // The view must be set before markers are added, or Leaflet has not drawn them yet.
    var bounds = points.map(function (point) { return [point.lat, point.lng]; });
    if (bounds.length === 1) map.setView(bounds[0], Number(element.dataset.zoom) || 10);
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
      // The name beside every marker: a map of partners reads without a click. An element, never
      // a string: Leaflet puts a string in as HTML, and a name is what people typed.
      var label = document.createElement("span");
      label.textContent = point.name;
      marker.bindTooltip(label, { permanent: true, direction: "right", className: "map-label" });
    });
    element.dataset.ready = "true";
  }

  // The header's menu is a <details>: on a wide screen it stays open (its button is hidden), on a
  // phone it starts closed, and Escape closes it and gives the focus back to its button.
  function siteMenu() {
    var menu = document.querySelector(".site-menu");
    if (!menu || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 601px)");
    function sync() { menu.open = wide.matches; }
    sync();
    wide.addEventListener("change", sync);
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    // On a phone the open menu covers the page: it closes when the focus or a tap goes elsewhere.
    function closeIfOutside(target) {
      if (!wide.matches && menu.open && target && !menu.contains(target)) menu.open = false;
    }
    menu.addEventListener("focusout", function (event) { closeIfOutside(event.relatedTarget); });
    document.addEventListener("click", function (event) { closeIfOutside(event.target); });
  }

  // Every table scrolls inside its own box; a box that hides columns gets a visible cue and can be
  // scrolled with the keyboard (it takes focus and is named, as a region, by the hint).
  var SCROLL_BOXES = ".table-wrap, .table-scroll, .overflow-auto";

  function scrollBoxes(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.parentElement.matches(SCROLL_BOXES)) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll("main :is(" + SCROLL_BOXES + ")").forEach(function (box) {
      if (!box.querySelector(":scope > table") || box.dataset.scrollWatched) return;
      box.dataset.scrollWatched = "true";
      markOverflow(box);
      if (window.ResizeObserver) new ResizeObserver(function () { markOverflow(box); }).observe(box);
    });
  }

  function markOverflow(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls === box.classList.contains("scrolls")) return;
    box.classList.toggle("scrolls", scrolls);
    var hint = box.previousElementSibling;
    var hasHint = hint && hint.classList.contains("scroll-hint");
    if (scrolls) {
      var text = document.body.dataset.scrollHint || "";
      if (!hasHint) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.id = "scroll-hint-" + Math.random().toString(36).slice(2);
        hint.textContent = text;
        box.parentNode.insertBefore(hint, box);
      }
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-labelledby", hint.id);
    } else {
      if (hasHint) hint.remove();
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
    }
  }

  function start() {
    paintSwatches();
    partnerMap();
    siteMenu();
    scrollBoxes(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
