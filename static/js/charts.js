/* What the dashboard's and the big screen's charts share (static/js/dashboard.js,
 * static/js/bigscreen.js; docs/dashboard.md): the rule that lays out the names under
 * the bars. Loaded before either, it adds window.congressCharts and nothing else.
 */
(function () {
  "use strict";
  window.congressCharts = {
    // The months of a trend read well with some skipped, and a ranking's names sit
    // beside their bars. Every other bar chart (regions, stations, categories of
    // problems) needs every name under it: all of them, slanted when there are more
    // than a few, upright where a bar has less room than three characters, a long
    // name cut short at seven (the tooltip and the table give it whole). ``size`` is
    // the labels' font size in px.
    axisLabels: function (spec, width, size) {
      if (spec.kind === "ranking" || spec.kind === "line") {
        return { hideOverlap: true };
      }
      var slot = width / Math.max(spec.rows.length, 1);
      var rotate = slot < size * 3 ? 90 : spec.rows.length > 4 ? 35 : 0;
      return { interval: 0, rotate: rotate, width: size * 7, overflow: "truncate" };
    }
  };
})();
