/* ReSource Portal: maps of places, drawn with Leaflet (shipped by django-leaflet).
 *
 * A `.map` element with `data-markers-url` asks the API's /map-markers/ for the
 * markers of the area in view, whenever the view settles: clusters and single
 * points, clustered by the database on a grid of the zoom (search/maps.py). The
 * area asked is snapped outward to that grid, so that views that differ a little
 * ask the same address and are answered from the cache. A map may also carry
 * points of its own in a `script.map-points` (one record's place), drawn as they
 * are. Every text shown comes from the page (translated there), none from here.
 * Under the tiles lie Natural Earth's country outlines, fetched once per page, so
 * that a map whose tiles do not load still shows Europe. Markers and clusters are
 * buttons a keyboard reaches; a marker's popup links its record, a cluster zooms
 * to its records.
 */
(function () {
  "use strict";

  // Cells across a 256-pixel tile, as search/maps.py TILE_CELLS.
  var TILE_CELLS = 4;
  // Wait for the view to settle before asking (panning fires many moves).
  var SETTLE_MS = 250;

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
  // inside the page's own points, were one ever outside it). Returns the box.
  function keepInside(map, element, points) {
    var edges = (element.dataset.outlinesBbox || "").split(",").map(Number);
    if (edges.length !== 4 || edges.some(isNaN)) {
      return null;
    }
    var bounds = L.latLngBounds([edges[1], edges[0]], [edges[3], edges[2]]);
    points.forEach(function (point) {
      bounds.extend([point.lat, point.lon]);
    });
    map.setMaxBounds(bounds);
    // A whole zoom level: the grid of markers is the zoom's.
    map.setMinZoom(Math.ceil(map.getBoundsZoom(bounds, true)));
    return bounds;
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

  function clusterMarker(state, cluster) {
    var label = (state.element.dataset.clusterLabel || "%(count)s")
      .replace("%(count)s", cluster.count);
    var html = document.createElement("span");
    var figure = document.createElement("span");
    figure.setAttribute("aria-hidden", "true");
    figure.textContent = cluster.count;
    html.appendChild(figure);
    html.appendChild(hiddenText(label));
    var size = cluster.count < 10 ? 30 : cluster.count < 100 ? 36 : 42;
    var marker = L.marker([cluster.lat, cluster.lon], {
      icon: L.divIcon({ html: html, className: "map-cluster", iconSize: [size, size] }),
      title: label,
      keyboard: true,
      riseOnHover: true
    });
    function zoomIn() {
      var box = cluster.bbox;
      var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
      // The markers that replace it take the focus (drawMarkers).
      state.refocus = document.activeElement === marker.getElement();
      if (bounds.getSouthWest().equals(bounds.getNorthEast())) {
        // Records in one spot: closer, as far as the map goes.
        state.map.setView(bounds.getCenter(), state.map.getZoom() + 2);
      } else {
        state.map.fitBounds(bounds, { padding: [24, 24] });
      }
    }
    marker.on("click", zoomIn);
    marker.on("keypress", function (event) {
      if (event.originalEvent.key === "Enter" || event.originalEvent.keyCode === 13) {
        zoomIn();
      }
    });
    return marker;
  }

  // Markers that stay from one answer to the next are kept, so that an open
  // popup (whose opening may move the map) stays open.
  function drawMarkers(state, data) {
    var next = {};
    data.clusters.forEach(function (cluster) {
      next["c " + cluster.lat + " " + cluster.lon + " " + cluster.count] = function () {
        return clusterMarker(state, cluster);
      };
    });
    data.points.forEach(function (point) {
      next["p " + point.kind + " " + point.url] = function () {
        return pointMarker(point);
      };
    });
    Object.keys(state.drawn).forEach(function (key) {
      if (!next[key]) {
        state.layer.removeLayer(state.drawn[key]);
        delete state.drawn[key];
      }
    });
    var first = null;
    Object.keys(next).forEach(function (key) {
      if (!state.drawn[key]) {
        state.drawn[key] = next[key]().addTo(state.layer);
      }
      first = first || state.drawn[key];
    });
    state.element.dataset.markersShown = Object.keys(next).length;
    if (state.refocus) {
      state.refocus = false;
      var target = first && first.getElement();
      (target || state.element).focus();
    }
  }

  // The view's edges, snapped outward to the grid of `zoom`'s cells.
  function snappedArea(map, zoom) {
    var cell = 360 / Math.pow(2, zoom) / TILE_CELLS;
    var bounds = map.getBounds();
    return [
      Math.max(-180, Math.floor(bounds.getWest() / cell) * cell),
      Math.max(-90, Math.floor(bounds.getSouth() / cell) * cell),
      Math.min(180, Math.ceil(bounds.getEast() / cell) * cell),
      Math.min(90, Math.ceil(bounds.getNorth() / cell) * cell)
    ];
  }

  function markersAddress(state) {
    var zoom = Math.round(state.map.getZoom());
    var url = new URL(state.element.dataset.markersUrl, window.location.href);
    url.searchParams.set("bbox", snappedArea(state.map, zoom).join(","));
    url.searchParams.set("zoom", zoom);
    return url.toString();
  }

  function loadMarkers(state, first) {
    var address = markersAddress(state);
    if (address === state.asked) {
      return;
    }
    state.asked = address;
    if (state.request) {
      state.request.abort();
    }
    var request = new AbortController();
    state.request = request;
    state.element.setAttribute("aria-busy", "true");
    // No cookies: the markers are the same for everyone, and an anonymous
    // request is answered from the API's cache.
    fetch(address, {
      credentials: "omit",
      headers: { Accept: "application/json" },
      signal: request.signal
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    }).then(function (data) {
      if (state.request !== request) {
        return;
      }
      state.request = null;
      state.element.removeAttribute("aria-busy");
      if (first && data.extent) {
        // The first view shows where the records are: if that is another
        // view, its own markers are asked for (moveend), not these drawn.
        var box = data.extent;
        var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
        state.points.forEach(function (point) {
          bounds.extend([point.lat, point.lon]);
        });
        fitPlaces(state.map, bounds);
        if (markersAddress(state) !== address) {
          return;
        }
      }
      drawMarkers(state, data);
    }).catch(function () {
      if (state.request === request) {
        // Asked again at the next move; the list beside the map still stands.
        state.request = null;
        state.asked = null;
        state.element.removeAttribute("aria-busy");
      }
    });
  }

  // Without animation: the view is the new one as soon as this returns.
  function fitPlaces(map, bounds) {
    if (bounds.getSouthWest().equals(bounds.getNorthEast())) {
      map.setView(bounds.getCenter(), 8, { animate: false });
    } else {
      // No closer than a region's scale: nearby borders and coasts tell where.
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 8, animate: false });
    }
  }

  function initMap(element) {
    if (element.dataset.ready || typeof L === "undefined") {
      return;
    }
    var source = element.parentNode.querySelector("script.map-points");
    var points = source ? JSON.parse(source.textContent) : [];
    if (!points.length && !element.dataset.markersUrl) {
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
    var area = keepInside(map, element, points);
    points.forEach(function (point) {
      // Under the loaded markers, which it would hide (a region's own place is
      // often where its records cluster).
      pointMarker(point).setZIndexOffset(-1000).addTo(map);
    });
    if (points.length) {
      var bounds = L.latLngBounds(points.map(function (point) {
        return [point.lat, point.lon];
      }));
      fitPlaces(map, bounds);
    } else {
      map.fitBounds(area || [[35, -10], [70, 40]]);
    }
    if (!element.dataset.markersUrl) {
      return;
    }
    var state = {
      element: element,
      map: map,
      points: points,
      layer: L.layerGroup().addTo(map),
      drawn: {},
      asked: null,
      request: null,
      refocus: false
    };
    var timer = null;
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        loadMarkers(state, false);
      }, SETTLE_MS);
    });
    loadMarkers(state, true);
  }

  function initMaps(root) {
    var maps = root.querySelectorAll ? root.querySelectorAll(".map") : [];
    Array.prototype.forEach.call(maps, initMap);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMaps(document);
  });
  // Results replaced by htmx bring a new map, with the new filters' address.
  document.addEventListener("htmx:load", function (event) {
    initMaps(event.detail.elt);
  });
})();
