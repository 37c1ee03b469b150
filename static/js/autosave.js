// Autosave for the chapter and work forms: keeps a copy of the text fields in this browser.
//
// A form opts in with data-autosave="<key>" (one key per user and work/chapter/new work) and
// data-autosave-version="<what the server has>" (the chapter's or work's last save, or the newest
// chapter/work id for a "new" form). The copy is saved on input (after a short pause) and every few
// seconds while there are unsaved changes. When the form loads and the copy differs from the text
// in the form, a notice offers it back: "Restore it" or "Discard". While that question is open,
// autosaving waits, so the older copy is not overwritten.
//
// On submit the copy is only marked as sent. If the server's version has moved by the next time
// the form loads, the post went through and the copy is dropped; if it hasn't (an expired session,
// a lost connection, a rejected form), the copy is still there to offer back.
//
// Progressive enhancement: without JavaScript (or localStorage) the form works as before.
(function () {
  "use strict";
  var PREFIX = "autosave:";
  var SAVE_DELAY_MS = 1000;
  var SAVE_EVERY_MS = 5000;

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function textFields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      if (!element.name || element.disabled || element.readOnly) { return false; }
      if (element.tagName === "TEXTAREA") { return true; }
      return element.tagName === "INPUT" && (element.type === "text" || element.type === "search");
    });
  }

  function read(store, key) {
    try {
      var copy = JSON.parse(store.getItem(key));
      return copy && typeof copy.fields === "object" ? copy : null;
    } catch (error) {
      return null;
    }
  }

  function describe(time) {
    var date = new Date(time);
    if (isNaN(date.getTime())) { return "earlier"; }
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function setUp(form, store) {
    var key = PREFIX + form.getAttribute("data-autosave");
    var version = form.getAttribute("data-autosave-version") || "";
    var fields = textFields(form);
    var dirty = false;
    var paused = false;
    var timer = null;

    function values() {
      var result = {};
      fields.forEach(function (field) { result[field.name] = field.value; });
      return result;
    }

    function save() {
      window.clearTimeout(timer);
      if (!dirty || paused) { return; }
      var copy = { savedAt: new Date().toISOString(), version: version, sent: false, fields: values() };
      try {
        store.setItem(key, JSON.stringify(copy));
        dirty = false;
      } catch (error) { /* storage full: keep trying on the next change */ }
    }

    function differs(copy) {
      return fields.some(function (field) {
        return Object.prototype.hasOwnProperty.call(copy.fields, field.name) && copy.fields[field.name] !== field.value;
      });
    }

    function offer(copy) {
      paused = true;
      var notice = document.createElement("div");
      notice.className = "notice autosave-notice";
      notice.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.textContent = "An unsaved copy from " + describe(copy.savedAt) +
        " was found in this browser. Autosave is paused until you choose.";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.textContent = "Restore it";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.textContent = "Discard";
      var actions = document.createElement("p");
      actions.className = "actions";
      actions.appendChild(restore);
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(discard);
      notice.appendChild(text);
      notice.appendChild(actions);
      form.parentNode.insertBefore(notice, form);

      function close(message) {
        paused = false;
        notice.textContent = "";
        var done = document.createElement("p");
        done.textContent = message;
        notice.appendChild(done);
        notice.setAttribute("role", "status");
      }

      restore.addEventListener("click", function () {
        fields.forEach(function (field) {
          if (Object.prototype.hasOwnProperty.call(copy.fields, field.name)) { field.value = copy.fields[field.name]; }
        });
        dirty = true;
        close("The unsaved copy is back in the form. It is not posted until you submit.");
        save();
        var first = fields[0];
        if (first) { first.focus(); }
      });
      discard.addEventListener("click", function () {
        try { store.removeItem(key); } catch (error) { /* ignore */ }
        close("The unsaved copy was discarded.");
      });
    }

    var copy = read(store, key);
    if (copy && copy.sent && copy.version !== version) {
      // Sent, and the server has moved on since: the post went through.
      store.removeItem(key);
    } else if (copy && differs(copy)) {
      offer(copy);
    } else if (copy && copy.sent) {
      // Sent, refused, and the form shows the same text again (a validation error): keep saving.
      copy.sent = false;
      try { store.setItem(key, JSON.stringify(copy)); } catch (error) { /* ignore */ }
    }

    form.addEventListener("input", function () {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_DELAY_MS);
    });
    window.setInterval(save, SAVE_EVERY_MS);
    window.addEventListener("pagehide", save);

    form.addEventListener("submit", function () {
      dirty = true;
      paused = false;
      save();
      var sent = read(store, key);
      if (sent) {
        sent.sent = true;
        try { store.setItem(key, JSON.stringify(sent)); } catch (error) { /* ignore */ }
      }
    });
  }

  var store = storage();
  if (!store) { return; }
  document.querySelectorAll("form[data-autosave]").forEach(function (form) { setUp(form, store); });
})();
