/*
 * The "Copy link" button next to a new share link. Without JavaScript the button stays
 * hidden and the read-only field can be selected and copied by hand.
 */
(function () {
  "use strict";

  function status(button, text) {
    var box = button.closest("section");
    var node = box ? box.querySelector(".copy-status") : null;
    if (node) { node.textContent = text; }
  }

  function fallbackCopy(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function setUp(button) {
    var input = document.getElementById(button.getAttribute("data-copy-target") || "");
    if (!input) { return; }
    button.hidden = false;
    input.addEventListener("focus", function () { input.select(); });
    button.addEventListener("click", function () {
      var done = function () { status(button, "Link copied. Paste it into a message to your clinician."); };
      var failed = function () {
        input.focus();
        input.select();
        status(button, "Could not copy automatically: the link is selected, copy it by hand.");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          if (fallbackCopy(input)) { done(); } else { failed(); }
        });
      } else if (fallbackCopy(input)) {
        done();
      } else {
        failed();
      }
    });
  }

  var buttons = document.querySelectorAll(".js-copy");
  for (var i = 0; i < buttons.length; i += 1) { setUp(buttons[i]); }
})();
