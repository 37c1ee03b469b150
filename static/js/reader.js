// Reading comfort on work pages: the settings panel and keyboard navigation.
// Progressive enhancement: without JavaScript the page reads the same with the default settings.
(function () {
  "use strict";
  var root = document.documentElement;

  function save(key, value) {
    root.setAttribute("data-reader-" + key, value);
    try { window.localStorage.setItem("reader-" + key, value); } catch (error) { /* not remembered */ }
  }

  var panel = document.getElementById("reader-settings");
  if (panel) {
    panel.hidden = false;
    panel.querySelectorAll("select[data-setting]").forEach(function (select) {
      var key = select.getAttribute("data-setting");
      var current = root.getAttribute("data-reader-" + key);
      if (current) { select.value = current; }
      select.addEventListener("change", function () { save(key, select.value); });
    });
    var reset = panel.querySelector("[data-reset]");
    if (reset) {
      reset.addEventListener("click", function () {
        ["theme", "font", "size", "width"].forEach(function (key) {
          root.removeAttribute("data-reader-" + key);
          try { window.localStorage.removeItem("reader-" + key); } catch (error) { /* ignore */ }
        });
        panel.querySelectorAll("select[data-setting]").forEach(function (select) { select.selectedIndex = 0; });
      });
    }
  }

  // Left and right arrows: previous and next chapter, unless the reader is typing.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    if (!rel) { return; }
    var link = document.querySelector('.chapter-pager a[rel="' + rel + '"]');
    if (link) { window.location.href = link.href; }
  });
})();
