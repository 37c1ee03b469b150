// Suggests usernames as an author types whom to invite as a co-creator (the co-creators page).
// Progressive enhancement: without this script the field is a plain text input, and the server
// says next to it when no user has the name typed.
(function () {
  "use strict";

  function attach(input) {
    var endpoint = input.getAttribute("data-username-suggestions");
    var list = document.createElement("datalist");
    list.id = input.id + "_suggestions";
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("list", list.id);
    var timer = null;
    var controller = null;

    function show(names) {
      list.innerHTML = "";
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        list.appendChild(option);
      });
    }

    function fetchSuggestions() {
      var term = input.value.trim();
      if (term.length < 2) { show([]); return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(endpoint + "?q=" + encodeURIComponent(term), { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { /* offline or aborted: the plain field still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
  }

  document.querySelectorAll("input[data-username-suggestions]").forEach(attach);
})();
