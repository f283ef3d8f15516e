// The service worker of the representative's phone pages (docs/offline.md).
// self.OFFLINE (written above this line by representatives/offline.py) lists the
// pages kept for offline use, the static files they need, and the queue's URLs.
//
// - Pages (the contact-log form, their open problems, their duty schedule):
//   network first, the last copy when there is no signal. They are kept only once a
//   signed-in representative's page has told the worker who they are ("user"); a
//   different user, or sign-out, deletes them (the pages also delete the cache
//   themselves, offline.js).
// - Static files: from the cache first (their names carry a hash of their content).
// - Background Sync "contact-logs": sends the queue (queue.js) when the signal returns.
"use strict";

var CONFIG = self.OFFLINE;
var PAGES = "offline-pages";
var META = "offline-meta";
var ASSETS = "offline-assets-" + CONFIG.version;
var USER_KEY = "/__offline_user__";

CONFIG.assets.forEach(function (url) {
  if (/\/js\/offline\/queue(\.[0-9a-f]+)?\.js$/.test(url)) { importScripts(url); }
});

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS).then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("offline-assets-") === 0 && name !== ASSETS;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function currentUser() {
  return caches.open(META).then(function (cache) { return cache.match(USER_KEY); })
    .then(function (response) { return response ? response.text() : null; });
}

function forget() {
  return Promise.all([caches.delete(PAGES), caches.delete(META)]);
}

// Fetch each offline page with the signed-in user's session and keep what answers 200.
function keepPages() {
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(CONFIG.pages.map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.ok && !response.redirected) { return cache.put(url, response); }
        return undefined;
      }).catch(function () { return undefined; });
    }));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var done;
  if (data.type === "user") {
    done = currentUser().then(function (user) {
      var start = user === String(data.user) ? Promise.resolve() : forget().then(function () {
        return caches.open(META).then(function (cache) {
          return cache.put(USER_KEY, new Response(String(data.user)));
        });
      });
      return start.then(keepPages);
    });
  } else if (data.type === "signout") {
    done = forget();
  } else {
    return;
  }
  event.waitUntil(done.then(function () {
    if (event.ports && event.ports[0]) { event.ports[0].postMessage({ done: true }); }
  }));
});

function pathOf(request) {
  var url = new URL(request.url);
  return url.origin === self.location.origin && !url.search ? url.pathname : null;
}

function offlineAnswer() {
  var links = CONFIG.pages.map(function (url) { return '<li><a href="' + url + '">' + url + "</a></li>"; }).join("");
  return new Response(
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>离线 · Offline</title><body style=\"font-family:sans-serif;padding:1rem\"><h1>当前没有网络</h1>" +
    "<p>这个页面没有离线副本。可离线使用的页面：</p><ul>" + links + "</ul></body></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } }
  );
}

function networkFirst(request, path) {
  return caches.has(PAGES).then(function (keeping) {
    return fetch(request).then(function (response) {
      if (keeping && response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { return cache.put(path, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(PAGES).then(function (cache) { return cache.match(path); })
        .then(function (cached) { return cached || offlineAnswer(); });
    });
  });
}

function cacheFirst(request) {
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request).then(function (cached) {
      return cached || fetch(request);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var path = pathOf(request);
  if (path && CONFIG.pages.indexOf(path) !== -1) {
    event.respondWith(networkFirst(request, path));
  } else if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlineAnswer));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "contact-logs" && self.OfflineQueue) {
    event.waitUntil(
      self.OfflineQueue.flush({ session: CONFIG.session, upload: CONFIG.upload }).then(function (sent) {
        // The open pages update their "N 条待上传".
        return self.clients.matchAll({ type: "window" }).then(function (pages) {
          pages.forEach(function (page) { page.postMessage({ type: "queue-sent", sent: sent }); });
        });
      })
    );
  }
});
