/* The console's photo viewer: thumbnails swap the large photo; the link opens the original. */
(function () {
  "use strict";
  var viewer = document.getElementById("photo-viewer");
  if (!viewer) return;
  var image = document.getElementById("photo-viewer-image");
  var open = document.getElementById("photo-viewer-open");
  viewer.querySelectorAll(".photo-viewer__thumb").forEach(function (button, index) {
    button.addEventListener("click", function () {
      image.src = button.dataset.full;
      image.alt = button.getAttribute("aria-label");
      open.href = button.dataset.full;
      viewer.querySelectorAll(".photo-viewer__thumb").forEach(function (other) {
        other.classList.toggle("is-current", other === button);
      });
    });
  });
})();
