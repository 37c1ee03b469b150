// Subscribe and unsubscribe buttons without a page load. Without JavaScript the same forms
// post and redirect back; here they post with fetch, ask for JSON and update in place.
(function () {
  "use strict";
  if (window.subscribeButtonsReady) { return; }
  window.subscribeButtonsReady = true;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-subscribe]") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    var label = form.querySelector("[data-label]");
    var status = form.querySelector(".subscribe-status");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      form.action = result.data.action;
      label.textContent = result.data.label;
      status.textContent = result.data.message;
    }).catch(function () {
      // Something went wrong on the way: fall back to the plain form post.
      form.submit();
    }).finally(function () {
      button.disabled = false;
    });
  });
})();
