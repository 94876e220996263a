/* The worker's own pages: the wait before another code can be sent, and the registration form's
   fields that only matter for some answers. Everything works without this script. */
(function () {
  "use strict";

  function countdown(button) {
    var left = parseInt(button.dataset.wait || "0", 10);
    if (!(left > 0)) return;
    var label = button.dataset.label;
    var waitLabel = button.dataset.waitLabel || "%s";
    button.disabled = true;
    button.classList.add("weui-btn_disabled");
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.classList.remove("weui-btn_disabled");
        button.textContent = label;
        return;
      }
      button.textContent = waitLabel.replace("%s", left);
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.querySelectorAll("[data-wait]").forEach(countdown);

  var form = document.querySelector(".register-form");
  if (form) {
    var platform = form.querySelector("#platform");
    var other = form.querySelector(".register-form__platform-other");
    var volunteer = form.querySelector("#is_volunteer");
    var skills = form.querySelector(".register-form__skills");
    var sync = function () {
      other.hidden = platform.value !== "other";
      skills.hidden = !volunteer.checked;
    };
    platform.addEventListener("change", sync);
    volunteer.addEventListener("change", sync);
    sync();
  }
})();
