// Drag-and-drop and paste of files, with a progress bar, on the forms that take attachments
// (class "upload-form"). Progressive: without this file the plain file input works as before.
(function () {
  "use strict";
  if (!window.DataTransfer || !window.FormData || !window.XMLHttpRequest) { return; }

  function addFiles(input, files) {
    var all = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) { all.items.add(file); });
    Array.prototype.forEach.call(files, function (file) { all.items.add(file); });
    input.files = all.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // A pasted screenshot is called "image.png" by every browser: give it a name of its own, so
  // several screenshots differ and the text can point at each one.
  function named(file, index) {
    if (!/^image\.\w+$/.test(file.name)) { return file; }
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
    var extension = file.name.split(".").pop();
    return new File([file], "screenshot-" + stamp + "-" + (index + 1) + "." + extension,
      { type: file.type });
  }

  function insertAtCursor(area, text) {
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || 0;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
  }

  document.querySelectorAll("form.upload-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input) { return; }
    var field = input.closest(".field") || form;
    var hint = field.querySelector(".drop-hint");
    var progress = field.querySelector(".upload-progress");
    if (hint) { hint.hidden = false; }

    form.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
        form.classList.add("dragging");
      }
    });
    form.addEventListener("dragleave", function () { form.classList.remove("dragging"); });
    form.addEventListener("drop", function (event) {
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      event.preventDefault();
      form.classList.remove("dragging");
      addFiles(input, event.dataTransfer.files);
    });

    form.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (!files || !files.length) { return; }
      event.preventDefault();
      var renamed = Array.prototype.map.call(files, named);
      addFiles(input, renamed);
      var area = event.target && event.target.tagName === "TEXTAREA" ? event.target : null;
      if (area) {
        renamed.forEach(function (file) {
          if (file.type.indexOf("image/") === 0) {
            insertAtCursor(area, "\n![" + file.name + "](" + file.name + ")\n");
          }
        });
      }
    });

    // With files chosen, send the form in the background to show the upload's progress; the
    // server answers its redirect as 204 + X-Location (helpdesk.middleware), which is then
    // opened. A form refused as invalid is sent again the plain way, so the page with the
    // form's messages is shown as without this script (nothing was saved the first time).
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !input.files.length || !progress) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      var action = form.action || window.location.href;
      request.open("POST", action);
      progress.hidden = false;
      progress.value = 0;
      request.upload.addEventListener("progress", function (step) {
        if (step.lengthComputable) { progress.value = Math.round(100 * step.loaded / step.total); }
      });
      request.setRequestHeader("X-Upload-Progress", "1");
      request.addEventListener("load", function () {
        var next = request.getResponseHeader("X-Location");
        if (request.status === 204 && next) { window.location.assign(next); }
        else { HTMLFormElement.prototype.submit.call(form); }
      });
      request.addEventListener("error", function () { HTMLFormElement.prototype.submit.call(form); });
      request.send(new FormData(form));
    });
  });
})();
