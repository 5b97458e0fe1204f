"""The page frame and the small HTML pieces every page uses: escaping, dates, links, tables.
Every text from the warehouse goes through ``esc``; fragments built here are safe HTML."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape

from pipeline import __version__
from pipeline.report.assets import SORT_JS

REPORT_LANG = "en"  # the report's own words; project texts carry their page's language
NAV = (
    ("index.html", "Overview"),
    ("projects.html", "Projects"),
    ("runs.html", "Runs"),
    ("funders.html", "Funders"),
    ("divisions.html", "Divisions"),
    ("closed.html", "Closed"),
    ("removed.html", "Removed"),
)


def esc(value: object) -> str:
    return escape("" if value is None else str(value))


def in_lang(text: object, lang: str | None) -> str:
    """Text from a page, marked with the page's language when it is not the report's."""
    if not lang or lang == REPORT_LANG:
        return esc(text)
    return f'<span lang="{esc(lang)}">{esc(text)}</span>'


def when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return value.isoformat()


def time_tag(moment: datetime | None) -> str:
    if moment is None:
        return ""
    iso = moment.astimezone(UTC).isoformat(timespec="seconds")
    return f'<time datetime="{iso}">{when(moment)}</time>'


_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # asked for on every page that links the project
def slug(project_id: str) -> str:
    """A file name for a project: readable, and unique by a short hash of the id."""
    readable = _SLUG.sub("-", project_id.lower()).strip("-")[-80:].strip("-")
    return f"{readable}-{hashlib.sha1(project_id.encode()).hexdigest()[:8]}"


def up(depth: int) -> str:
    return "../" * depth


def project_href(project_id: str, depth: int) -> str:
    return f"{up(depth)}projects/{slug(project_id)}.html"


def facet_href(folder: str, value: str, depth: int) -> str:
    """The page listing every project of one funder (``funders``) or division."""
    return f"{up(depth)}{folder}/{slug(value)}.html"


def run_href(run_id: int, depth: int, page: int = 1) -> str:
    suffix = "" if page == 1 else f"-p{page}"
    return f"{up(depth)}runs/run-{run_id}{suffix}.html"


def status_badge(status: str, raw: str | None = None, lang: str | None = None) -> str:
    words = f" ({in_lang(raw, lang)})" if raw and raw != status else ""
    return f'<span class="status status-{esc(status)}">{esc(status)}</span>{words}'


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    sortable: bool = True


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    caption: str | None = None,
    table_id: str | None = None,
    row_attrs: Iterable[str] | None = None,
    empty: str = "None.",
) -> str:
    """A table of HTML cells; the first cell of each row is its header (``th scope=row``)."""
    attrs = iter(row_attrs) if row_attrs is not None else None
    body = []
    for cells in rows:
        extra = f" {next(attrs)}" if attrs is not None else ""
        tds = []
        for i, (column, cell) in enumerate(zip(columns, cells, strict=True)):
            cls = ' class="num"' if column.numeric else ""
            tag = 'th scope="row"' if i == 0 else "td"
            tds.append(f"<{tag}{cls}>{cell}</{tag.split()[0]}>")
        body.append(f"<tr{extra}>{''.join(tds)}</tr>")
    if not body:
        return f'<p class="muted">{esc(empty)}</p>'
    ident = f' id="{esc(table_id)}"' if table_id else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table class="sortable"{ident}>{cap}{table_head(columns)}'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def table_head(columns: Sequence[Column]) -> str:
    """The ``thead`` of a table: a sort button in each sortable column's header."""
    heads = []
    for column in columns:
        cls = ' class="num"' if column.numeric else ""
        if column.sortable:
            heads.append(
                f'<th scope="col"{cls} aria-sort="none">'
                f'<button type="button">{esc(column.label)}</button></th>'
            )
        else:
            heads.append(f'<th scope="col"{cls}>{esc(column.label)}</th>')
    return f"<thead><tr>{''.join(heads)}</tr></thead>"


def pager(hrefs: Sequence[str], current: int, label: str) -> str:
    """Links to the numbered pages of a long list (nothing when it fits on one)."""
    if len(hrefs) < 2:
        return ""
    items = []
    for i, href in enumerate(hrefs, start=1):
        if i == current:
            items.append(f'<li><a href="{esc(href)}" aria-current="page">page {i}</a></li>')
        else:
            items.append(f'<li><a href="{esc(href)}">page {i}</a></li>')
    return f'<nav class="pages" aria-label="{esc(label)}"><ul>{"".join(items)}</ul></nav>'


def page(
    *, title: str, body: str, depth: int = 0, current: str | None = None, script: str = ""
) -> str:
    """A whole HTML document: landmarks, navigation, the stylesheet, the sorting script."""
    links = []
    for href, label in NAV:
        here = ' aria-current="page"' if href == current else ""
        links.append(f'<li><a href="{up(depth)}{href}"{here}>{label}</a></li>')
    scripts = f"<script>{SORT_JS}</script>" if "sortable" in body else ""
    if script:
        scripts += f"<script>{script}</script>"
    return (
        f'<!DOCTYPE html>\n<html lang="{REPORT_LANG}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · archivist's report</title>\n"
        f'<link rel="stylesheet" href="{up(depth)}report.css">\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to content</a>\n'
        f'<header class="site"><a class="brand" href="{up(depth)}index.html">'
        "Archivist's report</a>"
        f'<nav aria-label="Report sections"><ul>{"".join(links)}</ul></nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        f'<footer class="site">Written by foundation-pipeline {esc(__version__)} from the '
        "warehouse; times in UTC.</footer>\n"
        f"{scripts}\n</body>\n</html>\n"
    )
