// Suggests colleagues while an engineer types "@" in the reply / note text (issue 18): the
// names come once from tickets:mention_people (engineers only). Up/Down choose, Enter or Tab
// writes "@handle ", Escape closes; anything else is typed as usual. Without this file the
// handle is simply typed (tickets/mentions.py reads it either way).
(function () {
  "use strict";

  var marker = document.getElementById("ticket-shortcuts");
  var area = document.querySelector(".reply-form textarea");
  if (!marker || !marker.dataset.mentionsUrl || !area || !window.fetch) { return; }
  var people = null;
  var options = [];
  var active = -1;
  var start = -1;
  var list = document.createElement("ul");
  list.id = "mention-list";
  list.className = "mention-list list-group small";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  area.insertAdjacentElement("afterend", list);
  area.setAttribute("aria-autocomplete", "list");
  area.setAttribute("aria-controls", list.id);

  var loading = null;
  function load() {  // once: every later "@" reads the same list
    if (!loading) {
      loading = fetch(marker.dataset.mentionsUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (data) { people = data.people || []; })
        .catch(function () { people = []; });
    }
    return loading;
  }

  // The "@name" being typed just before the caret, as tickets.mentions.MENTION_RE starts one.
  function typed() {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[^\w.+@-])@([\w.%+-]*)$/.exec(before);
    return match ? { start: before.length - match[2].length, text: match[2].toLowerCase() } : null;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    area.removeAttribute("aria-activedescendant");
  }

  function mark(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (item, n) {
      item.classList.toggle("active", n === index);
      item.setAttribute("aria-selected", n === index ? "true" : "false");
    });
    area.setAttribute("aria-activedescendant", "mention-option-" + index);
  }

  function choose(index) {
    var person = options[index];
    var caret = area.selectionStart;
    var text = person.handle + " ";
    area.value = area.value.slice(0, start) + text + area.value.slice(caret);
    area.setSelectionRange(start + text.length, start + text.length);
    close();
    area.focus();
  }

  function show(matches) {
    close();
    options = matches;
    matches.forEach(function (person, index) {
      var item = document.createElement("li");
      item.id = "mention-option-" + index;
      item.className = "list-group-item list-group-item-action py-1";
      item.setAttribute("role", "option");
      item.textContent = "@" + person.handle + " — " + person.name;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep the focus in the text
        choose(index);
      });
      list.appendChild(item);
    });
    list.hidden = false;
    mark(0);
  }

  area.addEventListener("input", function () {
    if (!typed()) { close(); return; }
    load().then(function () {
      var word = typed();  // as the text is now: more may have been typed meanwhile
      if (!word || document.activeElement !== area) { close(); return; }
      var matches = people.filter(function (person) {
        return person.handle.indexOf(word.text) === 0 ||
          person.name.toLowerCase().indexOf(word.text) !== -1;
      }).slice(0, 8);
      start = word.start;
      if (matches.length) { show(matches); } else { close(); }
    });
  });

  area.addEventListener("keydown", function (event) {
    if (list.hidden || !options.length || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      mark((active + step + options.length) % options.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      choose(active);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  });
  area.addEventListener("blur", close);
})();
