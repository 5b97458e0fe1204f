"""A page per run: its numbers and every event, grouped by type; field changes as old -> new
with the words (or list items) added and removed marked. Long runs go on numbered pages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby

from pipeline.report.diff import mark_change
from pipeline.report.html import Column, esc, page, pager, run_href, status_badge, table, time_tag
from pipeline.report.model import Event, Project, Run
from pipeline.report.overview import project_link

HEADINGS = {
    "new": "New projects",
    "reappeared": "Reappeared",
    "moved": "Moved to a new address",
    "changed": "Changed fields",
    "closed": "Closed",
    "reopened": "Reopened",
    "removed": "Removed",
}


def event_cells(event: Event, project: Project | None, depth: int) -> list[str]:
    """The cells of one event: project, what, old, new."""
    who = project_link(project, event.project_id, depth)
    if event.type == "changed":
        marked = mark_change(event.old, event.new)
        return [who, f"<code>{esc(event.field)}</code>", marked.old, marked.new]
    if event.type in ("closed", "reopened"):
        lang = project.latest.lang if project else None
        return [
            who,
            "status",
            status_badge(str(event.old), None, lang),
            status_badge(str(event.new), None, lang),
        ]
    if event.type == "moved":
        return [
            who,
            "address",
            f"<code>{esc(event.old_url)}</code>",
            f"<code>{esc(event.url)}</code>",
        ]
    return [who, "address", "", f"<code>{esc(event.url)}</code>"]


EVENT_COLUMNS = [Column("Project"), Column("What"), Column("Old"), Column("New")]


def grouped(events: Sequence[Event], projects: dict[str, Project], depth: int) -> str:
    """Events (already in type order) as one section per type."""
    out = []
    for kind, group in groupby(events, key=lambda e: e.type):
        rows = [event_cells(e, projects.get(e.project_id), depth) for e in group]
        out.append(
            f'<section aria-labelledby="type-{kind}"><h2 id="type-{kind}">'
            f"{esc(HEADINGS.get(kind, kind))} ({len(rows):,})</h2>"
            + table(EVENT_COLUMNS, rows, table_id=f"events-{kind}")
            + "</section>"
        )
    return "".join(out)


def _facts(run: Run, quarantined: int, count: int) -> str:
    rows = [
        ("Site", esc(run.site)),
        ("Started", time_tag(run.started_at)),
        ("Finished", time_tag(run.finished_at)),
        ("Status", esc(run.status) + ("" if run.complete else " (incomplete: nothing removed)")),
        (
            "Pages",
            f"{run.pages:,} ({run.fetched:,} fetched, {run.unchanged:,} unchanged, "
            f"{run.gone:,} gone, {run.failed:,} failed)",
        ),
        ("Project records", f"{run.projects:,}; {quarantined:,} pages quarantined"),
        ("Events", f'<span id="run-events">{count:,}</span>'),
    ]
    if run.message:
        rows.append(("Message", esc(run.message)))
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def run_pages(
    run: Run,
    events: Sequence[Event],
    projects: dict[str, Project],
    quarantined: int,
    page_size: int,
) -> Iterator[tuple[str, str]]:
    """(file name under runs/, HTML) of each page of a run."""
    chunks = [events[i : i + page_size] for i in range(0, len(events), page_size)] or [[]]
    hrefs = [run_href(run.run_id, 0, n).removeprefix("runs/") for n in range(1, len(chunks) + 1)]
    for n, chunk in enumerate(chunks, start=1):
        nav = pager(hrefs, n, f"Pages of run {run.run_id}")
        body = (
            f"<h1>Run {run.run_id}</h1>{_facts(run, quarantined, len(events))}{nav}"
            + (grouped(chunk, projects, 1) if chunk else '<p class="muted">No events.</p>')
            + nav
        )
        title = f"Run {run.run_id}" + (f", page {n}" if n > 1 else "")
        yield hrefs[n - 1], page(title=title, body=body, depth=1, current="runs.html")
