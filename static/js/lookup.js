// Search-as-you-type for fields that hold the id of one of many objects (a station,
// a representative, a department, a region): the server renders a plain text field
// with the chosen id (data-label: its name; data-lookup: the search URL, which
// answers {"results": [{"id", "text"}]} for ?q=, at most 20, in the user's scope).
// Tom Select (static/vendor/tom-select) turns it into a search box; without
// JavaScript the field stays a plain input for the id. No inline scripts (the
// Content-Security-Policy forbids them).
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }

  document.querySelectorAll("input[data-lookup]").forEach(function (input) {
    var url = input.dataset.lookup;
    var options = [];
    if (input.value && input.dataset.label) {
      options.push({ id: input.value, text: input.dataset.label });
    }
    // The answers of this page, by query: typing back and forth asks once.
    var answers = {};
    var latest = null;
    var select = new TomSelect(input, {
      maxItems: 1,
      create: false,
      valueField: "id",
      labelField: "text",
      searchField: ["text"],
      score: function () { return function () { return 1; }; },  // the server has searched
      options: options,
      items: options.length ? [String(options[0].id)] : [],
      preload: "focus",
      loadThrottle: 250,
      shouldLoad: function () { return true; },
      placeholder: input.getAttribute("placeholder") || "",
      // Chosen: the box closes and gives up the focus at once, so the form has its
      // final layout before the next tap (a box that closed on that tap shifted the
      // 筛选 button away from under the finger).
      closeAfterSelect: true,
      onItemAdd: function () { this.blur(); },
      load: function (query, callback) {
        latest = query;
        if (answers[query]) { callback(answers[query]); return; }
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (body) {
          answers[query] = body.results || [];
          // An answer that came back after the next question (the list opened on focus,
          // then the first letters typed) is kept for later but not shown.
          callback(query === latest ? answers[query] : []);
        }).catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + (input.dataset.empty || "—") + "</div>";
        }
      }
    });
    // A new query replaces the last one's answers in the list (not added to them), and
    // from the first keystroke an answer to an earlier question (the list opened on
    // focus) is stale: the throttled load for the new text has not asked yet.
    select.on("type", function (query) { latest = query; select.clearOptions(); });
  });
})();
