// Logging form enhancements. The form works without this file; with it the body map is
// tappable, chosen areas show as removable chips, and warning signs get advice at once.
// Loaded with `defer`, no inline handlers, so a strict CSP without unsafe-inline holds.
(function () {
  "use strict";

  var form = document.querySelector("[data-log-form]");
  if (!form) return;
  document.documentElement.classList.add("js");

  var locationInputs = Array.prototype.slice.call(form.querySelectorAll('input[name="locations"]'));

  function inputFor(code) {
    for (var i = 0; i < locationInputs.length; i++) {
      if (locationInputs[i].value === code) return locationInputs[i];
    }
    return null;
  }

  // ---- body map: views as tabs, shapes toggle the labelled checkboxes ----
  var tabs = form.querySelector("[data-bm-tabs]");
  var views = Array.prototype.slice.call(form.querySelectorAll("[data-bm-view]"));

  function showView(code) {
    views.forEach(function (view) {
      view.hidden = view.getAttribute("data-bm-view") !== code;
    });
    tabs.querySelectorAll("[data-bm-tab]").forEach(function (tab) {
      tab.setAttribute("aria-pressed", String(tab.getAttribute("data-bm-tab") === code));
    });
  }

  if (tabs && views.length) {
    // The server already shows the tabs, the starting drawing and closed lists: nothing to
    // collapse here, so nothing the patient sees moves when this runs.
    tabs.addEventListener("click", function (event) {
      var tab = event.target.closest("[data-bm-tab]");
      if (tab) showView(tab.getAttribute("data-bm-tab"));
    });
    // Start on the first drawing that already has a choice (editing, "same as last time").
    var start = views[0].getAttribute("data-bm-view");
    for (var v = views.length - 1; v >= 0; v--) {
      if (views[v].querySelector('input[name="locations"]:checked')) {
        start = views[v].getAttribute("data-bm-view");
      }
    }
    showView(start);
  }

  form.addEventListener("click", function (event) {
    var shape = event.target.closest ? event.target.closest("[data-loc]") : null;
    if (!shape) return;
    var input = inputFor(shape.getAttribute("data-loc"));
    if (!input) return;
    input.checked = !input.checked;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  var selectedBox = form.querySelector("[data-selected]");
  var selectedList = form.querySelector("[data-selected-list]");

  function renderLocations() {
    renderUrgent(); // a region can make a sign with the chosen words (saddle, foot)
    var chosen = locationInputs.filter(function (input) { return input.checked; });
    form.querySelectorAll("[data-loc]").forEach(function (shape) {
      var input = inputFor(shape.getAttribute("data-loc"));
      shape.classList.toggle("is-selected", Boolean(input && input.checked));
    });
    if (!selectedList) return;
    selectedBox.hidden = chosen.length === 0;
    selectedList.textContent = "";
    var seen = {};
    chosen.forEach(function (input) {
      if (seen[input.value]) return;
      seen[input.value] = true;
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "removable-chip";
      button.setAttribute("data-remove", input.value);
      button.setAttribute("aria-label", "Remove " + input.getAttribute("data-label"));
      var text = document.createElement("span");
      text.textContent = input.getAttribute("data-label");
      var cross = document.createElement("span");
      cross.className = "remove-x";
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      button.appendChild(text);
      button.appendChild(cross);
      item.appendChild(button);
      selectedList.appendChild(item);
    });
    views.forEach(function (view) {
      var code = view.getAttribute("data-bm-view");
      var count = view.querySelectorAll('input[name="locations"]:checked').length;
      var badge = form.querySelector('[data-bm-count="' + code + '"]');
      if (badge) badge.textContent = count ? "(" + count + ")" : "";
    });
  }

  if (selectedList) {
    selectedList.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove]");
      if (!button) return;
      var code = button.getAttribute("data-remove");
      locationInputs.forEach(function (input) {
        if (input.value === code) input.checked = false;
      });
      renderLocations();
      // Keep keyboard focus in the chip list rather than losing it to the page top.
      var next = selectedList.querySelector("button") ||
        form.querySelector('[data-bm-tab][aria-pressed="true"]');
      if (next) next.focus();
    });
  }

  // The same location can have a checkbox in the list and a shape in the drawing;
  // keep duplicates (same value) in step.
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "locations") {
      locationInputs.forEach(function (input) {
        if (input !== target && input.value === target.value) input.checked = target.checked;
      });
      renderLocations();
    } else if (target.name === "red_flags" || target.name === "pain_types") {
      renderUrgent();
    } else if (target.name === "intensity") {
      renderIntensity();
    }
  });

  // ---- warning signs: advice at once, before saving ----
  // What alerts comes from the server (diary/rules/signs.py) as data, so this file holds no
  // second copy of the codes: a red flag, the saddle region with a numbness word, or
  // weakness/heaviness with an ankle or foot region.
  var signsNode = document.getElementById("alert-signs");
  var signs = signsNode ? JSON.parse(signsNode.textContent) : null;

  function checkedValues(name) {
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (input) { return input.value; }
    );
  }

  function anyIn(values, list) {
    return values.some(function (value) { return list.indexOf(value) !== -1; });
  }

  function adviceKind() {
    var redFlags = checkedValues("red_flags");
    if (!signs) return "";
    var regions = checkedValues("locations").map(function (value) { return value.split(":")[0]; });
    var types = checkedValues("pain_types");
    if (
      anyIn(redFlags, signs.emergency_red_flags) ||
      (regions.indexOf(signs.saddle_region) !== -1 && anyIn(types, signs.saddle_numbness_types))
    ) {
      return "emergency";
    }
    if (
      anyIn(redFlags, signs.motor_red_flags) ||
      (anyIn(types, signs.motor_pain_types) && anyIn(regions, signs.motor_regions))
    ) {
      return "urgent";
    }
    return "";
  }

  function renderUrgent() {
    var slot = form.querySelector("[data-urgent-slot]");
    if (!slot) return;
    var kind = adviceKind();
    var shown = slot.firstElementChild ? slot.firstElementChild.getAttribute("data-advice") : "";
    // The advice appears once per page: the banner about earlier flags keeps its titles only.
    document.querySelectorAll("[data-banner-advice]").forEach(function (node) {
      node.hidden = Boolean(kind);
    });
    if (kind === shown) return;
    slot.textContent = "";
    var template = kind ? form.querySelector('[data-urgent-template="' + kind + '"]') : null;
    if (template) slot.appendChild(template.content.cloneNode(true));
    // The compact copy in the sticky save bar: visible even with the body map on screen.
    var bar = form.querySelector("[data-urgent-bar]");
    if (!bar) return;
    bar.textContent = "";
    var compact = kind ? form.querySelector('[data-urgent-bar-template="' + kind + '"]') : null;
    if (compact) bar.appendChild(compact.content.cloneNode(true));
  }

  // While the full advice is wholly on screen (above the save bar), the compact copy steps
  // aside, so the call button shows once at a time.
  (function watchFullAdvice() {
    var slot = form.querySelector("[data-urgent-slot]");
    var bar = form.querySelector("[data-urgent-bar]");
    if (!slot || !bar || !("IntersectionObserver" in window)) return;
    new IntersectionObserver(
      function (entries) {
        var last = entries[entries.length - 1];
        bar.toggleAttribute("data-slot-visible", last.intersectionRatio > 0.98);
      },
      { rootMargin: "0px 0px -170px 0px", threshold: [0, 0.5, 0.99, 1] }
    ).observe(slot);
  })();

  // ---- intensity: say the word for the number ----
  var readout = form.querySelector("[data-intensity-readout]");
  function renderIntensity() {
    var chosen = form.querySelector('input[name="intensity"]:checked');
    if (readout) {
      readout.textContent = chosen ? chosen.value + " out of 10: " + chosen.getAttribute("data-word") : "";
    }
  }

  // ---- one save per tap: the hidden id already makes retries safe ----
  form.addEventListener("submit", function () {
    var button = form.querySelector("[data-save]");
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  renderLocations();
  renderIntensity();
})();
