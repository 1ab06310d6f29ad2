// Sends the import file with XMLHttpRequest so the page can show real upload progress, then the server's own
// progress (reading, checking, writing), streamed as one JSON object a line, and finally its report in place.
// Without JavaScript the form posts normally and the page comes back with the report.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var box = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var bar = box.querySelector(".progress-bar");
  var result = document.getElementById("import-result");
  var buttons = form.querySelectorAll("[type=submit]");
  var sheetField = document.getElementById("import-sheet-field");
  var sheetSelect = form.querySelector("select[name=sheet]");
  var fileInput = form.querySelector("input[type=file]");

  function show(percent, message, busy) {
    box.classList.remove("d-none");
    bar.style.width = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(Math.round(percent)));
    bar.classList.toggle("progress-bar-striped", busy);
    bar.classList.toggle("progress-bar-animated", busy);
    text.textContent = message;
  }

  function showPhase(event) {
    var total = Math.max(event.total, 0);
    var percent = total ? 100 * Math.min(event.done, total) / total : 100;
    var phase = event.phase.charAt(0).toUpperCase() + event.phase.slice(1);
    var name = form.dataset["phase" + phase] || event.phase;
    var unit = form.dataset["unit" + phase] || form.dataset.rows;
    var counted = total ? " " + event.done.toLocaleString() + " / " + total.toLocaleString() + " " + unit : "";
    show(percent, name + counted, event.done < total);
    box.dataset.phase = event.phase;
  }

  // The button pressed is disabled while the file is sent, which takes the focus from it, and the report replaces
  // the confirm button: the answer takes the focus, so that the keyboard goes on from there and a screen reader
  // reads it.
  function takeFocus(element) {
    element.setAttribute("tabindex", "-1");
    element.focus({ preventScroll: true });
  }

  function alertText(message) {
    result.innerHTML = '<div class="alert alert-danger" role="alert"></div>';
    result.firstChild.textContent = message;
    takeFocus(result.firstChild);
  }

  // The report lists the workbook's visible sheets: offer them in the 工作表 select when there are several.
  function offerSheets() {
    var report = document.getElementById("import-report");
    if (!report || !sheetSelect) { return; }
    var sheets = JSON.parse(report.dataset.sheets || "[]");
    var chosen = sheetSelect.value;
    while (sheetSelect.options.length > 1) { sheetSelect.remove(1); }
    sheets.forEach(function (name) { sheetSelect.add(new Option(name, name)); });
    sheetSelect.value = sheets.indexOf(chosen) >= 0 ? chosen : "";
    sheetField.hidden = sheets.length <= 1;
  }

  function showReport(html) {
    result.innerHTML = html;
    offerSheets();
    var report = document.getElementById("import-report");
    if (report) {
      takeFocus(report);
      report.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  }

  function send(submitter) {
    var data = new FormData(form);
    data.append(submitter.name, submitter.value);
    var xhr = new XMLHttpRequest();
    var seen = 0;  // how much of the streamed answer has been read
    var finished = false;
    delete box.dataset.phase;

    function readLines() {
      var body = xhr.responseText;
      var end = body.lastIndexOf("\n") + 1;
      if (end <= seen) { return; }
      body.slice(seen, end).split("\n").forEach(function (lineText) {
        if (!lineText) { return; }
        var item = JSON.parse(lineText);
        if (item.phase) {
          showPhase(item);
        } else if (item.html !== undefined) {
          finished = true;
          if (box.dataset.phase) {
            bar.classList.remove("progress-bar-striped", "progress-bar-animated");  // the last phase, finished
          } else {
            box.classList.add("d-none");  // refused before reading (no file, too large)
          }
          showReport(item.html);
        } else if (item.error) {
          finished = true;
          box.classList.add("d-none");
          alertText(item.error);
        }
      });
      seen = end;
    }

    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/x-ndjson");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = 100 * event.loaded / event.total;
        show(percent, form.dataset.uploading + " " + Math.round(percent) + "%", false);
      }
    });
    xhr.upload.addEventListener("load", function () { show(100, form.dataset.uploaded, true); });
    xhr.addEventListener("progress", function () {
      if (xhr.status === 200) { readLines(); }
    });
    xhr.addEventListener("load", function () {
      buttons.forEach(function (b) { b.disabled = false; });
      if (xhr.status === 200) {
        readLines();
        if (!finished) { box.classList.add("d-none"); alertText(form.dataset.failed); }
      } else {
        box.classList.add("d-none");
        if (xhr.status === 413) {
          alertText(form.dataset.tooLarge);
        } else {
          // An error page (expired form, no permission): show its message in place.
          var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var parts = [page.querySelector("main h1"), page.querySelector("main .text-muted")].filter(Boolean);
          alertText(parts.length ? parts.map(function (el) { return el.textContent.trim(); }).join(" ") : form.dataset.failed);
        }
      }
    });
    xhr.addEventListener("error", function () {
      buttons.forEach(function (b) { b.disabled = false; });
      show(0, form.dataset.failed, false);
    });
    buttons.forEach(function (b) { b.disabled = true; });
    show(0, form.dataset.uploading, false);
    xhr.send(data);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(event.submitter || form.querySelector("[name=preview]"));
  });

  // Another file: the sheets offered were the previous file's.
  if (fileInput && sheetSelect) {
    fileInput.addEventListener("change", function () {
      sheetSelect.value = "";
      sheetField.hidden = true;
    });
  }

  result.addEventListener("click", function (event) {
    if (event.target.closest("[data-import-confirm]")) {
      send(form.querySelector("[name=submit]"));
    }
  });
})();
