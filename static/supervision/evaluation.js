// Department evaluation (docs/supervision-evaluation.md): a grade button fills its
// subject's scores with the grade's points; a staff step asks for confirmation first.
(function () {
  "use strict";
  document.querySelectorAll("[data-grade]").forEach(function (button) {
    button.addEventListener("click", function () {
      var fieldset = button.closest("fieldset");
      fieldset.querySelectorAll("input[type=number]").forEach(function (input) {
        input.value = button.dataset.grade;
      });
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
