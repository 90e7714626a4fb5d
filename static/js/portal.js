/* ReSource Portal: maps of places, drawn with Leaflet (shipped by django-leaflet).
 *
 * Each `.map` element is followed by a `script.map-points` holding its markers as
 * JSON; every text shown comes from the page (translated there), none from here.
 * Markers are drawn as vector circles, so they appear even when no tiles load.
 */
(function () {
  "use strict";

  var COLOURS = {
    potential: "#8a3b12",
    goodpractice: "#0b6367",
    region: "#34495e"
  };

  function initMap(element) {
    if (element.dataset.ready || typeof L === "undefined") {
      return;
    }
    var source = element.parentNode.querySelector("script.map-points");
    if (!source) {
      return;
    }
    element.dataset.ready = "1";
    var points = JSON.parse(source.textContent);
    var map = L.map(element, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({
      zoomInTitle: element.dataset.zoomIn,
      zoomOutTitle: element.dataset.zoomOut
    }).addTo(map);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution,
        maxZoom: 18
      }).addTo(map);
    }
    // Leaflet names its popup's close button in English; use the page's words.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && element.dataset.closePopup) {
        close.setAttribute("aria-label", element.dataset.closePopup);
        close.title = element.dataset.closePopup;
      }
    });
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      if (point.lang) {
        link.lang = point.lang;
      }
      L.circleMarker([point.lat, point.lon], {
        radius: point.kind === "region" ? 9 : 7,
        color: "#ffffff",
        weight: 2,
        fillColor: COLOURS[point.kind] || COLOURS.potential,
        fillOpacity: 0.9
      }).bindPopup(link).addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 9);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
    }
  }

  function initMaps(root) {
    var maps = root.querySelectorAll ? root.querySelectorAll(".map") : [];
    Array.prototype.forEach.call(maps, initMap);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMaps(document);
  });
  // Results replaced by htmx bring a new map with them.
  document.addEventListener("htmx:load", function (event) {
    initMaps(event.detail.elt);
  });
})();

/* After htmx replaces the results, tell screen readers how many there are now. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    var status = document.getElementById("browse-status");
    var count = document.getElementById("result-count");
    if (status && count) {
      status.textContent = count.textContent.trim();
    }
  });
})();

/* Leave empty fields out of the address htmx requests and shows, as a person would. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      if (parameters[name] === "") {
        delete parameters[name];
      }
    });
  });
})();
