// Behaviour every page may ask for with data attributes; the Content-Security-Policy allows no inline
// script, no on…= handlers and no style= attributes, so the pages declare and this file acts:
// - <form data-confirm="question">: asks before submitting; a submit button's own data-confirm asks instead;
// - <button data-requires="field name" data-requires-message="…">: a blank field stops the submit before any
//   question, shown on the field (the server refuses it too; this only saves a confirmation and a page);
// - <input type=checkbox data-check-all="selector">: checks or unchecks every box the selector finds;
// - data-left / data-top / data-width / data-height="12.5%": positions and sizes computed on the server
//   (progress bars, timelines), applied through the CSSOM, which the policy allows;
// - data-focus-on-load (with tabindex="-1"): the result of an action takes the focus, and so comes into view.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var needed = event.submitter && event.submitter.dataset.requires && form.elements[event.submitter.dataset.requires];
    if (needed && !needed.value.trim()) {
      event.preventDefault();
      event.stopImmediatePropagation();
      needed.setCustomValidity(event.submitter.dataset.requiresMessage || "");
      needed.reportValidity();
      needed.addEventListener("input", function () { needed.setCustomValidity(""); }, { once: true });
      needed.focus();
      return;
    }
    var question = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.dataset && box.dataset.checkAll) {
      document.querySelectorAll(box.dataset.checkAll).forEach(function (target) { target.checked = box.checked; });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var result = document.querySelector("[data-focus-on-load]");
    if (result) { result.focus(); }
    ["left", "top", "width", "height"].forEach(function (side) {
      document.querySelectorAll("[data-" + side + "]").forEach(function (element) {
        element.style[side] = element.dataset[side];
      });
    });
  });
})();
