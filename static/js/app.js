// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
  // A form submits once: a double tap on a slow phone must not send it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-busy", "true");
    });
    // Let the user retry if the page is still here after a while (network failure).
    setTimeout(function () { form.dataset.submitted = ""; }, 8000);
  });
})();
