/* The map-point widget (dandelion/stations/widgets.py): a Leaflet map that fills the form's
   lat and lng inputs, always in WGS-84. Tiles from Chinese providers are drawn in GCJ-02, so
   the marker is shifted onto them and every click is shifted back (same formulas as
   dandelion/core/geo.py). Without Leaflet the map stays hidden and the inputs work alone. */
(function () {
  "use strict";

  var A = 6378245.0;
  var EE = 0.00669342162296594323;

  function outOfChina(lat, lng) {
    return !(lng > 73.66 && lng < 135.05 && lat > 3.86 && lat < 53.55);
  }

  function transformLat(x, y) {
    var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    ret += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    ret += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    ret += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return ret;
  }

  function transformLng(x, y) {
    var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    ret += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    ret += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    ret += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return ret;
  }

  function wgsToGcj(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var dLat = transformLat(lng - 105.0, lat - 35.0);
    var dLng = transformLng(lng - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * Math.PI;
    var magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLng = (dLng * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lat + dLat, lng + dLng];
  }

  function gcjToWgs(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var wLat = lat, wLng = lng;
    for (var i = 0; i < 30; i++) {
      var g = wgsToGcj(wLat, wLng);
      var dLat = g[0] - lat, dLng = g[1] - lng;
      wLat -= dLat;
      wLng -= dLng;
      if (Math.abs(dLat) < 1e-10 && Math.abs(dLng) < 1e-10) break;
    }
    return [wLat, wLng];
  }

  function init(box) {
    var L = window.L;
    var latInput = document.getElementById(box.dataset.latInput);
    var lngInput = document.getElementById(box.dataset.lngInput);
    if (typeof L === "undefined" || !latInput || !lngInput) return;
    var gcj = box.dataset.tileCoord === "gcj02";
    var toMap = function (p) { return gcj ? wgsToGcj(p[0], p[1]) : p; };
    var fromMap = function (ll) { return gcj ? gcjToWgs(ll.lat, ll.lng) : [ll.lat, ll.lng]; };
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
