// Drafts of the portal's forms, kept in this browser's localStorage (the server may be what is
// failing when a form is sent: a 500, a dropped connection). A form marked
// data-draft-key="<user id>:<ticket or new>:<form>" is saved as it is typed; a fresh form whose
// fields still hold what the server put there is filled from its draft, with a notice to
// discard it. Sending a form never forgets its draft: only the page after a success does, when
// the server lists the form's key in <body data-drafts-done> (tickets/drafts.py). Signing out
// forgets the person's drafts; any draft older than a week goes on every page.
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.draftsUser;
  var storage;
  try { storage = window.localStorage; } catch (error) { return; }  // blocked: no drafts
  if (!user || !storage) { return; }

  var PREFIX = "draft:";
  var WEEK_MS = 7 * 24 * 60 * 60 * 1000;
  var SAVE_AFTER_MS = 400;
  var SKIPPED = ["password", "file", "hidden", "submit", "button", "reset", "image"];

  function read(name) {
    try { return JSON.parse(storage.getItem(name)); } catch (error) { return null; }
  }
  function forget(name) { try { storage.removeItem(name); } catch (error) { /* nothing kept */ } }

  // Forget what the server confirmed, what is old, and (on signing out) this person's drafts.
  (body.dataset.draftsDone || "").split(" ").forEach(function (key) {
    if (key) { forget(PREFIX + key); }
  });
  function keys() {
    var found = [];
    for (var i = 0; i < storage.length; i++) {
      var name = storage.key(i);
      if (name && name.indexOf(PREFIX) === 0) { found.push(name); }
    }
    return found;
  }
  keys().forEach(function (name) {
    var draft = read(name);
    if (!draft || typeof draft.at !== "number" || Date.now() - draft.at > WEEK_MS) { forget(name); }
  });
  var logout = body.dataset.draftsLogout;
  var signingOut = false;
  document.querySelectorAll("form").forEach(function (form) {
    var action = form.getAttribute("action") || "";  // form.action may be a field named so
    if (!logout || new URL(action, window.location.href).pathname !== logout) { return; }
    form.addEventListener("submit", function () {
      signingOut = true;  // nothing typed on this page is saved again while it is left
      keys().forEach(function (name) {
        if (name.indexOf(PREFIX + user + ":") === 0) { forget(name); }
      });
    });
  });

  // The fields a draft holds: text, choices and ticks; never passwords, files or the token.
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !field.disabled && field.name !== "csrfmiddlewaretoken" &&
        field.name !== "seen" && SKIPPED.indexOf(field.type) < 0;
    });
  }
  function valueOf(field, initial) {
    if (field.type === "checkbox" || field.type === "radio") {
      return initial ? field.defaultChecked : field.checked;
    }
    if (field.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(field.options, function (option) {
        return initial ? option.defaultSelected : option.selected;
      });
      // A single choice with none marked shows its first option.
      if (initial && !chosen.length && !field.multiple && field.options.length) {
        chosen = [field.options[0]];
      }
      return chosen.map(function (option) { return option.value; }).join("\n");
    }
    return initial ? field.defaultValue : field.value;
  }
  function state(form, initial) {
    return fields(form).map(function (field) { return valueOf(field, initial); });
  }
  function same(one, other) { return JSON.stringify(one) === JSON.stringify(other); }
  function restore(form, values) {
    fields(form).forEach(function (field, index) {
      var value = values[index];
      if (field.type === "checkbox" || field.type === "radio") { field.checked = value === true; }
      else if (field.tagName === "SELECT") {
        var chosen = String(value).split("\n");
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = chosen.indexOf(option.value) >= 0;
        });
      } else { field.value = value; }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function notice(form, draft, name) {
    var template = document.getElementById("draft-notice");
    if (!template) { return; }
    var box = template.content.firstElementChild.cloneNode(true);
    var time = box.querySelector("time");
    var at = new Date(draft.at);
    time.dateTime = at.toISOString();
    time.textContent = at.toLocaleString(document.documentElement.lang || undefined,
      { dateStyle: "short", timeStyle: "short" });
    box.querySelector(".draft-files").hidden = !form.querySelector("input[type=file]");
    box.querySelector(".draft-discard").addEventListener("click", function () {
      forget(name);
      form.reset();
      fields(form).forEach(function (field) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
      box.remove();
    });
    form.insertBefore(box, form.firstChild);
  }

  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var name = PREFIX + form.dataset.draftKey;
    if (form.dataset.draftKey.split(":")[0] !== user) { return; }
    var initial = state(form, true);
    var timer = null;
    function save() {
      window.clearTimeout(timer);
      timer = null;
      if (signingOut) { return; }
      var now = state(form, false);
      // A form back as it came from the server holds nothing of the person's: no draft.
      if (same(now, initial)) { forget(name); return; }
      try { storage.setItem(name, JSON.stringify({ at: Date.now(), fields: now })); }
      catch (error) { /* storage full or blocked: the form works on */ }
    }
    function saveSoon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_AFTER_MS);
    }

    var draft = read(name);
    if ("draftBound" in form.dataset) {
      // The server sent the form back with what was just typed (a refusal): that is newer
      // than any draft, so it becomes the draft.
      if (!same(state(form, false), initial)) { save(); }
    } else if (draft && Array.isArray(draft.fields) && draft.fields.length === initial.length &&
               same(state(form, false), initial) && !same(draft.fields, initial)) {
      restore(form, draft.fields);
      notice(form, draft, name);
    }
    form.addEventListener("input", saveSoon);
    form.addEventListener("change", saveSoon);
    // Kept before the form leaves (the send may fail); forgotten only after a success.
    form.addEventListener("submit", save);
    window.addEventListener("pagehide", function () { if (timer) { save(); } });
  });
})();
