/*
 * "Report a problem": pin the place on the map (or use the phone's position), offer the
 * categories of the pinned place, preview the photos, and, once a category and a place are
 * known, show open reports of the same category within 50 m (the duplicate check) with a
 * "me too" button each.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("report-config").textContent);
  var messages = config.messages;
  var el = {
    map: document.getElementById("pick-map"),
    lat: document.getElementById("lat"),
    lng: document.getElementById("lng"),
    hint: document.getElementById("pin-hint"),
    locate: document.getElementById("locate"),
    fields: document.getElementById("category-fields"),
    duplicates: document.getElementById("duplicates"),
    duplicatesTitle: document.getElementById("duplicates-title"),
    duplicatesList: document.getElementById("duplicates-list"),
  };
  var view = window.DandelionReportMap.create(el.map, config, { zoom: 16 });
  var pin = null;

  function setPoint(lat, lng, pan) {
    el.lat.value = lat.toFixed(7);
    el.lng.value = lng.toFixed(7);
    var point = view.toMap(lat, lng);
    if (pin) pin.setLatLng(point);
    else pin = L.circleMarker(point, { radius: 10, color: "#fff", weight: 3, fillColor: "#fa5151", fillOpacity: 1 }).addTo(view.map);
    if (pan) view.map.setView(point, Math.max(view.map.getZoom(), 16));
    el.map.dataset.pinned = "true";
    loadCategories();
  }

  view.map.on("click", function (event) {
    var wgs = view.fromMap(event.latlng.lat, event.latlng.lng);
    setPoint(wgs[0], wgs[1], false);
    el.hint.textContent = messages.located;
  });

  function locate() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setPoint(position.coords.latitude, position.coords.longitude, true);
        el.hint.textContent = messages.located;
      },
      function () {
        el.hint.textContent = messages.pin_hint;
      },
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 }
    );
  }
  el.locate.addEventListener("click", locate);

  /* ---- the categories of the pinned place, and the chosen one's extra questions ---- */

  // Categories differ from street to street, so the server renders the select and the
  // questions again for each new pin. What the worker chose and answered is kept here while
  // the pin passes places where that category does not apply, and put back when it does.
  var chosen = config.chosen || { category: category().value, answers: {} };
  var answers = {}; // category code -> {field name: value}
  if (chosen.category) answers[chosen.category] = chosen.answers;
  var loading = null;

  function category() {
    return document.getElementById("category");
  }

  function eachQuestion(visit) {
    el.fields.querySelectorAll(".report-form__questions").forEach(function (set) {
      set.querySelectorAll("[name]").forEach(function (input) {
        visit(set.dataset.category, input);
      });
    });
  }

  function loadCategories() {
    var at = el.lat.value + "," + el.lng.value;
    if (at === el.fields.dataset.at) {
      checkDuplicates();
      return;
    }
    var query = new URLSearchParams({ lat: el.lat.value, lng: el.lng.value, category: chosen.category });
    if (loading) loading.abort();
    var current = (loading = new AbortController());
    fetch(config.categoriesUrl + "?" + query.toString(), { signal: current.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        eachQuestion(function (code, input) {
          (answers[code] = answers[code] || {})[input.name] = input.value;
        });
        el.fields.innerHTML = html;
        el.fields.dataset.at = at;
        eachQuestion(function (code, input) {
          var kept = answers[code] || {};
          if (Object.prototype.hasOwnProperty.call(kept, input.name)) input.value = kept[input.name];
        });
        showQuestions();
        checkDuplicates();
      })
      .catch(function () {})
      .finally(function () {
        if (loading === current) loading = null;
      });
  }

  function showQuestions() {
    el.fields.querySelectorAll(".report-form__questions").forEach(function (set) {
      var on = set.dataset.category === category().value;
      set.hidden = !on;
      set.disabled = !on;
    });
  }
  el.fields.addEventListener("change", function (event) {
    if (event.target.id !== "category") return;
    chosen.category = event.target.value;
    showQuestions();
    // A list still on its way was asked for with the earlier choice: ask again.
    if (loading) {
      loadCategories();
    } else {
      checkDuplicates();
    }
  });

  /* ---- duplicates and "me too" ---- */

  var pending = null;

  function checkDuplicates() {
    if (!category().value || !el.lat.value) {
      el.duplicates.hidden = true;
      return;
    }
    var query = new URLSearchParams({ category: category().value, lat: el.lat.value, lng: el.lng.value });
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(config.api.nearby + "?" + query.toString(), { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(renderDuplicates)
      .catch(function () {});
  }

  function renderDuplicates(items) {
    el.duplicatesList.textContent = "";
    if (!items.length) {
      el.duplicates.hidden = true;
      return;
    }
    el.duplicatesTitle.textContent = messages.duplicates.replace("%(n)s", items.length);
    items.forEach(function (item) {
      var node = document.getElementById("tpl-duplicate").content.firstElementChild.cloneNode(true);
      var title = node.querySelector('[data-slot="title"]');
      title.textContent = item.category.name + " · " + (item.description || "").slice(0, 30);
      title.href = config.detailUrl.replace("/0/", "/" + item.id + "/");
      node.querySelector('[data-slot="meta"]').textContent = item.status_label + " · " + Math.round(item.distance_m) + " m";
      var thumb = node.querySelector(".duplicate__thumb");
      if (item.photos.length) thumb.src = item.photos[0].thumbnail_url;
      else thumb.remove();
      var button = node.querySelector('[data-slot="support"]');
      button.textContent = messages.support;
      button.addEventListener("click", function () { support(item.id, button); });
      el.duplicatesList.appendChild(node);
    });
    el.duplicates.hidden = false;
  }

  function support(id, button) {
    button.disabled = true;
    fetch(config.api.support.replace("/0/", "/" + id + "/"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": window.DandelionReportMap.csrfToken() },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        button.textContent = messages.supported;
        button.classList.add("is-done");
      })
      .catch(function () {
        button.disabled = false;
        button.textContent = messages.support_failed;
      });
  }

  showQuestions();
  if (el.lat.value && el.lng.value) {
    setPoint(parseFloat(el.lat.value), parseFloat(el.lng.value), true);
  } else {
    locate();
  }
})();
