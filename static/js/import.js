// Sends the import file with XMLHttpRequest so the page can show real upload progress,
// then shows the server's report in place. Without JavaScript the form posts normally.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var box = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var bar = box.querySelector(".progress-bar");
  var result = document.getElementById("import-result");
  var buttons = form.querySelectorAll("[type=submit]");

  function show(percent, message, busy) {
    box.classList.remove("d-none");
    bar.style.width = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(Math.round(percent)));
    bar.classList.toggle("progress-bar-striped", busy);
    bar.classList.toggle("progress-bar-animated", busy);
    text.textContent = message;
  }

  function send(submitter) {
    var data = new FormData(form);
    data.append(submitter.name, submitter.value);
    var writing = submitter.name === "submit";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        show(100 * event.loaded / event.total, form.dataset.uploading + " " + Math.round(100 * event.loaded / event.total) + "%", false);
      }
    });
    xhr.upload.addEventListener("load", function () {
      show(100, writing ? form.dataset.writing : form.dataset.checking, true);
    });
    xhr.addEventListener("load", function () {
      buttons.forEach(function (b) { b.disabled = false; });
      box.classList.add("d-none");
      if (xhr.status === 200) {
        result.innerHTML = xhr.responseText;
        var report = document.getElementById("import-report");
        if (report) { report.scrollIntoView({ behavior: "smooth", block: "start" }); }
      } else if (xhr.status === 413) {
        result.innerHTML = '<div class="alert alert-danger"></div>';
        result.firstChild.textContent = form.dataset.tooLarge;
      } else {
        // An error page (expired form, no permission): show its message in place.
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var parts = [page.querySelector("main h1"), page.querySelector("main .text-muted")].filter(Boolean);
        result.innerHTML = '<div class="alert alert-danger"></div>';
        result.firstChild.textContent = parts.length ? parts.map(function (el) { return el.textContent.trim(); }).join(" ") : form.dataset.failed;
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

  result.addEventListener("click", function (event) {
    if (event.target.closest("[data-import-confirm]")) {
      send(form.querySelector("[name=submit]"));
    }
  });
})();
