// The station visit page (驿站打卡) asks the browser where the device is and sends it (WGS-84,
// as browsers give it) with the visit and the attendance forms, so the server can check the
// worker is at the station. A tap before the answer waits for it (at most the timeout); without
// an answer the forms are sent without a location, and the visit is recorded unverified.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-device-location]"));
  var status = document.querySelector(".station-visit__where");
  if (!forms.length) return;
  var state = "pending";
  var waiting = [];

  function say(key) {
    if (status) status.textContent = status.getAttribute("data-" + key) || "";
  }

  function settle(next) {
    state = next;
    say(next === "done" ? "located" : "unlocated");
    // requestSubmit, not submit: the form's other handlers (the offline outbox) still see it.
    waiting.forEach(function (form) {
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
    waiting = [];
  }

  if (!navigator.geolocation) {
    settle("failed");
    return;
  }
  say("locating");
  navigator.geolocation.getCurrentPosition(
    function (position) {
      forms.forEach(function (form) {
        form.elements.lat.value = position.coords.latitude;
        form.elements.lng.value = position.coords.longitude;
        form.elements.accuracy_m.value = position.coords.accuracy;
      });
      settle("done");
    },
    function () { settle("failed"); },
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
  );
  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (state !== "pending") return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      if (waiting.indexOf(form) < 0) waiting.push(form);
    });
  });
})();
