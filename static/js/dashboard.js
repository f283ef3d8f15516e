/* The staff dashboard's charts (templates/congress/dashboard.html, docs/dashboard.md).
 *
 * The page carries the data as JSON (json_script "dashboard-charts"; no inline
 * script, the CSP stays as it is) and a table under every chart. This file draws
 * each <div data-chart="key"> with ECharts (static/vendor/echarts); a bar with a
 * link (a child region) opens it. Once a chart is drawn its table folds away
 * (still one tap away, and read by screen readers); without JavaScript, or if
 * ECharts failed to load, the tables stay open and are the dashboard.
 */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var specs = JSON.parse(source.textContent);
  var palette = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a"];
  var drawn = [];

  function option(spec) {
    var ranking = spec.kind === "ranking";
    var categoryAxis = {
      type: "category",
      data: ranking ? spec.rows.slice().reverse() : spec.rows,
      axisLabel: { hideOverlap: true }
    };
    var valueAxis = { type: "value", minInterval: 1 };
    var series = spec.series.map(function (s) {
      return {
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        data: ranking ? s.data.slice().reverse() : s.data,
        smooth: false,
        barMaxWidth: 48,
        label: ranking ? { show: true, position: "right" } : undefined
      };
    });
    return {
      color: palette,
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: spec.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 8, right: ranking ? 40 : 16, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      xAxis: ranking ? valueAxis : categoryAxis,
      yAxis: ranking ? categoryAxis : valueAxis,
      series: series
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var spec = specs[node.getAttribute("data-chart")];
    if (!spec) {
      return;
    }
    node.style.display = "block";
    if (spec.kind === "ranking") {
      // One bar per child region: tall enough to read each name on a phone.
      node.style.height = Math.max(200, 28 * spec.rows.length + 40) + "px";
    }
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    if (spec.links && spec.links.length) {
      chart.on("click", function (params) {
        var index = spec.kind === "ranking" ? spec.rows.length - 1 - params.dataIndex : params.dataIndex;
        var link = spec.links[index];
        if (link) {
          window.location.assign(link);
        }
      });
    }
    drawn.push(chart);
    var table = node.parentNode.querySelector("details.dash-table");
    if (table) {
      table.removeAttribute("open");
    }
  });

  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) {
      chart.resize();
    });
  });
})();
