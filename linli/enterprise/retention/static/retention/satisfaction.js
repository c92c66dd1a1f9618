// Draws the profile's satisfaction-per-quarter line with ECharts; the table stays as the
// accessible fallback when scripts or the chart library are unavailable.
(function () {
  "use strict";
  function draw() {
    const target = document.getElementById("satisfaction-chart");
    const source = document.getElementById("satisfaction-data");
    if (!target || !source || typeof echarts === "undefined") return;
    const rows = JSON.parse(source.textContent);
    const chart = echarts.init(target);
    chart.setOption({
      grid: { left: 40, right: 16, top: 24, bottom: 32 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rows.map((r) => r.quarter) },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ name: target.dataset.label, type: "line", data: rows.map((r) => r.rate) }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
