/* Live badges and notifications for a signed-in page (dandelion/notifications/stream.py).
 *
 * Opens the person's Server-Sent Events stream and, as events arrive:
 *   notification → a short notice at the top of the page (with a link, or "refresh" when it is
 *                  about the page being read), and a `dandelion:live` DOM event for pages;
 *   unread       → every [data-live-unread] element ("count" shows the number, "dot" only shows);
 *   counters     → the badge of each console section link or card ([data-section="key"]).
 * The browser reconnects by itself when a stream ends and sends Last-Event-ID, so nothing is
 * missed. Where there is no EventSource, or the server refuses the stream (busy, signed out),
 * the badges are polled from the API every POLL_MS instead, trying the stream again now and then.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var conf = script.dataset;
  var POLL_MS = 30000;
  var RETRY_STREAM_EVERY = 10; // polls
  var polls = 0;
  var pollTimer = null;
  var source = null;

  function setUnread(count) {
    document.querySelectorAll("[data-live-unread]").forEach(function (el) {
      if (el.dataset.liveUnread === "count") el.textContent = String(count);
      el.hidden = !count;
    });
  }

  function setCounters(counters) {
    Object.keys(counters).forEach(function (key) {
      document.querySelectorAll('[data-section="' + key + '"]').forEach(function (link) {
        var badge = link.querySelector(".console-badge");
        if (!badge) {
          badge = document.createElement("span");
          badge.className = "weui-badge console-badge";
          link.appendChild(document.createTextNode(" "));
          link.appendChild(badge);
        }
        badge.setAttribute("data-live-counter", key);
        badge.textContent = String(counters[key]);
        badge.hidden = !counters[key];
      });
    });
  }

  function notice(item) {
    var box = document.querySelector(".live-notice");
    if (!box) {
      box = document.createElement("div");
      box.className = "live-notice";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      box.setAttribute("data-testid", "live-notice");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.className = "live-notice__title";
    title.textContent = item.title;
    box.appendChild(title);
    if (item.body) {
      var body = document.createElement("span");
      body.className = "live-notice__body";
      body.textContent = item.body;
      box.appendChild(body);
    }
    var here = item.url && item.url === window.location.pathname;
    if (item.url) {
      var link = document.createElement("a");
      link.className = "live-notice__link";
      link.href = here ? window.location.href : item.url;
      link.textContent = here ? conf.labelRefresh : conf.labelOpen;
      box.appendChild(link);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "live-notice__close";
    close.setAttribute("aria-label", conf.labelClose);
    close.textContent = "×";
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 10000);
  }

  function announce(type, data) {
    document.dispatchEvent(new CustomEvent("dandelion:live", { detail: { type: type, data: data } }));
  }

  function parse(event) {
    try { return JSON.parse(event.data); } catch (e) { return null; }
  }

  function poll() {
    polls += 1;
    if (polls % RETRY_STREAM_EVERY === 0 && window.EventSource) {
      stopPolling();
      connect();
      return;
    }
    fetch(conf.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (snapshot) {
        if (!snapshot) return;
        setUnread(snapshot.unread);
        setCounters(snapshot.counters || {});
        announce("snapshot", snapshot);
      })
      .catch(function () { /* offline: try again next time */ });
  }

  function startPolling() {
    if (pollTimer) return;
    document.documentElement.setAttribute("data-live", "polling");
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(conf.stream);
    source.addEventListener("open", function () {
      document.documentElement.setAttribute("data-live", "stream");
    });
    source.addEventListener("notification", function (event) {
      var item = parse(event);
      if (!item) return;
      notice(item);
      announce("notification", item);
    });
    source.addEventListener("unread", function (event) {
      var data = parse(event);
      if (data) { setUnread(data.unread); announce("unread", data); }
    });
    source.addEventListener("counters", function (event) {
      var data = parse(event);
      if (data) { setCounters(data); announce("counters", data); }
    });
    source.addEventListener("error", function () {
      // CONNECTING: the browser retries by itself (the stream ended, or a network blip).
      // CLOSED: the server refused it (busy, signed out): poll instead.
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        startPolling();
      }
    });
  }

  connect();
})();
