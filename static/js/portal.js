/* After htmx replaces the results, tell screen readers how many there are now
   (a facet's search has a status of its own). */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id !== "browse") {
      return;
    }
    var status = document.getElementById("browse-status");
    var count = document.getElementById("result-count");
    if (status && count) {
      status.textContent = count.textContent.trim();
    }
  });
})();

/* Leave empty fields out of the address htmx requests and shows, as a person would. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      if (parameters[name] === "") {
        delete parameters[name];
      }
    });
  });
})();

/* A changed filter reloads the results; a ticked compare box, which sits among them
   but belongs to another form, does not. Decided here rather than in an htmx
   trigger filter, which htmx would evaluate as code: the Content-Security-Policy
   allows no eval. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.id === "browse-form") {
      form.dispatchEvent(new CustomEvent("filters-change"));
    }
  });
})();
