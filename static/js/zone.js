// Time zones from the phone itself (CONTRACT §6): sign-up starts on the phone's zone, and the
// account page offers to switch when the phone's zone differs from the diary's.
(function () {
  "use strict";

  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;

  function offers(select) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
  }

  var fill = document.querySelector("select[data-browser-zone]");
  if (fill && offers(fill)) fill.value = zone;

  var offer = document.querySelector("[data-zone-offer]");
  if (!offer) return;
  var select = document.getElementById(offer.getAttribute("data-zone-offer"));
  if (!select || select.value === zone || !offers(select)) return;
  offer.querySelector("[data-zone-phone]").textContent = zone.replace(/_/g, " ");
  offer.querySelector("[data-zone-diary]").textContent = select.value.replace(/_/g, " ");
  offer.hidden = false;
  offer.querySelector("[data-zone-switch]").addEventListener("click", function () {
    select.value = zone;
    if (select.form.requestSubmit) select.form.requestSubmit();
    else select.form.submit();
  });
})();
