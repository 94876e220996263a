/* The figures dashboard's charts (Apache ECharts): the monthly trend, the child regions (click a
   bar to drill down) and the report categories. The numbers come from the page's own JSON, the
   same the tables print. */
(function () {
  "use strict";
  var source = document.getElementById("figures-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = {};
  data.metrics.forEach(function (m) { labels[m.key] = m.label; });
  var charts = [];
  var BRAND = "#07c160";

  function make(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    charts.push(chart);
    return chart;
  }

  var trend = make("chart-trend");
  if (trend) {
    var shown = { visits: true, needs_submitted: true, reports_submitted: true };
    var selected = {};
    data.metrics.forEach(function (m) { selected[m.label] = !!shown[m.key]; });
    trend.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0, selected: selected },
      grid: { left: 48, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.series.months },
      yAxis: { type: "value" },
      series: data.metrics.map(function (m) {
        return { name: m.label, type: "line", smooth: false, symbolSize: 6, data: data.series.values[m.key] };
      })
    });
  }

  var regions = make("chart-regions");
  var metric = document.getElementById("region-metric");
  function drawRegions() {
    if (!regions) { return; }
    var key = metric ? metric.value : "visits";
    regions.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: data.regions.map(function (r) { return r.name; }), axisLabel: { interval: 0, rotate: data.regions.length > 8 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{ name: labels[key], type: "bar", itemStyle: { color: BRAND }, cursor: "pointer", data: data.regions.map(function (r) { return r.values[key]; }) }]
    }, true);
  }
  if (regions) {
    drawRegions();
    regions.on("click", function (params) {
      var region = data.regions[params.dataIndex];
      if (region) { window.location.href = region.url; }
    });
    if (metric) { metric.addEventListener("change", drawRegions); }
  }

  var categories = make("chart-categories");
  if (categories) {
    var rows = data.categories.slice().sort(function (a, b) { return a.value - b.value; });
    categories.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 96, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [{ type: "bar", itemStyle: { color: "#576b95" }, data: rows.map(function (r) { return r.value; }) }]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
