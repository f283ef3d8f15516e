/* The big screen (templates/congress/bigscreen.html, docs/dashboard.md "Big screen").
 *
 * The page carries its first figures as JSON (json_script "bigscreen-data"); every
 * minute this file asks the page's data URL (body[data-url]) for new ones and redraws
 * without reloading. When the server does not answer (down, restarting, the network
 * gone), the last figures stay and the status line says so; the next good answer
 * clears it. Text goes in with textContent only (never HTML), charts with ECharts.
 */
(function () {
  "use strict";
  var REFRESH_MS = 60 * 1000;
  var body = document.body;
  var source = document.getElementById("bigscreen-data");
  if (!source) {
    return;
  }
  var labels = {
    empty: body.getAttribute("data-label-empty") || "",
    voted: body.getAttribute("data-label-voted") || "",
    electorate: body.getAttribute("data-label-electorate") || "",
    turnout: body.getAttribute("data-label-turnout") || "",
    projects: (document.querySelector('[data-label="projects"]') || {}).textContent || ""
  };
  var palette = ["#4fc3f7", "#ffb74d", "#81c784", "#e57373", "#ba68c8"];
  var charts = {};

  function bound(name) {
    return document.querySelector('[data-bind="' + name + '"]');
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function fontSize() {
    // Chart text scales with the screen: 16 px at 1080 lines, 12 px at 768.
    return Math.max(12, Math.round(window.innerHeight / 68));
  }

  function option(spec, width) {
    var ranking = spec.kind === "ranking";
    var size = fontSize();
    var text = { color: "#cfd8dc", fontSize: size };
    var categoryAxis = {
      type: "category",
      data: ranking ? spec.rows.slice().reverse() : spec.rows,
      axisLabel: Object.assign(window.congressCharts.axisLabels(spec, width, size), text),
      axisLine: { lineStyle: { color: "#546e7a" } }
    };
    var valueAxis = {
      type: "value",
      minInterval: 1,
      axisLabel: text,
      splitLine: { lineStyle: { color: "#263238" } }
    };
    return {
      color: palette,
      backgroundColor: "transparent",
      animation: false,
      textStyle: text,
      tooltip: { trigger: "axis", confine: true },
      legend: spec.series.length > 1 ? { top: 0, textStyle: text } : undefined,
      grid: { left: 8, right: ranking ? 48 : 16, top: spec.series.length > 1 ? size * 2.5 : 12, bottom: 8, containLabel: true },
      xAxis: ranking ? valueAxis : categoryAxis,
      yAxis: ranking ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: spec.kind === "line" ? "line" : "bar",
          data: ranking ? s.data.slice().reverse() : s.data,
          symbolSize: size / 2,
          lineStyle: { width: 3 },
          barMaxWidth: 40,
          label: ranking ? { show: true, position: "right", color: "#eceff1", fontSize: size } : undefined
        };
      })
    };
  }

  function drawCharts(data) {
    var specs = {};
    (data.charts || []).forEach(function (spec) {
      specs[spec.key] = spec;
    });
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var key = node.getAttribute("data-chart");
      var spec = specs[key];
      var panel = node.parentNode;
      if (!spec || !spec.rows.length) {
        panel.classList.add("bs-empty");
        panel.setAttribute("data-empty", labels.empty);
        if (charts[key]) {
          charts[key].dispose();
          delete charts[key];
        }
        return;
      }
      panel.classList.remove("bs-empty");
      if (typeof window.echarts === "undefined") {
        return;
      }
      if (!charts[key]) {
        charts[key] = window.echarts.init(node, null, { renderer: "canvas" });
      }
      charts[key].setOption(option(spec, node.clientWidth), true);
    });
  }

  function drawFigures(data) {
    var box = bound("figures");
    clear(box);
    (data.figures || []).forEach(function (figure) {
      var tile = el("div", "bs-figure");
      tile.setAttribute("data-figure", figure.key);
      tile.appendChild(el("div", "bs-figure-value", figure.display));
      tile.appendChild(el("div", "bs-figure-label", figure.label));
      box.appendChild(tile);
    });
  }

  function drawLeague(data) {
    var table = bound("league");
    clear(table);
    if (!data.league) {
      return;
    }
    var head = el("thead");
    var row = el("tr");
    data.league.columns.forEach(function (column) {
      var th = el("th", "", column);
      th.setAttribute("scope", "col");
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var rows = el("tbody");
    if (!data.league.rows.length) {
      var none = el("td", "bs-none", labels.empty);
      none.setAttribute("colspan", String(data.league.columns.length));
      rows.appendChild(el("tr")).appendChild(none);
    }
    data.league.rows.forEach(function (cells) {
      var tr = el("tr");
      cells.forEach(function (cell) {
        tr.appendChild(el("td", "", cell === null ? "—" : cell));
      });
      rows.appendChild(tr);
    });
    table.appendChild(rows);
  }

  // A list longer than its panel rolls up a pixel at a time, pauses at the end and starts
  // again: a wall screen has nobody to scroll it. Not for someone who asked the system
  // for less motion: the list then stays at its top.
  var tickerTimer = null;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function ticker() {
    window.clearInterval(tickerTimer);
    var list = document.querySelector(".bs-projects");
    if (!list || still || list.scrollHeight <= list.clientHeight) {
      return;
    }
    var pause = 0;
    tickerTimer = window.setInterval(function () {
      if (pause > 0) {
        pause -= 1;
        return;
      }
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) {
        list.scrollTop = 0;
        pause = 60;
        return;
      }
      list.scrollTop += 1;
    }, 50);
  }

  function drawSide(data) {
    var box = bound("suggestions");
    clear(box);
    if (data.suggestions) {
      box.appendChild(el("h2", "", data.suggestions.title));
      var mini = el("div", "bs-mini");
      data.suggestions.figures.forEach(function (figure) {
        var tile = el("div", "bs-mini-figure");
        tile.appendChild(el("div", "bs-mini-value", figure.display));
        tile.appendChild(el("div", "bs-mini-label", figure.label));
        mini.appendChild(tile);
      });
      box.appendChild(mini);
    }
    var votes = bound("votes");
    clear(votes);
    (data.votes || []).forEach(function (vote) {
      var card = el("div", "bs-vote");
      card.setAttribute("data-testid", "bigscreen-vote");
      card.appendChild(el("h2", "", vote.title));
      var turnout = el("div", "bs-vote-turnout", labels.turnout + " ");
      turnout.appendChild(el("strong", "", vote.turnout === null ? "—" : vote.turnout + "%"));
      card.appendChild(turnout);
      card.appendChild(
        el("div", "bs-vote-counts", labels.voted + " " + vote.voted + " / " + labels.electorate + " " + vote.electorate)
      );
      votes.appendChild(card);
    });
    var projects = bound("projects");
    clear(projects);
    if (data.projects && data.projects.length) {
      projects.appendChild(el("h2", "", labels.projects));
      var list = el("ol", "bs-projects");
      data.projects.forEach(function (project) {
        var item = el("li", project.behind ? "bs-behind" : "");
        item.appendChild(el("span", "bs-project-name", project.name));
        if (project.percent !== null) {
          var bar = el("progress", "bs-project-bar");
          bar.max = 100;
          bar.value = project.percent;
          item.appendChild(bar);
          item.appendChild(el("span", "bs-project-percent", project.percent + "%"));
        }
        list.appendChild(item);
      });
      projects.appendChild(list);
    }
    ticker();
    bound("side-empty").hidden = Boolean(data.suggestions || (data.votes && data.votes.length));
    bound("projects-empty").hidden = Boolean(data.projects && data.projects.length);
  }

  function draw(data, initial) {
    if (!initial) {
      drawFigures(data);
      drawLeague(data);
      drawSide(data);
      bound("period").textContent = data.period;
    }
    drawCharts(data);
    bound("updated").textContent = data.updated;
    bound("offline").hidden = true;
    body.setAttribute("data-drawn", data.generated_at);
  }

  function offline() {
    bound("offline").hidden = false;
  }

  function refresh() {
    var url = body.getAttribute("data-url");
    if (!url || !window.fetch) {
      return;
    }
    window
      .fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(data, false);
      })
      .catch(offline);
  }

  draw(JSON.parse(source.textContent), true);
  ticker();
  window.setInterval(refresh, REFRESH_MS);
  // Ask now instead of at the next minute (the browser test; a remote control).
  document.addEventListener("bigscreen:refresh", refresh);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (key) {
      charts[key].resize();
      charts[key].setOption({ textStyle: { fontSize: fontSize() } });
    });
  });
})();
