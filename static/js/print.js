// The "打印" button of a page laid out for paper (templates/teachers/dossier.html, bureau/compliance_print.html): the
// browser's own print dialog, where "save as PDF" is one of the printers; never opened without the user's click.
// A file of its own: the Content-Security-Policy refuses inline script.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
