// Suggestions for the search box as the reader types; without JavaScript the box
// is a plain search form.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  var list = input && input.list;
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var latest = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value.trim();
      var asked = ++latest;
      if (query.length < 2) { list.replaceChildren(); return; }
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (asked !== latest) { return; }
          list.replaceChildren.apply(list, data.results.map(function (suggestion) {
            var option = document.createElement("option");
            option.value = suggestion.text;
            return option;
          }));
        })
        .catch(function () { list.replaceChildren(); });
    }, 150);
  });
})();
