// Representatives pages: print buttons, and contact-log drafts that survive a failed
// submit on a weak network (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action=print]");
    if (button) { event.preventDefault(); window.print(); }
  });

  function storageKey(name) { return "draft:" + name; }

  function save(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "file") { return; }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      data[field.name] = field.value;
    });
    try { localStorage.setItem(storageKey(form.dataset.persist), JSON.stringify(data)); } catch (e) { /* private mode */ }
  }

  function restore(form) {
    var raw = null;
    try { raw = localStorage.getItem(storageKey(form.dataset.persist)); } catch (e) { return; }
    if (!raw) { return; }
    // A page re-rendered by the server with errors already carries the user's input.
    if (form.querySelector(".is-invalid, [data-testid=form-errors]")) { return; }
    var data = JSON.parse(raw);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!(field.name in data) || field.name === "csrfmiddlewaretoken") { return; }
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = field.value === data[field.name];
      } else {
        // The idempotency key is restored too: a resend is the same submission.
        field.value = data[field.name];
      }
    });
  }

  document.querySelectorAll("form[data-persist]").forEach(function (form) {
    restore(form);
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("submit", function () { save(form); });
  });

  document.querySelectorAll("[data-clear-draft]").forEach(function (element) {
    try { localStorage.removeItem(storageKey(element.dataset.clearDraft)); } catch (e) { /* ignore */ }
  });
})();
