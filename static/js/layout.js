/* Lists: htmx replaces the filters with the results; a filters panel the reader
   opened (on a phone) stays open, so focus can return to the box they ticked. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var panel = document.querySelector("details.filters-panel");
    var html = event.detail.serverResponse;
    if (panel && panel.open && typeof html === "string") {
      event.detail.serverResponse = html.replace(
        '<details class="filters-panel"',
        '<details class="filters-panel" open'
      );
    }
  });
})();
