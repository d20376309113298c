/**
 * The report page's own script (runs in the browser after the inlined chart.js): draws both charts
 * from the embedded JSON without animation, then says so on `window.__chartsReady` and on the
 * root element's `data-charts-ready`, so a headless browser (or `--dump-dom`) can tell they are drawn.
 */
export const PAGE_SCRIPT = `(function () {
  "use strict";
  var root = document.documentElement;
  function usd(v) {
    return (v < 0 ? "-$" : "$") + Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function axis(title) {
    return { beginAtZero: true, title: { display: true, text: title }, ticks: { callback: function (v) { return usd(v); } } };
  }
  var tooltip = { callbacks: { label: function (c) { return c.dataset.label + ": " + (c.raw === null ? "not priced" : usd(c.raw)); } } };
  try {
    if (typeof Chart !== "function") throw new Error("chart.js did not load");
    var data = JSON.parse(document.getElementById("report-data").textContent);
    Chart.defaults.font.family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";
    new Chart(document.getElementById("cost-by-resource"), {
      type: "bar",
      data: {
        labels: data.bars.labels,
        datasets: [
          { label: "Before", data: data.bars.before, backgroundColor: "#94a3b8" },
          { label: "After", data: data.bars.after, backgroundColor: "#2563eb" }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: axis("USD per month (worst case)") },
        plugins: { tooltip: tooltip }
      }
    });
    var p = data.projection;
    new Chart(document.getElementById("projection"), {
      type: "line",
      data: {
        labels: p.labels,
        datasets: [
          { label: "Before, worst case", data: p.pastWorstCase, borderColor: "#94a3b8", borderDash: [6, 4], pointRadius: 2 },
          { label: "Before, baseline", data: p.pastBaseline, borderColor: "#cbd5e1", borderDash: [2, 3], pointRadius: 2 },
          { label: "After, worst case", data: p.newWorstCase, borderColor: "#dc2626", pointRadius: 2 },
          { label: "After, baseline", data: p.newBaseline, borderColor: "#2563eb", pointRadius: 2 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: axis("USD per month") },
        plugins: { tooltip: tooltip }
      }
    });
    window.__chartsReady = true;
    root.setAttribute("data-charts-ready", "true");
  } catch (error) {
    window.__chartsError = String(error && error.message ? error.message : error);
    root.setAttribute("data-charts-error", window.__chartsError);
    console.error("computeguard report: charts not drawn: " + window.__chartsError);
  }
})();
`;
