"""The project list's filter: inline JavaScript that filters every project of the list, not
only the page on screen, through the search index (``search_index``).

Without JavaScript the numbered static pages are the list (the form stays hidden). With it, the
form appears; the first focus on it loads the index's parts by ``<script src>`` (no
``fetch()``, which Chromium refuses for local files); any filter set hides the static page and
lists the matches in a table of the same columns (sortable over every match, ``page_size`` rows
at a time with "Show more"), a live region saying "N of M projects match". The filters are
kept in the address (``?title=...&status=...``), so a link opens filtered; clearing them brings
the page back. Typing in the title filters after a pause of 150 ms. Should the index fail to
load, the filters apply to the page on screen.

The form carries what the script needs: ``data-index`` (the parts' addresses), ``data-up``
(the way to the report's root), ``data-step`` (rows per "Show more") and, on a funder's or a
division's page, ``data-scope-name`` / ``data-scope-value`` (every match has it).
"""

from pipeline.report.search_index import GLOBAL, WHITESPACE

FILTER_JS = (
    """\
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var NAMES = ["title", "funder", "status", "division", "site"];
  // what each column of the matches table (PROJECT_COLUMNS) sorts by
  var SORT_KEYS = ["title", "status", null, "division", "site", "first", "last", "versions"];
  var FOLD = {"\\u00e4": "ae", "\\u00f6": "oe", "\\u00fc": "ue", "\\u00df": "ss"};
  var SPACE = /"""
    + WHITESPACE
    + """/g;
  var shown = document.getElementById("shown");
  var listing = document.getElementById("listing");
  var results = document.getElementById("results");
  var table = document.getElementById("matches");
  var more = document.getElementById("more");
  var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
  var srcs = (form.getAttribute("data-index") || "").split(" ").filter(Boolean);
  var up = form.getAttribute("data-up") || "";
  var step = Number(form.getAttribute("data-step")) || 1000;
  var scopeName = form.getAttribute("data-scope-name") || "";
  var scopeValue = form.getAttribute("data-scope-value") || "";
  var reportLang = document.documentElement.lang;
  var index = null, loading = false, failed = false, filtered = false;
  var matches = [], limit = step, sortCol = -1, sortDown = false, last = null;

  function normalize(text) {
    var s = text.normalize("NFC").toLowerCase().replace(/[\\u00e4\\u00f6\\u00fc\\u00df]/g,
      function (c) { return FOLD[c]; });
    s = s.normalize("NFKD").replace(/\\p{M}/gu, "").toLowerCase();
    return s.replace(SPACE, " ").replace(/^ +| +$/g, "");
  }
  window.reportFilter = {normalize: normalize};

  function values() {
    var v = {};
    NAMES.forEach(function (n) { v[n] = form.elements[n].value; });
    v.title = v.title.trim();
    return v;
  }
  function isActive(v) { return NAMES.some(function (n) { return v[n] !== ""; }); }

  function inScope(p) {
    if (!scopeName) return true;
    if (scopeName === "funder") return p.funders.indexOf(scopeValue) !== -1;
    return p[scopeName] === scopeValue;
  }

  function unpack(parts) {
    var out = [];
    srcs.forEach(function (src, i) {
      var part = parts[String(i + 1)];
      if (!part) throw new Error("part " + (i + 1) + " of the index is missing");
      part.rows.forEach(function (r) {
        out.push({
          slug: r[0], title: r[1], key: r[2], status: part.statuses[r[3]],
          site: part.sites[r[4]], division: r[5] < 0 ? "" : part.divisions[r[5]],
          funders: r[6].map(function (f) { return part.funders[f]; }),
          lang: part.langs[r[7]], first: r[8], last: r[9], versions: r[10],
          removed: r[11] === 1
        });
      });
    });
    return out.filter(inScope);
  }

  function load() {
    if (index || loading || failed) return;
    loading = true;
    var left = srcs.length;
    srcs.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () {
        left -= 1;
        if (left > 0) return;
        loading = false;
        try { index = unpack(window."""
    + GLOBAL
    + """ || {}); } catch (e) { failed = true; }
        apply(true);
      };
      script.onerror = function () { loading = false; failed = true; apply(true); };
      document.head.appendChild(script);
    });
  }

  function test(v) {
    var words = normalize(v.title).split(" ").filter(Boolean);
    return function (p) {
      return words.every(function (w) { return p.key.indexOf(w) !== -1; }) &&
        (!v.funder || p.funders.indexOf(v.funder) !== -1) &&
        (!v.status || p.status === v.status) && (!v.division || p.division === v.division) &&
        (!v.site || p.site === v.site);
    };
  }

  function remember(v) {
    var params = new URLSearchParams();
    NAMES.forEach(function (n) { if (v[n]) params.set(n, v[n]); });
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try { window.history.replaceState(null, "", address); } catch (e) { /* kept as it was */ }
  }

  function text(tag, value, lang) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (lang && lang !== reportLang) node.lang = lang;
    return node;
  }

  function row(p) {
    var tr = document.createElement("tr");
    var th = document.createElement("th");
    th.scope = "row";
    var link = document.createElement("a");
    link.href = up + "projects/" + p.slug + ".html";
    link.appendChild(p.lang !== reportLang ? text("span", p.title, p.lang)
      : document.createTextNode(p.title));
    th.appendChild(link);
    tr.appendChild(th);
    var status = document.createElement("td");
    status.textContent = p.status;
    if (p.removed) {
      status.appendChild(document.createTextNode(" "));
      status.appendChild(text("span", "(removed)")).className = "muted";
    }
    tr.appendChild(status);
    var funders = document.createElement("td");
    p.funders.forEach(function (f, i) {
      if (i) funders.appendChild(document.createTextNode("; "));
      funders.appendChild(text("span", f, p.lang));
    });
    tr.appendChild(funders);
    var division = document.createElement("td");
    if (p.division) division.appendChild(text("span", p.division, p.lang));
    tr.appendChild(division);
    tr.appendChild(text("td", p.site));
    tr.appendChild(text("td", p.first));
    tr.appendChild(text("td", p.last));
    tr.appendChild(text("td", String(p.versions))).className = "num";
    return tr;
  }

  function order() {
    var key = SORT_KEYS[sortCol];
    if (!key) return;
    matches.sort(function (a, b) {
      var d = key === "versions" ? a.versions - b.versions
        : String(a[key]).localeCompare(String(b[key]), undefined, {sensitivity: "base"});
      return sortDown ? -d : d;
    });
  }

  function announce() {
    var message = matches.length + " of " + index.length + " projects match";
    if (matches.length > limit) message += "; the first " + limit + " are listed";
    shown.textContent = message;
    more.hidden = matches.length <= limit;
  }

  function render() {
    var rows = document.createDocumentFragment();
    matches.slice(0, limit).forEach(function (p) { rows.appendChild(row(p)); });
    table.tBodies[0].replaceChildren(rows);
    announce();
  }

  function pageOnly(v) {  // the index did not load: filter the rows of this page
    var match = test(v), count = 0;
    var rows = listing.querySelectorAll("#projects tbody tr");
    rows.forEach(function (r) {
      var d = r.dataset;
      var ok = match({key: d.title, funders: d.funders.split("|"), status: d.status,
        division: d.division, site: d.site});
      r.hidden = !ok;
      if (ok) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " projects of this page match " +
      "(the list of every project could not be loaded)";
  }

  function apply(force) {
    var v = values();
    var state = JSON.stringify(v);
    if (state === last && !force) return;
    if (last !== null || force !== "start") remember(v);
    last = state;
    if (!isActive(v)) {
      if (failed) pageOnly(v);
      listing.hidden = false;
      results.hidden = true;
      shown.textContent = filtered ? "Filters cleared: this page lists its projects again." : "";
      filtered = false;
      return;
    }
    filtered = true;
    if (failed) { pageOnly(v); return; }
    if (!index) {
      shown.textContent = "Loading the list of every project\\u2026";
      load();
      return;
    }
    matches = index.filter(test(v));
    order();
    limit = step;
    listing.hidden = true;
    results.hidden = false;
    render();
  }

  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      sortDown = sortCol === col ? !sortDown : false;
      sortCol = col;
      heads.forEach(function (h) {
        if (h.querySelector("button")) h.setAttribute("aria-sort", "none");
      });
      th.setAttribute("aria-sort", sortDown ? "descending" : "ascending");
      order();
      render();
    });
  });
  more.addEventListener("click", function () {
    var body = table.tBodies[0];
    limit += step;
    matches.slice(body.rows.length, limit).forEach(function (p) { body.appendChild(row(p)); });
    announce();
  });
  document.getElementById("f-clear").addEventListener("click", function () {
    NAMES.forEach(function (n) { form.elements[n].value = ""; });
    apply();
    form.elements.title.focus();
  });
  var typing = null;  // the title waits for a pause in typing; a choice applies at once
  form.addEventListener("input", function (e) {
    window.clearTimeout(typing);
    if (e.target === form.elements.title) typing = window.setTimeout(apply, 150);
    else apply();
  });
  form.addEventListener("change", function () { apply(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("focusin", load);
  var params = new URLSearchParams(window.location.search);
  NAMES.forEach(function (n) { if (params.has(n)) form.elements[n].value = params.get(n); });
  form.hidden = false;
  results.hidden = true;
  apply("start");
})();
"""
)
