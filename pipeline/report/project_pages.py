"""A page per project: its versions as a timeline and a table (valid from/to, status, the
archived page and its WARC evidence), its period against the crawl dates, funders and contact
over time, its addresses and moves, and every event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipeline.report.diff import mark_sets, mark_words
from pipeline.report.html import (
    Column,
    day,
    esc,
    facet_href,
    in_lang,
    page,
    run_href,
    slug,
    status_badge,
    table,
    time_tag,
    when,
)
from pipeline.report.model import Event, Project, Run, Version
from pipeline.report.run_pages import event_cells
from pipeline.report.timeline import DAY, Scale, day_of, ordinal, seconds, span, year_ticks

WIDTH, LEFT = 720.0, 110.0
FUNDERS_HEADING = "Funders (added / removed since the version before)"
LABEL_GAP = 44.0  # the least room between two run labels
STATUS_FILL = {
    "active": "#1b6e2f",
    "completed": "#9b1c1c",
    "planned": "#8a5a00",
    "unknown": "#5a5a5a",
}


@dataclass(frozen=True)
class CaptureLink:
    """What the report holds for a version's archived page."""

    href: str | None  # relative to the project page; None when nothing was archived
    missing: str | None  # why the capture could not be extracted (the linked page says so)


def _svg(label: str, height: int, parts: list[str]) -> str:
    return (
        f'<div class="scroll"><svg class="timeline" viewBox="0 0 {WIDTH:.0f} {height}" '
        f'role="img" aria-label="{esc(label)}">{"".join(parts)}</svg></div>'
    )


def period_svg(project: Project, runs: Sequence[Run]) -> str:
    """The project's period as a bar on a day axis with the crawl dates as ticks."""
    period = project.latest.period or {}
    start, end = period.get("start"), period.get("end")
    crawls = [r.started_at for r in runs]
    values = [ordinal(d) for d in (start, end) if d] + [day_of(c) for c in crawls]
    scale = Scale.covering(values, WIDTH - LEFT - 10, LEFT, least=60)
    bar = span(scale, ordinal(start) if start else None, ordinal(end) if end else None)
    parts = ['<text x="4" y="30">Period</text><text x="4" y="66">Crawls</text>']
    if start or end:
        fill = STATUS_FILL.get(project.latest.status, "#5a5a5a")
        words = f"{day(start) or 'open'} to {day(end) or 'open'}"
        parts.append(
            f'<rect x="{bar.x:.1f}" y="18" width="{bar.width:.1f}" height="16" fill="{fill}" '
            f'opacity="0.85"><title>{esc(words)}</title></rect>'
        )
    else:
        parts.append(f'<text x="{LEFT}" y="30" class="muted">no period on the page</text>')
    for c in crawls:
        x = scale.x(day_of(c))
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="54" y2="72" class="tick"><title>crawl '
            f"{when(c)}</title></line>"
        )
    for x, year in year_ticks(scale):
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="80" y2="86" class="tick"/>'
            f'<text x="{x:.1f}" y="98" text-anchor="middle">{year}</text>'
        )
    return _svg("The project's period drawn against the crawl dates", 104, parts)


def versions_svg(project: Project, runs: Sequence[Run]) -> str:
    """Each version as a segment from valid-from to valid-to, coloured by status."""
    versions = project.versions
    seen_until = project.removed_at or project.last_seen_at
    moments = [seconds(v.valid_from) for v in versions] + [seconds(seen_until)]
    moments += [seconds(v.valid_to) for v in versions if v.valid_to]
    scale = Scale.covering(moments, WIDTH - LEFT - 10, LEFT, least=DAY)
    row = 22
    parts = []
    for i, v in enumerate(versions):
        y = 8 + i * row
        end = v.valid_to or seen_until
        bar = span(scale, seconds(v.valid_from), seconds(end))
        fill = STATUS_FILL.get(v.status, "#5a5a5a")
        tip = (
            f"version {v.version}: {when(v.valid_from)} to {when(v.valid_to) or 'now'}, {v.status}"
        )
        parts.append(
            f'<text x="4" y="{y + 12}">version {v.version}</text>'
            f'<rect x="{bar.x:.1f}" y="{y}" width="{bar.width:.1f}" height="14" fill="{fill}">'
            f"<title>{esc(tip)}</title></rect>"
        )
    base = 8 + len(versions) * row + 4
    labelled = -1e9
    for r in runs:
        t = seconds(r.started_at)
        if not scale.lo <= t <= scale.hi:
            continue
        x = scale.x(t)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 6}" class="tick"/>')
        if x - labelled >= LABEL_GAP:  # runs close together: label the first of them
            labelled = x
            parts.append(
                f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle">run {r.run_id}</text>'
            )
    return _svg("Versions over time, coloured by status", base + 24, parts)


