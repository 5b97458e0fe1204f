"""The overview (``index.html``) and the list of every run (``runs.html``)."""

from __future__ import annotations

from collections import Counter

from pipeline.report.chart import events_svg
from pipeline.report.html import (
    Column,
    day,
    esc,
    in_lang,
    page,
    project_href,
    run_href,
    table,
    time_tag,
)
from pipeline.report.model import Event, Project, ReportData, Run
from pipeline.report.queries import EVENT_ORDER

LATEST = 20  # closures, removals and moves on the overview; the full lists have the rest
RUNS_SHOWN = 30

EMPTY = (
    '<p class="notice" id="empty">There are no runs{scope} in the warehouse yet, so there is '
    "nothing to report. Run <code>pipeline crawl</code> (or <code>pipeline demo</code>) and "
    "build the report again.</p>"
)


def project_link(project: Project | None, project_id: str, depth: int) -> str:
    if project is None:
        return esc(project_id)
    v = project.latest
    return f'<a href="{project_href(project_id, depth)}">{in_lang(v.title, v.lang)}</a>'


def _run_cells(run: Run, quarantined: int) -> list[str]:
    total = sum(run.events.values())
    kinds = ", ".join(f"{run.events[k]} {k}" for k in EVENT_ORDER if run.events.get(k))
    return [
        f'<a href="{run_href(run.run_id, 0)}">{run.run_id}</a>',
        esc(run.site),
        time_tag(run.started_at),
        f'<span class="run-{esc(run.status)}">{esc(run.status)}</span>'
        + ("" if run.complete else ' <span class="muted">(incomplete)</span>'),
        str(run.pages),
        str(run.fetched),
        str(run.unchanged),
        str(run.failed),
        str(run.projects),
        str(quarantined),
        str(total),
        esc(kinds),
    ]


RUN_COLUMNS = [
    Column("Run", numeric=True),
    Column("Site"),
    Column("Started"),
    Column("Status"),
    Column("Pages", numeric=True),
    Column("Fetched", numeric=True),
    Column("Unchanged", numeric=True),
    Column("Failed", numeric=True),
    Column("Projects", numeric=True),
    Column("Quarantined", numeric=True),
    Column("Events", numeric=True),
    Column("By type", sortable=False),
]


def runs_table(data: ReportData, runs: list[Run], caption: str) -> str:
    rows = [_run_cells(r, data.quarantine_counts.get(r.run_id, 0)) for r in runs]
    return table(RUN_COLUMNS, rows, caption=caption, table_id="runs")


def _stats(data: ReportData) -> str:
    current = sum(1 for p in data.projects.values() if not p.removed)
    items = [
        ("stat-runs", len(data.runs), "runs"),
        ("stat-projects", len(data.projects), "projects known"),
        ("stat-current", current, "on the site now"),
        ("stat-events", len(data.events), "change events"),
        ("stat-closed", len(data.closures), "closed projects"),
        ("stat-removed", len(data.removals), "removed projects"),
        ("stat-quarantined", sum(data.quarantine_counts.values()), "pages quarantined"),
    ]
    cells = "".join(
        f'<li><strong id="{key}">{n:,}</strong>{esc(label)}</li>' for key, n, label in items
    )
    return f'<ul class="stats" aria-label="Totals">{cells}</ul>'


