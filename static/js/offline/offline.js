// The representative's phone pages without signal (docs/offline.md), page side:
// - registers the service worker (/sw.js) when a signed-in representative opens one
//   of their offline pages (they carry data-offline-page), and tells it who is
//   signed in; a different user, or no user, deletes the kept pages;
// - the contact-log form without signal: the log (with its shrunk photos) goes into
//   the phone's queue (queue.js) instead of being lost, "N 条待上传" shows it, and it
//   is sent when the signal returns (the online event, each page load, and the
//   worker's Background Sync), each log once (its idempotency key);
// - sign-out deletes the kept pages and this user's queue (after asking, if logs
//   are still waiting).
(function () {
  "use strict";

  var script = document.currentScript;
  var body = document.body;
  var user = body.dataset.offlineUser || "";
  var urls = { session: script.dataset.session, upload: script.dataset.upload };
  var Queue = self.OfflineQueue;
  var text = {
    pending: script.dataset.textPending,        // "%s 条待上传"
    queued: script.dataset.textQueued,          // saved on this phone
    sent: script.dataset.textSent,              // "%s 条已上传"
    rejected: script.dataset.textRejected,      // the server refused one
    confirmSignout: script.dataset.textConfirmSignout,
    remove: script.dataset.textRemove
  };
  var PAGES = "offline-pages";
  var USER_KEY = "offline:user";

  function format(template, n) { return (template || "%s").replace("%s", String(n)); }

  function forgetPages() {
    try { localStorage.removeItem(USER_KEY); } catch (e) { /* private mode */ }
    if (!self.caches) { return Promise.resolve(); }
    return Promise.all([caches.delete(PAGES), caches.delete("offline-meta")]);
  }

  // The registration, or undefined when none (never waits for one to appear).
  function registration() {
    if (!navigator.serviceWorker) { return Promise.resolve(undefined); }
    return navigator.serviceWorker.getRegistration("/").catch(function () { return undefined; });
  }

  function tellWorker(message) {
    return registration().then(function (found) {
      var worker = found && found.active;
      if (!worker) { return undefined; }
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(); };
        worker.postMessage(message, [channel.port2]);
        setTimeout(resolve, 10000); // never hang the page on a busy worker
      });
    });
  }

  // Who kept pages on this phone: nobody signed in, or someone else, means delete.
  var keptFor = null;
  try { keptFor = localStorage.getItem(USER_KEY); } catch (e) { keptFor = null; }
  if (keptFor && keptFor !== user) { forgetPages(); keptFor = null; }
  if (!user) { return; }

  var offlinePage = document.querySelector("[data-offline-page]");
  if (offlinePage && navigator.serviceWorker && script.dataset.worker) {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready; // the first time: once it is installed
    }).then(function () {
      try { localStorage.setItem(USER_KEY, user); } catch (e) { /* private mode */ }
      keptFor = user;
      showBadges();
      if (navigator.onLine) { return tellWorker({ type: "user", user: user }); }
      return undefined;
    }).then(function () {
      document.documentElement.dataset.offlineReady = "1";
    }).catch(function () { /* no worker: the queue still works */ });
  }

  function showBadges() {
    if (keptFor !== user) { return; }
    document.querySelectorAll("[data-offline-badge]").forEach(function (badge) { badge.hidden = false; });
  }
  showBadges();

  // --- the queue's status line --------------------------------------------------------

  var status = document.querySelector("[data-offline-queue]");

  function render(notice) {
    if (!status || !Queue) { return Promise.resolve(); }
    return Queue.forUser(user).then(function (items) {
      var count = status.querySelector("[data-queue-count]");
      var list = status.querySelector("[data-queue-list]");
      var pending = items.filter(function (item) { return item.status !== "rejected"; });
      count.textContent = pending.length ? format(text.pending, pending.length) : "";
      status.querySelector("[data-queue-send]").hidden = !pending.length;
      list.textContent = "";
      items.filter(function (item) { return item.status === "rejected"; }).forEach(function (item) {
        var row = document.createElement("li");
        row.className = "list-group-item small text-danger";
        row.dataset.testid = "queue-rejected";
        row.textContent = text.rejected + " " + (item.summary || "") + " — " + (item.message || "");
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn-link btn-sm";
        drop.textContent = text.remove;
        drop.addEventListener("click", function () { Queue.remove(item.key).then(function () { render(); }); });
        row.appendChild(drop);
        list.appendChild(row);
      });
      var line = status.querySelector("[data-queue-notice]");
      if (notice !== undefined) { line.textContent = notice; }
      status.hidden = !(pending.length || items.length || line.textContent);
    });
  }

  function sendNow() {
    if (!Queue || !navigator.onLine) { return Promise.resolve(0); }
    return Queue.forUser(user).then(function (items) {
      // Most pages have nothing waiting: then nothing is asked of the server.
      var waiting = items.some(function (item) { return item.status !== "rejected"; });
      return waiting ? Queue.flush(urls) : 0;
    }).then(function (sent) {
      return render(sent ? format(text.sent, sent) : undefined).then(function () { return sent; });
    }).catch(function () { return 0; });
  }

  if (status) {
    status.querySelector("[data-queue-send]").addEventListener("click", sendNow);
  }
  window.addEventListener("online", sendNow);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "queue-sent") { render(data.sent ? format(text.sent, data.sent) : undefined); }
    });
  }
  render().then(sendNow);

  // --- the contact-log form --------------------------------------------------------

  function newKey() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var form = document.querySelector("form[data-offline-form]");
  if (form && Queue) {
    var keyField = form.elements.namedItem("idempotency_key");
    // A copy of the form kept for offline use carries the key it was rendered with:
    // each opening gets a fresh one, or two logs would be taken for one. A draft
    // restored after a failed submit (app.js, which runs after this) brings back
    // its own key, so a resend is still the same log.
    if (keyField && !form.querySelector("[data-testid=form-errors], .is-invalid")) { keyField.value = newKey(); }

    // Every log goes through the phone's queue first, so nothing typed or photographed
    // is lost when the signal drops halfway: with signal it is sent at once and the
    // page moves to the log; without (or if the upload fails) it waits in the queue.
    // A log the server will not take (a date in the future, a file that is no photo)
    // is sent the ordinary way instead, so the form comes back with its messages.
    form.addEventListener("submit", function (event) {
      if (form.dataset.plainSubmit) { return; }
      event.preventDefault();
      if (form.dataset.sending) { return; }
      form.dataset.sending = "1";
      var photoInput = form.querySelector("input[type=file]");
      var item;
      Promise.resolve(photoInput && photoInput.shrinking).then(function () {
        var fields = [];
        Array.prototype.forEach.call(form.elements, function (field) {
          if (!field.name || field.disabled || field.type === "file" || field.name === "csrfmiddlewaretoken") { return; }
          if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
          fields.push([field.name, field.value]);
        });
        var photos = Array.prototype.map.call((photoInput && photoInput.files) || [], function (file) {
          return { name: file.name, type: file.type, blob: file };
        });
        var key = keyField.value;
        return Queue.has(key).then(function (taken) {
          if (taken) {
            key = newKey();
            keyField.value = key;
            fields = fields.map(function (pair) { return pair[0] === "idempotency_key" ? [pair[0], key] : pair; });
          }
          var summary = form.elements.namedItem("summary");
          item = {
            key: key, user: user, createdAt: Date.now(), fields: fields, photos: photos,
            status: "pending", summary: summary ? summary.value.slice(0, 30) : ""
          };
          return Queue.add(item);
        });
      }).then(function () {
        if (!navigator.onLine) { return { outcome: "stop" }; }
        return Queue.sendOne(item, urls);
      }).then(function (result) {
        if (result.outcome === "sent") {
          try { localStorage.removeItem("draft:" + form.dataset.persist); } catch (e) { /* ignore */ }
          window.location.assign(result.url);
          return undefined;
        }
        if (result.outcome === "rejected") {
          // The server's own page shows what is wrong, beside what was typed.
          return Queue.remove(item.key).then(function () {
            form.dataset.plainSubmit = "1";
            form.submit();
          });
        }
        form.reset();
        keyField.value = newKey();
        if (photoInput) { photoInput.value = ""; }
        try { localStorage.removeItem("draft:" + form.dataset.persist); } catch (e) { /* ignore */ }
        return registration().then(function (found) {
          return found && found.sync && found.sync.register("contact-logs");
        }).catch(function () { /* no Background Sync here: the online event sends it */ })
          .then(function () { return render(text.queued); });
      }).catch(function () {
        // No IndexedDB (a private window): the ordinary submit, as before.
        form.dataset.plainSubmit = "1";
        form.submit();
      }).then(function () { delete form.dataset.sending; });
    });
  }

  // --- sign-out --------------------------------------------------------------------

  document.querySelectorAll("form[data-offline-signout]").forEach(function (signout) {
    signout.addEventListener("submit", function (event) {
      event.preventDefault();
      var waiting = Queue ? sendNow().then(function () { return Queue.forUser(user); }) : Promise.resolve([]);
      waiting.then(function (items) {
        if (items.length && !window.confirm(format(text.confirmSignout, items.length))) { return; }
        return Promise.all([
          forgetPages(),
          tellWorker({ type: "signout" }),
          Queue ? Queue.clearUser(user) : null
        ]).catch(function () { /* sign out anyway */ }).then(function () {
          Object.keys(localStorage).forEach(function (name) {
            if (name.indexOf("draft:") === 0) { localStorage.removeItem(name); }
          });
          signout.submit();
        });
      });
    });
  });
})();
