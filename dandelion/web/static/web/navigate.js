/*
 * Navigation links that open the map APP with a route (`data-app`, `data-app-ios`: the
 * providers' URI schemes) and fall back to the provider's web page (`href`) when no app answers.
 *
 * On a phone a link with `data-app` first sends the browser to the app's scheme; when the page is
 * still in front after a moment (no app installed, or a WeChat web-view that refuses the scheme)
 * it goes to the web page instead. Elsewhere (a desktop) the web page opens directly.
 */
(function () {
  "use strict";

  var FALLBACK_MS = 1600;

  function platform() {
    var ua = navigator.userAgent || "";
    if (/iPhone|iPad|iPod/i.test(ua)) return "ios";
    if (/Android/i.test(ua)) return "android";
    return "";
  }

  var api = {
    platform: platform,
    // One place that changes the page's address, so the browser tests can watch it.
    go: function (url) {
      window.location.href = url;
    },
    open: function (link) {
      var system = platform();
      var app = system === "ios" ? link.dataset.appIos || link.dataset.app : link.dataset.app;
      if (!system || !app) return false;
      var fallback = link.href;
      var left = false;
      function away() {
        left = true;
      }
      document.addEventListener("visibilitychange", away, { once: true });
      window.addEventListener("pagehide", away, { once: true });
      api.go(app);
      window.setTimeout(function () {
        if (!left && !document.hidden) api.go(fallback);
      }, FALLBACK_MS);
      return true;
    },
  };

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-app]");
    if (link && api.open(link)) event.preventDefault();
  });

  window.DandelionNavigate = api;
})();
