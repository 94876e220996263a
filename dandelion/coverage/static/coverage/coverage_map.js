/*
 * The coverage map of the staff console: communities shaded by the share of their people
 * within reach (red to green), the uncovered H3 cells, the stations, and the suggested sites
 * with their reach and gains. Everything arrives in the page (json_script "coverage-config"),
 * in WGS-84; on GCJ-02 tiles every point is shifted with core/coords.js.
 */
(function (root) {
  "use strict";
  var element = document.getElementById("coverage-map");
  var source = document.getElementById("coverage-config");
  if (!element || !source || !root.L) return;
  var config = JSON.parse(source.textContent);
  var coords = root.DandelionCoords;
  var hasTiles = Boolean(config.tiles.url);
  var shift = hasTiles && config.tiles.coord === "gcj02";
  var text = config.messages;

  function toMap(lat, lng) {
    return shift ? coords.wgs84ToGcj02(lat, lng) : [lat, lng];
  }

  function ring(positions) {
    return positions.map(function (p) {
      return toMap(p[1], p[0]);
    });
  }

  function polygons(geometry) {
    if (geometry.type === "Polygon") return [geometry.coordinates.map(ring)];
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.map(function (poly) {
        return poly.map(ring);
      });
    }
    return [];
  }

  function shareColour(share) {
    if (share === null || share === undefined) return "#9e9e9e";
    var hue = Math.round(120 * Math.max(0, Math.min(1, share))); // 0 red … 120 green
    return "hsl(" + hue + ", 65%, 45%)";
  }

  function escape(value) {
    var div = document.createElement("div");
    div.textContent = value === null || value === undefined ? "" : String(value);
    return div.innerHTML;
  }

  function percent(share) {
    return share === null || share === undefined ? "—" : Math.round(share * 1000) / 10 + "%";
  }

  var center = config.defaultCenter;
  var map = L.map(element, { center: toMap(center[0], center[1]), zoom: 13, attributionControl: hasTiles });
  if (hasTiles) {
    var subdomains = config.tiles.subdomains || "abc";
    if (subdomains.indexOf(",") >= 0) subdomains = subdomains.split(",");
    L.tileLayer(config.tiles.url, { subdomains: subdomains, attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("map_plain");
  }

  var bounds = L.latLngBounds([]);
  config.communities.features.forEach(function (feature) {
    var p = feature.properties;
    var layer = L.polygon(polygons(feature.geometry), {
      color: "#37474f",
      weight: 1,
      fillColor: shareColour(p.share),
      fillOpacity: 0.35,
    }).addTo(map);
    layer.bindTooltip(
      "<strong>" + escape(p.name) + "</strong><br>" + escape(text.share) + " " + percent(p.share) +
        "<br>" + escape(text.covered) + " " + escape(p.covered_population) + " / " + escape(p.population)
    );
    bounds.extend(layer.getBounds());
  });

  config.gaps.features.forEach(function (feature) {
    L.polygon(polygons(feature.geometry), {
      color: "#b71c1c",
      weight: 0.5,
      fillColor: "#b71c1c",
      fillOpacity: 0.45,
      interactive: false,
      className: "coverage-gap",
    }).addTo(map);
  });

  var most = config.demand.reduce(function (m, d) { return Math.max(m, d.count); }, 0);
  config.demand.forEach(function (d) {
    L.polygon(polygons(d.geometry), {
      color: "#6a1b9a",
      weight: 1,
      fillColor: "#8e24aa",
      fillOpacity: 0.15 + 0.5 * (d.count / (most || 1)),
      className: "coverage-demand",
    })
      .bindTooltip(escape(text.searches) + " " + escape(d.count))
      .addTo(map);
  });

  config.stations.forEach(function (s) {
    L.circleMarker(toMap(s[0], s[1]), { radius: 5, color: "#fff", weight: 1.5, fillColor: "#1565c0", fillOpacity: 1 })
      .bindTooltip(escape(text.station) + " · " + escape(s[2]))
      .addTo(map);
  });

  config.sites.forEach(function (site, n) {
    var at = toMap(site.lat, site.lng);
    if (config.reach) {
      L.circle(at, { radius: config.reach, color: "#ff8f00", weight: 1.5, dashArray: "4 4", fill: false, interactive: false }).addTo(map);
    }
    L.marker(at, {
      icon: L.divIcon({ className: "coverage-site", html: String(n + 1), iconSize: [24, 24] }),
      title: site.name,
    })
      .bindPopup(
        "<strong>" + escape(text.site) + " " + (n + 1) + "</strong><br>" + escape(site.name) + "<br>" +
          escape(text.gain) + " " + escape(Math.round(site.gain)) + " · " + escape(text.people) + " " +
          escape(Math.round(site.gain_population))
      )
      .addTo(map);
    bounds.extend(at);
  });

  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
  root.DandelionCoverageMap = map;
})(window);
