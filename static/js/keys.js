// Keyboard on the log page: each list of tick boxes (a drawing's "Choose from a list", each
// group of pain types) is one Tab stop; the arrow keys, Home and End move inside it and Space
// ticks, so the whole form is a few dozen Tab presses instead of well over a hundred.
// (A roving tab index; the boxes stay ordinary labelled checkboxes for screen readers.)
(function () {
  "use strict";

  var form = document.querySelector("[data-log-form]");
  if (!form) return;

  var help = document.createElement("p");
  help.id = "roving-help";
  help.className = "visually-hidden";
  help.textContent = "Use the arrow keys to move between these choices and Space to tick one.";
  form.appendChild(help);

  var KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  function setup(group) {
    var inputs = Array.prototype.slice.call(group.querySelectorAll('input[type="checkbox"]'));
    if (inputs.length < 2) return;
    group.setAttribute("aria-describedby",
      ((group.getAttribute("aria-describedby") || "") + " roving-help").trim());

    function settle(current) {
      inputs.forEach(function (input) { input.tabIndex = input === current ? 0 : -1; });
    }
    settle(inputs.filter(function (input) { return input.checked; })[0] || inputs[0]);

    group.addEventListener("focusin", function (event) {
      if (inputs.indexOf(event.target) !== -1) settle(event.target);
    });
    group.addEventListener("keydown", function (event) {
      var at = inputs.indexOf(event.target);
      if (at === -1) return;
      var next = null;
      if (event.key in KEYS) next = inputs[(at + KEYS[event.key] + inputs.length) % inputs.length];
      else if (event.key === "Home") next = inputs[0];
      else if (event.key === "End") next = inputs[inputs.length - 1];
      if (!next) return;
      event.preventDefault();
      settle(next);
      next.focus();
    });
  }

  form.querySelectorAll("[data-bm-list], #field-pain_types .chip-group, #field-context .chips")
    .forEach(setup);
})();
