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
})();
