// Applies the reader's settings before the page paints (this file loads in <head>, blocking,
// and is tiny). Settings live in localStorage; with storage blocked, the defaults stand.
(function () {
  "use strict";
  var root = document.documentElement;
  var keys = ["theme", "font", "size", "width", "creator-style", "meta"];
  try {
    keys.forEach(function (key) {
      var value = window.localStorage.getItem("reader-" + key);
      if (value) { root.setAttribute("data-reader-" + key, value); }
    });
  } catch (error) { /* storage unavailable: defaults */ }
  // A work's details (tags, stats) stay folded once the reader folds them; the attribute is set
  // either way, so the stylesheet shows the fold button only where this script runs.
  if (!root.hasAttribute("data-reader-meta")) { root.setAttribute("data-reader-meta", "shown"); }
  // Until the reader chooses a theme, follow the device's: dark when the system is dark.
  if (!root.hasAttribute("data-reader-theme") && window.matchMedia &&
      window.matchMedia("(prefers-color-scheme: dark)").matches) {
    root.setAttribute("data-reader-theme", "dark");
  }
})();
