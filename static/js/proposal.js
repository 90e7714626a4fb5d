// The proposal form's error summary takes the focus when the page loads, where
// the browser has not done so for its autofocus: the first thing read is what
// to correct. Each of its links then puts the focus in its field (a plain
// link to a field only scrolls to it), with the field's label in view.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  if (document.activeElement !== summary) {
    summary.focus();
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.hash.slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
    history.replaceState(null, "", link.hash);
  });
})();
