// Neighbourhood monitoring: the choropleth map, the layer chooser and the upload progress bar.
// Data comes from json_script blocks and data-* attributes (no inline scripts: CSP).
(function () {
  "use strict";

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function popupFor(properties, labels) {
    var box = document.createElement("div");
    box.className = "area-popup";
    box.appendChild(text("strong", properties.name));
    box.appendChild(text("span", " " + properties.code, "meta"));
    var list = document.createElement("dl");
    if (!properties.shares) {  // a rolled-up area has a class but no value of its own
      list.appendChild(text("dt", labels.value));
      list.appendChild(text("dd", properties.value === null ? labels.none : String(properties.value)));
    }
    list.appendChild(text("dt", labels.klass));
    list.appendChild(text("dd", properties.class_label || labels.none));
    box.appendChild(list);
    if (properties.shares && properties.shares.length) {
      // An index of smaller areas rolled up: the share of them in each class, and their names.
      box.appendChild(text("p", labels.shares, "meta"));
      var shares = document.createElement("ul");
      shares.className = "area-shares";
      properties.shares.forEach(function (share) {
        var item = text("li", share.percent + " % " + share.label);
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.backgroundColor = share.colour;
        item.insertBefore(swatch, item.firstChild);
        shares.appendChild(item);
      });
      box.appendChild(shares);
    }
    if (properties.members && properties.members.length) {
      var members = document.createElement("details");
      members.open = true;
      members.appendChild(text("summary", labels.members + " (" + properties.members.length + ")"));
      var list = document.createElement("ul");
      list.className = "area-members";
      properties.members.forEach(function (member) {
        var item = document.createElement("li");
        var memberLink = text("a", member.name);
        memberLink.href = properties.url.replace(/areas\/[^/]+\/$/, "areas/" + encodeURIComponent(member.code) + "/");
        item.appendChild(memberLink);
        if (member.class_label) item.appendChild(document.createTextNode(" — " + member.class_label));
        list.appendChild(item);
      });
      members.appendChild(list);
      box.appendChild(members);
    }
    var link = text("a", labels.more);
    link.href = properties.url;
    box.appendChild(link);
    return box;
  }

  function choropleth() {
    var element = document.getElementById("monitoring-map");
    var data = document.getElementById("monitoring-features");
    var featuresUrl = element && element.dataset.featuresUrl;
    if (!element || (!data && !featuresUrl) || typeof L === "undefined") return;
    var features = data ? JSON.parse(data.textContent) : [];
    var labels = {
      value: element.dataset.labelValue,
      klass: element.dataset.labelClass,
      more: element.dataset.labelMore,
      none: element.dataset.labelNone,
      shares: element.dataset.labelShares,
      members: element.dataset.labelMembers,
    };
    var map = L.map(element, { scrollWheelZoom: false });
    window.conetBaseLayer(map, element);
    var layer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        style: function (feature) {
          var colour = feature.properties.colour;
          return {
            color: "#333333",
            weight: 1,
            fillColor: colour || "#bbbbbb",
            fillOpacity: colour ? 0.75 : 0.2,
          };
        },
        onEachFeature: function (feature, shape) {
          shape.bindPopup(popupFor(feature.properties, labels));
          // An element, not a string: Leaflet puts a string into innerHTML, and area names are
          // what cities upload.
          shape.bindTooltip(text("span", feature.properties.name), { sticky: true });
          shape.on("add", function () {
            var path = shape.getElement && shape.getElement();
            if (path) {
              path.setAttribute("data-area", feature.properties.code);
              path.setAttribute("data-class", feature.properties.class_number || "");
            }
          });
        },
      }
    );
    var focusData = document.getElementById("monitoring-focus");
    var focus = focusData
      ? L.geoJSON(JSON.parse(focusData.textContent), {
          interactive: false,
          style: { color: "#111111", weight: 4, dashArray: "8 6", fill: false },
        })
      : null;
    if (featuresUrl) {
      // Too many areas to embed: fetch those in view, again after every move.
      var box = (element.dataset.bounds || "").split(",").map(Number);
      var start = focus ? focus.getBounds() : box.length === 4 ? [[box[1], box[0]], [box[3], box[2]]] : null;
      if (start) map.fitBounds(start, { padding: [12, 12] });
      else map.setView([0, 0], 2);
      layer.addTo(map);
      // An open popup pans the map to fit; reloading then would close it, so wait until it closes.
      // A load that was under way when a popup opened is not drawn either (it would take away the
      // shape whose popup the visitor is reading): it is asked for again once the popup closes.
      map.on("popupopen", function () { element.dataset.popup = "open"; });
      map.on("popupclose", function () {
        element.dataset.popup = "";
        if (element.dataset.stale === "true") {
          element.dataset.stale = "";
          loadInView(map, layer, featuresUrl, element);
        }
      });
      loadInView(map, layer, featuresUrl, element);
      map.on("moveend", function () {
        if (element.dataset.popup === "open") { element.dataset.stale = "true"; return; }
        loadInView(map, layer, featuresUrl, element);
      });
    } else {
      // Set the view first, then add the shapes, so that Leaflet draws them at once.
      map.fitBounds((focus || layer).getBounds(), { padding: [12, 12] });
      layer.addTo(map);
    }
    if (focus) {
      focus.addTo(map);
      focus.eachLayer(function (shape) {
        var path = shape.getElement && shape.getElement();
        if (path) path.setAttribute("data-focus", shape.feature.properties.code);
      });
    }
    if (!featuresUrl) element.dataset.ready = "true";
  }

  var requestNumber = 0;

  function loadInView(map, layer, url, element) {
    var number = ++requestNumber;
    var notice = document.getElementById("monitoring-map-notice");
    element.dataset.ready = "loading";
    fetch(url + "&bbox=" + map.getBounds().toBBoxString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        if (number !== requestNumber) return; // a later move asked again
        if (element.dataset.popup === "open") {
          element.dataset.stale = "true";
          element.dataset.ready = "true";
          return;
        }
        layer.clearLayers();
        layer.addData(collection);
        if (notice) {
          notice.hidden = !collection.truncated;
          notice.textContent = collection.truncated
            ? element.dataset.labelZoom.replace("%(count)s", collection.in_view.toLocaleString())
            : "";
        }
        element.dataset.ready = "true";
        element.dataset.inView = String(collection.features.length);
      });
  }

  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // A large file takes a while to send: show how far the upload is, then show the answer page.
  function uploadProgress() {
    document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      var bar = form.querySelector("progress");
      if (!bar || typeof XMLHttpRequest === "undefined") return;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var request = new XMLHttpRequest();
        request.open("POST", form.action || window.location.href);
        bar.hidden = false;
        bar.removeAttribute("value");
        request.upload.addEventListener("progress", function (progress) {
          if (progress.lengthComputable) {
            bar.max = progress.total;
            bar.value = progress.loaded;
          }
        });
        // Sent: the server now checks every cell and stores the values (seconds for a country).
        request.upload.addEventListener("load", function () {
          bar.removeAttribute("value");
          var status = form.querySelector("[data-upload-status]");
          if (status) status.hidden = false;
        });
        request.addEventListener("load", function () {
          var page = new DOMParser().parseFromString(request.responseText, "text/html");
          var moved = request.responseURL && request.responseURL !== window.location.href;
          swapIn(page, moved ? request.responseURL : null);
        });
        request.addEventListener("error", function () { form.submit(); });
        request.send(new FormData(form));
      });
    });
  }

  // Show the answer to an upload (the form with its problems, or the page it led to) without
  // asking the server again: the message about what was imported is shown only once.
  function swapIn(page, url) {
    document.title = page.title;
    document.querySelector("main").replaceWith(document.adoptNode(page.querySelector("main")));
    if (url) window.history.pushState(null, "", url);
    var missing = Array.prototype.filter.call(page.querySelectorAll("script[src]"), function (s) {
      return !document.querySelector('script[src="' + s.getAttribute("src") + '"]');
    });
    (function next() {
      if (!missing.length) {
        start();
        return;
      }
      var script = document.createElement("script");
      script.src = missing.shift().getAttribute("src");
      script.addEventListener("load", next);
      document.body.appendChild(script);
    })();
  }

  function paintSwatches() {
    document.querySelectorAll("main [data-colour]").forEach(function (element) {
      element.style.backgroundColor = element.dataset.colour;
    });
  }

  // On a phone a long list of areas would make the page metres long: it starts closed there
  // (its summary says how many areas it holds), unless the address points at it (paging).
  function foldLongLists() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 600px)").matches) return;
    if (window.location.hash === "#area-table") return;
    var table = document.getElementById("area-table");
    if (table && table.open && table.querySelectorAll("tbody tr").length > 20) table.open = false;
  }

  function start() {
    foldLongLists();
    paintSwatches();
    choropleth();
    autosubmit();
    uploadProgress();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
