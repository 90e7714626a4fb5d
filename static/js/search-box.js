// The header search box as a combobox with a listbox popup (WAI-ARIA Authoring
// Practices, list autocomplete with manual selection): suggestions as the reader
// types; Enter on a highlighted suggestion, or a click or tap on one, opens its
// record; Enter with none highlighted searches. Focus stays in the box, the
// highlighted option is told by aria-activedescendant, and a polite status says
// how many suggestions there are. Without JavaScript it is a plain search form.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) { return; }
  var box = input.parentNode;
  var listbox = document.createElement("ul");
  listbox.id = input.id + "-listbox";
  listbox.className = "search-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", input.dataset.listboxLabel || "");
  listbox.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  box.appendChild(listbox);
  box.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  var options = [];
  var active = -1;
  var timer = null;
  var latest = 0;

  function highlight(index) {
    if (options[active]) { options[active].setAttribute("aria-selected", "false"); }
    active = index;
    var option = options[index];
    if (option) {
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    if (!options.length) { return; }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    highlight(-1);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function option(suggestion, index) {
    var item = document.createElement("li");
    item.id = listbox.id + "-" + index;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.url = suggestion.url;
    var text = document.createElement("span");
    text.className = "suggestion-text";
    text.textContent = suggestion.text;
    // The kind is read after the title, as "Lower Lusatia, Region".
    var kind = document.createElement("span");
    kind.className = "suggestion-kind";
    var pause = document.createElement("span");
    pause.className = "visually-hidden";
    pause.textContent = ", ";
    kind.append(pause, suggestion.label);
    item.append(text, kind);
    return item;
  }

  function show(results, message) {
    highlight(-1);
    options = results.filter(function (s) { return s.url; }).map(option);
    listbox.replaceChildren.apply(listbox, options);
    if (options.length) { open(); } else { close(); }
    status.textContent = message || "";
  }

  function choose(item) {
    close();
    window.location.assign(item.dataset.url);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var asked = ++latest;
    var query = input.value.trim();
    if (query.length < 2) { show([], ""); return; }
    timer = setTimeout(function () {
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (asked === latest) { show(data.results || [], data.message); }
        })
        .catch(function () { if (asked === latest) { show([], ""); } });
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    var expanded = !listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (!options.length) { return; }
        event.preventDefault();
        open();
        if (event.altKey) { return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        var start = active < 0 && step < 0 ? 0 : active;
        highlight((start + step + options.length) % options.length);
        break;
      case "Enter":
        if (expanded && options[active]) {
          event.preventDefault();
          choose(options[active]);
        }
        break;
      case "Escape":
        // The first Escape closes the suggestions, the next clears the box.
        event.preventDefault();
        if (expanded) {
          close();
        } else {
          input.value = "";
          latest++;
          show([], "");
        }
        break;
      case "Tab":
        close();
        break;
    }
  });

  // Keep the focus in the box when an option is pressed, so the click lands.
  listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
  listbox.addEventListener("click", function (event) {
    var item = event.target.closest("[role=option]");
    if (item) { choose(item); }
  });
  input.addEventListener("blur", close);
  // A page restored by the back button shows the box as it was left, closed.
  window.addEventListener("pageshow", close);
})();
