// The log page's "When?" question: shows only the time input the choice needs and says the
// moment and its time of day ("Today 21:30 · Evening") as the patient changes it. The server
// derives the stored time of day from the same moment, so the two can never disagree.
// Also used by offline.js to stamp an entry saved on the phone (window.DiaryWhen).
(function () {
  "use strict";

  var WORDS = { morning: "Morning", afternoon: "Afternoon", evening: "Evening", night: "Night" };

  function timingFor(hour) {
    if (hour >= 5 && hour < 12) return "morning";
    if (hour >= 12 && hour < 17) return "afternoon";
    if (hour >= 17 && hour < 22) return "evening";
    return "night";
  }

  // Wall-clock parts of an instant in a zone.
  function wallAt(ms, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return {
      y: Number(parts.year), m: Number(parts.month), d: Number(parts.day),
      h: Number(parts.hour) % 24, mi: Number(parts.minute), s: Number(parts.second),
    };
  }

  function offsetAt(ms, zone) {
    var w = wallAt(ms, zone);
    return (Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(ms / 1000) * 1000) / 60000;
  }

  // The instant of a wall-clock time in a zone, read as the server reads it (Python's fold=0):
  // a time that happens twice means the first; one that never happens takes the earlier offset.
  function wallToInstant(y, m, d, h, mi, zone) {
    var guess = Date.UTC(y, m - 1, d, h, mi);
    var before = offsetAt(guess - 12 * 3600000, zone);
    var after = offsetAt(guess + 12 * 3600000, zone);
    var first = guess - before * 60000;
    if (offsetAt(first, zone) === before) return first;
    var second = guess - after * 60000;
    if (offsetAt(second, zone) === after) return second;
    return first;
  }

  function addDays(w, days) {
    var t = new Date(Date.UTC(w.y, w.m - 1, w.d + days));
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
  }

  function clock(text) {
    var match = /^(\d{1,2}):(\d{2})/.exec(text || "");
    return match ? { h: Number(match[1]), mi: Number(match[2]) } : null;
  }

  // {at: ms or null for now, wall: {y,m,d,h,mi}} for the form's current answer, or null.
  function resolve(form, nowMs) {
    var fieldset = form.querySelector("[data-zone]");
    var zone = fieldset ? fieldset.getAttribute("data-zone") : "UTC";
    var chosen = form.querySelector('input[name="when"]:checked');
    var choice = chosen ? chosen.value : "another_day";
    var today = wallAt(nowMs, zone);
    var timeInput = form.querySelector('input[name="when_time"]');
    var stampInput = form.querySelector('input[name="occurred_at"]');
    var day, at;
    if (choice === "now") {
      return { at: null, wall: today, zone: zone };
    } else if (choice === "earlier_today") {
      at = clock(timeInput && timeInput.value);
      day = today;
    } else if (choice === "last_night") {
      at = timeInput && timeInput.value ? clock(timeInput.value) : { h: 23, mi: 0 };
      day = at && at.h >= 12 ? addDays(today, -1) : today;
    } else {
      var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(stampInput ? stampInput.value : "");
      if (!match) return null;
      day = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
      at = { h: Number(match[4]), mi: Number(match[5]) };
    }
    if (!at) return null;
    var ms = wallToInstant(day.y, day.m, day.d, at.h, at.mi, zone);
    return { at: ms, wall: wallAt(ms, zone), zone: zone };
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function describe(result, nowMs) {
    var w = result.wall;
    var today = wallAt(nowMs, result.zone);
    var yesterday = addDays(today, -1);
    var day;
    if (w.y === today.y && w.m === today.m && w.d === today.d) day = "Today";
    else if (w.y === yesterday.y && w.m === yesterday.m && w.d === yesterday.d) day = "Yesterday";
    else {
      day = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" })
        .format(new Date(Date.UTC(w.y, w.m - 1, w.d))).replace(",", "");
    }
    return day + " " + pad(w.h) + ":" + pad(w.mi) + " · " + WORDS[timingFor(w.h)];
  }

  window.DiaryWhen = {
    // The moment of the entry as ISO text (UTC), stamped now for "Now"; null if unreadable.
    occurredAt: function (form) {
      var now = Date.now();
      var result = resolve(form, now);
      if (!result) return null;
      return new Date(result.at === null ? now : result.at).toISOString();
    },
  };

  var form = document.querySelector("[data-log-form]");
  if (!form || !form.querySelector("[data-when-summary]")) return;
  var summary = form.querySelector("[data-when-summary]");
  var timeBox = form.querySelector("[data-when-time]");
  var stampBox = form.querySelector("[data-when-at]");

  function render() {
    var chosen = form.querySelector('input[name="when"]:checked');
    if (chosen) {
      if (timeBox) timeBox.hidden = chosen.value !== "earlier_today" && chosen.value !== "last_night";
      if (stampBox) stampBox.hidden = chosen.value !== "another_day";
    }
    var now = Date.now();
    var result = resolve(form, now);
    if (result && result.at !== null && result.at > now + 10 * 60000) {
      summary.textContent = "That is later than now: choose a time that has passed.";
    } else {
      summary.textContent = result ? describe(result, now) : "";
    }
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "when" || name === "when_time" || name === "occurred_at") render();
    // "Earlier today" needs a time: go straight to it (a real choice, never a pre-filled one).
    if (name === "when" && event.target.value === "earlier_today" && event.isTrusted) {
      var input = form.querySelector('input[name="when_time"]');
      if (input && !input.value) input.focus();
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.name === "when_time" || event.target.name === "occurred_at") render();
  });
  // "Now" moves on while the page stays open.
  window.setInterval(render, 30000);
  render();
})();