def _evidence(v: Version, link: CaptureLink) -> list[str]:
    c = v.capture
    if link.href is None:
        archived = '<span class="muted">not archived</span>'
    elif link.missing:
        archived = f'<a class="missing" href="{esc(link.href)}">capture missing</a>'
    else:
        archived = f'<a href="{esc(link.href)}">archived page</a>'
    return [
        archived,
        f'<span class="mono">{esc(c.warc_file)}</span>',
        f'<span class="mono">{esc(c.record_id)}</span>',
        f'<span class="mono">{esc(c.digest)}</span>',
    ]


def versions_table(project: Project, links: dict[int, CaptureLink]) -> str:
    rows = []
    for v in project.versions:
        rows.append(
            [
                str(v.version),
                time_tag(v.valid_from),
                time_tag(v.valid_to) if v.valid_to else "current",
                status_badge(v.status, v.status_raw, v.lang),
                in_lang(v.title, v.lang),
                f'<a href="{run_href(v.first_run_id, 1)}">{v.first_run_id}</a>',
                *_evidence(v, links.get(v.version, CaptureLink(None, None))),
            ]
        )
    columns = [
        Column("Version", numeric=True),
        Column("Valid from"),
        Column("Valid to"),
        Column("Status"),
        Column("Title"),
        Column("First run", numeric=True),
        Column("Archived page", sortable=False),
        Column("WARC file", sortable=False),
        Column("Record id", sortable=False),
        Column("Payload digest", sortable=False),
    ]
    return table(columns, rows, caption="Versions, oldest first", table_id="versions")


CONTACT_PARTS = (
    ("organization", "Organization"),
    ("unit", "Unit"),
    ("division", "Division"),
    ("street", "Street"),
    ("postal_code", "Postcode"),
    ("city", "City"),
    ("persons", "Persons"),
    ("phones", "Phones"),
    ("fax", "Fax"),
    ("emails", "E-mail"),
    ("website", "Website"),
    ("locations", "Locations"),
)


def _contact_lines(contact: dict[str, Any] | None) -> dict[str, str]:
    lines = {}
    for key, label in CONTACT_PARTS:
        value = (contact or {}).get(key)
        if value:
            lines[label] = ", ".join(value) if isinstance(value, list) else str(value)
    return lines


def over_time(project: Project) -> str:
    """Funders and contact per version, each marked against the version before."""
    funder_rows, contact_rows = [], []
    previous: Version | None = None
    for v in project.versions:
        funders = mark_sets(previous.funders if previous else v.funders, v.funders).new
        funder_rows.append([str(v.version), time_tag(v.valid_from), funders])
        now, before = (
            _contact_lines(v.contact),
            _contact_lines(previous.contact if previous else v.contact),
        )
        lines = []
        for label in [lab for _, lab in CONTACT_PARTS if lab in now or lab in before]:
            marked = mark_words(before.get(label, ""), now.get(label, "")).new
            if label not in now:
                marked = f"<del>{esc(before[label])}</del>"
            lines.append(f"<dt>{esc(label)}</dt><dd>{marked}</dd>")
        contact = (
            f'<dl class="facts">{"".join(lines)}</dl>'
            if lines
            else '<span class="muted">none</span>'
        )
        contact_rows.append([str(v.version), time_tag(v.valid_from), contact])
        previous = v
    cols = [Column("Version", numeric=True), Column("Since")]
    lang = project.latest.lang
    return (
        f'<h2 id="funders">Funders over time</h2><div lang="{esc(lang)}">'
        + table([*cols, Column(FUNDERS_HEADING, sortable=False)], funder_rows)
        + f'</div><h2 id="contact">Contact over time</h2><div lang="{esc(lang)}">'
        + table([*cols, Column("Contact", sortable=False)], contact_rows)
        + "</div>"
    )


