// Repeating form rows (FieldList): add a blank copy of the last row, or remove a row.
(function () {
  "use strict";

  function clear(row) {
    row.querySelectorAll("input, select").forEach(function (input) {
      if (input.type === "checkbox") { input.checked = false; }
      else if (input.tagName === "SELECT") { input.selectedIndex = 0; }
      else { input.value = ""; }
      input.classList.remove("is-invalid");
    });
    row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
  }

  function nextIndex(body) {
    var highest = -1;
    body.querySelectorAll("[name]").forEach(function (input) {
      var match = input.name.match(/-(\d+)-/);
      if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
    });
    return highest + 1;
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var body = document.querySelector('[data-rows="' + button.dataset.addRow + '"]');
      var last = body.lastElementChild;
      var index = nextIndex(body);
      var row = last.cloneNode(true);
      row.querySelectorAll("[name], [id]").forEach(function (input) {
        ["name", "id"].forEach(function (attr) {
          if (input.hasAttribute(attr)) {
            input.setAttribute(attr, input.getAttribute(attr).replace(/-\d+-/, "-" + index + "-"));
          }
        });
      });
      clear(row);
      body.appendChild(row);
      var first = row.querySelector("input, select");
      if (first) { first.focus(); }
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) { return; }
    var row = button.closest("tr");
    if (row.parentElement.children.length > 1) {
      // The focus would go with the row removed: it moves to the same button of the row now in its place.
      var neighbour = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      neighbour.querySelector("[data-remove-row]").focus();
    } else {
      clear(row);
    }
  });
})();
