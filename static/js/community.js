// Comments and kudos without leaving the page. A form marked data-enhance="<section id>" is
// posted in the background; the server answers with that section re-rendered (the new comment,
// the error and the reader's text, the kudos list), which replaces the old one. Without
// JavaScript, or if the request fails, the form posts and the page reloads as usual. A section's
// data-stat names the work's stat (dl.stats dd.<name>) its data-stat-value replaces.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var target = form.getAttribute && form.getAttribute("data-enhance");
    if (!target || !window.fetch || !window.FormData) { return; }
    var section = document.getElementById(target);
    if (!section) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0 || response.status >= 500) { throw new Error("not a section"); }
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var fresh = holder.firstElementChild;
      if (!fresh || fresh.id !== target) { throw new Error("not a section"); }
      section.replaceWith(fresh);
      // The work's stats above the text count what the section counts: keep them agreeing.
      var stat = fresh.getAttribute("data-stat");
      if (stat && /^[a-z]+$/.test(stat)) {
        document.querySelectorAll("dl.stats dd." + stat).forEach(function (value) {
          value.textContent = fresh.getAttribute("data-stat-value");
        });
      }
      var focus = fresh.querySelector("[data-posted]") || fresh.querySelector(".errorlist, [role=status]");
      if (focus) {
        focus.setAttribute("tabindex", "-1");
        focus.focus();
        focus.scrollIntoView({ block: "center" });
      }
    }).catch(function () {
      // Fall back to an ordinary post, so nothing the reader wrote is lost.
      form.removeAttribute("data-enhance");
      form.submit();
    });
  });
})();
