"""The search index of the project list: every project in a compact form, so the list's
filters see all of them and not only the page on screen.

Written as JavaScript data files (``search/index-1.js``, ...), each assigning one part to
``window.REPORT_INDEX_PARTS``: a ``<script src>`` of a file in the folder loads from
``file://`` (where Chromium refuses ``fetch()`` of local files) and from any static host. The
list pages load the parts only when the reader starts filtering (``filter_script``).

A part holds lookup tables (statuses, sites, divisions, funders, page languages, each sorted)
and a row per project in the list's order (by title)::

    [slug, title, key, status, site, division, [funders], lang, first seen, last seen,
     versions, removed]

where ``slug`` names the project's page (``projects/<slug>.html``), ``key`` is the title as
compared (``normalize``), status ... lang are positions in the lookup tables (division -1 for
none), the days are ISO dates and ``removed`` is 0 or 1. The output is stable: the same
warehouse gives the same bytes.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from pipeline.report.html import day, slug
from pipeline.report.model import Project

FOLDER = "search"
PART_ROWS = 5000  # projects per file: 20,000 projects make 4 files
GLOBAL = "REPORT_INDEX_PARTS"

# German umlauts and ß as a German reader types them without the letters (DIN 5007-2); every
# other accent is dropped (é -> e). The filter script folds the query the same way.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Python's \s and JavaScript's \s differ at the edges: the union of both, in both.
WHITESPACE = (
    r"[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u001c-\u001f]+"
)
_WHITESPACE = re.compile(WHITESPACE)


@functools.lru_cache(maxsize=1 << 16)  # asked for by the index and by every list a title is on
def normalize(text: str) -> str:
    """A title or a query as the filter compares them: lowercased, ä ö ü ß folded to ae oe ue
    ss, other accents and compatibility forms dropped, whitespace runs made one space.

    >>> normalize("  Straßen-Café  für   Jüngere ")
    'strassen-cafe fuer juengere'
    """
    lowered = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return _WHITESPACE.sub(" ", bare.lower()).strip(" ")


def _positions(values: set[str]) -> tuple[list[str], dict[str, int]]:
    ordered = sorted(values)
    return ordered, {v: i for i, v in enumerate(ordered)}


def index_part(projects: Sequence[Project]) -> dict[str, Any]:
    """One part of the index: its lookup tables and a row per project (see the module)."""
    latest = [p.latest for p in projects]
    statuses, status_at = _positions({v.status for v in latest})
    sites, site_at = _positions({p.site for p in projects})
    divisions, division_at = _positions({v.division for v in latest if v.division})
    funders, funder_at = _positions({f for v in latest for f in v.funders})
    langs, lang_at = _positions({v.lang for v in latest})
    rows = []
    for project, v in zip(projects, latest, strict=True):
        rows.append(
            [
                slug(project.project_id),
                v.title,
                normalize(v.title),
                status_at[v.status],
                site_at[project.site],
                division_at[v.division] if v.division else -1,
                [funder_at[f] for f in v.funders],
                lang_at[v.lang],
                day(project.first_seen_at),
                day(project.last_seen_at),
                len(project.versions),
                int(project.removed),
            ]
        )
    return {
        "statuses": statuses,
        "sites": sites,
        "divisions": divisions,
        "funders": funders,
        "langs": langs,
        "rows": rows,
    }


def to_script(number: int, part: dict[str, Any]) -> str:
    """A part as a JavaScript statement, safe wherever it is put: inside an inline
    ``<script>`` too (no ``<`` survives, so no ``</script>`` or ``<!--``; U+2028 and U+2029 are
    escaped for older parsers). Quotes and backslashes are JSON's."""
    data = json.dumps(part, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'window.{GLOBAL} = window.{GLOBAL} || {{}};\nwindow.{GLOBAL}["{number}"] = {data};\n'


def index_files(projects: Sequence[Project]) -> list[tuple[str, str]]:
    """(file name, JavaScript) of each part of the index of ``projects`` (none for none)."""
    parts = [projects[i : i + PART_ROWS] for i in range(0, len(projects), PART_ROWS)]
    return [
        (f"{FOLDER}/index-{n}.js", to_script(n, index_part(chunk)))
        for n, chunk in enumerate(parts, start=1)
    ]


def index_srcs(count: int, depth: int) -> list[str]:
    """The parts' addresses from a page ``depth`` folders down."""
    return [f"{'../' * depth}{FOLDER}/index-{n}.js" for n in range(1, count + 1)]


def part_count(projects: int) -> int:
    return -(-projects // PART_ROWS)
