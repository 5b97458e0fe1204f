"""The report's stylesheet (one file beside the pages) and its inline script sorting any table
by a column (the project list's filter is ``filter_script``). Nothing is loaded from outside."""

CSS = """\
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --link: #0b57a4; --band: #f3f5f8;
  --ins: #d4f0d4; --del: #fbdada; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  "Noto Sans", "Liberation Sans", sans-serif; color: var(--ink); background: #fff; }
body { margin: 0; line-height: 1.45; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible {
  outline: 3px solid #f0a500; outline-offset: 1px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header.site { background: #12355b; color: #fff; padding: .6rem 1rem; }
header.site a { color: #fff; }
header.site .brand { font-weight: 700; margin-right: 1rem; text-decoration: none; }
header.site nav ul { display: inline; list-style: none; margin: 0; padding: 0; }
header.site nav li { display: inline-block; margin: .2rem .8rem .2rem 0; }
header.site nav a[aria-current="page"] { font-weight: 700; text-decoration: underline 3px; }
main { max-width: 76rem; margin: 0 auto; padding: 1rem; }
footer.site { max-width: 76rem; margin: 2rem auto 1rem; padding: 0 1rem; color: var(--muted);
  font-size: .9rem; }
h1 { font-size: 1.6rem; margin: .4rem 0 .8rem; }
h2 { font-size: 1.25rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.muted { color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.stats li { background: var(--band); padding: .5rem .8rem; border-radius: 4px; }
.stats strong { display: block; font-size: 1.4rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .93rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--band); white-space: nowrap; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ins { background: var(--ins); text-decoration: underline; }
del { background: var(--del); text-decoration: line-through; }
ul.items { margin: 0; padding-left: 1.1rem; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem;
  overflow-wrap: anywhere; }
.status { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem;
  border: 1px solid currentColor; }
.status-active { color: #1b6e2f; } .status-completed { color: #9b1c1c; }
.status-planned { color: #6b4c00; } .status-unknown { color: #4a4a4a; }
.run-ok { color: #1b6e2f; } .run-partial, .run-held { color: #8a4b00; }
.run-failed, .run-interrupted { color: #9b1c1c; }
form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
  gap: .6rem; background: var(--band); padding: .8rem; border-radius: 4px; }
form.filters label { display: block; font-weight: 600; font-size: .9rem; }
form.filters input, form.filters select { width: 100%; box-sizing: border-box; font: inherit;
  padding: .3rem; border: 1px solid #767676; border-radius: 3px; background: #fff; }
form.filters .wide { grid-column: 1 / -1; margin: 0; }
form.filters .end { align-self: end; }
form.filters button, #more { font: inherit; padding: .3rem .8rem; border: 1px solid #12355b;
  border-radius: 3px; background: #fff; color: #12355b; cursor: pointer; }
#shown { font-weight: 600; min-height: 1.45em; }
svg.chart, svg.timeline { width: 100%; height: auto; max-width: 60rem; display: block; }
@media (max-width: 40rem) { form.filters .wide { grid-column: 1 / -1; margin: 0; }
form.filters .end { align-self: end; }
form.filters button, #more { font: inherit; padding: .3rem .8rem; border: 1px solid #12355b;
  border-radius: 3px; background: #fff; color: #12355b; cursor: pointer; }
#shown { font-weight: 600; min-height: 1.45em; }
svg.chart, svg.timeline { min-width: 34rem; } }  /* scrolls */
svg text { font-size: 11px; fill: var(--ink); }
svg .grid { stroke: var(--line); }
svg .tick { stroke: #4a4a4a; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .8rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem;
  vertical-align: -2px; border-radius: 2px; }
.notice { background: #fff4d6; border-left: 4px solid #b07800; padding: .6rem .8rem; }
.missing { color: #9b1c1c; font-weight: 600; }
nav.pages ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
dl.parts { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0 .6rem; }
dl.parts dt { color: var(--muted); }
dl.parts dd { margin: 0; }
@media (max-width: 40rem) {
  main { padding: .6rem; }
  h1 { font-size: 1.3rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
  th, td { padding: .3rem; }
}
"""

# Any <table class="sortable">: a click on a column's button sorts by it (numbers as numbers,
# a cell's data-sort when it has one), a second click reverses.
SORT_JS = """\
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") === "ascending";
      heads.forEach(function (h) {
        if (h.querySelector("button")) h.setAttribute("aria-sort", "none");
      });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var key = function (row) {
        var cell = row.cells[col];
        return cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
      };
      var numeric = rows.every(function (r) {
        var k = key(r);
        return k === "" || !isNaN(Number(k));
      });
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var d = numeric ? Number(x) - Number(y)
          : x.localeCompare(y, undefined, {sensitivity: "base"});
        return down ? -d : d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""
