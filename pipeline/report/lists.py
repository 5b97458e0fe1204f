"""The lists: every project (filterable by title, funder, status, division and site; long
lists on numbered pages), the closed projects and the removed projects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pipeline.report.assets import FILTER_JS
from pipeline.report.html import Column, day, esc, in_lang, page, pager, table, time_tag
from pipeline.report.model import Project, ReportData
from pipeline.report.overview import EMPTY, project_link

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


def filter_form(projects: Sequence[Project]) -> str:
    latest = [p.latest for p in projects]
    funders = sorted({f for v in latest for f in v.funders}, key=str.casefold)
    statuses = sorted({v.status for v in latest})
    divisions = sorted({v.division for v in latest if v.division}, key=str.casefold)
    sites = sorted({p.site for p in projects})
    return (
        '<form id="filters" class="filters" role="search" aria-label="Filter the projects">'
        '<div><label for="f-title">Title contains</label>'
        '<input id="f-title" name="title" type="search" autocomplete="off"></div>'
        + _choices("funder", "Funder", funders)
        + _choices("status", "Status", statuses)
        + _choices("division", "Division", divisions)
        + _choices("site", "Site", sites)
        + '</form><p id="shown" aria-live="polite"></p>'
    )


def _row(project: Project) -> tuple[list[str], str]:
    v = project.latest
    status = esc(v.status) + (' <span class="muted">(removed)</span>' if project.removed else "")
    cells = [
        project_link(project, project.project_id, 0),
        status,
        "; ".join(in_lang(f, v.lang) for f in v.funders),
        in_lang(v.division, v.lang) if v.division else "",
        esc(project.site),
        day(project.first_seen_at),
        day(project.last_seen_at),
        str(len(project.versions)),
    ]
    attrs = (
        f'data-title="{esc(v.title.lower())}" data-funders="{esc("|".join(v.funders))}" '
        f'data-status="{esc(v.status)}" data-division="{esc(v.division or "")}" '
        f'data-site="{esc(project.site)}"'
    )
    return cells, attrs


def project_list_pages(data: ReportData, page_size: int) -> Iterator[tuple[str, str]]:
    """(file name, HTML) of each page of the project list."""
    projects = list(data.projects.values())
    if not projects:
        body = "<h1>Projects</h1>" + (
            EMPTY.format(scope="") if data.empty else '<p class="muted">No projects.</p>'
        )
        yield "projects.html", page(title="Projects", body=body, current="projects.html")
        return
    chunks = [projects[i : i + page_size] for i in range(0, len(projects), page_size)]
    names = ["projects.html"] + [f"projects-{n}.html" for n in range(2, len(chunks) + 1)]
    form = filter_form(projects)
    for n, chunk in enumerate(chunks, start=1):
        rows = [_row(p) for p in chunk]
        nav = pager(names, n, "Pages of the project list")
        note = (
            f'<p class="muted">Page {n} of {len(chunks)} ({len(chunk):,} of {len(projects):,} '
            "projects, by title); the filters apply to this page.</p>"
            if len(chunks) > 1
            else f'<p class="muted">{len(projects):,} projects, by title.</p>'
        )
        body = (
            f"<h1>Projects</h1>{note}{form}{nav}"
            + table(
                PROJECT_COLUMNS,
                [c for c, _ in rows],
                table_id="projects",
                row_attrs=[a for _, a in rows],
            )
            + nav
        )
        title = "Projects" + (f", page {n}" if n > 1 else "")
        yield names[n - 1], page(title=title, body=body, current="projects.html", script=FILTER_JS)


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
