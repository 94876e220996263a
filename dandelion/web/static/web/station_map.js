/*
 * The station page's small map: the station's spot, with the configured tiles (shifted to
 * GCJ-02 where the tiles are drawn in it), or on the quiet grid when none are configured or
 * they fail. Static: no dragging or zooming by touch, so the page scrolls past it.
 */
(function () {
  "use strict";
  var el = document.getElementById("station-map");
  var configEl = document.getElementById("station-map-config");
  if (!el || !configEl || !window.L) return;
  var config = JSON.parse(configEl.textContent);
  var tiles = config.tiles || {};
  var shift = tiles.url && tiles.coord === "gcj02" && window.DandelionCoords;
  var point = shift
    ? window.DandelionCoords.wgs84ToGcj02(config.lat, config.lng)
    : [config.lat, config.lng];
  var map = L.map(el, {
    center: point,
    zoom: 16,
    zoomControl: false,
    dragging: false,
    touchZoom: false,
    scrollWheelZoom: false,
    doubleClickZoom: false,
    boxZoom: false,
    keyboard: false,
    attributionControl: Boolean(tiles.url),
  });
  if (tiles.url) {
    var subdomains = tiles.subdomains || "abc";
    if (subdomains.indexOf(",") >= 0) subdomains = subdomains.split(",");
    var loaded = 0;
    var errors = 0;
    var layers = [];
    [tiles.url, tiles.labelsUrl].forEach(function (url) {
      if (!url) return;
      var layer = L.tileLayer(url, {
        subdomains: subdomains,
        attribution: layers.length ? "" : tiles.attribution,
        maxZoom: tiles.maxZoom || 18,
      });
      layer.on("tileload", function () {
        loaded += 1;
        el.classList.remove("map_plain");
        el.dataset.tiles = "loaded";
      });
      layer.on("tileerror", function () {
        errors += 1;
        if (loaded === 0 && errors >= 4) {
          layers.forEach(function (l) {
            l.off();
            map.removeLayer(l);
          });
          el.classList.add("map_plain");
          el.dataset.tiles = "failed";
        }
      });
      layer.addTo(map);
      layers.push(layer);
    });
  }
  L.circleMarker(point, {
    radius: 9,
    color: "#fff",
    weight: 3,
    fillColor: "#07c160",
    fillOpacity: 1,
  })
    .addTo(map)
    .bindTooltip(config.name, { permanent: true, direction: "top", offset: [0, -10] });
  el.dataset.ready = "true";
})();