def addresses(project: Project, events: Sequence[Event]) -> str:
    urls = table(
        [Column("Address (page key)"), Column("First run", numeric=True)],
        (
            [f"<code>{esc(k)}</code>", f'<a href="{run_href(r, 1)}">{r}</a>']
            for k, r in project.urls
        ),
    )
    moves = [e for e in events if e.type == "moved"]
    moved = table(
        [Column("Run", numeric=True), Column("Detected"), Column("From"), Column("To")],
        (
            [
                f'<a href="{run_href(e.run_id, 1)}">{e.run_id}</a>',
                time_tag(e.detected_at),
                f"<code>{esc(e.old_url)}</code>",
                f"<code>{esc(e.url)}</code>",
            ]
            for e in moves
        ),
        empty="The project never moved.",
    )
    return f'<h2 id="urls">Addresses</h2>{urls}<h3>Moves</h3>{moved}'


def _facet(folder: str, value: str, lang: str) -> str:
    return f'<a href="{facet_href(folder, value, 1)}">{in_lang(value, lang)}</a>'


def _facts(project: Project) -> str:
    v = project.latest
    period = (v.period or {}).get("raw")
    rows = [
        ("Project id", f"<code>{esc(project.project_id)}</code>"),
        ("Address", f'<a href="{esc(project.url)}" rel="noopener">{esc(project.url)}</a>'),
        ("Site", esc(project.site)),
        ("Status", status_badge(v.status, v.status_raw, v.lang)),
        ("Period", in_lang(period, v.lang) if period else '<span class="muted">not given</span>'),
        ("Division", _facet("divisions", v.division, v.lang) if v.division else ""),
        ("Funders", ", ".join(_facet("funders", f, v.lang) for f in v.funders)),
        ("First seen", time_tag(project.first_seen_at)),
        ("Last seen", time_tag(project.last_seen_at)),
    ]
    if project.removed:
        rows.append(("Removed", time_tag(project.removed_at)))
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{x}</dd>" for k, x in rows) + "</dl>"


def project_page(
    project: Project,
    events: Sequence[Event],
    runs: Sequence[Run],
    links: dict[int, CaptureLink],
) -> str:
    v = project.latest
    short = f'<p class="muted">{in_lang(v.short_title, v.lang)}</p>' if v.short_title else ""
    changes = table(
        [Column("Run", numeric=True), Column("Type"), Column("What"), Column("Old"), Column("New")],
        (
            [
                f'<a href="{run_href(e.run_id, 1)}">{e.run_id}</a>',
                esc(e.type),
                *event_cells(e, project, 1)[1:],
            ]
            for e in events
        ),
        table_id="changes",
        empty="No events.",
    )
    body = (
        f'<h1 lang="{esc(v.lang)}">{esc(v.title)}</h1>{short}{_facts(project)}'
        f'<h2 id="timeline">Timeline</h2>{versions_svg(project, runs)}'
        f"<h3>Period against the crawl dates</h3>{period_svg(project, runs)}"
        f'<h2 id="versions-heading">Versions</h2>{versions_table(project, links)}'
        f'<h2 id="events">Events</h2>{changes}' + over_time(project) + addresses(project, events)
    )
    return page(title=v.title, body=body, depth=1, current="projects.html")


def capture_page(project: Project, version: Version, problem: str) -> str:
    """What stands at an archived page's address when the capture could not be extracted."""
    c = version.capture
    facts = [
        (
            "Project",
            f'<a href="../../projects/{esc(slug(project.project_id))}.html">'
            f"{in_lang(version.title, version.lang)}</a>",
        ),
        ("Version", str(version.version)),
        ("Address", f"<code>{esc(version.url)}</code>"),
        ("WARC file", f'<span class="mono">{esc(c.warc_file)}</span>'),
        ("Record id", f'<span class="mono">{esc(c.record_id)}</span>'),
        ("Payload digest", f'<span class="mono">{esc(c.digest)}</span>'),
        ("Fetched", time_tag(c.fetched_at) if isinstance(c.fetched_at, datetime) else ""),
    ]
    body = (
        f'<h1>The capture is missing</h1><p class="notice" id="capture-missing">The archived page '
        f"of version {version.version} could not be read: {esc(problem)}.</p>"
        '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{x}</dd>" for k, x in facts) + "</dl>"
    )
    return page(title="Capture missing", body=body, depth=2)
