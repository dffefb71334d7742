// Canned replies on the ticket page (engineers): a list next to the reply, information-request
// and resolution texts. Choose with the arrows or by typing, then Enter or "Insert": the reply,
// filled in for this ticket by the server, goes in at the cursor (or replaces an empty text),
// and the focus returns to the text right after it. Placeholders without a value stay in the
// text and are named below the list; the server refuses to send them.
// Progressive: without this script the pickers stay hidden and the forms work as before.
(function () {
  "use strict";
  var pickers = document.querySelectorAll(".canned-picker");
  if (!pickers.length) { return; }

  function getJson(url) {
    return window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
  }

  function fillList(select, replies, picker) {
    var groups = { team: null, mine: null };
    replies.forEach(function (reply) {
      var kind = reply.team ? "team" : "mine";
      if (!groups[kind]) {
        groups[kind] = document.createElement("optgroup");
        groups[kind].label = picker.dataset[kind + "Label"];
      }
      var option = document.createElement("option");
      option.value = reply.id;
      option.textContent = reply.keyword ? reply.title + " (" + reply.keyword + ")" : reply.title;
      groups[kind].appendChild(option);
    });
    ["team", "mine"].forEach(function (kind) {
      if (groups[kind]) { select.appendChild(groups[kind]); }
    });
  }

  function insertAt(textarea, text) {
    var value = textarea.value;
    var start = value.trim() ? textarea.selectionStart : 0;
    var end = value.trim() ? textarea.selectionEnd : value.length;
    textarea.value = value.slice(0, start) + text + value.slice(end);
    var caret = start + text.length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function say(status, parts, warning) {
    status.textContent = parts.filter(Boolean).join(" ");
    status.classList.toggle("text-danger", Boolean(warning));
  }

  function setUp(picker, replies) {
    var select = picker.querySelector(".canned-select");
    var button = picker.querySelector(".canned-insert");
    var status = picker.querySelector(".canned-status");
    var textarea = document.getElementById(picker.dataset.target);
    if (!textarea || !replies.length) { return; }
    fillList(select, replies, picker);
    picker.hidden = false;

    function insert() {
      if (!select.value) { select.focus(); return; }
      var url = picker.dataset.fillUrl.replace("/0/fill/", "/" + select.value + "/fill/");
      button.disabled = true;
      getJson(url).then(function (filled) {
        insertAt(textarea, filled.text);
        say(status, [filled.warning || picker.dataset.inserted, filled.note], filled.warning);
      }).catch(function () {
        say(status, [picker.dataset.failed], true);
      }).then(function () { button.disabled = false; });
    }

    button.addEventListener("click", insert);
    select.addEventListener("keydown", function (event) {
      // Enter in the list inserts; it never sends the form.
      if (event.key === "Enter") { event.preventDefault(); insert(); }
    });
  }

  var first = pickers[0];
  getJson(first.dataset.choicesUrl).then(function (data) {
    pickers.forEach(function (picker) { setUp(picker, data.replies || []); });
  }).catch(function () { /* no list: the forms work on without it */ });
})();
