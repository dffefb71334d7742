// The new-ticket form: articles suggested while the subject is typed, and the diagnostics
// checklist of the chosen product area. Progressive: without it the form shows every list.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form) { return; }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");

  // Suggestions: a JSON endpoint searched with the subject's words.
  var subject = form.querySelector("[name=subject]");
  var panel = document.getElementById("suggestions");
  var timer = null;
  var asked = "";
  function show(articles) {
    var list = panel.querySelector("ul");
    list.textContent = "";
    articles.forEach(function (article) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = article.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = article.title;
      link.className = "suggested-article";
      // Opened: a deflection unless this customer files a ticket after all.
      link.addEventListener("click", function () {
        window.fetch(article.opened, {
          method: "POST",
          credentials: "same-origin",
          keepalive: true,
          headers: { "X-CSRFToken": token ? token.value : "" },
        });
      });
      var area = document.createElement("span");
      area.className = "small text-body-secondary ms-1";
      area.textContent = "· " + article.area;
      item.appendChild(link);
      item.appendChild(area);
      list.appendChild(item);
    });
    panel.hidden = articles.length === 0;
  }
  function ask() {
    var words = subject.value.trim();
    if (words === asked) { return; }
    asked = words;
    if (words.length < 3) { show([]); return; }
    var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(words);
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { articles: [] }; })
      .then(function (data) { if (words === asked) { show(data.articles || []); } })
      .catch(function () { /* no suggestions: the form works on */ });
  }
  if (subject && panel) {
    subject.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 300);
    });
  }

  // The checklist of the chosen product area only; the ticks of the others are taken off.
  var area = form.querySelector("select[name=product_area]");
  var lists = form.querySelectorAll(".checklist[data-area]");
  function showArea() {
    lists.forEach(function (list) {
      var mine = area.value !== "" && list.dataset.area === area.value;
      list.hidden = !mine;
      if (!mine) {
        list.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
      }
    });
  }
  if (area && lists.length) {
    area.addEventListener("change", showArea);
    if (area.value !== "") { showArea(); }
  }
})();
