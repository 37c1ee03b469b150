// Reading comfort on work pages: the settings panel and keyboard navigation.
// Progressive enhancement: without JavaScript the page reads the same with the default settings.
(function () {
  "use strict";
  var root = document.documentElement;

  function save(key, value) {
    root.setAttribute("data-reader-" + key, value);
    try { window.localStorage.setItem("reader-" + key, value); } catch (error) { /* not remembered */ }
  }

  function forget(key) {
    root.removeAttribute("data-reader-" + key);
    try { window.localStorage.removeItem("reader-" + key); } catch (error) { /* ignore */ }
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
    // "Hide creator's style": a checkbox, so on is "hide" and off forgets the setting. Turning it
    // off also undoes this page's ?style=disable (the class on #workskin).
    var workskin = document.getElementById("workskin");
    var styleLink = document.getElementById("creator-style-link");
    if (styleLink) { styleLink.hidden = true; }
    panel.querySelectorAll("input[type=checkbox][data-setting]").forEach(function (box) {
      var key = box.getAttribute("data-setting");
      box.checked = root.getAttribute("data-reader-" + key) === box.value ||
        (key === "creator-style" && !!workskin && workskin.classList.contains("creator-style-hidden"));
      box.addEventListener("change", function () {
        if (box.checked) { save(key, box.value); } else { forget(key); }
        if (key === "creator-style" && workskin && !box.checked) { workskin.classList.remove("creator-style-hidden"); }
      });
    });
    var reset = panel.querySelector("[data-reset]");
    if (reset) {
      reset.addEventListener("click", function () {
        ["theme", "font", "size", "width", "creator-style"].forEach(forget);
        panel.querySelectorAll("select[data-setting]").forEach(function (select) { select.selectedIndex = 0; });
        panel.querySelectorAll("input[type=checkbox][data-setting]").forEach(function (box) { box.checked = false; });
        if (workskin) { workskin.classList.remove("creator-style-hidden"); }
      });
    }
  }

  // A work's details (rating, tags, stats): folded and unfolded by one button, remembered in this
  // browser (reader-settings.js applies the choice before the page paints).
  var metaButton = document.querySelector("[data-meta-toggle]");
  if (metaButton) {
    var showExpanded = function () {
      metaButton.setAttribute("aria-expanded", root.getAttribute("data-reader-meta") === "hidden" ? "false" : "true");
    };
    showExpanded();
    metaButton.addEventListener("click", function () {
      save("meta", root.getAttribute("data-reader-meta") === "hidden" ? "shown" : "hidden");
      showExpanded();
    });
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
