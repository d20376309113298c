/**
 * The report page's own script (runs in the browser after the inlined chart.js): draws both charts
 * from the embedded JSON without animation, then says so on `window.__chartsReady` and on the
 * root element's `data-charts-ready`, so a headless browser (or `--dump-dom`) can tell they are drawn.
 *
 * Series differ by more than colour: bars by side (before left, after right) and fill (a hatched
 * fill for "not priced"), lines by dash pattern and point marker. A budget is a dashed red line
 * across the whole plot, labelled; where it sits is recorded on `window.__budgetLines`.
 */
export const PAGE_SCRIPT = `(function () {
  "use strict";
  var root = document.documentElement;
  var budgetLines = (window.__budgetLines = []);
  function usd(v) {
    return (v < 0 ? "-$" : "$") + Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function axis(title, budget) {
    var a = { beginAtZero: true, stacked: true, title: { display: true, text: title }, ticks: { callback: function (v) { return usd(v); } } };
    if (budget) a.suggestedMax = budget.amount * 1.08;
    return a;
  }
  function hatch(color) {
    var c = document.createElement("canvas");
    c.width = 8; c.height = 8;
    var g = c.getContext("2d");
    g.fillStyle = "#f8fafc"; g.fillRect(0, 0, 8, 8);
    g.strokeStyle = color; g.lineWidth = 2;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    return g.createPattern(c, "repeat");
  }
  var notPricedLabel = /not priced/;
  var tooltip = { callbacks: { label: function (c) {
    if (notPricedLabel.test(c.dataset.label)) return c.dataset.label + ": cost unknown (not $0)";
    return c.dataset.label + ": " + (c.raw === null ? "not priced" : usd(c.raw));
  } } };
  /** Draws a budget across the plot area as a dashed red line with its label. */
  function budgetPlugin(id, budget) {
    return {
      id: "budgetLine",
      afterDatasetsDraw: function (chart) {
        if (!budget) return;
        var y = chart.scales.y.getPixelForValue(budget.amount);
        var area = chart.chartArea;
        if (y < area.top || y > area.bottom) return;
        var g = chart.ctx;
        g.save();
        g.strokeStyle = "#b91c1c"; g.lineWidth = 2; g.setLineDash([8, 4]);
        g.beginPath(); g.moveTo(area.left, y); g.lineTo(area.right, y); g.stroke();
        g.setLineDash([]);
        g.fillStyle = "#b91c1c"; g.font = "600 12px system-ui, sans-serif"; g.textAlign = "left"; g.textBaseline = "bottom";
        g.fillText(budget.label + " " + usd(budget.amount) + "/mo", area.left + 6, y - 3);
        g.restore();
        budgetLines.push({ chart: id, y: y, left: area.left, right: area.right, amount: budget.amount });
      }
    };
  }
  /** Writes "not priced" over each placeholder bar, so it never reads as a figure. */
  var notPricedText = {
    id: "notPricedText",
    afterDatasetsDraw: function (chart) {
      var g = chart.ctx;
      g.save();
      g.fillStyle = "#0f172a"; g.font = "600 11px system-ui, sans-serif"; g.textAlign = "center"; g.textBaseline = "middle";
      chart.data.datasets.forEach(function (d, i) {
        if (!notPricedLabel.test(d.label)) return;
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          if (d.data[j] === null) return;
          var y = (bar.y + bar.base) / 2;
          var w = g.measureText("not priced").width + 8;
          g.fillStyle = "#ffffff"; g.fillRect(bar.x - w / 2, y - 9, w, 18);
          g.fillStyle = "#0f172a"; g.fillText("not priced", bar.x, y);
        });
      });
      g.restore();
    }
  };
  var MARK_COLOR = { BLOCKED: "#b91c1c", WARNING: "#b45309" };
  try {
    if (typeof Chart !== "function") throw new Error("chart.js did not load");
    var data = JSON.parse(document.getElementById("report-data").textContent);
    Chart.defaults.font.family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";
    var b = data.bars;
    var anyBefore = b.notPricedBefore.some(function (v) { return v !== null; });
    var anyAfter = b.notPricedAfter.some(function (v) { return v !== null; });
    var barSets = [
      { label: "Before", stack: "before", data: b.before, backgroundColor: "#cbd5e1", borderColor: "#475569", borderWidth: 1 },
      { label: "After", stack: "after", data: b.after, backgroundColor: "#2563eb", borderColor: "#1e3a8a", borderWidth: 1 }
    ];
    if (anyBefore) barSets.push({ label: "Before, not priced", stack: "before", data: b.notPricedBefore, backgroundColor: hatch("#64748b"), borderColor: "#334155", borderWidth: 1 });
    if (anyAfter) barSets.push({ label: "After, not priced", stack: "after", data: b.notPricedAfter, backgroundColor: hatch("#1e40af"), borderColor: "#1e3a8a", borderWidth: 1 });
    new Chart(document.getElementById("cost-by-resource"), {
      type: "bar",
      data: {
        labels: b.labels.map(function (name, i) { return b.marks[i] ? [name, b.marks[i]] : name; }),
        datasets: barSets
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          x: { stacked: true, ticks: { color: function (c) { return MARK_COLOR[b.marks[c.index]] || "#334155"; } } },
          y: axis("USD per month (worst case)", b.budget)
        },
        plugins: { tooltip: tooltip }
      },
      plugins: [budgetPlugin("cost-by-resource", b.budget), notPricedText]
    });
    var p = data.projection;
    var line = function (label, values, color, dash, marker) {
      return { label: label, data: values, borderColor: color, backgroundColor: color, borderDash: dash, pointStyle: marker, pointRadius: 4, pointHoverRadius: 6, borderWidth: 2 };
    };
    new Chart(document.getElementById("projection"), {
      type: "line",
      data: {
        labels: p.labels,
        datasets: [
          line("Before, worst case", p.pastWorstCase, "#64748b", [6, 4], "rect"),
          line("Before, baseline", p.pastBaseline, "#94a3b8", [2, 3], "triangle"),
          line("After, worst case", p.newWorstCase, "#dc2626", [], "circle"),
          line("After, baseline", p.newBaseline, "#2563eb", [12, 4, 2, 4], "rectRot")
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: Object.assign(axis("USD per month", p.budget), { stacked: false }) },
        plugins: { tooltip: tooltip, legend: { labels: { usePointStyle: true, pointStyleWidth: 28 } } }
      },
      plugins: [budgetPlugin("projection", p.budget)]
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
