// Photos are shrunk on the phone before they are queued or uploaded: longest side
// at most 1600 px (data-shrink-photos), re-encoded as JPEG. A 4000 × 3000 camera
// photo of 4 MB becomes a few hundred KB, which a weak connection can carry.
// The server checks and re-encodes again (congress/uploads.py); this only saves
// the representative's data plan and the queue's space.
(function () {
  "use strict";

  var QUALITY = 0.85;

  function load(file) {
    if (self.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () { return loadImage(file); });
    }
    return loadImage(file);
  }

  function loadImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      image.src = url;
    });
  }

  function shrink(file, longest) {
    return load(file).then(function (image) {
      var width = image.width, height = image.height;
      var scale = Math.min(1, longest / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG gets a white background in JPEG
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) { image.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    });
  }

  // Replace the input's files by their shrunk copies; a file that is not an image
  // is left as it is, for the server to refuse with its message.
  function shrinkInput(input) {
    var longest = parseInt(input.dataset.shrinkPhotos, 10) || 1600;
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length || !self.DataTransfer) { return Promise.resolve(); }
    input.dataset.shrinking = "1";
    return Promise.all(files.map(function (file) {
      return shrink(file, longest).catch(function () { return file; });
    })).then(function (shrunk) {
      var transfer = new DataTransfer();
      shrunk.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      delete input.dataset.shrinking;
      input.dispatchEvent(new CustomEvent("photos-shrunk", { bubbles: true, detail: { files: shrunk } }));
    });
  }

  document.querySelectorAll("input[type=file][data-shrink-photos]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.dataset.shrinking) { return; }
      // The form waits for this before it is sent or queued (offline.js).
      input.shrinking = shrinkInput(input);
    });
  });

  self.OfflinePhotos = { shrink: shrink, shrinkInput: shrinkInput };
})();
