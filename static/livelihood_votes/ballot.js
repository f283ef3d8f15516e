// The ballot's counter: how many projects are ticked, out of how many may be.
// Only a help for the voter: the server refuses a ballot with too many.
(function () {
  "use strict";
  document.querySelectorAll("form[data-ballot]").forEach(function (form) {
    if (form.dataset.select !== "1") { return; }
    var seats = parseInt(form.dataset.seats, 10);
    var count = form.querySelector("[data-ballot-count]");
    var line = form.querySelector("[data-ballot-counter]");
    function update() {
      var ticked = form.querySelectorAll("input[name=selected]:checked").length;
      count.textContent = String(ticked);
      line.classList.toggle("text-danger", ticked > seats);
    }
    form.addEventListener("change", update);
    update();
  });
})();
