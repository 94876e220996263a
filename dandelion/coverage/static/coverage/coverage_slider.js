/*
 * The "open at" slider of the coverage pages: 0–23 is an hour of today, 24 is any time.
 * The label follows the thumb; letting go recomputes the coverage for that hour.
 */
(function () {
  "use strict";
  var slider = document.getElementById("id_at_hour");
  var label = document.getElementById("at-hour-label");
  if (!slider || !label) return;

  function show() {
    var hour = Number(slider.value);
    label.textContent =
      hour >= 24 ? label.dataset.any : label.dataset.at.replace("{h}", String(hour).padStart(2, "0"));
  }

  slider.addEventListener("input", show);
  slider.addEventListener("change", function () {
    if (slider.form) slider.form.submit();
  });
  show();
})();
