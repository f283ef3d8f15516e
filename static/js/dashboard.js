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
  var bars = [];

  // ECharts' own size of axis labels, in px (window.congressCharts.axisLabels).
  var LABEL_SIZE = 12;

  function option(spec, width) {
    var ranking = spec.kind === "ranking";
    var categoryAxis = {
      type: "category",
      data: ranking ? spec.rows.slice().reverse() : spec.rows,
      axisLabel: window.congressCharts.axisLabels(spec, width, LABEL_SIZE)
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

  function foldTable(node) {
    var table = node.parentNode.querySelector("details.dash-table");
    if (table) {
      table.removeAttribute("open");
    }
  }

  // The map of the child regions (docs/dashboard.md, "下级区划地图"): its geometry is
  // fetched from the same origin (geo_url), each area keyed by its region's id
  // (geo_keys). The last series is the value the areas are coloured by, the first the
  // count; the tooltip shows every column of the row, as the table does.
  function drawMap(node, key, spec) {
    var keys = spec.geo_keys || [];
    var valueSeries = spec.series[spec.series.length - 1];
    var names = {};
    var rowOf = {};
    keys.forEach(function (k, i) {
      names[k] = spec.rows[i];
      rowOf[k] = i;
    });
    var encode = window.echarts.format.encodeHTML;
    var highest = 0;
    valueSeries.data.forEach(function (v) {
      if (v !== null && v > highest) {
        highest = v;
      }
    });
    window.fetch(spec.geo_url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map geometry: " + response.status);
        }
        return response.json();
      })
      .then(function (geojson) {
        var mapName = "dashboard-" + key;
        window.echarts.registerMap(mapName, geojson);
        node.style.display = "block";
        // On a phone the legend lies under the map, not over its left-hand areas.
        var narrow = window.innerWidth < 576;
        node.style.height = (narrow ? 380 : 420) + "px";
        var chart = window.echarts.init(node, null, { renderer: "canvas" });
        chart.setOption({
          animation: false,
          tooltip: {
            trigger: "item",
            confine: true,
            formatter: function (params) {
              var i = rowOf[params.name];
              if (i === undefined) {
                return "";
              }
              var lines = ["<strong>" + encode(spec.rows[i]) + "</strong>"];
              spec.series.forEach(function (s) {
                var v = s.data[i];
                lines.push(encode(s.name) + ": " + (v === null || v === undefined ? "—" : encode(String(v))));
              });
              return lines.join("<br>");
            }
          },
          visualMap: {
            type: "continuous",
            min: 0,
            max: highest > 0 ? highest : 1,
            calculable: true,
            precision: 2,
            orient: narrow ? "horizontal" : "vertical",
            left: narrow ? "center" : 8,
            bottom: 8,
            itemHeight: narrow ? 160 : 100,
            text: [valueSeries.name, ""],
            inRange: { color: ["#fde0dc", "#e57373", "#b71c1c"] }
          },
          series: [
            {
              type: "map",
              map: mapName,
              nameProperty: "key",
              roam: false,
              selectedMode: false,
              layoutCenter: narrow ? ["50%", "43%"] : ["55%", "50%"],
              layoutSize: narrow ? "80%" : "90%",
              label: {
                show: true,
                fontSize: 11,
                formatter: function (params) {
                  return names[params.name] || "";
                }
              },
              emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffcc80" } },
              data: keys.map(function (k, i) {
                return { name: k, value: valueSeries.data[i] === null ? NaN : valueSeries.data[i] };
              })
            }
          ]
        });
        chart.on("click", function (params) {
          var link = spec.links[rowOf[params.name]];
          if (link) {
            window.location.assign(link);
          }
        });
        drawn.push(chart);
        foldTable(node);
      })
      .catch(function () {
        // No geometry (removed meanwhile, offline): the table stays open and is the map.
        node.style.display = "none";
      });
  }

  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var key = node.getAttribute("data-chart");
    var spec = specs[key];
    if (!spec) {
      return;
    }
    if (spec.kind === "map") {
      if (spec.geo_url) {
        drawMap(node, key, spec);
      }
      return;
    }
    node.style.display = "block";
    if (spec.kind === "ranking") {
      // One bar per child region: tall enough to read each name on a phone.
      node.style.height = Math.max(200, 28 * spec.rows.length + 40) + "px";
    }
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option(spec, node.clientWidth));
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
    // A phone turned sideways gives each bar more room: the names are laid out again.
    bars.push({ chart: chart, spec: spec, node: node });
    foldTable(node);
  });

  window.addEventListener("resize", function () {
    bars.forEach(function (bar) {
      bar.chart.setOption(option(bar.spec, bar.node.clientWidth));
    });
    drawn.forEach(function (chart) {
      chart.resize();
    });
  });
})();
