{% autoescape off %}// The diary's service worker (CONTRACT §6), served at /sw.js with scope "/".
// - App shell (hashed static files + the log page) cached per deploy version, so the log page
//   opens with the network off once it has been opened online.
// - Pages: network first, the cached copy only when the network fails. Patients always get
//   the new deploy's pages when online. Hashed static files never change: cache first.
// - A new version installs, skips waiting and claims the open pages; the pages reload only
//   when nothing is being typed (static/js/offline.js), so no one is trapped on an old page.
// - Background Sync sends entries saved offline (the queue lives in IndexedDB, offline.js).
"use strict";

var VERSION = {{ version }};
var SHELL = {{ shell }};
var LOG_PAGE = {{ log_page }};
var LOGIN_PAGE = {{ login_page }};
var STATIC_PREFIX = {{ static_prefix }};
var SHELL_CACHE = "diary-shell-" + VERSION;
var PAGE_CACHE = "diary-pages-" + VERSION;

importScripts({{ offline_js }});

function cacheLogPage() {
  // Only a real, logged-in log page: never the log-in page a redirect would give.
  return fetch(LOG_PAGE, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!response.ok || response.redirected) return;
    return caches.open(PAGE_CACHE).then(function (cache) { return cache.put(LOG_PAGE, response); });
  }).catch(function () {});
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(SHELL); })
      .then(cacheLogPage)
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("diary-") === 0 && name !== SHELL_CACHE && name !== PAGE_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromNetworkFirst(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (response) {
    var landed = new URL(response.url || request.url).pathname;
    if (landed === LOGIN_PAGE) {
      // Logged out (or never in): nothing of the diary stays on the phone's page cache.
      caches.delete(PAGE_CACHE);
    } else if (url.pathname === LOG_PAGE && !url.search && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { cache.put(LOG_PAGE, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGE_CACHE).then(function (cache) {
      // Any page asked for offline gets the log page: logging is what works without a network.
      return cache.match(LOG_PAGE);
    }).then(function (cached) {
      return cached || new Response(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
        "<title>Offline</title><p>You are offline. Open the diary once with a connection " +
        "so it can work offline next time.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
      );
    });
  });
}

function fromCacheFirst(request) {
  return caches.match(request).then(function (cached) {
    if (cached) return cached;
    return fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

// Without hashed names (DEBUG, tests) a file can change under the same URL: network first.
var HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;

function fromNetworkThenCache(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (cached) { return cached || Response.error(); });
  });
}

// The log form posted while the phone thinks it is online but the server cannot be reached:
// keep what was sent and hand it back to the log page, which queues it like an offline save.
function postedOrKept(request) {
  var kept = request.clone();
  return fetch(request).catch(function () {
    return kept.formData().then(function (data) {
      var fields = [];
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && name !== "id") fields.push([name, String(value)]);
      });
      var id = String(data.get("id") || "");
      return self.DiaryOutbox.put({ id: id, status: "unsent", fields: fields, savedAt: Date.now() })
        .then(function () { return Response.redirect(LOG_PAGE + "?unsent=" + encodeURIComponent(id), 303); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && url.pathname === LOG_PAGE) {
    event.respondWith(postedOrKept(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request));
  } else if (url.pathname.indexOf(STATIC_PREFIX) === 0 || SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(HASHED.test(url.pathname) ? fromCacheFirst(request) : fromNetworkThenCache(request));
  }
  // Everything else (the API above all) goes to the network untouched.
});

self.addEventListener("message", function (event) {
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener("sync", function (event) {
  if (event.tag === self.DiaryOutbox.SYNC_TAG) event.waitUntil(self.DiaryOutbox.replayFromWorker());
});
{% endautoescape %}
