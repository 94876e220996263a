/*
 * WGS-84 <-> GCJ-02, the same algorithm as dandelion/core/geo.py (keep the two in step).
 *
 * Stored coordinates and the API are WGS-84; Chinese tile providers draw in GCJ-02, so markers
 * are shifted onto such tiles and taps on them are shifted back before asking the API.
 * Outside mainland China's rough rectangle no offset applies. GCJ-02 -> WGS-84 has no closed
 * form and is solved by fixed-point iteration, as in Python.
 */
(function (root) {
  "use strict";

  var A = 6378245.0; // Krasovsky 1940 semi-major axis
  var EE = 0.00669342162296594323;
  var PI = Math.PI;

  function outOfChina(lat, lng) {
    return !(lng > 73.66 && lng < 135.05 && lat > 3.86 && lat < 53.55);
  }

  function transformLat(x, y) {
    var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
    ret += ((20.0 * Math.sin(y * PI) + 40.0 * Math.sin((y / 3.0) * PI)) * 2.0) / 3.0;
    ret += ((160.0 * Math.sin((y / 12.0) * PI) + 320 * Math.sin((y * PI) / 30.0)) * 2.0) / 3.0;
    return ret;
  }

  function transformLng(x, y) {
    var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
    ret += ((20.0 * Math.sin(x * PI) + 40.0 * Math.sin((x / 3.0) * PI)) * 2.0) / 3.0;
    ret += ((150.0 * Math.sin((x / 12.0) * PI) + 300.0 * Math.sin((x / 30.0) * PI)) * 2.0) / 3.0;
    return ret;
  }

  function gcjOffset(lat, lng) {
    var dlat = transformLat(lng - 105.0, lat - 35.0);
    var dlng = transformLng(lng - 105.0, lat - 35.0);
    var radlat = (lat / 180.0) * PI;
    var magic = 1 - EE * Math.pow(Math.sin(radlat), 2);
    var sqrtmagic = Math.sqrt(magic);
    dlat = (dlat * 180.0) / (((A * (1 - EE)) / (magic * sqrtmagic)) * PI);
    dlng = (dlng * 180.0) / ((A / sqrtmagic) * Math.cos(radlat) * PI);
    return [dlat, dlng];
  }

  /** [lat, lng] in GCJ-02 for a WGS-84 point. */
  function wgs84ToGcj02(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var d = gcjOffset(lat, lng);
    return [lat + d[0], lng + d[1]];
  }

  /** [lat, lng] in WGS-84 for a GCJ-02 point, by iteration to well under a centimetre. */
  function gcj02ToWgs84(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var wlat = lat;
    var wlng = lng;
    for (var i = 0; i < 30; i++) {
      var g = wgs84ToGcj02(wlat, wlng);
      var dlat = g[0] - lat;
      var dlng = g[1] - lng;
      wlat -= dlat;
      wlng -= dlng;
      if (Math.abs(dlat) < 1e-10 && Math.abs(dlng) < 1e-10) break;
    }
    return [wlat, wlng];
  }

  root.DandelionCoords = {
    outOfChina: outOfChina,
    wgs84ToGcj02: wgs84ToGcj02,
    gcj02ToWgs84: gcj02ToWgs84,
  };
})(window);
