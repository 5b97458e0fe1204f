"""The lists: every project (on numbered pages, filterable by title, funder, status, division
and site across all of them through the search index), a page per funder and per division,
the closed projects and the removed projects."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import unescape

from pipeline.report.filter_script import FILTER_JS
from pipeline.report.html import (
    Column,
    day,
    esc,
    facet_href,
    in_lang,
    page,
    pager,
    slug,
    table,
    table_head,
    time_tag,
    up,
)
from pipeline.report.model import Project, ReportData
from pipeline.report.overview import EMPTY, project_link
from pipeline.report.search_index import index_srcs, normalize, part_count

PROJECT_COLUMNS = [
    Column("Title"),
    Column("Status"),
    Column("Funders", sortable=False),
    Column("Division"),
    Column("Site"),
    Column("First seen"),
    Column("Last seen"),
    Column("Versions", numeric=True),
]


def _choices(name: str, label: str, values: Sequence[str]) -> str:
    options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return (
        f'<div><label for="f-{name}">{esc(label)}</label><select id="f-{name}" name="{name}">'
        f'<option value="">any</option>{options}</select></div>'
    )


@dataclass(frozen=True)
class Scope:
    """What every project of a list has: a funder's or a division's page."""

    name: str  # "funder" | "division"
    value: str


def filter_form(
    projects: Sequence[Project], depth: int, step: int, parts: int, scope: Scope | None = None
) -> str:
    """The filters (hidden until the script shows them: without JavaScript the numbered pages
    are the list) and the live region that says how many projects match. ``parts``: the
    number of files of the report's search index."""
    latest = [p.latest for p in projects]
    funders = sorted({f for v in latest for f in v.funders}, key=str.casefold)
    statuses = sorted({v.status for v in latest})
    divisions = sorted({v.division for v in latest if v.division}, key=str.casefold)
    sites = sorted({p.site for p in projects})
    srcs = " ".join(index_srcs(parts, depth))
    scoped = (
        f' data-scope-name="{esc(scope.name)}" data-scope-value="{esc(scope.value)}"'
        if scope
        else ""
    )
    return (
        '<form id="filters" class="filters" role="search" aria-label="Filter the projects" '
        f'hidden data-index="{esc(srcs)}" data-up="{up(depth)}" data-step="{step}"{scoped}>'
        f'<p class="wide">The filters search all {len(projects):,} projects of this list, '
        "not only this page; the address keeps them, to hand on as a link.</p>"
        '<div><label for="f-title">Title contains</label>'
        '<input id="f-title" name="title" type="search" autocomplete="off"></div>'
        + _choices("funder", "Funder", funders)
        + _choices("status", "Status", statuses)
        + _choices("division", "Division", divisions)
        + _choices("site", "Site", sites)
        + '<div class="end"><button type="button" id="f-clear">Clear filters</button></div>'
        + '</form><p id="shown" aria-live="polite"></p>'
    )


def results_section() -> str:
    """Where the script lists the matches of every page (hidden until a filter is set)."""
    return (
        '<section id="results" aria-labelledby="results-heading" hidden>'
        '<h2 id="results-heading">Matching projects</h2>'
        '<div class="scroll"><table id="matches">'
        f"{table_head(PROJECT_COLUMNS)}<tbody></tbody></table></div>"
        '<p><button type="button" id="more" hidden>Show more</button></p></section>'
    )


def _row(project: Project, depth: int) -> tuple[list[str], str]:
    v = project.latest
    status = esc(v.status) + (' <span class="muted">(removed)</span>' if project.removed else "")
    cells = [
        project_link(project, project.project_id, depth),
        status,
        "; ".join(in_lang(f, v.lang) for f in v.funders),
        in_lang(v.division, v.lang) if v.division else "",
        esc(project.site),
        day(project.first_seen_at),
        day(project.last_seen_at),
        str(len(project.versions)),
    ]
    attrs = (
        f'data-title="{esc(normalize(v.title))}" data-funders="{esc("|".join(v.funders))}" '
        f'data-status="{esc(v.status)}" data-division="{esc(v.division or "")}" '
        f'data-site="{esc(project.site)}"'
    )
    return cells, attrs


def project_table_pages(
    projects: Sequence[Project],
    *,
    folder: str,
    stem: str,
    heading: str,
    page_size: int,
    parts: int,
    scope: Scope | None = None,
) -> Iterator[tuple[str, str]]:
    """(file name, HTML) of each page of a filterable list of projects: ``folder/stem.html``,
    ``folder/stem-2.html``, ... (``folder`` is "" or one level deep). The filters search the
    whole list (the search index of ``parts`` files, narrowed to ``scope``), whichever page they
    are on."""
    depth = 1 if folder else 0
    chunks = [projects[i : i + page_size] for i in range(0, len(projects), page_size)]
    names = [f"{stem}.html"] + [f"{stem}-{n}.html" for n in range(2, len(chunks) + 1)]
    form = filter_form(projects, depth, page_size, parts, scope) + results_section()
    facets = (
        f'<a href="{up(depth)}funders.html">funder</a> or '
        f'<a href="{up(depth)}divisions.html">division</a>'
    )
    for n, chunk in enumerate(chunks, start=1):
        rows = [_row(p, depth) for p in chunk]
        nav = pager(names, n, "Pages of the project list")
        note = (
            f'<p class="muted">Page {n} of {len(chunks)} ({len(chunk):,} of {len(projects):,} '
            f"projects, by title). Every project of one {facets} is listed on its page.</p>"
            if len(chunks) > 1
            else f'<p class="muted">{len(projects):,} projects, by title.</p>'
        )
        body = (
            f'<h1>{heading}</h1>{form}<div id="listing">{note}{nav}'
            + table(
                PROJECT_COLUMNS,
                [c for c, _ in rows],
                table_id="projects",
                row_attrs=[a for _, a in rows],
            )
            + f"{nav}</div>"
        )
        title = re.sub(r"<[^>]+>", "", heading) + (f", page {n}" if n > 1 else "")
        yield folder + names[n - 1], page(
            title=unescape(title), body=body, depth=depth, current="projects.html",
            script=FILTER_JS,
        )  # fmt: skip


