/*
 * The station map (/): markers for every station and partner place, the nearest ones in a
 * bottom sheet, amenity chips, "open now" and partner toggles, and "my location" from the
 * browser or, when that is refused or unavailable, from a picked street or a tap on the map.
 *
 * Everything the server says comes from the JSON API in WGS-84. When the tile layer is drawn in
 * GCJ-02 (Amap, Tencent tiles), points are shifted onto it with coords.js and taps shifted back.
 * The list never depends on the tiles: with no tile URL, or tiles that fail, it works the same.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var messages = config.messages;
  var coords = window.DandelionCoords;
  var hasTiles = Boolean(config.tiles.url);
  // With no tiles there is nothing to line up with, so points stay in WGS-84.
  var shiftToGcj = hasTiles && config.tiles.coord === "gcj02";

  var COLORS = { station: "#07c160", stationClosed: "#8fd9b0", partner: "#fa9d3b", me: "#1485ee" };

  var state = {
    origin: null, // {lat, lng} in WGS-84
    source: "pending", // pending | gps | manual | default
    originName: "",
    amenities: [],
    openNow: false,
    partners: true,
    picking: false,
    features: [],
    request: null,
    lastItems: [],
  };

  var page = document.getElementById("map-page");
  var el = {
    map: document.getElementById("map"),
    chips: document.getElementById("amenity-chips"),
    openNow: document.getElementById("open-now"),
    partners: document.getElementById("include-partners"),
    sheet: document.getElementById("sheet"),
    handle: document.getElementById("sheet-handle"),
    count: document.getElementById("result-count"),
    results: document.getElementById("results"),
    loading: document.getElementById("state-loading"),
    empty: document.getElementById("state-empty"),
    error: document.getElementById("state-error"),
    fallback: document.getElementById("geo-fallback"),
    geoReason: document.getElementById("geo-reason"),
    pickHint: document.getElementById("pick-hint"),
    originLabel: document.getElementById("origin-label"),
    notice: document.getElementById("tiles-notice"),
    picker: document.getElementById("picker"),
    filters: document.querySelector(".filters"),
  };

  function format(template, n) {
    return template.replace("%(n)s", n);
  }

  function toMap(lat, lng) {
    return shiftToGcj ? coords.wgs84ToGcj02(lat, lng) : [lat, lng];
  }

  function fromMap(lat, lng) {
    return shiftToGcj ? coords.gcj02ToWgs84(lat, lng) : [lat, lng];
  }

  function cloneTemplate(id) {
    return document.getElementById(id).content.firstElementChild.cloneNode(true);
  }

  function fill(node, slot, text) {
    var target = node.querySelector('[data-slot="' + slot + '"]');
    if (target) target.textContent = text;
    return target;
  }

  function stationUrl(id) {
    return config.stationUrl.replace("{id}", String(id));
  }

  /* ---- the map ---- */

  var center = config.defaultCenter;
  var map = L.map(el.map, {
    zoomControl: false,
    attributionControl: hasTiles,
    center: toMap(center[0], center[1]),
    zoom: 14,
  });
  L.control.zoom({ position: "bottomright" }).addTo(map);

  if (hasTiles) {
    var subdomains = config.tiles.subdomains || "abc";
    if (subdomains.indexOf(",") >= 0) subdomains = subdomains.split(",");
    var tilesLoaded = 0;
    var tiles = L.tileLayer(config.tiles.url, {
      subdomains: subdomains,
      attribution: config.tiles.attribution,
      maxZoom: 18,
    });
    tiles.on("tileload", function () {
      tilesLoaded += 1;
      el.notice.hidden = true;
      el.map.classList.remove("map_plain");
    });
    tiles.on("tileerror", function () {
      if (tilesLoaded === 0) showNotice(messages.tiles_failed);
    });
    tiles.addTo(map);
  }

  function showNotice(text) {
    el.notice.textContent = text;
    el.notice.hidden = false;
  }

  var stationLayer = L.layerGroup().addTo(map);
  var partnerLayer = L.layerGroup().addTo(map);
  var meMarker = null;

  function popupFor(props) {
    var node = cloneTemplate("tpl-popup");
    fill(node, "name", props.name);
    fill(node, "kind", props.kind_label);
    var link = node.querySelector('[data-slot="link"]');
    if (props.type === "station") link.href = stationUrl(props.id);
    else link.remove();
    return node;
  }

  function matchesFilters(props) {
    if (state.openNow && !props.open_now) return false;
    for (var i = 0; i < state.amenities.length; i++) {
      if (props.amenities.indexOf(state.amenities[i]) < 0) return false;
    }
    return true;
  }

  function drawMarkers() {
    stationLayer.clearLayers();
    partnerLayer.clearLayers();
    state.features.forEach(function (feature) {
      var props = feature.properties;
      if (!matchesFilters(props)) return;
      var point = toMap(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
      var isPartner = props.type === "partner";
      var marker = L.circleMarker(point, {
        radius: isPartner ? 7 : 9,
        color: "#ffffff",
        weight: 2,
        fillOpacity: 0.95,
        fillColor: isPartner
          ? COLORS.partner
          : props.open_now
            ? COLORS.station
            : COLORS.stationClosed,
        className: "marker marker_" + props.type,
        bubblingMouseEvents: false,
      });
      marker.feature = feature;
      marker.bindPopup(popupFor(props));
      (isPartner ? partnerLayer : stationLayer).addLayer(marker);
    });
    if (state.partners) partnerLayer.addTo(map);
    else partnerLayer.remove();
  }

  function loadMarkers() {
    fetch(config.api.geojson + "?include_partners=true", { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (collection) {
        state.features = collection.features || [];
        drawMarkers();
      })
      .catch(function () {
        showNotice(messages.markers_failed);
      });
  }

  function placeMe() {
    var point = toMap(state.origin.lat, state.origin.lng);
    if (!meMarker) {
      meMarker = L.circleMarker(point, {
        radius: 9,
        color: "#ffffff",
        weight: 3,
        fillColor: COLORS.me,
        fillOpacity: 1,
        className: "marker marker_me",
        bubblingMouseEvents: false,
      }).bindTooltip(messages.you_are_here, { direction: "top", offset: [0, -8] });
      meMarker.addTo(map);
    } else {
      meMarker.setLatLng(point);
    }
  }

  function visiblePadding() {
    var top = el.filters ? el.filters.getBoundingClientRect().bottom - el.map.getBoundingClientRect().top : 0;
    var bottom = el.map.getBoundingClientRect().bottom - el.sheet.getBoundingClientRect().top;
    return { topLeft: [24, Math.max(24, top + 16)], bottomRight: [24, Math.max(24, bottom + 16)] };
  }

  function frame(items) {
    var points = [toMap(state.origin.lat, state.origin.lng)];
    items.slice(0, 3).forEach(function (item) {
      points.push(toMap(item.lat, item.lng));
    });
    var padding = visiblePadding();
    // The view is fitted into what the filters and the sheet leave uncovered.
    map.fitBounds(L.latLngBounds(points), {
      paddingTopLeft: padding.topLeft,
      paddingBottomRight: padding.bottomRight,
      maxZoom: points.length === 1 ? 15 : 16,
      animate: false,
    });
  }

  map.on("click", function (event) {
    if (!state.picking && state.source === "gps") return;
    var point = fromMap(event.latlng.lat, event.latlng.lng);
    setOrigin({ lat: point[0], lng: point[1] }, "manual", "", { tapped: true });
  });

  /* ---- where "my location" is ---- */

  function setOrigin(origin, source, name, options) {
    var tapped = options && options.tapped;
    state.origin = origin;
    state.source = source;
    state.originName = name || "";
    page.dataset.origin = source;
    if (source === "manual") {
      state.picking = true;
      el.pickHint.hidden = true;
    }
    var label = {
      gps: messages.origin_gps,
      manual: messages.origin_manual,
      default: messages.origin_default,
    }[source];
    el.originLabel.textContent = state.originName || label;
    placeMe();
    if (!tapped) frame([]);
    fetchNearby();
  }

  function locate() {
    if (!navigator.geolocation) {
      geoFailed(messages.geo_unsupported);
      return;
    }
    page.dataset.geo = "pending";
    el.originLabel.textContent = messages.origin_locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        page.dataset.geo = "ok";
        el.fallback.hidden = true;
        el.pickHint.hidden = true;
        state.picking = false;
        setOrigin({ lat: position.coords.latitude, lng: position.coords.longitude }, "gps", "");
      },
      function (error) {
        var reasons = { 1: messages.geo_denied, 2: messages.geo_unavailable, 3: messages.geo_timeout };
        geoFailed(reasons[error.code] || messages.geo_unavailable);
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
    );
  }

  function geoFailed(reason) {
    page.dataset.geo = "failed";
    el.geoReason.textContent = reason;
    el.fallback.hidden = false;
    state.picking = true;
    if (state.origin && state.source !== "gps") {
      el.originLabel.textContent = state.originName || messages.origin_manual;
      return;
    }
    setOrigin({ lat: center[0], lng: center[1] }, "default", "");
  }

  /* ---- the nearest list ---- */

  function showListState(which) {
    el.loading.hidden = which !== "loading";
    el.empty.hidden = which !== "empty";
    el.error.hidden = which !== "error";
    page.dataset.list = which;
  }

  function distanceText(metres) {
    if (metres < 1000) return format(messages.distance_m, Math.round(metres));
    return format(messages.distance_km, (metres / 1000).toFixed(1));
  }

  function renderItem(item) {
    var node = cloneTemplate("tpl-result");
    var isPartner = item.type === "partner";
    node.href = isPartner ? item.navigation.amap : stationUrl(item.id);
    node.dataset.id = String(item.id);
    node.dataset.type = item.type;
    node.classList.add("result_" + item.type);
    fill(node, "name", item.name);
    fill(node, "kind", item.kind_label);
    fill(node, "distance", distanceText(item.distance_m));
    fill(node, "walking", format(messages.walking, item.walking_minutes));
    fill(node, "address", item.address);
    var offer = fill(node, "offer", item.offer || "");
    if (!item.offer) offer.remove();
    var icons = item.amenities
      .map(function (amenity) {
        return amenity.icon + "\u2009" + amenity.name;
      })
      .join("  ");
    fill(node, "amenities", icons);
    node.querySelectorAll("[data-when]").forEach(function (part) {
      var when = part.getAttribute("data-when");
      var keep =
        (when === "open" && item.open_now) ||
        (when === "closed" && !item.open_now) ||
        (when === "partner" && isPartner);
      if (!keep) part.remove();
    });
    return node;
  }

  function render(payload) {
    var items = payload.items || [];
    state.lastItems = items;
    el.results.replaceChildren.apply(el.results, items.map(renderItem));
    el.count.textContent = items.length ? String(items.length) : "";
    showListState(items.length ? "results" : "empty");
    frame(items);
  }

  function nearbyUrl() {
    var params = new URLSearchParams();
    params.set("lat", state.origin.lat.toFixed(6));
    params.set("lng", state.origin.lng.toFixed(6));
    params.set("limit", String(config.nearbyLimit));
    state.amenities.forEach(function (code) {
      params.append("amenity", code);
    });
    if (state.openNow) params.set("open_now", "true");
    if (state.partners) params.set("include_partners", "true");
    return config.api.nearby + "?" + params.toString();
  }

  function fetchNearby() {
    if (!state.origin) return;
    if (state.request) state.request.abort();
    var request = new AbortController();
    state.request = request;
    el.results.replaceChildren();
    el.count.textContent = "";
    showListState("loading");
    fetch(nearbyUrl(), { headers: { Accept: "application/json" }, signal: request.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (payload) {
        if (state.request === request) render(payload);
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        showListState("error");
      });
  }

  /* ---- filters ---- */

  function loadAmenities() {
    fetch(config.api.amenities, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (amenities) {
        el.chips.replaceChildren.apply(
          el.chips,
          amenities.map(function (amenity) {
            var chip = cloneTemplate("tpl-chip");
            chip.dataset.code = amenity.code;
            fill(chip, "icon", amenity.icon);
            fill(chip, "name", amenity.name);
            chip.addEventListener("click", function () {
              toggleAmenity(chip, amenity.code);
            });
            return chip;
          })
        );
      })
      .catch(function () {
        var retry = cloneTemplate("tpl-chip");
        fill(retry, "name", messages.amenities_failed);
        retry.classList.add("chip_retry");
        retry.addEventListener("click", loadAmenities);
        el.chips.replaceChildren(retry);
      });
  }

  function toggleAmenity(chip, code) {
    var on = chip.getAttribute("aria-pressed") !== "true";
    chip.setAttribute("aria-pressed", on ? "true" : "false");
    state.amenities = on
      ? state.amenities.concat([code])
      : state.amenities.filter(function (c) {
          return c !== code;
        });
    drawMarkers();
    fetchNearby();
  }

  el.openNow.addEventListener("change", function () {
    state.openNow = el.openNow.checked;
    drawMarkers();
    fetchNearby();
  });

  el.partners.addEventListener("change", function () {
    state.partners = el.partners.checked;
    drawMarkers();
    fetchNearby();
  });

  /* ---- sheet, tab bar and the location picker ---- */

  function setSheet(size) {
    el.sheet.dataset.size = size;
    el.handle.setAttribute("aria-expanded", size === "full" ? "true" : "false");
    document.querySelectorAll(".tabbar [data-tab]").forEach(function (tab) {
      var on = tab.getAttribute("data-tab") === (size === "full" ? "list" : "map");
      tab.classList.toggle("weui-bar__item_on", on);
    });
  }

  function openPicker() {
    el.picker.hidden = false;
  }

  function closePicker() {
    el.picker.hidden = true;
  }

  var actions = {
    "toggle-sheet": function () {
      setSheet(el.sheet.dataset.size === "full" ? "peek" : "full");
    },
    "show-map": function () {
      setSheet("peek");
    },
    "show-list": function () {
      setSheet("full");
    },
    "open-picker": openPicker,
    "close-picker": closePicker,
    "pick-on-map": function () {
      closePicker();
      setSheet("peek");
      state.picking = true;
      el.pickHint.hidden = false;
    },
    locate: function () {
      closePicker();
      locate();
    },
    retry: fetchNearby,
    "choose-region": function (target) {
      closePicker();
      setSheet("peek");
      setOrigin(
        { lat: parseFloat(target.dataset.lat), lng: parseFloat(target.dataset.lng) },
        "manual",
        target.dataset.name
      );
    },
  };

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || !actions[target.dataset.action]) return;
    event.preventDefault();
    actions[target.dataset.action](target);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !el.picker.hidden) closePicker();
  });

  // For the browser tests and for debugging in a WeChat web-view's console.
  window.dandelionMap = { map: map, state: state, toMap: toMap, fromMap: fromMap };

  loadAmenities();
  loadMarkers();
  locate();
})();
