/* The H5 on a bad connection: registers the service worker (templates/web/sw.js) and keeps an
 * outbox of forms sent without a network.
 *
 * A form marked `data-offline="<kind>"` (a report, a need, a station visit, a rating) is sent by
 * this script. When the network fails, the form's fields and photos go into IndexedDB instead,
 * the page says so, and a banner on every page counts what is waiting. When the connection
 * returns (the `online` event, or the next page opened with one), each waiting form is sent
 * once more, as it was, to the address it was meant for: the form's own key (the report's and
 * the need's `client_token`; a visit is once per worker, station and day; a rating once per
 * need) makes a form that did reach the server before the answer was lost the same record, not
 * a second one. A form the server then refuses (say, a photo it cannot read) stays listed with
 * the server's reason until the worker removes it; nothing is thrown away unseen.
 *
 * Everything works without this script: forms then post as usual.
 */
(function () {
  "use strict";

  var DB_NAME = "dandelion-outbox";
  var STORE = "forms";
  // The page's words, in its language (templates/web/base.html).
  var words = (document.getElementById("outbox-words") || { dataset: {} }).dataset;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  /* Signing out: the worker's cached pages go with them. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-sign-out]") && navigator.serviceWorker &&
        navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
  }, true);

  if (!window.indexedDB || !window.fetch || !window.FormData) return;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
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
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(item) { return run("readwrite", function (store) { return store.put(item); }); }
  function remove(id) { return run("readwrite", function (store) { return store.delete(id); }); }

  function entriesOf(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) entries.push({ name: name, file: value, filename: value.name });
      } else {
        entries.push({ name: name, value: value });
      }
    });
    return entries;
  }

  function formDataOf(item) {
    var data = new FormData();
    item.entries.forEach(function (entry) {
      if (entry.file) data.append(entry.name, entry.file, entry.filename);
      else data.append(entry.name, entry.value);
    });
    return data;
  }

  function titleOf(form) {
    if (form.dataset.offlineTitle) return form.dataset.offlineTitle;
    var heading = document.querySelector("h1");
    return heading ? heading.textContent.trim() : document.title;
  }

  /* The server's reason on a refusal page, as the worker would read it there. */
  function reasonOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var found = doc.querySelector(".form-error, .weui-cells__tips[role=alert], [role=alert]");
    return found ? found.textContent.trim() : "";
  }

  function send(item) {
    return fetch(item.action, {
      method: "POST",
      body: formDataOf(item),
      credentials: "same-origin",
      headers: { "X-Dandelion-Outbox": "1" },
    });
  }

  var banner = null;

  function show(items, note) {
    if (!banner) {
      banner = document.createElement("aside");
      banner.className = "outbox";
      banner.setAttribute("role", "status");
      banner.setAttribute("aria-live", "polite");
      var topbar = document.querySelector(".topbar");
      if (topbar) topbar.insertAdjacentElement("afterend", banner);
      else document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.textContent = "";
    if (note) {
      var p = document.createElement("p");
      p.className = "outbox__note";
      p.textContent = note;
      banner.appendChild(p);
    }
    if (items.length) {
      var count = document.createElement("p");
      count.className = "outbox__count";
      count.textContent = words.waiting.replace("%n", items.length);
      banner.appendChild(count);
      var list = document.createElement("ul");
      list.className = "outbox__list";
      items.forEach(function (item) {
        var row = document.createElement("li");
        row.className = "outbox__item" + (item.refused ? " outbox__item_refused" : "");
        row.dataset.kind = item.kind;
        row.textContent = item.title + (item.refused ? " · " + words.refused + (item.reason ? "：" + item.reason : "") : "");
        if (item.refused) {
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "weui-btn weui-btn_mini weui-btn_default outbox__remove";
          drop.textContent = words.remove;
          drop.addEventListener("click", function () { remove(item.id).then(refresh); });
          row.appendChild(drop);
        }
        list.appendChild(row);
      });
      banner.appendChild(list);
    }
    banner.hidden = !items.length && !note;
  }

  function refresh(note) {
    return all().then(function (items) { show(items, typeof note === "string" ? note : ""); });
  }

  var flushing = false;

  /* Each waiting form, oldest first, sent once; stops at the first network failure. */
  function flush() {
    if (flushing || navigator.onLine === false) return Promise.resolve();
    flushing = true;
    var sent = [];
    return all().then(function (items) {
      var waiting = items.filter(function (item) { return !item.refused; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          return send(item).then(function (response) {
            // Done: stored (the answer after its redirect), or already done (409: the same
            // rating or visit arrived before).
            if (response.ok || response.status === 409) {
              sent.push(item.title);
              return remove(item.id).then(function () { return false; });
            }
            return response.text().then(function (html) {
              item.refused = true;
              item.reason = reasonOf(html) || String(response.status);
              return put(item).then(function () { return false; });
            });
          }, function () { return true; });
        });
      }, Promise.resolve(false));
    }).then(function () {
      flushing = false;
      return refresh(sent.length ? words.sent.replace("%s", sent.join("、")) : "");
    }, function () { flushing = false; });
  }

  /* A marked form goes through fetch; without a network it goes into the outbox. */
  function keep(form) {
    var item = {
      kind: form.dataset.offline,
      action: form.action || location.href,
      title: titleOf(form),
      page: location.pathname,
      entries: entriesOf(form),
      saved_at: new Date().toISOString(),
    };
    return put(item).then(function () {
      form.reset && form.reset();
      return refresh(words.saved);
    }).then(function () { window.scrollTo(0, 0); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline]") || event.defaultPrevented) return;
    event.preventDefault();
    if (navigator.onLine === false) {
      keep(form);
      return;
    }
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action || location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    }).then(function (response) {
      return response.text().then(function (html) {
        // The server's own answer, as a post without this script would have shown it: the
        // page it sent on to (with its "sent" message), or the form with its errors beside
        // the fields and the input kept.
        if (response.redirected) history.replaceState(null, "", response.url);
        document.open();
        document.write(html);
        document.close();
        window.scrollTo(0, 0); // a new page starts at its top, its message first
      });
    }, function () {
      if (button) button.disabled = false;
      return keep(form);
    });
  });

  window.addEventListener("online", flush);
  refresh().then(flush);
})();