def _latest(data: ReportData) -> str:
    projects = data.projects
    closures = table(
        [Column("Project"), Column("Closed on"), Column("How detected")],
        (
            [
                project_link(projects.get(c.project_id), c.project_id, 0),
                day(c.closed_on),
                esc(c.how),
            ]
            for c in data.closures[:LATEST]
        ),
        empty="No closed projects.",
    )
    removals = table(
        [Column("Project"), Column("Removed"), Column("How detected")],
        (
            [
                project_link(projects.get(r.project_id), r.project_id, 0),
                time_tag(r.removed_at),
                esc(r.how),
            ]
            for r in data.removals[:LATEST]
        ),
        empty="No removed projects.",
    )
    moves: list[Event] = [e for e in reversed(data.events) if e.type == "moved"][:LATEST]
    moved = table(
        [Column("Project"), Column("Run", numeric=True), Column("From"), Column("To")],
        (
            [
                project_link(projects.get(e.project_id), e.project_id, 0),
                f'<a href="{run_href(e.run_id, 0)}">{e.run_id}</a>',
                f"<code>{esc(e.old_url)}</code>",
                f"<code>{esc(e.url)}</code>",
            ]
            for e in moves
        ),
        empty="No moves.",
    )
    return (
        f'<h2 id="latest-closures">Latest closures</h2>{closures}'
        f'<p><a href="closed.html">All {len(data.closures):,} closed projects</a></p>'
        f'<h2 id="latest-removals">Latest removals</h2>{removals}'
        f'<p><a href="removed.html">All {len(data.removals):,} removed projects</a></p>'
        f'<h2 id="latest-moves">Latest moves</h2>{moved}'
    )


def _quarantine(data: ReportData) -> str:
    counts = table(
        [Column("Run", numeric=True), Column("Pages quarantined", numeric=True)],
        (
            [f'<a href="{run_href(run_id, 0)}">{run_id}</a>', str(n)]
            for run_id, n in sorted(data.quarantine_counts.items(), reverse=True)
        ),
        empty="No page was quarantined: every project page gave a valid record.",
    )
    latest = ""
    if data.quarantine_latest:
        latest = "<h3>In the latest run</h3>" + table(
            [Column("Page"), Column("Reasons", sortable=False)],
            (
                [f"<code>{esc(q.url)}</code>", "; ".join(esc(r) for r in q.reasons)]
                for q in data.quarantine_latest
            ),
        )
    return f'<h2 id="quarantine">Quarantine</h2>{counts}{latest}'


def _coverage(data: ReportData) -> str:
    runs = data.runs[-8:]
    fields = sorted({f for r in runs for f in r.coverage})
    if not fields:
        return '<h2 id="coverage">Coverage per field</h2><p class="muted">No coverage recorded.</p>'
    columns = [Column("Field")] + [Column(f"Run {r.run_id}", numeric=True) for r in runs]
    rows = [
        [esc(f)] + [f"{r.coverage[f]:.0%}" if f in r.coverage else "" for r in runs] for f in fields
    ]
    return (
        '<h2 id="coverage">Coverage per field</h2><p class="muted">Share of the projects seen '
        "in a run that have the field.</p>"
        + table(columns, rows, caption="Coverage of the latest runs")
    )


def overview(data: ReportData, scope: str) -> str:
    """The overview page; an empty warehouse gets a page that says so."""
    if data.empty:
        body = f"<h1>What changed</h1>{EMPTY.format(scope=esc(scope))}"
        return page(title="Overview", body=body, current="index.html")
    first, last = data.runs[0], data.runs[-1]
    counts = Counter((e.run_id, e.type) for e in data.events)
    chart_runs = [(r.run_id, {k: counts[r.run_id, k] for k in EVENT_ORDER}) for r in data.runs]
    latest = list(reversed(data.runs))[:RUNS_SHOWN]
    body = (
        f"<h1>What changed{esc(scope)}</h1>"
        f'<p class="muted">{len(data.runs):,} runs from {time_tag(first.started_at)} to '
        f"{time_tag(last.started_at)}.</p>{_stats(data)}"
        f'<h2 id="chart">Events per run</h2>{events_svg(chart_runs)}'
        f'<h2 id="latest-runs">Latest runs</h2>'
        + runs_table(data, latest, f"The latest {len(latest)} of {len(data.runs):,} runs")
        + f'<p><a href="runs.html">All runs</a></p>{_latest(data)}{_quarantine(data)}'
        + _coverage(data)
    )
    return page(title="Overview", body=body, current="index.html")


def runs_page(data: ReportData) -> str:
    body = "<h1>Runs</h1>" + (
        runs_table(data, list(reversed(data.runs)), "Every run, newest first")
        if data.runs
        else EMPTY.format(scope="")
    )
    return page(title="Runs", body=body, current="runs.html")
