// The citizen's submission page: location button and photo previews.
// No inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  var locate = document.querySelector("[data-locate]");
  if (locate) {
    locate.addEventListener("click", function () {
      var status = document.querySelector("[data-locate-status]");
      if (!navigator.geolocation) {
        status.textContent = locate.dataset.unsupported || "";
        return;
      }
      status.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
        status.textContent = "✓ " + position.coords.latitude.toFixed(5) + ", " + position.coords.longitude.toFixed(5);
      }, function () {
        status.textContent = "✗";
      }, { timeout: 10000, maximumAge: 60000 });
    });
  }

  // A form the server refused: its summary of what to fix is at the top; move
  // the focus there so a screen reader reads it and the phone shows it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Required fields are checked by the browser before anything (photos included)
  // is uploaded; a field may carry our own wording for the browser's bubble.
  document.querySelectorAll("[data-required-message]").forEach(function (field) {
    field.addEventListener("invalid", function () {
      field.setCustomValidity(field.validity.valueMissing ? field.dataset.requiredMessage : "");
    });
    field.addEventListener("change", function () { field.setCustomValidity(""); });
  });

  var input = document.getElementById("id_photos");
  var previews = document.querySelector("[data-photo-previews]");
  if (input && previews) {
    input.addEventListener("change", function () {
      previews.innerHTML = "";
      var max = parseInt(previews.dataset.max || "6", 10);
      var maxBytes = parseInt(previews.dataset.maxBytes || "0", 10);
      var tooBig = Array.prototype.filter.call(input.files, function (file) {
        return maxBytes && file.size > maxBytes;
      });
      var problem = "";
      if (input.files.length > max) {
        problem = previews.dataset.maxMessage;
      } else if (tooBig.length) {
        problem = previews.dataset.tooBigMessage.replace("{name}", tooBig[0].name);
      }
      input.setCustomValidity(problem);
      if (problem) {
        input.reportValidity();
      }
      Array.prototype.slice.call(input.files, 0, max).forEach(function (file) {
        if (!file.type || file.type.indexOf("image/") !== 0) { return; }
        var img = document.createElement("img");
        img.className = "photo-thumb";
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        previews.appendChild(img);
      });
    });
  }

  // Staff list: "select all" for bulk assignment.
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=issues]").forEach(function (box) { box.checked = all.checked; });
    });
  }

  // Print buttons on the case sheet.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
