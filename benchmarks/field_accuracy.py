"""Field accuracy: how many of each project page's facts today's parser gets right.

Usage: python benchmarks/field_accuracy.py [--snapshot v1]

For every project page of each fixture foundation's snapshot (``fixtures/foundations/<id>/
expected/<snapshot>.json``) and, for reference, of the SPI fixture site (``fixtures/site/<snapshot>/
_expected``), runs ``pipeline.parse.parse_page(html_bytes, url, profile)`` with the site's
profile file (URL-only for the new foundations) and compares each field with the
hand-written expected value: per field, per markup, per site and overall. A field is right when
it equals the expected value after the schema's normalization (strings stripped; lists compared
as lists, in order); a page the parser does not take for a project page gets every field wrong.
Fields the record does not have yet (grant facts) count as wrong and are listed separately.
Then the share of non-project pages (listings, news, team, job ads...) told apart as such.

:func:`compare_record` is the comparison, importable for tests.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fixtures.foundations.catalog import FOUNDATIONS
from fixtures.foundations.model import canonical
from fixtures.foundations.snapshot import Foundation
from pipeline.parse import parse_page
from pipeline.profiles import SiteProfile, discover, load_profile
from schemas.record import ProjectContent

ROOT = Path(__file__).resolve().parents[1]
SPI_SITE = ROOT / "fixtures" / "site"

FIELDS = (
    "title",
    "short_title",
    "status",
    "period",
    "funders",
    "focus_areas",
    "services",
    "division",
    "related",
    "closed_notice",
    "lang",
    "grant_amount",
    "partners",
    "target_groups",
)
CONTACT_FIELDS = (
    "organization",
    "unit",
    "division",
    "street",
    "postal_code",
    "city",
    "persons",
    "phones",
    "fax",
    "emails",
    "website",
    "locations",
)
PERIOD_KEYS = ("start", "end", "start_precision", "end_precision")
RECORD_FIELDS = frozenset(ProjectContent.model_fields)
Verdict = Literal["right", "wrong", "missing"]  # missing: the record has no such field yet


def normalized(value: Any) -> Any:
    """What the schema does to a value before comparing: strings stripped, recursively."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    return value


