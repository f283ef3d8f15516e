// The ballot as the voter fills it in (and the paper-entry desk, which shares the
// counter): how many projects are ticked, out of how many may be.
//
// On the representative's ballot (form[data-ballot-review]) also: the plain-words
// problem while the selection breaks the ballot form, with 下一步 disabled until it is
// fixed, and the review in the page (核对选票) before 确认投票 casts it. The sentences
// come from the server (json "ballot-problems": number of ticks, or of projects left
// unmarked → sentence), so they are translated once, in Python. Only a help: the
// server refuses such a ballot all the same, and without this script it answers the
// first submit with its own review page.
(function () {
  "use strict";

  function problems() {
    var data = document.getElementById("ballot-problems");
    return data ? JSON.parse(data.textContent) : {};
  }

  function reviewItem(title, mark) {
    var item = document.createElement("li");
    item.className = "list-group-item d-flex justify-content-between gap-2";
    var name = document.createElement("span");
    name.textContent = title;
    item.appendChild(name);
    if (mark) {
      var badge = document.createElement("span");
      var colour = { approve: "success", oppose: "danger" }[mark.value] || "secondary";
      badge.className = "badge align-self-center text-bg-" + colour;
      badge.textContent = mark.dataset.label;
      item.appendChild(badge);
    }
    return item;
  }

  function setUpReview(form, select) {
    var sentences = problems();
    var fill = form.querySelector("[data-ballot-fill]");
    var panel = form.querySelector("[data-ballot-review-panel]");
    var list = form.querySelector("[data-ballot-review-list]");
    var empty = form.querySelector("[data-ballot-review-empty]");
    var next = form.querySelector("[data-ballot-review-open]");
    var problem = form.querySelector("[data-ballot-problem]");

    function unmarked() {
      return Array.prototype.filter.call(form.querySelectorAll("fieldset[data-title]"), function (set) {
        return !set.querySelector("input[type=radio]:checked");
      }).length;
    }

    function check() {
      var n = select ? form.querySelectorAll("input[name=selected]:checked").length : unmarked();
      var sentence = sentences[String(n)] || "";
      problem.textContent = sentence;
      problem.hidden = !sentence;
      next.disabled = Boolean(sentence);
      return !sentence;
    }

    function showReview() {
      list.replaceChildren();
      if (select) {
        form.querySelectorAll("input[name=selected]:checked").forEach(function (box) {
          list.appendChild(reviewItem(box.dataset.title, null));
        });
      } else {
        form.querySelectorAll("fieldset[data-title]").forEach(function (set) {
          list.appendChild(reviewItem(set.dataset.title, set.querySelector("input:checked")));
        });
      }
      empty.hidden = list.children.length > 0;
      list.hidden = !empty.hidden;
      fill.hidden = true;
      panel.hidden = false;
      window.scrollTo(0, 0);
      panel.focus();
    }

    form.addEventListener("change", check);
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "confirm") { return; } // cast it
      // 下一步 (or Enter): review first. Stop here, so that the site's submit-once guard
      // (static/js/app.js) does not count this as the form's one submit.
      event.preventDefault();
      event.stopPropagation();
      if (check()) { showReview(); }
    });
    form.querySelector("[data-ballot-review-back]").addEventListener("click", function () {
      panel.hidden = true;
      fill.hidden = false;
      next.focus();
    });
    check();
  }

  document.querySelectorAll("form[data-ballot]").forEach(function (form) {
    var select = form.dataset.select === "1";
    if (select) {
      var seats = parseInt(form.dataset.seats, 10);
      var count = form.querySelector("[data-ballot-count]");
      var line = form.querySelector("[data-ballot-counter]");
      var update = function () {
        var ticked = form.querySelectorAll("input[name=selected]:checked").length;
        count.textContent = String(ticked);
        line.classList.toggle("text-danger", ticked > seats);
      };
      form.addEventListener("change", update);
      update();
    }
    if (form.hasAttribute("data-ballot-review")) { setUpReview(form, select); }
  });
})();
