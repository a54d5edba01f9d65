// The stance report's only script: filters and sorts the stances, shows their evidence and the
// document view. Everything taken from the results is inserted as text (esc), never as markup.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("stance-data").textContent);
  var docs = DATA.docs, stances = DATA.stances, PAGE = 100;
  var form = document.getElementById("filters");
  var list = document.getElementById("stance-list");
  var count = document.getElementById("count");
  var more = document.getElementById("more");
  var view = document.getElementById("doc-view");
  var byId = new Map(docs.map(function (d, i) { return [d.id, i]; }));
  var matching = [], shown = PAGE, lastFocus = null;
  var FIELDS = ["target", "label", "type", "by", "min", "from", "to", "q", "sort"];

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fmt(n) { return n.toLocaleString("en"); }
  function evidenceText(d, e) { return typeof e === "string" ? e : d.text.slice(e[0], e[1]); }
  function haystack(s) {
    if (s.q === undefined) {
      var d = docs[s.d];
      s.q = (s.a + "\n" + d.id + "\n" + s.e.map(function (e) { return evidenceText(d, e); }).join("\n")).toLowerCase();
    }
    return s.q;
  }

  function filters() {
    var f = {};
    FIELDS.forEach(function (name) { f[name] = form.elements[name].value; });
    f.min = parseFloat(f.min) || 0;
    f.q = f.q.trim().toLowerCase();
    return f;
  }
  function keep(s, f) {
    if (f.target && s.g !== f.target) return false;
    if (f.label && s.l !== f.label) return false;
    if (f.type && s.y !== f.type) return false;
    if (f.by && (f.by === "model") === !!s.r) return false;
    if (f.min && !s.r && s.s < f.min) return false;
    var date = docs[s.d].date;
    if ((f.from || f.to) && !date) return false;
    if (f.from && date.slice(0, 7) < f.from) return false;
    if (f.to && date.slice(0, 7) > f.to) return false;
    return !f.q || haystack(s).indexOf(f.q) >= 0;
  }
  function byDate(a, b) { return (docs[a.d].date || "").localeCompare(docs[b.d].date || ""); }
  var SORTS = {
    "score": function (a, b) { return b.s - a.s || a.a.localeCompare(b.a); },
    "score-asc": function (a, b) { return a.s - b.s || a.a.localeCompare(b.a); },
    "date": function (a, b) { return (!docs[a.d].date) - (!docs[b.d].date) || byDate(b, a) || a.d - b.d; },
    "date-asc": function (a, b) { return (!docs[a.d].date) - (!docs[b.d].date) || byDate(a, b) || a.d - b.d; },
    "actor": function (a, b) { return a.a.localeCompare(b.a) || a.g.localeCompare(b.g) || a.d - b.d; },
    "doc": function (a, b) { return a.d - b.d || a.i - b.i; }
  };

  function apply(keepPage) {
    var f = filters();
    form.elements.minout.value = f.min.toFixed(2);
    matching = stances.filter(function (s) { return keep(s, f); }).sort(SORTS[f.sort] || SORTS.score);
    if (!keepPage) shown = PAGE;
    render();
    saveHash();
  }
  function render() {
    list.innerHTML = matching.slice(0, shown).map(card).join("");
    var n = Math.min(shown, matching.length);
    count.textContent = matching.length === stances.length
      ? "Showing " + fmt(n) + " of " + fmt(stances.length) + " stances"
      : "Showing " + fmt(n) + " of " + fmt(matching.length) + " matching stances (" + fmt(stances.length) + " in all)";
    more.hidden = shown >= matching.length;
    more.textContent = "Show " + Math.min(PAGE, matching.length - shown) + " more";
  }

  // the text from start to end with the chosen mentions marked (actor index, target name; -1/null: all)
  function marked(d, start, end, actor, target, labels) {
    var marks = [];
    d.marks.forEach(function (m) {
      if (m[0] >= start && m[1] <= end && (actor < 0 || m[2] === actor)) marks.push([m[0], m[1], "a", m[2]]);
    });
    d.tmarks.forEach(function (m) {
      if (m[0] >= start && m[1] <= end && (target === null || m[2] === target)) marks.push([m[0], m[1], "t", m[2]]);
    });
    // by position, the longer first, and a target before an actor named by the same words
    marks.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1] || (x[2] === "t" ? -1 : 1); });
    var out = "", at = start, seen = {};
    marks.forEach(function (m) {
      if (m[0] < at) return;
      out += esc(d.text.slice(at, m[0]));
      var words = d.text.slice(m[0], m[1]);
      if (m[2] === "t") {
        out += '<mark class="t" title="target: ' + esc(m[3]) + '">' + esc(words) + "</mark>";
      } else {
        var who = d.actors[m[3]], label = labels ? labels[m[3]] : null;
        var note = label ? '<span class="badge small ' + label + '">' + label + "</span>" : "";
        out += '<mark class="a' + (label ? " s-" + label : "") + '" title="actor: ' + esc(who[0]) + " (" + esc(who[1]) +
          ")" + (label ? ", " + label : "") + '">' + esc(words) + "</mark>" + (seen[m[3]] ? "" : note);
        seen[m[3]] = true;
      }
      at = m[1];
    });
    return out + esc(d.text.slice(at, end));
  }

  function scoreText(s) {
    return s.r ? '<span class="tag rule">rule</span> decided by the affiliation rule <span class="muted">(the model alone: ' +
      esc(s.r[0]) + " " + s.r[1].toFixed(2) + ")</span>" : '<span class="score">score ' + s.s.toFixed(2) + "</span>";
  }
  function card(s) {
    var d = docs[s.d];
    var evidence = s.e.map(function (e) {
      return "<li>" + (typeof e === "string" ? esc(e) : marked(d, e[0], e[1], s.i, s.g, null)) + "</li>";
    }).join("");
    return '<li class="stance l-' + s.l + '"><div class="head"><span class="badge ' + s.l + '">' + s.l + "</span> " +
      '<strong class="actor">' + esc(s.a) + '</strong> <span class="type">' + esc(s.y) + "</span>" +
      (s.f ? ' <span class="tag affiliated">affiliated</span>' : "") + ' <span class="arrow">toward</span> ' +
      '<strong class="target">' + esc(s.g) + "</strong> · " + scoreText(s) + ' · <a class="doc" href="#doc=' +
      encodeURIComponent(d.id) + '" data-doc="' + s.d + '">' + esc(d.id) + "</a>" +
      (d.date ? ' <time datetime="' + esc(d.date) + '">' + esc(d.date.slice(0, 10)) + "</time>" : ' <span class="muted">undated</span>') +
      "</div>" + (evidence ? '<ol class="evidence">' + evidence + "</ol>" : '<p class="muted">no evidence sentence</p>') + "</li>";
  }

  function openDoc(index, target) {
    var d = docs[index];
    if (!d) return;
    var own = stances.filter(function (s) { return s.d === index; });
    var targets = [];
    own.forEach(function (s) { if (targets.indexOf(s.g) < 0) targets.push(s.g); });
    target = targets.indexOf(target) >= 0 ? target : targets[0] || null;
    var labels = {};
    own.forEach(function (s) { if (s.g === target) labels[s.i] = s.l; });
    var rows = own.map(function (s) {
      return "<tr><td>" + esc(s.a) + (s.f ? ' <span class="tag affiliated">affiliated</span>' : "") + "</td><td>" + esc(s.y) +
        "</td><td>" + esc(s.g) + '</td><td><span class="badge ' + s.l + '">' + s.l + "</span></td><td>" + scoreText(s) + "</td></tr>";
    }).join("");
    var picker = targets.length > 1 ? ' <label>Mark stances toward <select id="doc-target">' + targets.map(function (t) {
      return "<option" + (t === target ? " selected" : "") + ">" + esc(t) + "</option>";
    }).join("") + "</select></label>" : "";
    document.getElementById("doc-body").innerHTML = '<h2 id="doc-title">' + esc(d.id) + "</h2><p class=\"muted\">" +
      esc(d.path || "") + " · " + (d.date ? esc(d.date) : "undated") + "</p>" +
      (rows ? '<table class="doc-stances"><thead><tr><th>actor</th><th>type</th><th>target</th><th>label</th><th>score</th></tr></thead><tbody>' +
        rows + "</tbody></table>" : "<p>No stances in this document.</p>") +
      '<p class="legend-line">Mentions: <mark class="a s-support">support</mark> solid underline, ' +
      '<mark class="a s-oppose">oppose</mark> wavy, <mark class="a s-neutral">neutral</mark> dotted, ' +
      '<mark class="t">' + esc(target || "target") + '</mark> (the target) boxed; the label is written after an actor\'s first mention.' + picker + "</p>" +
      (d.text ? '<div class="doc-text">' + marked(d, 0, d.text.length, -1, target, labels) + "</div>"
        : '<p class="note">The text was not kept in these results.</p>');
    var select = document.getElementById("doc-target");
    if (select) select.addEventListener("change", function () { openDoc(index, select.value); });
    if (view.hidden) lastFocus = document.activeElement;
    view.hidden = false;
    document.body.classList.add("viewing");
    document.getElementById("doc-close").focus();
  }
  function closeDoc() {
    view.hidden = true;
    document.body.classList.remove("viewing");
    saveHash();
    if (lastFocus) lastFocus.focus();
  }

  // the filters (and an open document) live in the address, so a view can be bookmarked or shared
  function saveHash() {
    var params = new URLSearchParams(), f = filters();
    FIELDS.forEach(function (name) {
      var value = form.elements[name].value;
      if (value && !(name === "min" && parseFloat(value) === 0) && !(name === "sort" && value === "score")) params.set(name, value);
    });
    if (!view.hidden && view.dataset.doc) params.set("doc", view.dataset.doc);
    var hash = params.toString(), now = location.hash.slice(1);
    if (hash === now || (!hash && !isState(now))) return f;  // leave a section anchor (#stances) alone
    try { history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search); } catch (e) { /* file: URLs */ }
    return f;
  }
  function isState(text) { return text.indexOf("=") > 0; }
  function loadHash() {
    var text = location.hash.slice(1);
    if (!isState(text)) return false;
    var params = new URLSearchParams(text);
    FIELDS.forEach(function (name) { if (params.has(name)) form.elements[name].value = params.get(name); });
    apply(false);
    if (params.has("doc") && byId.has(params.get("doc"))) showDoc(byId.get(params.get("doc")));
    return true;
  }
  function showDoc(index, target) {
    view.dataset.doc = docs[index].id;
    openDoc(index, target);
    saveHash();
  }

  function sortTable(button) {
    var th = button.closest("th"), table = th.closest("table"), column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = button.dataset.kind === "num", down = th.getAttribute("aria-sort") !== (numeric ? "descending" : "ascending");
    var direction = (numeric ? down : !down) ? -1 : 1;
    table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction < 0 ? "descending" : "ascending");
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    function value(row) {
      var cell = row.cells[column];
      return numeric ? parseFloat(cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent) || 0 : cell.textContent.trim();
    }
    rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      return direction * (numeric ? x - y : x.localeCompare(y));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    foldRows(table);
  }
  // a long actor table shows its first rows (in the current order) until "show all" is pressed
  function foldRows(table) {
    var button = table.parentNode.nextElementSibling;
    if (!button || !button.classList.contains("show-rows")) return;
    var first = button.dataset.open ? Infinity : parseInt(button.dataset.first, 10);
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) { row.hidden = i >= first; });
  }

  var typing = null;
  form.addEventListener("input", function (event) {
    clearTimeout(typing);
    if (event.target.name === "q") typing = setTimeout(function () { apply(false); }, 150);  // wait for a pause in typing
    else apply(false);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(false); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(false); }, 0); });
  more.addEventListener("click", function () { shown += PAGE; render(); });
  document.getElementById("doc-close").addEventListener("click", closeDoc);
  view.addEventListener("click", function (event) { if (event.target === view) closeDoc(); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && !view.hidden) closeDoc(); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-doc]");
    if (link) {
      event.preventDefault();
      var s = link.closest("li.stance");
      showDoc(parseInt(link.dataset.doc, 10), s ? s.querySelector(".target").textContent : undefined);
      return;
    }
    var who = event.target.closest("a.who");
    if (who) {
      form.reset();
      form.elements.target.value = who.dataset.target;
      form.elements.q.value = who.dataset.actor;
      apply(false);
      return;  // the link itself scrolls to the list
    }
    var sorter = event.target.closest("table.sortable th button");
    if (sorter) sortTable(sorter);
    var unfold = event.target.closest("button.show-rows");
    if (unfold) {
      unfold.dataset.label = unfold.dataset.label || unfold.textContent;
      if (unfold.dataset.open) delete unfold.dataset.open; else unfold.dataset.open = "1";
      unfold.textContent = unfold.dataset.open ? "Show the first " + unfold.dataset.first + " rows" : unfold.dataset.label;
      foldRows(unfold.previousElementSibling.querySelector("table"));
    }
  });
  window.addEventListener("hashchange", function () {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.has("doc") && byId.has(params.get("doc"))) showDoc(byId.get(params.get("doc")));
  });
  if (!loadHash()) apply(false);
  document.documentElement.dataset.ready = "1";
  if (window.performance && performance.mark) performance.mark("stance-ready");
})();
