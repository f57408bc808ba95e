// Enhancements only: every page works without this file.
"use strict";
// A filter select submits its form at once, saving a click on a slow connection.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.tagName === "SELECT" && el.form && el.form.classList.contains("filters") && !el.multiple) {
    el.form.submit();
  }
});
