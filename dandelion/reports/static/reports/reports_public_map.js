/*
 * The public map of reports: markers for the reports inside the visible box (WGS-84 from the
 * API, shifted onto GCJ-02 tiles when needed), filtered by category and open/closed, with the
 * same reports listed under the map. No reporter is ever in the data.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("report-config").textContent);
  var messages = config.messages;
  var OPEN = ["for_triage", "open", "investigating", "action_scheduled", "in_progress", "reopen"];
  var CLOSED = ["fixed", "closed", "duplicate", "no_further_action", "internal_referral"];
  var el = {
    map: document.getElementById("reports-map"),
    category: document.getElementById("filter-category"),
    state: document.getElementById("filter-state"),
    count: document.getElementById("report-count"),
    list: document.getElementById("report-list"),
  };
  var view = window.DandelionReportMap.create(el.map, config, { zoom: 14 });
  var layer = L.layerGroup().addTo(view.map);
  var request = null;

  function detailUrl(id) {
    return config.detailUrl.replace("/0/", "/" + id + "/");
  }

  function bbox() {
    var bounds = view.map.getBounds();
    var sw = view.fromMap(bounds.getSouth(), bounds.getWest());
    var ne = view.fromMap(bounds.getNorth(), bounds.getEast());
    return [sw[1], sw[0], ne[1], ne[0]].map(function (n) { return n.toFixed(6); }).join(",");
  }

  // The first view shows every report the filters find (the city's, most recent 100), framed
  // to fit them; from then on the map's visible box is what is listed.
  var framed = false;

  function load() {
    var query = new URLSearchParams({ page_size: "100" });
    if (framed) query.append("bbox", bbox());
    if (el.category.value) query.append("category", el.category.value);
    var statuses = el.state.value === "open" ? OPEN : el.state.value === "closed" ? CLOSED : [];
    statuses.forEach(function (s) { query.append("status", s); });
    if (request) request.abort();
    request = new AbortController();
    fetch(config.api.reports + "?" + query.toString(), { signal: request.signal })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(render)
      .catch(function (error) {
        if (error.name !== "AbortError") el.count.textContent = messages.load_failed;
      });
  }

  function frame(page) {
    framed = true;
    var points = page.items.map(function (item) { return view.toMap(item.lat, item.lng); });
    if (!points.length) return false;
    view.map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
    return true;
  }

  function render(page) {
    if (!framed) frame(page); // fitting moves the map; the move then loads the box it shows
    layer.clearLayers();
    el.list.textContent = "";
    el.count.textContent = page.count ? messages.count.replace("%(n)s", page.count) : messages.none;
    page.items.forEach(function (item) {
      var closed = item.open311_status === "closed";
      var marker = L.circleMarker(view.toMap(item.lat, item.lng), {
        radius: 8,
        color: "#fff",
        weight: 2,
        fillColor: closed ? "#07c160" : "#fa9d3b",
        fillOpacity: 0.95,
      });
      var link = document.createElement("a");
      link.href = detailUrl(item.id);
      link.textContent = item.category.name + " · " + item.status_label;
      marker.bindPopup(link);
      marker.addTo(layer);

      var row = document.getElementById("tpl-report-row").content.firstElementChild.cloneNode(true);
      row.querySelector('[data-slot="link"]').href = detailUrl(item.id);
      var status = row.querySelector('[data-slot="status"]');
      status.textContent = item.status_label;
      status.classList.add("report-status_" + item.open311_status);
      row.querySelector('[data-slot="title"]').textContent = item.category.name;
      row.querySelector('[data-slot="meta"]').textContent = item.address || item.region.name;
      el.list.appendChild(row);
    });
  }

  view.map.on("moveend", load);
  el.category.addEventListener("change", load);
  el.state.addEventListener("change", load);
  load();
})();
