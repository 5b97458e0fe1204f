"""Work the label readers skip because it changes nothing (pipeline/parse.py)."""

from __future__ import annotations

import pipeline.parse as parse
from pipeline.parse import parse_page
from tests.spi import SPI

PAGE = """<html lang="de"><body><main><h1>Lesepaten im Kiez</h1>
<p>Gefördert durch</p>
<p><img src="a.png" alt="Bezirksamt Nord"></p><p>Bezirksamt Nord</p>
<p><img src="b.png" alt="Stiftung Mehrwert und Land Berlin"></p>
<p>Stiftung Mehrwert und Land Berlin</p>
<p>Laufzeit: 2024 bis 2026</p>
</main></body></html>"""


def test_a_funder_written_twice_under_its_label_is_read_once(monkeypatch):
    """A logo's alt text and its caption are one value: split once, one funder each."""
    calls: list[str] = []
    split = parse.split_value

    def counting(text, lex):
        calls.append(text)
        return split(text, lex)

    monkeypatch.setattr(parse, "split_value", counting)
    result = parse_page(PAGE, "https://www.stiftung-spi.de/projekte/lesepaten/", SPI)
    assert result.record is not None
    assert result.record.funders == ["Bezirksamt Nord", "Stiftung Mehrwert", "Land Berlin"]
    assert sorted(calls) == sorted(set(calls)), calls  # each text split once
