// The phone's queue of contact logs recorded without signal (docs/offline.md).
// One IndexedDB store, keyed by the log's idempotency key, so the same log can be
// queued only once and the server takes it only once however often it is sent.
// Loaded by the pages (base.html) and by the service worker (importScripts).
(function (scope) {
  "use strict";

  var DB_NAME = "congress-offline";
  var STORE = "contact-logs";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("user", "user");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function forUser(user) {
    return run("readonly", function (store) { return store.index("user").getAll(String(user)); })
      .then(function (items) {
        return (items || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
      });
  }

  function add(item) { return run("readwrite", function (store) { return store.add(item); }); }
  function put(item) { return run("readwrite", function (store) { return store.put(item); }); }
  function remove(key) { return run("readwrite", function (store) { return store.delete(key); }); }
  function has(key) {
    return run("readonly", function (store) { return store.getKey(key); }).then(function (found) {
      return found !== undefined;
    });
  }

  function clearUser(user) {
    return forUser(user).then(function (items) {
      return Promise.all(items.map(function (item) { return remove(item.key); }));
    });
  }

  // Who is signed in, and a CSRF token for the upload (null: nobody, or no answer).
  function session(url) {
    return scope.fetch(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  function formData(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (item.photos || []).forEach(function (photo) { data.append("photos", photo.blob, photo.name); });
    return data;
  }

  // One upload: "sent", "rejected" (the server will not take it: kept, with its
  // message, for the representative to read), or "stop" (no signal or no session).
  // The log's page is remembered as item.url once it is sent.
  function send(item, who, url) {
    return scope.fetch(url, {
      method: "POST",
      body: formData(item),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": who.csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (body) {
          item.url = body.url;
          return remove(item.key);
        }).then(function () { return "sent"; });
      }
      if (response.status === 400) {
        return response.json().then(function (body) {
          var messages = body.message ? [body.message] : [];
          Object.keys(body.errors || {}).forEach(function (field) {
            messages = messages.concat(body.errors[field]);
          });
          item.status = "rejected";
          item.message = messages.join(" ");
          return put(item).then(function () { return "rejected"; });
        });
      }
      return "stop";
    }).catch(function () { return "stop"; });
  }

  // The page and the worker may both send at once (the online event and Background
  // Sync fire together): one lock for the origin makes them take turns, so the
  // second finds the queue already sent. Without Web Locks the idempotency key
  // still keeps the server from recording a log twice.
  function locked(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("congress-offline-queue", work) : work();
  }

  var flushing = null;

  // Send every pending log of the signed-in user, oldest first, one at a time.
  // Resolves to the number sent. Never two flushes at once in one context; the
  // page and the worker may race, and the idempotency key makes that harmless.
  function flush(urls) {
    if (flushing) { return flushing; }
    flushing = locked(function () { return session(urls.session).then(function (who) {
      if (!who || !who.representative) { return 0; }
      return forUser(who.user).then(function (items) {
        var sent = 0;
        var pending = items.filter(function (item) { return item.status !== "rejected"; });
        return pending.reduce(function (chain, item) {
          return chain.then(function (stopped) {
            if (stopped) { return true; }
            // "?shown=1": the page moves to the log, where the server's message greets it.
      return send(item, who, urls.upload + "?shown=1").then(function (outcome) {
              if (outcome === "sent") { sent += 1; }
              return outcome === "stop";
            });
          });
        }, Promise.resolve(false)).then(function () { return sent; });
      });
    }); }).then(function (sent) { flushing = null; return sent; }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  // Send one log now (the form's own submit): resolves to {outcome, url, message}.
  function sendOne(item, urls) {
    return locked(function () { return session(urls.session).then(function (who) {
      if (!who || !who.representative || String(who.user) !== String(item.user)) {
        return { outcome: "stop" };
      }
      // "?shown=1": the page moves to the log, where the server's message greets it.
      return send(item, who, urls.upload + "?shown=1").then(function (outcome) {
        return { outcome: outcome, url: item.url, message: item.message };
      });
    }); });
  }

  scope.OfflineQueue = {
    add: add, put: put, remove: remove, has: has, forUser: forUser, clearUser: clearUser,
    flush: flush, sendOne: sendOne, session: session
  };
})(self);
