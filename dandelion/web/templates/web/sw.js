/* Dandelion's service worker: the H5 opens without a network.
 *
 * - The shell (styles, scripts, the offline page) is cached when the worker installs.
 * - Static files: from the cache when there, else fetched and kept (their URLs carry a hash).
 * - Pages the worker opens (the map, 我的, their needs, reports and hours…): from the network,
 *   keeping the last copy; offline, the last copy, or the offline page for one never opened.
 * - The nearby list: from the network, keeping the last answer; offline, that last answer
 *   (whatever the point), marked by the header `X-Dandelion-Offline: 1`.
 * - Nothing else (the API, anything not GET) is cached. A form made offline is kept by the
 *   page (static/web/offline.js), not here.
 * - Signing out clears the pages and the nearby list: a shared phone keeps nobody's records.
 */
"use strict";

var CONFIG = {{ config|safe }};
var SHELL = "dandelion-shell-" + CONFIG.version;
var PAGES = "dandelion-pages";
var NEARBY = "dandelion-nearby";
var NEARBY_KEY = "/__dandelion/nearby-last";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(CONFIG.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("dandelion-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "signed-out") {
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(NEARBY)]));
  }
});

function fromCacheFirst(request) {
  return caches.match(request).then(function (hit) {
    if (hit) return hit;
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

function page(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(request, { ignoreVary: true });
    }).then(function (hit) {
      return hit || caches.match(CONFIG.offline_url);
    });
  });
}

function nearby(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(NEARBY).then(function (cache) { cache.put(NEARBY_KEY, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(NEARBY).then(function (cache) { return cache.match(NEARBY_KEY); })
      .then(function (hit) {
        if (!hit) return Response.error();
        return hit.blob().then(function (body) {
          var headers = new Headers(hit.headers);
          headers.set("X-Dandelion-Offline", "1");
          return new Response(body, { status: 200, headers: headers });
        });
      });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(CONFIG.static_prefix) === 0) {
    event.respondWith(fromCacheFirst(request));
  } else if (url.pathname === CONFIG.nearby_url) {
    event.respondWith(nearby(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});
