/* The map-point widget (dandelion/stations/widgets.py): a Leaflet map that fills the form's
   lat and lng inputs, always in WGS-84. Tiles from Chinese providers are drawn in GCJ-02, so
   the marker is shifted onto them and every click is shifted back (core/coords.js). Without
   Leaflet the map stays hidden and the inputs work alone. */
(function () {
  "use strict";

  var coords = window.DandelionCoords; // dandelion/core/static/core/coords.js

  function init(box) {
    var L = window.L;
    var latInput = document.getElementById(box.dataset.latInput);
    var lngInput = document.getElementById(box.dataset.lngInput);
    if (typeof L === "undefined" || !latInput || !lngInput) return;
    var gcj = box.dataset.tileCoord === "gcj02";
    var toMap = function (p) { return gcj ? coords.wgs84ToGcj02(p[0], p[1]) : p; };
    var fromMap = function (ll) { return gcj ? coords.gcj02ToWgs84(ll.lat, ll.lng) : [ll.lat, ll.lng]; };
    var typed = function () {
      var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      if (!isFinite(lat) || !isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
      return [lat, lng];
    };

    box.hidden = false;
    var fallback = document.querySelector('.map-point__fallback[data-for="' + box.id + '"]');
    if (fallback) fallback.hidden = true;

    var map = L.map(box.querySelector(".map-point__map"));
    if (box.dataset.tileUrl) {
      var options = { maxZoom: 19, attribution: box.dataset.tileAttribution || "" };
      if (box.dataset.tileSubdomains) options.subdomains = box.dataset.tileSubdomains;
      L.tileLayer(box.dataset.tileUrl, options).addTo(map);
    }
    var marker = null;
    function place(point) {
      var onMap = toMap(point);
      if (marker) {
        marker.setLatLng(onMap);
        return;
      }
      marker = L.marker(onMap, { draggable: true }).addTo(map);
      marker.on("dragend", function () { write(fromMap(marker.getLatLng())); });
    }
    function write(point) {
      latInput.value = point[0].toFixed(6);
      lngInput.value = point[1].toFixed(6);
    }

    var start = typed();
    var center = box.dataset.center.split(",").map(Number);
    map.setView(toMap(start || center), start ? 16 : 12);
    if (start) place(start);
    map.on("click", function (event) {
      var point = fromMap(event.latlng);
      write(point);
      place(point);
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var point = typed();
        if (point) {
          place(point);
          map.panTo(toMap(point));
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".map-point").forEach(init);
  });
})();
