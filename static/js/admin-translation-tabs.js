// Opens modeltranslation's language tabs on the record's original language and
// marks that tab, unless a tab holds an error: then the error's tab stays open.
"use strict";
window.addEventListener("load", function () {
  var note = document.getElementById("original-language");
  var language = note && note.dataset.language;
  if (!language) {
    return;
  }
  var name = note.querySelector("strong");
  document.querySelectorAll(".ui-tabs-nav a").forEach(function (link) {
    if (link.textContent.trim() === language.replace("_", "-")) {
      link.classList.add("original-language-tab");
      link.textContent = link.textContent.trim() + " ★";
      if (name) {
        link.title = name.textContent;
      }
    }
  });
  if (document.querySelector(".ui-tab-has-errors")) {
    return;
  }
  var select = document.getElementById("modeltranslation-main-switch");
  if (!select) {
    return;
  }
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].textContent.trim() === language.replace("_", "-")) {
      select.value = select.options[i].value;
      select.dispatchEvent(new Event("change"));
      break;
    }
  }
});
