// Keyboard shortcuts of the queue and the ticket page (issue 18); "?" shows them all.
// Queue: j/k or the arrows move a highlight over the rows, Enter/o opens, t takes. The queue
// keeps its tickets' order in sessionStorage, so on a ticket page n/p go to the next and the
// previous ticket of the queue the engineer came from; t takes, a goes to the assign control,
// r to the reply, s/e to the resolution. Ctrl+Enter (or Cmd+Enter) in a text area sends its
// form. No letter acts while a field has the focus or with Ctrl/Alt/Meta held; Escape leaves
// the field. Without this file every action is still a button or a link.
(function () {
  "use strict";

  var ORDER_KEY = "helpdesk.queue-order";
  var help = document.getElementById("shortcuts-help");
  var queueTable = document.getElementById("queue-table");
  var ticket = document.getElementById("ticket-shortcuts");

  function typing(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.isContentEditable ||
      target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  function showHelp() {
    if (!help || !window.bootstrap) { return; }
    window.bootstrap.Modal.getOrCreateInstance(help).show();
  }

  function reveal(node) {
    var details = node.closest("details");
    if (details) { details.open = true; }
    node.scrollIntoView({ block: "center" });
    node.focus();
  }

  // Ctrl+Enter sends the form of the text area being written (reply, note, request, result).
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) { return; }
    if (!area || area.tagName !== "TEXTAREA" || !area.form) { return; }
    event.preventDefault();
    if (area.form.requestSubmit) { area.form.requestSubmit(); } else { area.form.submit(); }
  });

  // ---- the queue -------------------------------------------------------------------------
  var current = "";  // the highlighted row's ticket number

  function queueRows() {
    var body = document.getElementById("queue-rows");
    return body ? Array.prototype.slice.call(body.querySelectorAll("tr[data-number]")) : [];
  }

  function remember() {
    var numbers = queueRows().map(function (row) { return row.dataset.number; });
    try {
      window.sessionStorage.setItem(ORDER_KEY, JSON.stringify(numbers));
    } catch (error) { /* storage off: n/p simply do nothing */ }
  }

  function highlight(row, focus) {
    queueRows().forEach(function (other) {
      other.classList.remove("shortcut-current", "table-active");
    });
    if (!row) { current = ""; return; }
    current = row.dataset.number;
    row.classList.add("shortcut-current", "table-active");
    var link = row.querySelector(".q-number a");
    if (focus && link) {
      link.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var rows = queueRows();
    if (!rows.length) { return; }
    var index = rows.findIndex(function (row) { return row.dataset.number === current; });
    index = index < 0 ? (step > 0 ? 0 : rows.length - 1)
      : Math.min(rows.length - 1, Math.max(0, index + step));
    highlight(rows[index], true);
  }

  function currentRow() {
    return queueRows().find(function (row) { return row.dataset.number === current; });
  }

  function take(row) {
    var form = document.getElementById("queue-bulk");
    var box = row && row.querySelector("input[name=tickets]");
    var button = form && form.querySelector("button[name=action][value=take]");
    if (!box || !button) { return; }
    form.querySelectorAll("input[name=tickets]").forEach(function (other) {
      other.checked = false;
    });
    box.checked = true;
    form.requestSubmit(button);
  }

  function queueKey(event) {
    var key = event.key;
    if (key === "j" || key === "ArrowDown") { move(1); return true; }
    if (key === "k" || key === "ArrowUp") { move(-1); return true; }
    var row = currentRow();
    if (!row) { return false; }
    if (key === "o" || (key === "Enter" && event.target === document.body)) {
      row.querySelector(".q-number a").click();
      return true;
    }
    if (key === "t") { take(row); return true; }
    return false;
  }

  if (queueTable) {
    remember();
    // The rows are swapped by the auto-refresh (queue.js): keep the highlight and the order.
    new MutationObserver(function () {
      var focused = document.activeElement === document.body;
      remember();
      var row = currentRow();
      if (row) { highlight(row, focused); }
    }).observe(queueTable, { childList: true });
  }

  // ---- the ticket page -------------------------------------------------------------------
  function neighbour(step) {
    var numbers;
    try {
      numbers = JSON.parse(window.sessionStorage.getItem(ORDER_KEY) || "[]");
    } catch (error) { return; }
    var index = numbers.indexOf(ticket.dataset.number);
    var next = index < 0 ? undefined : numbers[index + step];
    if (next) {
      window.location.assign(ticket.dataset.urlTemplate.replace("NUMBER", encodeURIComponent(next)));
    }
  }

  function focusFirst(selectors) {
    for (var i = 0; i < selectors.length; i += 1) {
      var node = document.querySelector(selectors[i]);
      if (node) { reveal(node); return true; }
    }
    return false;
  }

  function ticketKey(event) {
    var key = event.key;
    if (key === "n") { neighbour(1); return true; }
    if (key === "p") { neighbour(-1); return true; }
    if (key === "t") {
      var button = document.getElementById("take-button");
      if (button) { button.click(); }
      return true;
    }
    if (key === "a") { return focusFirst(["#assign-form select"]); }
    if (key === "r") { return focusFirst([".reply-form textarea"]); }
    if (key === "s" || key === "e") { return focusFirst(["#resolve textarea"]); }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) { return; }
    if (typing(event.target)) {
      // Escape leaves the field (its text stays), so that the letters are shortcuts again.
      if (event.key === "Escape" && !event.target.closest(".modal")) { event.target.blur(); }
      return;
    }
    if (help && help.classList.contains("show")) { return; }  // the dialog has the keys
    if (event.key === "?") {
      if (help) { event.preventDefault(); showHelp(); }
      return;
    }
    var handled = queueTable ? queueKey(event) : ticket ? ticketKey(event) : false;
    if (handled) { event.preventDefault(); }
  });

  // The help's button, shown only where this script runs.
  document.querySelectorAll(".shortcuts-help[hidden]").forEach(function (button) {
    button.hidden = false;
  });
})();
