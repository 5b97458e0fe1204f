"""The same-process speed comparison imports real parsers: a renamed copy parses as the parser
it was copied from (benchmarks/parse_speed_against.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.parse_speed_against import (
    ROOT,
    paired_ratios,
    parser_of,
    renamed_copy,
    revision_copy,
)
from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.model import ORIGIN
from fixtures.sitegen.padding import padded
from fixtures.sitegen.render import render_project
from pipeline.parse import parse_page
from tests.spi import SPI

PAGES = [(padded(render_project(p, "a")), ORIGIN + p.path) for p in PROJECTS[:4]]


@pytest.fixture
def copies(tmp_path):
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m.split(".")[0].endswith(("_heretest", "_revtest"))]:
        del sys.modules[name]


def _imports_renamed(root: Path, suffix: str) -> None:
    text = (root / f"pipeline_{suffix}" / "parse.py").read_text(encoding="utf-8")
    assert "from pipeline." not in text and f"from pipeline_{suffix}." in text
    assert "from schemas " not in text and "import schemas\n" not in text


def test_the_checkout_copied_under_another_name_parses_as_it_does(copies):
    renamed_copy(ROOT, copies, "heretest")
    _imports_renamed(copies, "heretest")
    parse, cold = parser_of("heretest")
    for body, url in PAGES:
        copied = parse(body, url)
        here = parse_page(body, url, SPI)
        assert type(copied).__module__.startswith("pipeline_heretest.")
        assert copied.kind == here.kind == "project"  # type: ignore[attr-defined]
        assert copied.record.model_dump() == here.record.model_dump()  # type: ignore[attr-defined]
    ratios, passes = paired_ratios({"a": (parse, cold), "b": (parse, cold)}, PAGES[:2], 0.0)
    assert len(ratios) == 5 and all(r > 0 for r in ratios)
    assert set(passes) == {"a", "b"} and all(len(p) == 5 for p in passes.values())


def test_a_revision_is_taken_from_git_and_parses(copies):
    revision_copy("HEAD", copies, "revtest")
    _imports_renamed(copies, "revtest")
    parse, _cold = parser_of("revtest")
    assert all(parse(body, url).kind == "project" for body, url in PAGES)  # type: ignore[attr-defined]
