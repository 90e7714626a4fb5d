// The proposal form's error summary takes the focus when the page loads, where
// the browser has not done so for its autofocus: the first thing read is what
// to correct, and each of its links leads to a field.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();