def _period(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else {k: value.get(k) for k in PERIOD_KEYS}


def _empty_like(expected: Any) -> Any:
    return [] if isinstance(expected, list) else None


def compare_record(expected: dict[str, Any], actual: dict[str, Any] | None) -> dict[str, Verdict]:
    """Field -> verdict for one page. ``actual`` is the parser's record as JSON (``None``: the
    parser gave no record). Contact subfields are named ``contact.<name>``; only fields present
    in ``expected`` are compared."""
    verdicts: dict[str, Verdict] = {}
    for name in FIELDS:
        if name not in expected:
            continue
        if name not in RECORD_FIELDS:
            verdicts[name] = "missing"
            continue
        if actual is None:
            verdicts[name] = "wrong"
            continue
        want, got = expected[name], actual.get(name)
        if name == "period":
            want, got = _period(want), _period(got)
        verdicts[name] = "right" if normalized(want) == normalized(got) else "wrong"
    if "contact" in expected:
        want_contact = expected["contact"] or {}
        got_contact = (actual or {}).get("contact") or {}
        for sub in CONTACT_FIELDS:
            if sub not in want_contact and expected["contact"] is not None:
                continue
            want = want_contact.get(sub)
            if actual is None:
                verdicts[f"contact.{sub}"] = "wrong"
                continue
            got = got_contact.get(sub, _empty_like(want))
            verdicts[f"contact.{sub}"] = "right" if normalized(want) == normalized(got) else "wrong"
    return verdicts


@dataclass(frozen=True)
class Page:
    site: str
    markup: str
    url: str
    html: bytes
    expected: dict[str, Any] | None  # None: not a project page


def _file(root: Path, path: str, query: str | None = None) -> Path:
    folder = root / path.strip("/")
    return folder / (f"index@{query}.html" if query else "index.html")


def foundation_pages(foundation: Foundation, snapshot: str) -> Iterator[Page]:
    root = foundation.site_root(snapshot)
    expected_file = foundation.folder / "expected" / f"{snapshot}.json"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    markups = {
        canonical(foundation.origin, p.path): p.style
        for p in foundation.projects_for(snapshot)
        if p.live
    }
    project_paths = set()
    for p in foundation.projects_for(snapshot):
        if p.live:
            project_paths.add(p.path)
            url = canonical(foundation.origin, p.path)
            html = _file(root, p.path).read_bytes()
            yield Page(foundation.id, markups[url], foundation.origin + p.path, html, expected[url])
    for path, query in foundation.site_pages(snapshot):
        if path in project_paths:
            continue
        url = foundation.origin + path + (f"?{query}" if query else "")
        yield Page(foundation.id, "other", url, _file(root, path, query).read_bytes(), None)


def spi_pages(snapshot: str) -> Iterator[Page]:
    from fixtures.sitegen.build import site_pages
    from fixtures.sitegen.history import projects_for
    from fixtures.sitegen.model import ORIGIN

    root = SPI_SITE / snapshot
    live = {p.path: p for p in projects_for(snapshot) if p.page and p.http_status == 200}
    for path, p in live.items():
        name = p.project_id.replace("/", "__") + ".json"
        expected = json.loads((root / "_expected" / name).read_text(encoding="utf-8"))
        yield Page("stiftung-spi", p.style, ORIGIN + path, _file(root, path).read_bytes(), expected)
    for path, query in site_pages(snapshot):
        if path in live:
            continue
        url = ORIGIN + path + (f"?{query}" if query else "")
        yield Page("stiftung-spi", "other", url, _file(root, path, query).read_bytes(), None)


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        if not self.total:
            return "-"
        return f"{100 * self.right / self.total:5.1f} % ({self.right}/{self.total})"


@dataclass
class Report:
    fields: dict[tuple[str, str], dict[str, Tally]]  # (site, markup) -> field -> tally
    missing: dict[str, set[str]]  # site -> fields the record lacks
    recognized: dict[str, Tally]  # site -> project pages taken for project pages
    told_apart: dict[str, Tally]  # site -> other pages taken for non-project pages


def profiles() -> dict[str, SiteProfile]:
    """Each fixture site's profile: the foundations' own files, SPI's built-in one."""
    found = {f.id: load_profile(f.folder / "profile.toml") for f in FOUNDATIONS}
    found["stiftung-spi"] = discover().get("stiftung-spi")
    return found


def measure(pages: Iterable[Page], by_site: dict[str, SiteProfile] | None = None) -> Report:
    by_site = by_site or profiles()
    report = Report(
        defaultdict(lambda: defaultdict(Tally)),
        defaultdict(set),
        defaultdict(Tally),
        defaultdict(Tally),
    )
    for page in pages:
        result = parse_page(page.html, page.url, by_site[page.site])
        if page.expected is None:
            report.told_apart[page.site].add(result.kind != "project")
            continue
        report.recognized[page.site].add(result.kind == "project")
        actual = result.record.model_dump(mode="json") if result.record else None
        for name, verdict in compare_record(page.expected, actual).items():
            report.fields[(page.site, page.markup)][name].add(verdict == "right")
            if verdict == "missing":
                report.missing[page.site].add(name)
    return report


def _merge(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.right += t.right
        out.total += t.total
    return out


def render(report: Report) -> str:
    columns = sorted(report.fields)
    names = [
        n
        for n in (*FIELDS[:4], *(f"contact.{c}" for c in CONTACT_FIELDS), *FIELDS[4:])
        if any(n in report.fields[c] for c in columns)
    ]
    width = 22
    head = "field".ljust(24) + "".join(f"{s}/{m}"[:width].ljust(width) for s, m in columns)
    lines = [head, "-" * len(head)]
    for name in names:
        mark = " *" if any(name in report.missing[s] for s, _m in columns) else ""
        lines.append(
            (name + mark).ljust(24)
            + "".join(str(report.fields[c].get(name, Tally())).ljust(width) for c in columns)
        )
    lines.append("-" * len(head))
    for title, keep in (
        ("all fields", lambda n, s: True),
        ("record fields only", lambda n, s: n not in report.missing[s]),
    ):
        lines.append(
            title.ljust(24)
            + "".join(
                str(_merge(t for n, t in report.fields[c].items() if keep(n, c[0]))).ljust(width)
                for c in columns
            )
        )
    lines.append("")
    for site in sorted({s for s, _m in columns}):
        site_cols = [c for c in columns if c[0] == site]
        every = _merge(t for c in site_cols for t in report.fields[c].values())
        known = _merge(
            t
            for c in site_cols
            for n, t in report.fields[c].items()
            if n not in report.missing[site]
        )
        lines.append(
            f"{site}: overall {every}; record fields only {known}; project pages recognized "
            f"{report.recognized[site]}; non-project pages told apart {report.told_apart[site]}"
        )
        if report.missing[site]:
            lacking = ", ".join(sorted(report.missing[site]))
            lines.append(f"  * not in the record yet (counted wrong): {lacking}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", default="v1")
    args = parser.parse_args()
    pages: list[Page] = []
    for foundation in FOUNDATIONS:
        pages.extend(foundation_pages(foundation, args.snapshot))
    pages.extend(spi_pages(args.snapshot))
    print(render(measure(pages)))


if __name__ == "__main__":
    main()
