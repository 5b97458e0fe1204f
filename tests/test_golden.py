"""Golden pages: saved pages in fixtures/pages/ with their expected parse result.

The expected JSON is rewritten only with ``pytest --update-golden``; review the diff.
Every parser bug found adds a page here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.foundations.catalog import FOUNDATIONS
from pipeline.model import ParseResult
from pipeline.parse import parse_page
from pipeline.profiles import load_profile
from schemas.record import LATER_FIELDS
from tests.spi import SPI

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
MANIFEST: dict[str, str] = json.loads((PAGES / "MANIFEST.json").read_text(encoding="utf-8"))


def record_json(result: ParseResult) -> dict | None:
    """The record as JSON; the grant facts only when set (pages saved before they existed
    keep their expected files byte for byte, and an empty field says nothing more)."""
    if result.record is None:
        return None
    record = result.record.model_dump(mode="json")
    return {k: v for k, v in record.items() if k not in LATER_FIELDS or v}


def result_json(result: ParseResult) -> dict:
    return {
        "url": result.url,
        "kind": result.kind,
        "record": record_json(result),
        "problems": [str(p) for p in result.problems],
        "warnings": list(result.warnings),
    }


def test_every_saved_page_is_in_the_manifest():
    on_disk = {p.name for p in PAGES.glob("*.html")}
    assert on_disk == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_golden_page(name, update_golden):
    html = (PAGES / name).read_bytes()
    got = result_json(parse_page(html, MANIFEST[name], SPI))
    expected_path = PAGES / name.replace(".html", ".json")
    if update_golden:
        expected_path.write_text(
            json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    assert expected_path.exists(), f"no expected JSON for {name}: run pytest --update-golden"
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


# The fixture foundations' golden pages, each read with its foundation's URL-only profile.
# Their expected JSON was written by the parser and then checked by hand against each page.
FOUNDATION_PAGES = {f.id: f.folder / "pages" for f in FOUNDATIONS}
FOUNDATION_CASES = [
    (site, name)
    for site, folder in FOUNDATION_PAGES.items()
    for name in sorted(json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8")))
]


@pytest.mark.parametrize(("site", "name"), FOUNDATION_CASES)
def test_foundation_golden_page(site, name, update_golden):
    folder = FOUNDATION_PAGES[site]
    manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
    profile = load_profile(FOUNDATION_PAGES[site].parent / "profile.toml")
    got = result_json(parse_page((folder / name).read_bytes(), manifest[name], profile))
    expected_path = folder / name.replace(".html", ".json")
    if update_golden:
        expected_path.write_text(
            json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    assert expected_path.exists(), f"no expected JSON for {name}: run pytest --update-golden"
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
