// A map beside a record's latitude and longitude boxes in the admin: a click or
// a dragged marker fills them in, and typing in them moves the marker. The boxes
// stay the way to enter a place by keyboard; without tiles the map still shows
// the marker.
"use strict";
(function () {
  var EUROPE = [50.5, 12.0];
  var DIGITS = 6;

  function number(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function setUp(latInput) {
    var form = latInput.form;
    var lonName = latInput.name.replace(/latitude$/, "longitude");
    var lonInput = form && form.elements.namedItem(lonName);
    if (!lonInput || typeof L === "undefined" || latInput.dataset.mapReady) {
      return;
    }
    latInput.dataset.mapReady = "true";
    var row = latInput.closest(".form-row") || latInput.parentNode;
    var box = document.createElement("div");
    box.className = "map-picker";
    var help = document.createElement("p");
    help.className = "help map-picker-help";
    help.id = latInput.id + "_map_help";
    help.textContent = latInput.dataset.mapHelp || "";
    var canvas = document.createElement("div");
    canvas.className = "map-picker-map";
    canvas.style.height = "320px";
    canvas.style.maxWidth = "640px";
    canvas.style.background = "#dfe7ec";
    canvas.setAttribute("aria-label", latInput.dataset.mapLabel || "");
    canvas.setAttribute("aria-describedby", help.id);
    box.appendChild(help);
    box.appendChild(canvas);
    row.parentNode.insertBefore(box, row.nextSibling);

    var map = L.map(canvas, { scrollWheelZoom: false });
    if (latInput.dataset.tileUrl) {
      L.tileLayer(latInput.dataset.tileUrl, {
        attribution: latInput.dataset.tileAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }
    var marker = null;

    function place(lat, lon) {
      if (marker) {
        marker.setLatLng([lat, lon]);
        return;
      }
      marker = L.marker([lat, lon], { draggable: true, keyboard: false }).addTo(map);
      marker.on("dragend", function () {
        fill(marker.getLatLng());
      });
    }

    function fill(latlng) {
      var wrapped = latlng.wrap();
      latInput.value = wrapped.lat.toFixed(DIGITS);
      lonInput.value = wrapped.lng.toFixed(DIGITS);
      [latInput, lonInput].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    var lat = number(latInput);
    var lon = number(lonInput);
    if (lat !== null && lon !== null) {
      place(lat, lon);
      map.setView([lat, lon], 9);
    } else {
      map.setView(EUROPE, 4);
    }
    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng);
      fill(event.latlng);
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var newLat = number(latInput);
        var newLon = number(lonInput);
        if (newLat === null || newLon === null) {
          return;
        }
        if (Math.abs(newLat) <= 90 && Math.abs(newLon) <= 180) {
          place(newLat, newLon);
          map.panTo([newLat, newLon]);
        }
      });
    });
  }

  window.addEventListener("load", function () {
    document
      .querySelectorAll('input[data-map-picker="latitude"]')
      .forEach(setUp);
  });
})();
