// Sends the forms of the bookmark box (bookmark, add to or remove from a reading list) without
// reloading the page. Progressive enhancement: without this script every form is a plain POST
// that redirects back. The server answers JSON with the refreshed box as escaped HTML.
(function () {
  "use strict";

  function updateCounts(count) {
    var shown = Number(count).toLocaleString("en-US");
    document.querySelectorAll("dd.bookmarks").forEach(function (dd) {
      dd.textContent = shown;
    });
  }

  function replaceBox(box, html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (!fresh) {
      return null;
    }
    box.replaceWith(fresh);
    enhance(fresh);
    return fresh;
  }

  function send(event) {
    var form = event.currentTarget;
    var box = form.closest("[data-bookmark-box]");
    if (!box || !window.fetch) {
      return;
    }
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          throw new Error("not JSON");
        }
        return response.json();
      })
      .then(function (data) {
        if (typeof data.bookmark_count === "number") {
          updateCounts(data.bookmark_count);
        }
        var fresh = replaceBox(box, data.html || "");
        var focus = fresh && (fresh.querySelector("[data-bookmark-status]") || fresh.querySelector(".form-errors"));
        if (focus) {
          focus.setAttribute("tabindex", "-1");
          focus.focus();
        }
      })
      .catch(function () {
        // Fall back to the plain form: the server redirects back with a message.
        form.removeEventListener("submit", send);
        form.submit();
      });
  }

  function enhance(root) {
    root.querySelectorAll("form[data-bookmark-form]").forEach(function (form) {
      form.addEventListener("submit", send);
    });
  }

  enhance(document);
})();
