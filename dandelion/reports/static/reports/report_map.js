/*
 * A Leaflet map for the report pages, lined up with the tiles' datum.
 *
 * Everything the server says is WGS-84. When the tile layer is drawn in GCJ-02 (Amap, Tencent
 * tiles), points are shifted onto it with core/coords.js and taps are shifted back, as the
 * station map does. With no tile URL the map is a blank background and stays in WGS-84.
 */
(function (root) {
  "use strict";

  function create(element, config, options) {
    var coords = root.DandelionCoords;
    var hasTiles = Boolean(config.tiles.url);
    var shiftToGcj = hasTiles && config.tiles.coord === "gcj02";

    function toMap(lat, lng) {
      return shiftToGcj ? coords.wgs84ToGcj02(lat, lng) : [lat, lng];
    }

    function fromMap(lat, lng) {
      return shiftToGcj ? coords.gcj02ToWgs84(lat, lng) : [lat, lng];
    }

    var center = config.defaultCenter;
    var map = L.map(element, {
      zoomControl: true,
      attributionControl: hasTiles,
      center: toMap(center[0], center[1]),
      zoom: (options && options.zoom) || 15,
    });
    if (hasTiles) {
      var subdomains = config.tiles.subdomains || "abc";
      if (subdomains.indexOf(",") >= 0) subdomains = subdomains.split(",");
      L.tileLayer(config.tiles.url, {
        subdomains: subdomains,
        attribution: config.tiles.attribution,
        maxZoom: 19,
      }).addTo(map);
    } else {
      element.classList.add("map_plain");
    }
    return { map: map, toMap: toMap, fromMap: fromMap };
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  root.DandelionReportMap = { create: create, csrfToken: csrfToken };
})(window);
