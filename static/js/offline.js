// Entries saved on the phone while offline (CONTRACT §6).
//
// The queue is IndexedDB ("diary-offline"), one record per entry keyed by its client-made id:
// the log form's hidden id. Each is sent with POST /api/entries/ carrying that id, the only
// write path, so a replay that repeats (the page and Background Sync at once, a lost answer)
// never stores an entry twice: 201 and 200 both mean stored. A 400 is kept as "not saved",
// shown to the patient with what was refused, until they fix or discard it.
//
// Loaded on every logged-in page (the "N waiting to send" line) and by the service worker
// (importScripts, for Background Sync). Plain script, no inline code: strict CSP holds.
(function (scope) {
  "use strict";

  var DB_NAME = "diary-offline";
  var OUTBOX = "outbox";
  // Ids of entries already sent or posted online: a page served from the cache still carries
  // such an id, and reusing it would make the server answer "already stored" for a new entry.
  var USED = "used";
  var USED_KEEP = 500;
  var API = "/api/entries/";
  var SYNC_TAG = "diary-outbox";
  var LABELS = {
    locations: "Where it hurts", pain_types: "What it feels like", intensity: "How strong",
    activity: "What you were doing", occurred_at: "When", red_flags: "Warning signs",
    context: "Context", notes: "Notes", timing: "Time of day", id: "This entry",
  };

  // ---- IndexedDB -------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(OUTBOX, { keyPath: "id" });
        request.result.createObjectStore(USED, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return withStore(OUTBOX, "readonly", function (s) { return s.getAll(); }); }
  function get(id) { return withStore(OUTBOX, "readonly", function (s) { return s.get(id); }); }
  function put(item) { return withStore(OUTBOX, "readwrite", function (s) { return s.put(item); }); }
  function remove(id) { return withStore(OUTBOX, "readwrite", function (s) { return s.delete(id); }); }

  function markUsed(id) {
    return withStore(USED, "readwrite", function (store) {
      store.put({ id: id, at: Date.now() });
      var count = store.count();
      count.onsuccess = function () {
        if (count.result <= USED_KEEP) return;
        // Forget the oldest: a cached page is never that many entries old.
        store.getAll().onsuccess = function (event) {
          event.target.result.sort(function (a, b) { return a.at - b.at; })
            .slice(0, count.result - USED_KEEP)
            .forEach(function (old) { store.delete(old.id); });
        };
      };
    });
  }

  function isUsed(id) {
    return withStore(USED, "readonly", function (s) { return s.get(id); }).then(Boolean);
  }

  // ---- sending ---------------------------------------------------------------------
  function messages(body) {
    var out = [];
    function walk(value, field) {
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) { value.forEach(function (v) { walk(v, field); }); return; }
      if (typeof value === "object") {
        Object.keys(value).forEach(function (key) { walk(value[key], field || key); });
        return;
      }
      var label = LABELS[field] || (field === "detail" || !field ? "" : field);
      out.push(label ? label + ": " + value : String(value));
    }
    walk(body, "");
    return out.length ? out : ["The diary refused this entry."];
  }

  var STOP = {};

  // Send one entry. Resolves "sent" or "refused"; rejects STOP when sending should wait
  // (offline, logged out, server trouble): the entry stays queued and nothing is lost.
  function send(item, csrf) {
    return scope.fetch(API, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf || item.csrf },
      body: JSON.stringify(item.payload),
    }).catch(function () { throw STOP; }).then(function (response) {
      if (response.status === 201 || response.status === 200) {
        return markUsed(item.id).then(function () { return remove(item.id); }).then(function () { return "sent"; });
      }
      if (response.status === 400) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          item.status = "refused";
          item.errors = messages(body);
          return put(item).then(function () { return "refused"; });
        });
      }
      throw STOP;
    });
  }

  var running = null;

  // Send every waiting entry of `user` (the e-mail of who is logged in), oldest first.
  function replay(user, csrf) {
    if (running) return running;
    running = all().then(function (items) {
      var waiting = items.filter(function (item) {
        return item.status === "waiting" && item.user === user;
      }).sort(function (a, b) { return a.savedAt - b.savedAt; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function () { return send(item, csrf); });
      }, Promise.resolve());
    }).catch(function (error) {
      if (error !== STOP) throw error;
    }).then(function () { running = null; }, function (error) { running = null; throw error; });
    return running;
  }

  // Background Sync: the worker learns who is logged in from the API, then sends theirs.
  function replayFromWorker() {
    return scope.fetch("/api/me/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (me) { return me ? replay(me.email, null) : null; })
      .catch(function () {})
      .then(function () {
        return scope.clients.matchAll().then(function (clients) {
          clients.forEach(function (client) { client.postMessage("outbox-changed"); });
        });
      });
  }

  scope.DiaryOutbox = {
    SYNC_TAG: SYNC_TAG, all: all, get: get, put: put, remove: remove,
    markUsed: markUsed, isUsed: isUsed, replay: replay, replayFromWorker: replayFromWorker,
  };

  if (!scope.document) return; // in the service worker: the rest is for pages

  // ---- pages -----------------------------------------------------------------------
  var doc = scope.document;
  var body = doc.body;
  var user = body.getAttribute("data-user");
  if (!user || !scope.indexedDB) return;

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(doc.cookie);
    if (match) return decodeURIComponent(match[1]);
    var field = doc.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function newId() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // -- the "N waiting to send" line and the entries the diary refused --
  var box = doc.querySelector("[data-outbox]");

  function render() {
    return all().then(function (items) {
      var mine = items.filter(function (item) { return item.user === user; });
      var waiting = mine.filter(function (item) { return item.status === "waiting"; });
      var refused = mine.filter(function (item) { return item.status === "refused"; });
      if (!box) return;
      box.hidden = !mine.length;
      var count = box.querySelector("[data-outbox-count]");
      count.textContent = waiting.length
        ? waiting.length + " waiting to send" + (scope.navigator.onLine ? "" : " · you are offline; they will send when you are back online")
        : "";
      count.hidden = !waiting.length;
      var list = box.querySelector("[data-outbox-refused]");
      list.textContent = "";
      refused.forEach(function (item) {
        var li = doc.createElement("li");
        li.className = "outbox-refused";
        var title = doc.createElement("p");
        var strong = doc.createElement("strong");
        strong.textContent = "Not saved: ";
        title.appendChild(strong);
        title.appendChild(doc.createTextNode(item.summary));
        li.appendChild(title);
        var reasons = doc.createElement("ul");
        item.errors.forEach(function (message) {
          var reason = doc.createElement("li");
          reason.textContent = message;
          reasons.appendChild(reason);
        });
        li.appendChild(reasons);
        var actions = doc.createElement("p");
        actions.className = "actions";
        var fix = doc.createElement("a");
        fix.className = "button";
        fix.href = box.getAttribute("data-log-url") + "?draft=" + encodeURIComponent(item.id);
        fix.textContent = "Fix and save";
        var discard = doc.createElement("button");
        discard.type = "button";
        discard.className = "button-secondary";
        discard.setAttribute("data-discard", item.id);
        discard.textContent = "Discard";
        actions.appendChild(fix);
        actions.appendChild(discard);
        li.appendChild(actions);
        list.appendChild(li);
      });
    });
  }

  if (box) {
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-discard]");
      if (!button) return;
      remove(button.getAttribute("data-discard")).then(render);
    });
  }

  function sendNow() {
    if (!scope.navigator.onLine) return render();
    return replay(user, csrfToken()).then(render, render);
  }

  scope.addEventListener("online", sendNow);
  scope.addEventListener("offline", render);

  // -- the service worker: registered here, on logged-in pages only --
  var sw = scope.navigator.serviceWorker;
  var swUrl = body.getAttribute("data-sw");
  if (sw && swUrl) {
    var hadController = Boolean(sw.controller);
    sw.register(swUrl, { scope: "/" }).catch(function () {});
    sw.addEventListener("message", function (event) {
      if (event.data === "outbox-changed") render();
    });
    // A new deploy's worker took over: reload to its pages, unless the patient is typing.
    sw.addEventListener("controllerchange", function () {
      if (!hadController) { hadController = true; return; }
      if (!dirty) scope.location.reload();
    });
  }

  function requestSync() {
    if (!sw || !scope.SyncManager) return Promise.resolve();
    return sw.ready.then(function (registration) {
      return registration.sync.register(SYNC_TAG);
    }).catch(function () {});
  }

  // ---- the log page: Save stores on the phone when offline ----
  var form = doc.querySelector("[data-log-form]");
  var dirty = false;
  if (!form || !form.querySelector('input[name="id"]') || form.hasAttribute("data-editing")) {
    sendNow();
    return;
  }
  var idInput = form.querySelector('input[name="id"]');
  var fixing = null;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });

  function fieldPairs() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "id") pairs.push([name, String(value)]);
    });
    return pairs;
  }

  function payloadFrom(data, id, occurredAt) {
    var seen = {};
    var payload = {
      id: id,
      occurred_at: occurredAt,
      locations: data.getAll("locations").filter(function (code) {
        if (seen[code]) return false;
        seen[code] = true;
        return true;
      }).map(function (code) {
        var parts = code.split(":");
        return { region: parts[0], side: parts[1] };
      }),
      pain_types: data.getAll("pain_types"),
      activity: data.get("activity") || "",
      red_flags: data.getAll("red_flags"),
      context: data.getAll("context"),
      notes: data.get("notes") || "",
    };
    if (data.get("intensity") !== null && data.get("intensity") !== "") {
      payload.intensity = Number(data.get("intensity"));
    }
    return payload;
  }

  function summaryOf(payload) {
    var when = new Date(payload.occurred_at);
    var words = [when.toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" })];
    words.push(payload.intensity === undefined ? "no intensity" : payload.intensity + "/10");
    var place = form.querySelector('input[name="locations"]:checked');
    if (place) words.push(place.getAttribute("data-label"));
    return words.join(" · ");
  }

  function notice(html) {
    var slot = doc.querySelector("[data-offline-notice]");
    if (!slot) {
      slot = doc.createElement("div");
      slot.className = "offline-notice";
      slot.setAttribute("data-offline-notice", "");
      slot.setAttribute("role", "status");
      slot.tabIndex = -1;
      form.parentNode.insertBefore(slot, form);
    }
    slot.textContent = "";
    html.forEach(function (node) { slot.appendChild(node); });
    return slot;
  }

  function paragraph(text, className) {
    var p = doc.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function restart() {
    form.reset();
    idInput.value = newId();
    fixing = null;
    dirty = false;
    ["locations", "red_flags", "intensity", "when"].forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (input) input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // An id this phone may use for a new entry: never one already sent or queued.
  function freshId() {
    var id = idInput.value;
    if (fixing === id) return Promise.resolve(id);
    return Promise.all([isUsed(id), get(id)]).then(function (found) {
      return found[0] || found[1] ? newId() : id;
    });
  }

  function saveOnPhone() {
    var data = new FormData(form);
    var occurredAt = scope.DiaryWhen ? scope.DiaryWhen.occurredAt(form) : new Date().toISOString();
    if (!occurredAt) {
      notice([paragraph("Enter when it happened, then save again.", "message message-error")]).focus();
      return Promise.resolve();
    }
    var advice = Array.prototype.map.call(
      form.querySelectorAll("[data-urgent-slot] > *"), function (node) { return node.cloneNode(true); }
    );
    return freshId().then(function (id) {
      var payload = payloadFrom(data, id, occurredAt);
      var item = {
        id: id, user: user, payload: payload, fields: fieldPairs(), savedAt: Date.now(),
        status: "waiting", errors: [], csrf: csrfToken(), summary: summaryOf(payload),
      };
      return put(item).then(function () {
        restart();
        var slot = notice([
          paragraph("Saved on your phone. It is waiting to send and will go to your diary " +
            "by itself when you are back online.", "message message-success"),
        ].concat(advice));
        slot.focus();
        slot.scrollIntoView({ block: "start" });
        return Promise.all([render(), requestSync()]);
      });
    });
  }

  var posting = false;
  form.addEventListener("submit", function (event) {
    if (posting) return;
    event.preventDefault();
    var button = form.querySelector("[data-save]");
    if (!scope.navigator.onLine) {
      saveOnPhone().then(function () {
        // log.js disables the button for one save per tap; this one stayed on the page.
        scope.setTimeout(function () { if (button) button.disabled = false; }, 0);
      });
      return;
    }
    // Online: the page's own form post, after noting its id (see USED above).
    var id = idInput.value;
    var done = function () {
      posting = true;
      form.submit();
    };
    (fixing === id ? remove(id) : Promise.resolve())
      .then(function () { return markUsed(id); })
      .then(done, done);
  });

  function restoreFields(pairs) {
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (input) {
      input.checked = false;
    });
    pairs.forEach(function (pair) {
      var inputs = form.querySelectorAll('[name="' + pair[0] + '"]');
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === pair[1]) input.checked = true;
        } else {
          input.value = pair[1];
        }
      });
    });
    ["locations", "red_flags", "intensity", "when"].forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (input) input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // A draft keeps the moment it was saved for ("Now" then is not now): as "Another day".
  function keepMoment(iso) {
    var stamp = form.querySelector('input[name="occurred_at"]');
    var another = form.querySelector('input[name="when"][value="another_day"]');
    var zoneBox = form.querySelector("[data-zone]");
    if (!iso || !stamp || !another || !zoneBox) return;
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zoneBox.getAttribute("data-zone"), hourCycle: "h23", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    }).formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    another.checked = true;
    stamp.value = parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
    another.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // ---- "Fix and save": a refused entry back in the form, with what was refused ----
  var draftId = new URLSearchParams(scope.location.search).get("draft");
  var ready = Promise.resolve();
  if (draftId) {
    ready = get(draftId).then(function (item) {
      if (!item || item.user !== user) return;
      restoreFields(item.fields);
      keepMoment(item.payload.occurred_at);
      idInput.value = item.id;
      fixing = item.id;
      var list = doc.createElement("ul");
      item.errors.forEach(function (message) {
        var li = doc.createElement("li");
        li.textContent = message;
        list.appendChild(li);
      });
      notice([
        paragraph("This entry, saved on your phone, was not accepted by the diary. Change what " +
          "is listed, then save again.", "message message-error"),
        list,
      ]);
    });
  }

  // ---- a form post the network lost (see postedOrKept in the service worker) ----
  var unsentId = new URLSearchParams(scope.location.search).get("unsent");
  if (unsentId) {
    ready = ready.then(function () { return get(unsentId); }).then(function (item) {
      if (!item || item.status !== "unsent") return;
      restoreFields(item.fields);
      idInput.value = item.id;
      fixing = item.id; // its own id: this very entry, not a new one
      return saveOnPhone();
    });
  }

  ready.then(sendNow);
})(typeof self !== "undefined" ? self : window);
