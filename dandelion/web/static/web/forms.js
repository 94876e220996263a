/* Every form of the H5: a field marked wrong by the server stops looking wrong once the person
   changes it, so the red that is left is what still needs their attention. The server checks
   again on submit; without this script the marks simply stay until then. */
(function () {
  "use strict";

  function clear(control) {
    var cell = control.closest(".weui-cell_warn, .consent_warn");
    if (cell) {
      cell.classList.remove("weui-cell_warn", "consent_warn");
    }
    if (control.id) {
      var message = document.getElementById(control.id + "-error");
      if (message) message.hidden = true;
    }
    control.removeAttribute("aria-invalid");
  }

  function onEdit(event) {
    var control = event.target;
    if (!control.matches || !control.matches("input, select, textarea")) return;
    if (control.type === "checkbox" ? !control.checked : !String(control.value).trim()) return;
    clear(control);
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  /* The photo picker shows what was chosen, as many as will be kept. */
  document.querySelectorAll(".photo-picker").forEach(function (picker) {
    var input = picker.querySelector("input[type=file]");
    var previews = picker.querySelector(".photo-picker__previews");
    var max = parseInt(picker.dataset.max || "4", 10);
    input.addEventListener("change", function () {
      previews.textContent = "";
      Array.prototype.slice.call(input.files, 0, max).forEach(function (file) {
        var img = document.createElement("img");
        img.className = "photo-picker__preview";
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        previews.appendChild(img);
      });
    });
  });
})();
