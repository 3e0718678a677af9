// "Copy address" buttons of the Subscribe panels. Without script, the address is a
// read-only field the reader can select and copy; with it, one press copies it.
(function () {
  "use strict";
  function announce(button, text) {
    var status = document.getElementById(button.getAttribute("data-status"));
    if (status) { status.textContent = text; }
  }
  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.focus();
    field.select();
    var done = function () { announce(button, "Address copied. Paste it into your calendar app."); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        announce(button, "Select the address and copy it.");
      });
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    } else {
      announce(button, "Select the address and copy it.");
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
