// Charts of a building dashboard (ECharts, loaded before this module). The data is in a
// json_script element; without script the tables below the charts carry the same figures.
const data = JSON.parse(document.getElementById("cockpit-data").textContent);

function draw(id, option) {
  const element = document.getElementById(id);
  if (!element || !window.echarts) return;
  const chart = window.echarts.init(element);
  chart.setOption(option);
  window.addEventListener("resize", () => chart.resize());
}

draw("tax-chart", {
  tooltip: { trigger: "axis" },
  legend: { bottom: 0 },
  grid: { left: 50, right: 20, top: 20, bottom: 50 },
  xAxis: { type: "category", data: data.years.map(String) },
  yAxis: { type: "value" },
  series: [
    { name: data.labels.reported, type: "bar", data: data.reported },
    { name: data.labels.enterprises, type: "line", data: data.enterprises },
    {
      name: data.labels.threshold,
      type: "line",
      data: data.years.map(() => data.threshold),
      lineStyle: { type: "dashed" },
      symbol: "none",
    },
  ],
});

draw("industry-chart", {
  tooltip: { trigger: "item" },
  series: [{ type: "pie", radius: ["35%", "70%"], data: data.industries }],
});
