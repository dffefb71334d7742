// The hotline page: show the caller search's results while the engineer types. The search
// is a plain GET form and works without this file; this only fetches the same fragment.
(function () {
  "use strict";

  var input = document.querySelector("input[data-lookup-url]");
  if (!input || !window.fetch) { return; }
  var results = document.getElementById(input.dataset.results);
  var timer = null;
  var latest = 0;

  function lookup() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (query.length < 2) { results.textContent = ""; return; }
    fetch(input.dataset.lookupUrl + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      // Only the answer to the latest keystroke counts; the fragment is escaped server-side.
      if (html !== null && ticket === latest) { results.innerHTML = html; }
    }).catch(function () { /* the Find button still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 250);
  });
})();
