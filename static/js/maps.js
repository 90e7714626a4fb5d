/* ReSource Portal: maps of places, drawn with Leaflet (shipped by django-leaflet)
 * and Leaflet.markercluster (shipped by XStatic-Leaflet-MarkerCluster).
 *
 * Each `.map` element is followed by a `script.map-points` holding its markers as
 * JSON; every text shown comes from the page (translated there), none from here.
 * Under the tiles lie Natural Earth's country outlines, fetched once per page, so
 * that a map whose tiles do not load still shows Europe. Markers and clusters are
 * buttons a keyboard reaches; a marker's popup links its record.
 */
(function () {
  "use strict";

  var outlines = null;

  // One request per page, whatever the number of maps on it.
  function loadOutlines(url) {
    if (!outlines) {
      outlines = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      });
    }
    return outlines;
  }

  function addOutlines(map, element) {
    var url = element.dataset.outlinesUrl;
    if (!url) {
      return;
    }
    // Below the tiles (z-index 200): tiles that load cover the outlines, and
    // where none load the outlines show the land.
    map.createPane("outlines").style.zIndex = 150;
    loadOutlines(url).then(function (data) {
      L.geoJSON(data, {
        pane: "outlines",
        renderer: L.svg({ pane: "outlines" }),
        interactive: false,
        attribution: element.dataset.outlinesAttribution,
        style: function (feature) {
          return {
            className: "map-outline map-outline-" + (feature.properties.iso || "none"),
            color: "#8c979e",
            weight: 1,
            fillColor: "#f6f4ec",
            fillOpacity: 1
          };
        }
      }).addTo(map);
    }).catch(function () {
      // Without outlines the markers and the list beside the map still stand.
    });
  }

  // The outlines end at the edges of their box: the view stays inside it (and
  // inside the markers' bounds, were one ever outside it). Set before the markers
  // are added: Leaflet.markercluster builds its clusters for the zooms allowed then.
  function keepInside(map, element, points) {
    var edges = (element.dataset.outlinesBbox || "").split(",").map(Number);
    if (edges.length !== 4 || edges.some(isNaN)) {
      return;
    }
    var bounds = L.latLngBounds([edges[1], edges[0]], [edges[3], edges[2]]);
    points.forEach(function (point) {
      bounds.extend([point.lat, point.lon]);
    });
    map.setMaxBounds(bounds);
    // A whole zoom level: Leaflet.markercluster mislays markers at fractional ones.
    map.setMinZoom(Math.ceil(map.getBoundsZoom(bounds, true)));
  }

  function hiddenText(text, lang) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text;
    if (lang) {
      span.lang = lang;
    }
    return span;
  }

  function clusterIcon(element) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var html = document.createElement("span");
      var figure = document.createElement("span");
      figure.setAttribute("aria-hidden", "true");
      figure.textContent = count;
      html.appendChild(figure);
      html.appendChild(hiddenText(
        (element.dataset.clusterLabel || "%(count)s").replace("%(count)s", count)
      ));
      var size = count < 10 ? 30 : count < 100 ? 36 : 42;
      return L.divIcon({ html: html, className: "map-cluster", iconSize: [size, size] });
    };
  }

  function pointMarker(point) {
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    if (point.lang) {
      link.lang = point.lang;
    }
    var kind = point.kind === "region" || point.kind === "goodpractice" ? point.kind : "potential";
    var size = kind === "region" ? 18 : 16;
    var marker = L.marker([point.lat, point.lon], {
      icon: L.divIcon({
        html: hiddenText(point.title, point.lang),
        className: "map-marker map-marker-" + kind,
        iconSize: [size, size]
      }),
      title: point.title,
      keyboard: true,
      riseOnHover: true
    });
    marker.bindPopup(link);
    // A popup opened from the keyboard takes the focus to its link, and gives it
    // back to the marker when it closes.
    marker.on("popupopen", function () {
      if (document.activeElement === marker.getElement()) {
        link.focus();
      }
    });
    marker.on("popupclose", function () {
      if (document.activeElement === link || document.activeElement === document.body) {
        var icon = marker.getElement();
        if (icon) {
          icon.focus();
        }
      }
    });
    return marker;
  }

  function addPoints(state, points) {
    var bounds = [];
    var markers = points.map(function (point) {
      bounds.push([point.lat, point.lon]);
      return pointMarker(point);
    });
    state.markers.addLayers ? state.markers.addLayers(markers) : markers.forEach(function (m) {
      state.markers.addLayer(m);
    });
    if (bounds.length === 1) {
      state.map.setView(bounds[0], 8);
    } else if (bounds.length > 1) {
      // No closer than a region's scale: nearby borders and coasts tell where.
      state.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 8 });
    }
  }

  function markerLayer(element, map) {
    if (typeof L.markerClusterGroup !== "function") {
      return L.featureGroup().addTo(map);
    }
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      chunkedLoading: true,
      iconCreateFunction: clusterIcon(element)
    });
    // Leaflet 1.9 no longer turns Enter into a click, as Leaflet.markercluster
    // 1.4 expects: pass Enter on a cluster to the handler of its clicks, which
    // zooms in (or spreads the markers) and keeps the focus in the map.
    group.on("clusterkeypress", function (event) {
      if (event.originalEvent.keyCode === 13) {
        group._zoomOrSpiderfy(event);
      }
    });
    return group.addTo(map);
  }

  function initMap(element) {
    if (element.dataset.ready || typeof L === "undefined") {
      return;
    }
    var source = element.parentNode.querySelector("script.map-points");
    if (!source) {
      return;
    }
    element.dataset.ready = "1";
    var map = L.map(element, { zoomControl: false, scrollWheelZoom: false, keyboard: true });
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
    addOutlines(map, element);
    // Leaflet closes a popup on Escape only while the map itself has the focus;
    // the popup's link, where a keyboard user is, is inside the map too.
    element.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        map.closePopup();
      }
    });
    // Leaflet names its popup's close button in English; use the page's words.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && element.dataset.closePopup) {
        close.setAttribute("aria-label", element.dataset.closePopup);
        close.title = element.dataset.closePopup;
      }
    });
    var points = JSON.parse(source.textContent);
    keepInside(map, element, points);
    addPoints({ map: map, markers: markerLayer(element, map) }, points);
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
