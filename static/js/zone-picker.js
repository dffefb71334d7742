// The time-zone picker: a search box above the grouped <select data-zone-search> that hides
// the zones (and the groups) not matching what is typed. Without this file the select works
// as it is: Russia's zones first, then each region.
(function () {
  "use strict";

  function normalize(text) {
    return text.toLowerCase().replace(/[_/]/g, " ").replace(/ё/g, "е");
  }

  document.querySelectorAll("select[data-zone-search]").forEach(function (select) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control mb-2 zone-search";
    search.id = select.id + "_search";
    search.placeholder = select.dataset.zoneSearch;
    search.setAttribute("aria-label", select.dataset.zoneSearch);
    search.setAttribute("aria-controls", select.id);
    search.autocomplete = "off";
    select.parentElement.insertBefore(search, select);
    var options = Array.prototype.slice.call(select.options);
    options.forEach(function (option) {
      option.dataset.text = normalize(option.textContent + " " + option.value);
    });

    function filter() {
      var words = normalize(search.value).split(/\s+/).filter(Boolean);
      var first = null;
      options.forEach(function (option) {
        var shown = words.every(function (word) { return option.dataset.text.indexOf(word) !== -1; });
        option.hidden = !shown;
        if (shown && !first) { first = option; }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      return first;
    }

    search.addEventListener("input", function () {
      var first = filter();
      // A typed search picks its best match, so the choice is visible before saving.
      if (first && search.value.trim() && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
      }
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // Enter picks the first match instead of sending the form
        event.preventDefault();
        var first = filter();
        if (first) { select.value = first.value; select.focus(); }
      }
    });
  });
})();
