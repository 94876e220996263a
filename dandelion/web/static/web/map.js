/*
 * The station map (/): the nearest places in a bottom sheet (one request: the nearby API), the
 * places in view on the map (GeoJSON by the visible box, loaded again only when the view leaves
 * what was loaded; clustered when zoomed out), a card for a tapped marker (distance, open now,
 * stars, walking and riding time, a navigate button that opens the map app with a route),
 * amenity chips, "open now" and partner toggles, and "my location" from the browser or, when
 * that is refused or unavailable, from a picked street or a tap on the map.
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
    features: {}, // by feature id ("station-12"), from every box loaded so far
    loadedBox: null, // [min_lng, min_lat, max_lng, max_lat] in WGS-84
    boxRequest: null,
    request: null,
    lastItems: [],
    details: {}, // place payloads (with navigation links) by feature id
    card: null, // the feature the card shows
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
    card: document.getElementById("place-card"),
    navSheet: document.getElementById("nav-sheet"),
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
    // Clustering needs the map's own bounds when there is no tile layer to give them.
    minZoom: 3,
    maxZoom: config.tiles.maxZoom || 18,
  });
  L.control
    .zoom({ position: "bottomright", zoomInTitle: messages.zoom_in, zoomOutTitle: messages.zoom_out })
    .addTo(map);

  // "Locate me" sits with the zoom buttons, above them.
  var LocateControl = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var button = document.querySelector(".map-locate");
      var box = L.DomUtil.create("div", "leaflet-bar leaflet-control map-locate-control");
      box.appendChild(button);
      L.DomEvent.disableClickPropagation(box);
      return box;
    },
  });
  new LocateControl().addTo(map);

  var tileLayers = [];
  if (hasTiles) {
    var subdomains = config.tiles.subdomains || "abc";
    if (subdomains.indexOf(",") >= 0) subdomains = subdomains.split(",");
    var tilesLoaded = 0;
    var tileErrors = 0;
    [config.tiles.url, config.tiles.labelsUrl].forEach(function (url) {
      if (!url) return;
      var layer = L.tileLayer(url, {
        subdomains: subdomains,
        attribution: tileLayers.length ? "" : config.tiles.attribution,
        maxZoom: config.tiles.maxZoom || 18,
      });
      layer.on("tileload", function () {
        tilesLoaded += 1;
        el.map.classList.remove("map_plain");
        page.dataset.tiles = "loaded";
      });
      layer.on("tileerror", function () {
        tileErrors += 1;
        // Tiles that never load (offline, blocked, a wrong key): the blank grid shows through,
        // and the page says so once.
        if (tilesLoaded === 0 && tileErrors >= 4 && page.dataset.tiles !== "failed") {
          page.dataset.tiles = "failed";
          showNotice(messages.tiles_failed, true);
          el.map.classList.add("map_plain");
          // Hidden, not taken off the map: a refused port fails tiles inside the layer's own
          // update, and removing the layer then breaks Leaflet midway (and the page with it).
          tileLayers.forEach(function (l) {
            l.off("tileerror");
            l.setOpacity(0);
          });
        }
      });
      layer.addTo(map);
      tileLayers.push(layer);
    });
    page.dataset.tiles = "loading";
  } else {
    page.dataset.tiles = "none";
  }

  // A sticky notice (the tiles failed) stays; the others (zoom in, too many) give way to it.
  function showNotice(text, sticky) {
    if (el.notice.dataset.sticky && !sticky) return;
    el.notice.textContent = text;
    el.notice.hidden = false;
    if (sticky) el.notice.dataset.sticky = "true";
  }

  function hideNotice() {
    if (!el.notice.dataset.sticky) el.notice.hidden = true;
  }

  // Clusters when zoomed out; every place on its own from street level (zoom 15) on.
  var cluster = L.markerClusterGroup({
    maxClusterRadius: 40,
    disableClusteringAtZoom: 15,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: false,
    chunkedLoading: true,
    iconCreateFunction: function (group) {
      var n = group.getChildCount();
      var size = n < 10 ? "s" : n < 100 ? "m" : "l";
      return L.divIcon({
        html: "<span>" + n + "</span>",
        className: "cluster cluster_" + size,
        iconSize: L.point(36, 36),
      });
    },
  }).addTo(map);
  var meMarker = null;

  function matchesFilters(props) {
    if (!state.partners && props.type === "partner") return false;
    if (state.openNow && !props.open_now) return false;
    for (var i = 0; i < state.amenities.length; i++) {
      if (props.amenities.indexOf(state.amenities[i]) < 0) return false;
    }
    return true;
  }

  function markerFor(feature) {
    var props = feature.properties;
    var point = toMap(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    var isPartner = props.type === "partner";
    var marker = L.circleMarker(point, {
      radius: isPartner ? 7 : 9,
      color: "#ffffff",
      weight: 2,
      fillOpacity: 0.95,
      fillColor: isPartner ? COLORS.partner : props.open_now ? COLORS.station : COLORS.stationClosed,
      className: "marker marker_" + props.type,
      bubblingMouseEvents: false,
    });
    marker.feature = feature;
    marker.on("click", function () {
      openCard(feature);
      highlight(marker);
      keepAboveCard(marker);
    });
    return marker;
  }

  function drawMarkers() {
    var markers = [];
    Object.keys(state.features).forEach(function (id) {
      var feature = state.features[id];
      if (matchesFilters(feature.properties)) markers.push(markerFor(feature));
    });
    highlighted = null;
    cluster.clearLayers();
    cluster.addLayers(markers);
    markers.forEach(function (marker) {
      if (state.card && marker.feature.id === state.card.id) highlight(marker);
    });
  }

  function addFeatures(features) {
    features.forEach(function (feature) {
      state.features[feature.id] = feature;
    });
    drawMarkers();
  }

  /* ---- loading the places in view ---- */

  function boxOf(bounds) {
    var sw = fromMap(bounds.getSouth(), bounds.getWest());
    var ne = fromMap(bounds.getNorth(), bounds.getEast());
    return [sw[1], sw[0], ne[1], ne[0]];
  }

  function boxContains(outer, inner) {
    return (
      outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3]
    );
  }

  function loadView() {
    if (map.getZoom() < config.minLoadZoom) {
      showNotice(messages.zoom_in_to_load);
      return;
    }
    hideNotice();
    var visible = boxOf(map.getBounds());
    if (state.loadedBox && boxContains(state.loadedBox, visible)) return;
    // A margin around the view, so small pans need nothing new.
    var box = boxOf(map.getBounds().pad(0.5));
    if (state.boxRequest) state.boxRequest.abort();
    var request = new AbortController();
    state.boxRequest = request;
    var params = new URLSearchParams();
    params.set("bbox", box.map(function (v) { return v.toFixed(5); }).join(","));
    params.set("include_partners", "true");
    fetch(config.api.geojson + "?" + params.toString(), {
      headers: { Accept: "application/geo+json" },
      signal: request.signal,
    })
      .then(function (response) {
        if (response.status === 422) throw new Error("too_many");
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (collection) {
        if (state.boxRequest !== request) return;
        state.loadedBox = box;
        page.dataset.loadedBox = box.join(",");
        hideNotice();
        addFeatures(collection.features || []);
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        showNotice(error.message === "too_many" ? messages.too_many : messages.markers_failed);
      });
  }

  var loadTimer = null;
  map.on("moveend", function () {
    window.clearTimeout(loadTimer);
    loadTimer = window.setTimeout(loadView, 150);
  });

  /* ---- the card of a tapped place ---- */

  function travelTexts(metres) {
    var walking = format(messages.walking, Math.max(1, Math.ceil(metres / 80)));
    var travel = messages.travel
      ? format(messages.travel, Math.max(1, Math.ceil(metres / config.speedMPerMin)))
      : "";
    return { walking: walking, travel: travel };
  }

  function toRad(d) {
    return (d * Math.PI) / 180;
  }

  function haversine(lat1, lng1, lat2, lng2) {
    var dp = toRad(lat2 - lat1);
    var dl = toRad(lng2 - lng1);
    var a =
      Math.sin(dp / 2) * Math.sin(dp / 2) +
      Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function show(node, on) {
    node.hidden = !on;
  }

  function fillCard(feature, detail) {
    var props = feature.properties;
    var card = el.card;
    var lat = feature.geometry.coordinates[1];
    var lng = feature.geometry.coordinates[0];
    fill(card, "name", props.name);
    fill(card, "kind", props.kind_label);
    fill(card, "address", props.address || "");
    show(card.querySelector('[data-slot="open"]'), props.open_now);
    show(card.querySelector('[data-slot="closed"]'), !props.open_now);
    var stars = (detail && detail.stars) || props.stars || 0;
    var starNode = fill(card, "stars", stars > 0 ? "★".repeat(stars) : "");
    starNode.setAttribute("aria-label", format(messages.stars, stars));
    starNode.title = format(messages.stars, stars);
    show(starNode, stars > 0);
    var offer = (detail && detail.offer) || "";
    show(fill(card, "offer", offer), Boolean(offer));
    if (state.origin) {
      var metres = haversine(state.origin.lat, state.origin.lng, lat, lng);
      var times = travelTexts(metres);
      fill(card, "distance", distanceText(metres));
      fill(card, "walking", times.walking);
      fill(card, "travel", times.travel ? " · " + times.travel : "");
    }
    var details = card.querySelector('[data-slot="details"]');
    if (props.type === "station") {
      details.href = stationUrl(props.id);
      details.hidden = false;
    } else {
      details.removeAttribute("href");
      details.hidden = true;
    }
    var navigate = card.querySelector('[data-action="open-navigation"]');
    navigate.disabled = !(detail && detail.navigation);
  }

  function detailFromNearby(feature) {
    for (var i = 0; i < state.lastItems.length; i++) {
      var item = state.lastItems[i];
      if (item.type + "-" + item.id === feature.id) return item;
    }
    return null;
  }

  function openCard(feature) {
    state.card = feature;
    page.dataset.card = feature.id;
    // The nearest list's links plan a ride; a driver or walker asks for the place's own.
    var detail =
      state.details[feature.id] || (config.routeMode === "ride" ? detailFromNearby(feature) : null);
    fillCard(feature, detail);
    el.card.hidden = false;
    if (detail) {
      state.details[feature.id] = detail;
      return;
    }
    var props = feature.properties;
    var url = (props.type === "station" ? config.api.station : config.api.partner).replace(
      "{id}",
      String(props.id)
    );
    url += "?mode=" + encodeURIComponent(config.routeMode);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (payload) {
        state.details[feature.id] = payload;
        if (state.card === feature) fillCard(feature, payload);
      })
      .catch(function () {
        /* the card still shows what the map knew; navigation stays off */
      });
  }

  var highlighted = null;

  function highlight(marker) {
    unhighlight();
    highlighted = marker;
    marker.setStyle({ color: "#1a1a1a", weight: 3 }).setRadius(marker.getRadius() + 3);
  }

  function unhighlight() {
    if (!highlighted) return;
    highlighted.setStyle({ color: "#ffffff", weight: 2 }).setRadius(highlighted.getRadius() - 3);
    highlighted = null;
  }

  // The card covers the lower part of the map: a tapped marker under it is panned into view.
  function keepAboveCard(marker) {
    var point = map.latLngToContainerPoint(marker.getLatLng());
    var mapTop = el.map.getBoundingClientRect().top;
    var cardTop = el.card.getBoundingClientRect().top - mapTop;
    var filtersBottom = el.filters ? el.filters.getBoundingClientRect().bottom - mapTop : 0;
    if (point.y <= cardTop - 24) return;
    var target = Math.max(filtersBottom + 24, (filtersBottom + cardTop) / 2);
    map.panBy([0, point.y - target], { animate: false });
  }

  function closeCard() {
    unhighlight();
    el.card.hidden = true;
    state.card = null;
    delete page.dataset.card;
  }

  function openNavigation() {
    var detail = state.card && state.details[state.card.id];
    if (!detail || !detail.navigation) return;
    var links = detail.navigation;
    el.navSheet.querySelectorAll("[data-provider]").forEach(function (link) {
      var provider = link.dataset.provider;
      link.href = links[provider];
      link.dataset.app = links[provider + "_app"] || "";
      if (links[provider + "_ios"]) link.dataset.appIos = links[provider + "_ios"];
    });
    el.navSheet.hidden = false;
  }

  function closeNavigation() {
    el.navSheet.hidden = true;
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
    closeCard();
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
    if (isPartner) {
      // A partner place has no page of its own: its row navigates, in the app when there is one.
      node.dataset.app = item.navigation.amap_app;
      node.dataset.appIos = item.navigation.amap_ios;
    }
    node.dataset.id = String(item.id);
    node.dataset.type = item.type;
    node.classList.add("result_" + item.type);
    fill(node, "name", item.name);
    fill(node, "kind", item.kind_label);
    fill(node, "distance", distanceText(item.distance_m));
    fill(node, "walking", format(messages.walking, item.walking_minutes));
    var travel = messages.travel
      ? format(
          messages.travel,
          config.vehicle === "e_bike"
            ? item.riding_minutes
            : Math.max(1, Math.ceil(item.distance_m / config.speedMPerMin))
        )
      : "";
    fill(node, "travel", travel ? " · " + travel : "");
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

  function featureOf(item) {
    return {
      type: "Feature",
      id: item.type + "-" + item.id,
      geometry: { type: "Point", coordinates: [item.lng, item.lat] },
      properties: {
        id: item.id,
        type: item.type,
        name: item.name,
        kind: item.kind,
        kind_label: item.kind_label,
        address: item.address,
        is_24h: item.is_24h,
        open_now: item.open_now,
        stars: item.stars || 0,
        amenities: item.amenities.map(function (a) {
          return a.code;
        }),
      },
    };
  }

  function render(payload) {
    var items = payload.items || [];
    state.lastItems = items;
    // The nearest places are on the map at once, before the box around them has loaded.
    addFeatures(items.map(featureOf));
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

  function showAmenities() {
    el.chips.replaceChildren.apply(
      el.chips,
      config.amenities.map(function (amenity) {
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
    if (size === "full") closeCard();
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
    "close-card": closeCard,
    "open-navigation": openNavigation,
    "close-navigation": closeNavigation,
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
    if (event.key !== "Escape") return;
    if (!el.navSheet.hidden) closeNavigation();
    else if (!el.picker.hidden) closePicker();
    else if (!el.card.hidden) closeCard();
  });

  // For the browser tests and for debugging in a WeChat web-view's console.
  window.dandelionMap = {
    map: map,
    cluster: cluster,
    state: state,
    toMap: toMap,
    fromMap: fromMap,
    openCard: openCard,
  };

  showAmenities();
  locate();
})();
