// Copy a generated summary to the clipboard: a button with data-copy="<id of the text>".
// The clipboard API needs a secure context; elsewhere the text is selected for Ctrl+C.
(function () {
  "use strict";

  function plainText(element) {
    return Array.from(element.querySelectorAll("p"))
      .map(function (p) { return p.innerText.trim(); })
      .join("\n\n");
  }

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".press-copy-status");
    var done = function () { if (status) status.textContent = button.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(plainText(source)).then(done, function () { select(source); });
    } else {
      select(source);
      if (document.execCommand && document.execCommand("copy")) done();
    }
  });
})();
