/* Section page enhancements. The page works without this file (plain POST and redirect);
   with it:
   - answers autosave about 1.5 s after each change, to the same URL as the form, and the
     status line says honestly what happened ("Saved at 14:02", "Not saved - retrying");
   - failed saves are retried with backoff, at once when the connection returns, and the
     unsaved input is also kept in this browser (localStorage) until the server has it;
   - a stale save is never silently applied: the server refuses conflicting changes and
     this script shows what changed, with "keep my version" or "discard and reload";
   - "Not applicable" reveals its reason, "don't know" and "none of these" are exclusive,
     evidence entries are added and removed in place, and the evidence notice (a claimed
     level that needs evidence to count) follows the answer live;
   - an evidence entry with a reference but no type is flagged beside its type before
     saving (the server refuses it: a type chosen for the user would change what the entry
     counts for, so the score), and the other answers are saved meanwhile;
   - "Clear answer" takes a chosen radio back to no answer and saves at once;
   - after each save the sections' "X of Y answered" lines show the new counts (in place:
     no announcement, no focus change; the save status line is what is announced);
   - Enter in a one-line field saves at once instead of submitting the whole page;
   - leaving with unsaved changes asks first. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }

  var DEBOUNCE_MS = 1500;
  var BACKOFF_MS = [2000, 4000, 8000, 16000, 30000, 60000];
  var msgs = (document.querySelector("template[data-messages]") || {dataset: {}}).dataset;
  // The page gives a message per plural category of its language (data-partly-few, ...);
  // the browser's CLDR rules say which one a count takes (Russian 5: many, Arabic 2: two).
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function pluralKey(prefix, count) {
    var category = pluralRules ? pluralRules.select(count) : (count === 1 ? "one" : "other");
    return prefix + category.charAt(0).toUpperCase() + category.slice(1);
  }
  var statusEl = document.querySelector("[data-save-status]");
  var revisionInput = form.querySelector("[data-base-revision]");
  var storageKey = form.getAttribute("data-storage-key");

  var state = {
    editSeq: 0,          // bumps on every change
    savedSeq: 0,         // the editSeq the last successful save covered
    timer: null,
    inFlight: false,
    failures: 0,
    paused: false,       // a conflict waits for the user's choice, or the page is read-only
    submitting: false,   // the plain form submit is under way
    invalid: {},         // item key -> true while the server refuses its answer
    server: {},          // field name -> {key, message, anchor}: the server's messages shown
    local: {}            // field name -> {key, message, anchor}: this script's (evidence rows)
  };

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_m, k) {
      return values[k] === undefined ? "" : values[k];
    });
  }

  function localTime(iso) {
    var d = iso ? new Date(iso) : new Date();
    return d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  }

  function setStatus(text, kind) {
    if (!statusEl) { return; }
    statusEl.textContent = text;
    statusEl.className = "save-status" + (kind ? " save-status-" + kind : "");
  }

  function itemOf(el) {
    var box = el && el.closest ? el.closest("[data-item]") : null;
    return box ? box.getAttribute("data-item") : null;
  }

  function isDirty() { return state.editSeq !== state.savedSeq; }

  // -- local safety copy ---------------------------------------------------------------------
  function entries() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "action") { out.push([name, String(value)]); }
    });
    return out;
  }

  function keepLocally() {
    if (!storageKey) { return; }
    try {
      localStorage.setItem(storageKey, JSON.stringify({at: new Date().toISOString(), entries: entries()}));
    } catch (e) { /* storage full or disabled: the server copy is what counts */ }
  }

  function forgetLocal() {
    if (!storageKey) { return; }
    try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function offerRestore() {
    var raw = null;
    try { raw = storageKey && localStorage.getItem(storageKey); } catch (e) { return; }
    if (!raw) { return; }
    var kept;
    try { kept = JSON.parse(raw); } catch (e) { forgetLocal(); return; }
    if (!kept || !kept.entries || JSON.stringify(kept.entries.filter(notBase)) === JSON.stringify(entries().filter(notBase))) {
      forgetLocal();
      return;
    }
    var slot = document.querySelector("[data-others-slot]");
    var box = document.createElement("div");
    box.className = "notice notice-warning restore-notice";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = fmt(msgs.restore, {time: localTime(kept.at)});
    var restore = button(msgs.restoreButton, "button primary small");
    var discard = button(msgs.discardButton, "button small");
    restore.addEventListener("click", function () {
      applyEntries(kept.entries);
      box.remove();
      changed(null);
    });
    discard.addEventListener("click", function () { forgetLocal(); box.remove(); });
    box.appendChild(p);
    var group = document.createElement("div");
    group.className = "button-group";
    group.appendChild(restore);
    group.appendChild(discard);
    box.appendChild(group);
    slot.appendChild(box);
  }

  function notBase(entry) { return entry[0] !== "base_revision" && !/-base$/.test(entry[0]); }

  function applyEntries(list) {
    var byName = {};
    list.forEach(function (e) {
      var m = /^(.+)-evidence-(\d+)-\w+$/.exec(e[0]);
      if (m) { ensureEvidenceRow(m[1], m[2]); }
      (byName[e[0]] = byName[e[0]] || []).push(e[1]);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      // The kept fingerprints come back too: the server then sees which answers others
      // changed since, and refuses those as conflicts instead of overwriting them.
      if (!el.name || el.name === "csrf_token") { return; }
      var values = byName[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.type === "text" || el.type === "hidden") {
        el.value = values.length ? values[0] : "";
      }
    });
    form.querySelectorAll("[data-item]").forEach(refreshItem);
  }

  // -- saving ------------------------------------------------------------------------------------
  function schedule(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(save, delay === undefined ? DEBOUNCE_MS : delay);
  }

  function changed(event) {
    if (state.submitting) { return; }
    state.editSeq += 1;
    keepLocally();
    if (Object.keys(state.local).length) { withUntyped({}, true); }
    if (event && event.target) {
      var box = event.target.closest("[data-item]");
      if (box) { refreshItem(box); }
    }
    if (!state.paused) {
      setStatus(msgs.unsaved, "pending");
      state.failures = 0;
      schedule();
    }
  }

  function save(skip) {
    if (state.inFlight || state.paused || state.submitting) { return; }
    if (!isDirty() && !skip) { return; }
    // What the server would refuse is said now, beside it, and held back; the rest is saved.
    skip = withUntyped(skip || {});
    if (Object.keys(skip).length >= form.querySelectorAll("[data-item]").length) {
      state.invalid = skip;
      setStatus(msgs.invalid, "error");
      return;
    }
    state.inFlight = true;
    var seq = state.editSeq;
    var data = new FormData(form);
    var skipped = Object.keys(skip || {});
    if (skipped.length) { data.append("skip", skipped.join(",")); }
    setStatus(msgs.saving, "pending");
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-Requested-With": "fetch"}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return {status: response.status, body: null};
      }
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (result) {
      state.inFlight = false;
      handle(result, seq, skip || {});
    }, function () {
      state.inFlight = false;
      retryLater(false);
    });
  }

  function handle(result, seq, skip) {
    var body = result.body || {};
    if (result.status === 200 && result.body) {
      return saved(body, seq, skip);
    }
    if (result.status === 422 && body.details && body.details.fields) {
      showErrors(body.details);
      // Save everything else now: one wrong value must not hold back the other answers.
      var bad = {};
      Object.keys(body.details.items || {}).forEach(function (k) { bad[k] = true; });
      Object.keys(skip).forEach(function (k) { bad[k] = true; });
      state.invalid = bad;
      setStatus(msgs.invalid, "error");
      if (Object.keys(bad).length < form.querySelectorAll("[data-item]").length) {
        save(bad);
      }
      return;
    }
    if (result.status === 409 && body.details && body.details.html) {
      return conflict(body.details);
    }
    if (result.status === 409) {
      state.paused = true;
      setStatus(body.error || msgs.invalid, "error");
      return;
    }
    if (result.status === 401 || result.status === 400 || result.status === 403) {
      setStatus(result.status === 401 ? msgs.signedOut : (body.error || msgs.signedOut), "error");
      return retryLater(true);
    }
    retryLater(false);
  }

  function saved(body, seq, skip) {
    revisionInput.value = body.revision;
    Object.keys(body.fingerprints || {}).forEach(function (key) {
      var input = form.querySelector("[data-item='" + key + "'] [data-base]");
      if (input) { input.value = body.fingerprints[key]; }
    });
    clearErrors(Object.keys(body.fingerprints || {}));
    forgetServerErrors(body.fingerprints || {});
    state.failures = 0;
    var stillBad = Object.keys(skip).length;
    if (!stillBad) {
      state.invalid = {};
      state.server = {};
      hideSummary();
    } else {
      renderSummary();
    }
    if (state.editSeq === seq && !stillBad) {
      state.savedSeq = seq;
      forgetLocal();
    }
    var time = localTime(body.saved_at);
    var partly = msgs[pluralKey("partly", stillBad)] || msgs.partlyOther || msgs.partlyOne;
    setStatus(stillBad ? fmt(partly, {time: time, count: stillBad}) : fmt(msgs.savedAt, {time: time}),
              stillBad ? "error" : "ok");
    showOthers(body.others || []);
    showProgress(body.progress);
    if (state.editSeq !== seq && !stillBad) { schedule(); }
  }

  function showProgress(progress) {
    if (!progress || !progress.sections || !msgs.progress) { return; }
    var byKey = {};
    progress.sections.forEach(function (s) { byKey[s.key] = s; });
    document.querySelectorAll("[data-progress-for]").forEach(function (el) {
      var s = byKey[el.getAttribute("data-progress-for")];
      if (!s) { return; }
      var text = fmt(msgs.progress, {a: s.answered, n: s.scored});
      var complete = s.state === "complete";
      var tick = el.querySelector(".tick");
      if (!!tick === complete && el.textContent.replace(/^\u2713\s*/, "") === text) { return; }
      el.textContent = "";
      if (complete) {
        tick = document.createElement("span");
        tick.className = "tick";
        tick.setAttribute("aria-hidden", "true");
        tick.textContent = "\u2713";
        el.appendChild(tick);
        el.appendChild(document.createTextNode(" "));
      }
      el.appendChild(document.createTextNode(text));
    });
  }

  function retryLater(quiet) {
    var delay = BACKOFF_MS[Math.min(state.failures, BACKOFF_MS.length - 1)];
    state.failures += 1;
    if (!quiet) {
      setStatus(navigator.onLine === false ? msgs.offline : fmt(msgs.retrying, {seconds: Math.round(delay / 1000)}), "error");
    }
    schedule(delay);
  }

  window.addEventListener("online", function () {
    if (isDirty() && !state.paused) { schedule(0); }
  });

  // -- conflicts ----------------------------------------------------------------------------------
  function conflict(details) {
    state.paused = true;
    setStatus(msgs.conflict, "error");
    var slot = document.querySelector("[data-conflict-slot]");
    slot.innerHTML = details.html;  // rendered by the server, autoescaped
    var panel = slot.querySelector("[data-conflict-panel]");
    var keep = slot.querySelector("[data-keep-mine]");
    keep.addEventListener("click", function (event) {
      event.preventDefault();
      revisionInput.value = details.current_revision;
      Object.keys(details.fingerprints || {}).forEach(function (key) {
        var input = form.querySelector("[data-item='" + key + "'] [data-base]");
        if (input) { input.value = details.fingerprints[key]; }
      });
      slot.innerHTML = "";
      state.paused = false;
      save();
    });
    var reload = slot.querySelector("[data-reload]");
    if (reload) {
      reload.addEventListener("click", function () { state.submitting = true; forgetLocal(); });
    }
    if (panel) { panel.focus(); }
  }

  function showOthers(others) {
    if (!others.length) { return; }
    var slot = document.querySelector("[data-others-slot]");
    var box = document.createElement("div");
    box.className = "notice notice-warning";
    others.forEach(function (c) {
      var p = document.createElement("p");
      p.textContent = fmt(msgs.others, c);
      box.appendChild(p);
      markOutdated(c);
    });
    box.appendChild(reloadLink());
    slot.appendChild(box);
  }

  // The same news at the question itself, where the user is working: the page still shows
  // the answer as it was, and editing it now would be refused as a conflict (the page keeps
  // the fingerprint it loaded for it), so the user should know before typing.
  function markOutdated(change) {
    var item = form.querySelector("[data-item='" + change.item + "']");
    if (!item) { return; }
    var note = item.querySelector(".outdated-notice");
    if (!note) {
      note = document.createElement("div");
      note.className = "notice notice-warning outdated-notice";
      note.setAttribute("role", "status");
      var legend = item.querySelector("legend");
      if (legend) { legend.parentNode.insertBefore(note, legend.nextSibling); } else { item.insertBefore(note, item.firstChild); }
    }
    note.textContent = "";
    var p = document.createElement("p");
    p.textContent = fmt(msgs.others, change);
    note.appendChild(p);
    note.appendChild(reloadLink());
  }

  function reloadLink() {
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = msgs.reload;
    return link;
  }

  // -- messages next to fields --------------------------------------------------------------
  function controlsOf(name) {
    var list = form.querySelectorAll("[name='" + name + "']");
    if (!list.length) {
      var box = document.getElementById(name);
      if (box) { list = box.querySelectorAll("input, select, textarea"); }
    }
    return list;
  }

  // An evidence row has no message slot until it needs one (the server writes one only for
  // a row with a message): made beside the control, as the server makes it.
  function slotFor(name, make) {
    var slot = form.querySelector("[data-error-for='" + name + "']");
    var control = slot || !make ? null : form.querySelector("[name='" + name + "']");
    if (control && control.closest("[data-evidence-row]")) {
      slot = document.createElement("p");
      slot.className = "error-message";
      slot.id = name + "-error";
      slot.setAttribute("data-error-for", name);
      control.parentNode.insertBefore(slot, control.nextSibling);
    }
    return slot;
  }

  function setError(name, message) {
    var slot = slotFor(name, !!message);
    if (slot) {
      slot.textContent = "";
      if (message) {
        var prefix = document.createElement("span");
        prefix.className = "visually-hidden";
        prefix.textContent = (msgs.errorLabel || "Error:") + " ";
        slot.appendChild(prefix);
        slot.appendChild(document.createTextNode(message));
      }
      slot.hidden = !message;
    }
    controlsOf(name).forEach(function (el) {
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== name + "-error";
      });
      if (message) { ids.push(name + "-error"); el.setAttribute("aria-invalid", "true"); }
      else { el.removeAttribute("aria-invalid"); }
      if (ids.length) { el.setAttribute("aria-describedby", ids.join(" ")); }
      else { el.removeAttribute("aria-describedby"); }
    });
  }

  function clearErrors(keys) {
    keys.forEach(function (key) {
      var box = form.querySelector("[data-item='" + key + "']");
      if (!box) { return; }
      box.classList.remove("item-has-error");
      box.querySelectorAll("[data-error-for]").forEach(function (slot) {
        if (!slot.hidden) { setError(slot.getAttribute("data-error-for"), null); }
      });
    });
  }

  function showErrors(details) {
    var fields = details.fields || {};
    clearErrors(Object.keys(details.items || {}));
    state.server = {};
    Object.keys(fields).forEach(function (name) {
      setError(name, fields[name]);
      var key = itemOf(form.querySelector("[data-error-for='" + name + "']"));
      var box = key && form.querySelector("[data-item='" + key + "']");
      if (box) { box.classList.add("item-has-error"); }
      state.server[name] = {key: key, message: fields[name], anchor: (details.anchors || {})[name] || name};
    });
    Object.keys(state.local).forEach(function (name) {   // still to be corrected, and said
      if (!state.server[name]) { setError(name, state.local[name].message); }
    });
    renderSummary();
  }

  // The summary lists the server's messages and this script's, each linked to its control;
  // it hides when there is none left.
  function renderSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    var list = summary.querySelector("[data-error-summary-list]");
    var shown = [];
    Object.keys(state.server).forEach(function (name) { shown.push(state.server[name]); });
    Object.keys(state.local).forEach(function (name) { if (!state.server[name]) { shown.push(state.local[name]); } });
    if (!shown.length) { summary.hidden = true; return; }
    list.textContent = "";
    shown.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + e.anchor;
      a.textContent = fmt(msgs.errorPrefix, {key: e.key || ""}) + " " + e.message;
      li.appendChild(a);
      list.appendChild(li);
    });
    var lead = summary.querySelector("[data-error-summary-lead]");
    if (lead) { lead.hidden = true; }
    summary.hidden = false;
  }

  function forgetServerErrors(saved) {
    Object.keys(state.server).forEach(function (name) {
      if (saved[state.server[name].key] !== undefined) { delete state.server[name]; }
    });
  }

  // The messages the server wrote on the page it sent back (a refused plain save), so that
  // the summary keeps them when this script adds or clears its own.
  function readServerErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (slot) {
      if (slot.hidden) { return; }
      var name = slot.getAttribute("data-error-for");
      var hidden = slot.querySelector(".visually-hidden");
      var message = slot.textContent.replace(hidden ? hidden.textContent : "", "").trim();
      var control = controlsOf(name)[0];
      state.server[name] = {key: itemOf(slot), message: message, anchor: control && control.id ? control.id : name};
    });
  }

  // -- evidence rows: a reference needs its type ----------------------------------------------
  // The rows with a reference and no type: field name of the type -> {key, message, anchor}.
  function untypedRows() {
    var found = {};
    form.querySelectorAll("[data-evidence-list]").forEach(function (list) {
      var key = list.getAttribute("data-evidence-list");
      list.querySelectorAll("[data-evidence-row]").forEach(function (row, n) {
        var type = row.querySelector("[data-evidence-type]");
        var ref = row.querySelector("[data-evidence-reference]");
        var remove = row.querySelector("input[type=checkbox][name$='-remove']");
        if (type && ref && !type.value && ref.value.trim() && !(remove && remove.checked)) {
          found[type.name] = {key: key, message: fmt(msgs.evidenceType, {n: n + 1}), anchor: type.id};
        }
      });
    });
    return found;
  }

  // Say (or, with ``clearOnly``, only take back) the rows' messages; returns ``skip`` with the
  // items that have such a row.
  function withUntyped(skip, clearOnly) {
    var found = untypedRows();
    var before = state.local;
    state.local = {};
    Object.keys(before).forEach(function (name) {
      if (found[name]) { state.local[name] = found[name]; return; }
      if (!state.server[name]) { setError(name, null); }
      markItem(before[name].key);
    });
    Object.keys(found).forEach(function (name) {
      // While typing, a message is only taken back or kept up to date (a row renumbered
      // when one above it is removed), never newly said: that waits for the save.
      if (clearOnly && !before[name] && !form.querySelector("[data-error-for='" + name + "']:not([hidden])")) { return; }
      setError(name, found[name].message);
      state.local[name] = found[name];
      markItem(found[name].key);
    });
    var out = {};
    Object.keys(skip).forEach(function (k) { out[k] = true; });
    Object.keys(state.local).forEach(function (name) { out[state.local[name].key] = true; });
    if (Object.keys(before).length || Object.keys(state.local).length) { renderSummary(); }
    return out;
  }

  function markItem(key) {
    var box = form.querySelector("[data-item='" + key + "']");
    if (!box) { return; }
    var bad = [state.local, state.server].some(function (shown) {
      return Object.keys(shown).some(function (name) { return shown[name].key === key; });
    });
    box.classList.toggle("item-has-error", bad);
  }

  function hideSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.hidden = true; }
  }

  // -- items: conditional reason, exclusive answers, evidence notice ---------------------------
  function refreshItem(box) {
    var na = box.querySelector("input[value='__not_applicable']");
    var reason = box.querySelector(".conditional");
    if (reason && na) { reason.hidden = !na.checked; }
    var clear = box.querySelector("[data-clear-wrap]");
    if (clear) { clear.hidden = !box.querySelector(".radios input[type=radio]:checked"); }
    updateNotice(box);
  }

  // "Clear answer": no radio chosen, saved at once. The button hides with nothing left to
  // clear, so focus moves to the first choice of the same question (where one chooses again).
  function clearAnswer(event) {
    var btn = event.target.closest && event.target.closest("[data-clear-answer]");
    if (!btn) { return; }
    event.preventDefault();
    var box = btn.closest("[data-item]");
    var radios = box.querySelectorAll(".radios input[type=radio]");
    radios.forEach(function (r) { r.checked = false; });
    changed({target: box});
    if (radios.length) { radios[0].focus(); }
    if (!state.paused) { schedule(0); }
  }

  function exclusive(event) {
    var el = event.target;
    if (!el.checked || (el.type !== "checkbox" && el.type !== "text")) { return; }
    var box = el.closest("[data-item]");
    if (!box) { return; }
    var choices = box.querySelectorAll(".checkboxes input[type=checkbox]");
    if (el.type === "checkbox" && el.hasAttribute("data-exclusive")) {
      choices.forEach(function (other) { if (other !== el) { other.checked = false; } });
      var number = box.querySelector(".input-number");
      if (number) { number.value = ""; }
    } else if (el.type === "checkbox" && el.closest(".checkboxes")) {
      choices.forEach(function (other) { if (other.hasAttribute("data-exclusive")) { other.checked = false; } });
    }
  }

  function numberTyped(event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("input-number") || !el.value) { return; }
    var box = el.closest("[data-item]");
    box.querySelectorAll("input[data-exclusive]").forEach(function (c) { c.checked = false; });
  }

  // The evidence rule as the server gives it (app.scoring.caps.CapRule.as_data): the same
  // rules in the same order, so the page says what the score will count.
  function isDocumentary(rule, type, reference) {
    if (rule.documentary_types === null) { return rule.non_documentary_types.indexOf(type) === -1; }
    if (rule.documentary_types.indexOf(type) === -1) { return false; }
    return rule.documentary_needs_reference.indexOf(type) === -1 || reference !== "";
  }

  function capOf(rule, level, rows, core) {
    var documentary = rows.some(function (r) { return isDocumentary(rule, r.type, r.reference); });
    var outcome = rows.some(function (r) { return rule.outcome_types.indexOf(r.type) !== -1; });
    var candidates = [
      ["core_documentary", core && rule.core_from !== null && level >= rule.core_from && !documentary, rule.core_cap],
      ["documentary", level >= rule.documentary_from && !documentary, rule.documentary_cap],
      ["outcome", level >= rule.outcome_from && !outcome, rule.outcome_cap]
    ];
    var effective = level, by = null;
    candidates.forEach(function (c) { if (c[1] && c[2] < effective) { effective = c[2]; by = c[0]; } });
    return {effective: effective, by: by};
  }

  function updateNotice(box) {
    var raw = box.getAttribute("data-caps");
    if (!raw) { return; }
    var rule = JSON.parse(raw);
    if (!rule.on) { return; }
    var notice = box.querySelector(".evidence-notice");
    var checked = box.querySelector(".radios input[type=radio]:checked");
    var level = checked && /^\d$/.test(checked.value) ? parseInt(checked.value, 10) : null;
    var rows = [];
    box.querySelectorAll("[data-evidence-row]").forEach(function (row) {
      var remove = row.querySelector("input[type=checkbox][name$='-remove']");
      var type = row.querySelector("[data-evidence-type]").value;
      var ref = row.querySelector("[data-evidence-reference]").value.trim();
      if (type && ref && !(remove && remove.checked)) { rows.push({type: type, reference: ref}); }
    });
    var text = "";
    if (level !== null) {
      var cap = capOf(rule, level, rows, box.getAttribute("data-core") === "1");
      if (cap.by) { text = fmt(box.getAttribute("data-msg-" + cap.by), {level: level, effective: cap.effective}); }
    }
    if (notice.textContent.indexOf(text) !== -1 && (text !== "") === !notice.hidden) { return; }
    notice.textContent = "";
    if (text) {
      var strong = document.createElement("strong");
      strong.textContent = box.getAttribute("data-msg-label") + " ";
      notice.appendChild(strong);
      notice.appendChild(document.createTextNode(text));
    }
    notice.hidden = !text;
  }

  // -- evidence rows: add and remove in place --------------------------------------------------
  function button(text, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    return b;
  }

  function nextIndex(list) {
    var max = -1;
    list.querySelectorAll("[data-evidence-row] select").forEach(function (sel) {
      var m = /-evidence-(\d+)-type$/.exec(sel.name);
      if (m) { max = Math.max(max, parseInt(m[1], 10)); }
    });
    return max + 1;
  }

  function addRow(list, index) {
    var tpl = list.querySelector("template[data-evidence-template]");
    var html = tpl.innerHTML.replace(/__i__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.querySelector("[data-evidence-row]");
    list.querySelector("[data-evidence-rows]").appendChild(row);
    enhanceRow(row);
    renumber(list);
    return row;
  }

  function ensureEvidenceRow(key, index) {
    var list = form.querySelector("[data-evidence-list='" + key + "']");
    var rows = list ? list.querySelectorAll("[data-evidence-row]").length : 0;
    for (; list && rows <= index && !form.querySelector("[name='" + key + "-evidence-" + index + "-type']"); rows++) {
      addRow(list, rows);
    }
  }

  // Rows are named 0 to n-1 in their order, as the server names them (it numbers the posted
  // rows so again): a message about row n, the server's or this script's, finds its row.
  function renameRow(row, key, n) {
    var stem = new RegExp("^" + key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-evidence-(\\d+|__i__)-");
    var now = key + "-evidence-" + n + "-";
    ["name", "id", "for", "data-error-for", "aria-describedby"].forEach(function (attr) {
      row.querySelectorAll("[" + attr + "]").forEach(function (el) {
        var was = el.getAttribute(attr);
        var renamed = was.split(" ").map(function (part) { return part.replace(stem, now); }).join(" ");
        if (renamed !== was) { el.setAttribute(attr, renamed); }
      });
    });
  }

  function renumber(list) {
    var key = list.getAttribute("data-evidence-list");
    list.querySelectorAll("[data-evidence-row]").forEach(function (row, n) {
      renameRow(row, key, n);
      var num = row.querySelector("[data-row-number]");
      if (num) { num.textContent = String(n + 1); }
      var rm = row.querySelector("[data-remove-row]");
      if (rm) { rm.setAttribute("aria-label", msgs.remove + " " + (n + 1)); }
    });
  }

  function enhanceRow(row) {
    var nojs = row.querySelector("[data-remove-nojs]");
    if (nojs) { nojs.hidden = true; }
    if (row.querySelector("[data-remove-row]")) { return; }
    var rm = button(msgs.remove, "button small secondary-quiet");
    rm.setAttribute("data-remove-row", "");
    rm.addEventListener("click", function () {
      var list = row.closest("[data-evidence-list]");
      var box = row.closest("[data-item]");
      var rows = list.querySelectorAll("[data-evidence-row]");
      var focusTo = list.querySelector("[data-add-row]");
      row.remove();
      if (rows.length === 1) { addRow(list, nextIndex(list)); }
      renumber(list);
      if (focusTo) { focusTo.focus(); }
      changed({target: box});
    });
    row.appendChild(rm);
  }

  function enhanceEvidence(list) {
    list.querySelectorAll("[data-evidence-row]").forEach(enhanceRow);
    var add = button(msgs.add, "button small");
    add.setAttribute("data-add-row", "");
    add.addEventListener("click", function () {
      var row = addRow(list, nextIndex(list));
      row.querySelector("select").focus();
    });
    list.appendChild(add);
    renumber(list);
  }

  // -- wiring --------------------------------------------------------------------------------------
  form.querySelectorAll("[data-evidence-list]").forEach(enhanceEvidence);
  form.querySelectorAll("[data-item]").forEach(refreshItem);

  form.addEventListener("click", clearAnswer);
  form.addEventListener("change", function (event) { exclusive(event); changed(event); });
  form.addEventListener("input", function (event) {
    if (event.target.type === "radio" || event.target.type === "checkbox" || event.target.tagName === "SELECT") { return; }
    numberTyped(event);
    changed(event);
  });
  // Enter in a one-line field saves now, in place: submitting the whole form jumped to the
  // top of the page (and to the next section), away from what the user was typing (issue 18).
  // Buttons keep Enter (they are pressed); a textarea keeps it for new lines.
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || event.isComposing || !el || el.tagName !== "INPUT" ||
        /^(submit|button|reset|image)$/.test(el.type)) { return; }
    event.preventDefault();
    if (!state.paused) { schedule(0); }
  });
  form.addEventListener("submit", function () {
    state.submitting = true;
    clearTimeout(state.timer);
    forgetLocal();
  });
  window.addEventListener("beforeunload", function (event) {
    if (state.submitting || (!isDirty() && !state.inFlight)) { return undefined; }
    event.preventDefault();
    event.returnValue = msgs.leave;
    return msgs.leave;
  });

  readServerErrors();
  if (form.hasAttribute("data-unsaved")) {
    // The page shows a refused save: what is on it is not stored yet.
    state.editSeq = 1;
    keepLocally();
  }
  if (document.querySelector("[data-conflict-panel]")) {
    // A refused plain save: its panel asks the user to choose; no autosave until then.
    state.paused = true;
    setStatus(msgs.conflict, "error");
  } else if (isDirty()) {
    setStatus(msgs.invalid, "error");
  } else {
    setStatus(msgs.allSaved, "ok");
    offerRestore();
  }
  var shown = document.querySelector("[data-error-summary]:not([hidden]), [data-conflict-panel]");
  if (shown) { shown.focus(); }
}());