def project_list_pages(data: ReportData, page_size: int) -> Iterator[tuple[str, str]]:
    """(file name, HTML) of each page of the list of every project."""
    projects = list(data.projects.values())
    if not projects:
        body = "<h1>Projects</h1>" + (
            EMPTY.format(scope="") if data.empty else '<p class="muted">No projects.</p>'
        )
        yield "projects.html", page(title="Projects", body=body, current="projects.html")
        return
    yield from project_table_pages(
        projects,
        folder="",
        stem="projects",
        heading="Projects",
        page_size=page_size,
        parts=part_count(len(projects)),
    )


def _funders(project: Project) -> list[str]:
    return project.latest.funders


def _division(project: Project) -> list[str]:
    return [project.latest.division] if project.latest.division else []


# (folder and index page, singular label, the filter it fixes, the values a project has)
FACETS: tuple[tuple[str, str, str, Callable[[Project], list[str]]], ...] = (
    ("funders", "Funder", "funder", _funders),
    ("divisions", "Division", "division", _division),
)


def facet_pages(data: ReportData, page_size: int) -> Iterator[tuple[str, str]]:
    """A page per funder and per division with every project it has (its filters search those
    projects only), and an index of each."""
    for folder, label, name, values in FACETS:
        groups: dict[str, list[Project]] = {}
        for project in data.projects.values():
            for value in values(project):
                groups.setdefault(value, []).append(project)
        rows = []
        for value in sorted(groups, key=str.casefold):
            members = groups[value]
            lang = members[0].latest.lang
            rows.append(
                [
                    f'<a href="{facet_href(folder, value, 0)}">{in_lang(value, lang)}</a>',
                    str(len(members)),
                    str(sum(1 for p in members if p.latest.status == "active" and not p.removed)),
                ]
            )
            yield from project_table_pages(
                members,
                folder=f"{folder}/",
                stem=slug(value),
                heading=f"{label}: {in_lang(value, lang)}",
                page_size=page_size,
                parts=part_count(len(data.projects)),
                scope=Scope(name, value),
            )
        columns = [Column(label), Column("Projects", numeric=True), Column("Active", numeric=True)]
        body = f"<h1>{label}s ({len(rows):,})</h1>" + table(
            columns, rows, table_id=folder, empty=f"No project names a {label.lower()}."
        )
        yield f"{folder}.html", page(title=f"{label}s", body=body, current=f"{folder}.html")


def paged(
    stem: str,
    heading: str,
    intro: str,
    columns: Sequence[Column],
    rows: Sequence[list[str]],
    empty: str,
    page_size: int,
) -> Iterator[tuple[str, str]]:
    """(file name, HTML) of each page of a long list: ``stem.html``, ``stem-2.html``, ..."""
    chunks = [rows[i : i + page_size] for i in range(0, len(rows), page_size)] or [[]]
    names = [f"{stem}.html"] + [f"{stem}-{n}.html" for n in range(2, len(chunks) + 1)]
    for n, chunk in enumerate(chunks, start=1):
        nav = pager(names, n, f"Pages of the list of {heading.lower()}")
        body = (
            f"<h1>{esc(heading)} ({len(rows):,})</h1>{intro}{nav}"
            + table(columns, chunk, table_id=stem, empty=empty)
            + nav
        )
        title = heading + (f", page {n}" if n > 1 else "")
        yield names[n - 1], page(title=title, body=body, current=f"{stem}.html")


def closed_pages(data: ReportData, page_size: int) -> Iterator[tuple[str, str]]:
    rows = []
    for c in data.closures:
        project = data.projects[c.project_id]
        rows.append(
            [
                project_link(project, c.project_id, 0),
                day(c.closed_on),
                esc(c.closed_on_source),
                time_tag(c.detected_at) if c.detected_at else "",
                esc(c.how),
                in_lang(project.latest.division, project.latest.lang),
            ]
        )
    columns = [
        Column("Project"),
        Column("Closed on"),
        Column("Date from"),
        Column("Closure detected"),
        Column("How detected"),
        Column("Division"),
    ]
    intro = (
        '<p class="muted">Projects whose status is completed or whose page carries the closed '
        "notice. The day is the period's end when the page gives one, else the day the pipeline "
        "first saw the closure.</p>"
    )
    return paged(
        "closed", "Closed projects", intro, columns, rows, "No closed projects.", page_size
    )


def removed_pages(data: ReportData, page_size: int) -> Iterator[tuple[str, str]]:
    rows = [
        [
            project_link(data.projects[r.project_id], r.project_id, 0),
            time_tag(r.removed_at),
            str(r.run_id or ""),
            esc(r.how),
            f"<code>{esc(r.url)}</code>",
        ]
        for r in data.removals
    ]
    columns = [
        Column("Project"),
        Column("Removed"),
        Column("Run", numeric=True),
        Column("How detected"),
        Column("Last address"),
    ]
    intro = (
        '<p class="muted">A 410 removes a project in its run, a 404 when a re-check in the same '
        "run still answers 404; a project no longer linked is removed after consecutive complete "
        "runs without it.</p>"
    )
    return paged(
        "removed", "Removed projects", intro, columns, rows, "No removed projects.", page_size
    )
