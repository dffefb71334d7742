// The queue page keeps itself current; without this file it is a plain page that a reload
// refreshes. Every QUEUE_REFRESH_SECONDS (data-refresh-seconds) the rows of the same query are
// fetched and swapped in place: chosen tickets stay chosen, focus stays where it was, and
// tickets that were not on the page before are announced. The countdowns tick every 30 s.
(function () {
  "use strict";

  var table = document.getElementById("queue-table");
  var textsNode = document.getElementById("queue-texts");
  if (!table || !textsNode || !window.fetch) { return; }
  var texts = JSON.parse(textsNode.textContent);
  var news = document.getElementById("queue-news");
  var count = document.getElementById("queue-count");
  var rowsUrl = table.dataset.rowsUrl;
  var refreshMs = Math.max(1, Number(table.dataset.refreshSeconds) || 15) * 1000;
  var TICK_MS = 30000;
  var busy = false;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  // The same words and rounding as workspace/templatetags/workspace.py duration_text.
  function duration(seconds) {
    seconds = Math.floor(Math.abs(seconds));
    if (seconds < 60) { return texts.soon; }
    var parts = [
      [Math.floor(seconds / 86400), "d"],
      [Math.floor((seconds % 86400) / 3600), "h"],
      [Math.floor((seconds % 3600) / 60), "min"]
    ];
    while (parts[0][0] === 0) { parts.shift(); }
    return parts.slice(0, 2).filter(function (part) { return part[0] > 0; })
      .map(function (part) { return format(texts[part[1]], { n: part[0] }); }).join(" ");
  }

  function rows() { return document.getElementById("queue-rows"); }

  function numbersIn(tbody) {
    return Array.prototype.map.call(tbody.querySelectorAll("tr[data-number]"), function (tr) {
      return tr.dataset.number;
    });
  }

  var seen = new Set(numbersIn(rows()));

  // At risk needs the SLA engine's warning marks: the next refresh brings that from the server.
  function tick() {
    var now = Date.now();
    rows().querySelectorAll(".countdown[data-due]").forEach(function (node) {
      var due = Date.parse(node.dataset.due);
      if (isNaN(due)) { return; }
      var left = (due - now) / 1000;
      node.textContent = format(left > 0 ? texts.left : texts.overdue, { time: duration(left) });
      var badge = node.closest(".urgency");
      if (left <= 0 && badge && !badge.classList.contains("urgency-breached")) {
        // As workspace/queue_rows.py writes a breached badge (URGENCY_BADGE).
        badge.className = "badge text-bg-danger urgency urgency-breached";
        var label = badge.querySelector(".urgency-label");
        if (label) { label.textContent = texts.breached; }
        var tr = node.closest("tr");
        tr.className = tr.className.replace(/\brow-\w+/, "row-breached");
      }
    });
  }

  function swap(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.querySelector("tbody#queue-rows");
    var old = rows();
    if (!fresh || !old) { return; }
    var chosen = new Set();
    old.querySelectorAll("input[name=tickets]:checked").forEach(function (box) {
      chosen.add(box.value);
    });
    var focusedId = old.contains(document.activeElement) ? document.activeElement.id : "";
    fresh.querySelectorAll("input[name=tickets]").forEach(function (box) {
      box.checked = chosen.has(box.value);
    });
    var added = numbersIn(fresh).filter(function (number) { return !seen.has(number); });
    added.forEach(function (number) {
      seen.add(number);
      var row = fresh.querySelector('tr[data-number="' + CSS.escape(number) + '"]');
      if (row) { row.classList.add("is-new"); }
    });
    old.replaceWith(fresh);
    if (focusedId) {
      var again = document.getElementById(focusedId);
      if (again) { again.focus(); }
    }
    if (count && fresh.dataset.totalText) { count.textContent = fresh.dataset.totalText; }
    if (news && added.length) {
      news.textContent = format(texts["new"], { numbers: added.join(", ") });
    }
    tick();
    syncAll();
  }

  function refresh() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(rowsUrl + window.location.search, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("queue rows: HTTP " + response.status); }
      return response.text();
    }).then(swap).catch(function () {
      // Keep the rows shown; the next round tries again.
    }).finally(function () { busy = false; });
  }

  // "Choose all on this page", added only where a script can work it.
  var all = null;
  var pickHeader = table.querySelector("thead th.pick");
  if (pickHeader) {
    all = document.createElement("input");
    all.type = "checkbox";
    all.id = "pick-all";
    all.className = "form-check-input";
    all.setAttribute("aria-label", texts.all);
    pickHeader.appendChild(all);
    all.addEventListener("change", function () {
      rows().querySelectorAll("input[name=tickets]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  function syncAll() {
    if (!all) { return; }
    var boxes = rows().querySelectorAll("input[name=tickets]");
    var checked = rows().querySelectorAll("input[name=tickets]:checked").length;
    all.checked = boxes.length > 0 && checked === boxes.length;
    all.indeterminate = checked > 0 && checked < boxes.length;
  }
  table.addEventListener("change", function (event) {
    if (event.target.name === "tickets") { syncAll(); }
  });

  window.setInterval(refresh, refreshMs);
  window.setInterval(tick, TICK_MS);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refresh(); }
  });
})();
