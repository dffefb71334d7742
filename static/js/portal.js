// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function formatBytes(bytes) {
    var units = ["B", "KB", "MB", "GB"];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }

  // Say before uploading that a file is too big, empty, one too many, or that the files are too
  // much together (the server checks too, while the body streams).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var warning = input.parentElement.querySelector(".upload-warning");
    input.addEventListener("change", function () {
      var maxBytes = Number(input.dataset.maxBytes);
      var maxCount = Number(input.dataset.maxCount);
      var maxTotal = Number(input.dataset.maxTotalBytes);
      var problems = [];
      var total = 0;
      if (input.files.length > maxCount) {
        problems.push(input.files.length + " / " + maxCount);
      }
      Array.prototype.forEach.call(input.files, function (file) {
        total += file.size;
        if (file.size === 0) { problems.push(file.name + ": 0 B"); }
        else if (file.size > maxBytes) {
          problems.push(file.name + ": " + formatBytes(file.size) + " > " + formatBytes(maxBytes));
        }
      });
      if (maxTotal && total > maxTotal) {
        problems.push("Σ " + formatBytes(total) + " > " + formatBytes(maxTotal));
      }
      if (warning) {
        warning.textContent = problems.join("; ");
        warning.hidden = problems.length === 0;
      }
    });
  });

  // Ask before an action that cannot be undone.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // One submission per click: a double click must not file two tickets.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      if (form.dataset.submitted) { event.preventDefault(); return; }
      form.dataset.submitted = "1";
    });
  });
})();
