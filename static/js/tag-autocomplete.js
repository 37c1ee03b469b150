// Suggests existing tags as an author types into a comma-separated tag field.
// Progressive enhancement: without this script the field is a plain text input.
(function () {
  "use strict";
  var endpoint = document.documentElement.getAttribute("data-autocomplete-url") || "/autocomplete/tags";

  function currentTerm(input) {
    var before = input.value.slice(0, input.selectionStart);
    var start = before.lastIndexOf(",") + 1;
    return { start: start, text: before.slice(start).trim() };
  }

  function attach(input) {
    var kind = input.getAttribute("data-tag-kind");
    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.id = input.id + "_suggestions";
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var timer = null;
    var active = -1;
    var controller = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var term = currentTerm(input);
      var after = input.value.slice(input.selectionStart);
      var rest = after.indexOf(",") >= 0 ? after.slice(after.indexOf(",")) : "";
      var head = input.value.slice(0, term.start);
      input.value = (head ? head.replace(/\s*$/, " ") : "") + name + ", " + rest.replace(/^,\s*/, "");
      close();
      input.focus();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) { input.setAttribute("aria-activedescendant", items[index].id); }
    }

    // The tags already in the field, but for the one being typed: never offered again, so
    // picking a suggestion can't make a duplicate.
    function entered() {
      var term = currentTerm(input);
      var names = {};
      var typing = input.value.slice(term.start).split(",")[0];
      (input.value.slice(0, term.start) + input.value.slice(term.start + typing.length)).split(",").forEach(function (name) {
        var key = name.replace(/\s+/g, " ").trim().toLowerCase();
        if (key) { names[key] = true; }
      });
      return names;
    }

    function show(results) {
      var already = entered();
      results = results.filter(function (tag) { return !already[tag.name.toLowerCase()]; });
      list.innerHTML = "";
      results.forEach(function (tag, i) {
        var item = document.createElement("li");
        item.id = list.id + "_" + i;
        item.setAttribute("role", "option");
        item.textContent = tag.name;
        if (tag.canonical) { item.className = "canonical"; }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(tag.name); });
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function fetchSuggestions() {
      var term = currentTerm(input).text;
      if (term.length < 2) { close(); return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      var url = endpoint + "?kind=" + encodeURIComponent(kind) + "&q=" + encodeURIComponent(term);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { /* offline or aborted: the plain field still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      // Enter picks the highlighted suggestion. In a form that posts (a work), Enter in a tag
      // field never sends it: authors press Enter after each tag, as on other archives. A
      // search form is still sent by Enter when no suggestion is highlighted.
      if (event.key === "Enter") {
        var posts = input.form && input.form.method.toLowerCase() === "post";
        if (!list.hidden && active >= 0 && items[active]) { event.preventDefault(); choose(items[active].textContent); }
        else if (posts) { event.preventDefault(); close(); }
        return;
      }
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-tag-kind]").forEach(attach);
})();
