"""The report's pure parts: word and set marking, timeline and chart geometry, file names,
the seal on archived pages."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from pipeline.report.captures import SEAL, seal
from pipeline.report.chart import bars, nice_ceiling
from pipeline.report.diff import compare_sets, mark_change, mark_sets, mark_words, tokens
from pipeline.report.html import slug
from pipeline.report.timeline import (
    DAY,
    MIN_WIDTH,
    Scale,
    day_of,
    ordinal,
    seconds,
    span,
    year_ticks,
)

# --- diff marking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "old_html", "new_html"),
    [
        ("laufend", "abgeschlossen", "<del>laufend</del>", "<ins>abgeschlossen</ins>"),
        (
            "ab März 2019",
            "März 2019 bis Oktober 2026",
            "<del>ab</del> März 2019",
            "März 2019 <ins>bis Oktober 2026</ins>",
        ),
        ("same words", "same words", "same words", "same words"),
        ("", "neu", "", "<ins>neu</ins>"),
        (
            "a <b> & c",
            "a <i> & c",
            "a &lt;<del>b</del>&gt; &amp; c",
            "a &lt;<ins>i</ins>&gt; &amp; c",
        ),
        ("Straße 1", "Straße 12", "Straße <del>1</del>", "Straße <ins>12</ins>"),
    ],
)
def test_mark_words(old, new, old_html, new_html):
    marked = mark_words(old, new)
    assert (marked.old, marked.new) == (old_html, new_html)


def test_tokens_keep_every_character():
    text = "Frankfurter Allee 35 – 37, Aufgang C\n10247  Berlin"
    assert "".join(tokens(text)) == text
    assert tokens("Sport im Kiez") == ["Sport", " ", "im", " ", "Kiez"]


def test_lists_compare_as_sets_order_ignored():
    change = compare_sets(["A", "B", "C"], ["C", "D", "A"])
    assert change.kept == ["C", "A"]
    assert change.removed == ["B"]
    assert change.added == ["D"]
    same = mark_sets(["x", "y"], ["y", "x"])
    assert "<ins>" not in same.new and "<del>" not in same.old


def test_mark_sets_html():
    marked = mark_sets(["Bund"], ["Bund", "Land <Berlin>"])
    assert marked.old == '<ul class="items"><li>Bund</li></ul>'
    assert marked.new == (
        '<ul class="items"><li>Bund</li><li><ins>Land &lt;Berlin&gt;</ins></li></ul>'
    )
    assert mark_sets([], []).new == "(none)"


def test_mark_change_picks_the_comparison():
    assert mark_change(None, "2026-10-31").new == "<ins>2026-10-31</ins>"
    assert mark_change(None, "2026-10-31").old == "(none)"
    assert mark_change("x", None).old == "<del>x</del>"
    listed = mark_change([], ["Deutsche Stiftung für Engagement und Ehrenamt"])
    assert "<li><ins>Deutsche Stiftung für Engagement und Ehrenamt</ins></li>" in listed.new
    assert mark_change(False, True).new == "<ins>yes</ins>"
    kept = mark_change({"persons": ["A", "B"], "fax": "1"}, {"persons": ["A", "B"], "fax": "2"})
    assert "<dt>persons</dt><dd>A; B</dd>" in kept.new and "<dd><ins>2</ins></dd>" in kept.new
    parts = mark_change(
        {"start": "2019-03-01", "end": None}, {"start": "2019-03-01", "end": "2026"}
    )
    assert "<dt>start</dt><dd>2019-03-01</dd>" in parts.old
    assert "<dt>end</dt><dd><ins>2026</ins></dd>" in parts.new


# --- timeline geometry --------------------------------------------------------------------


def test_scale_maps_days_linearly_and_clamps():
    scale = Scale(ordinal(date(2020, 1, 1)), ordinal(date(2021, 1, 1)), width=366, left=10)
    assert scale.x(ordinal(date(2020, 1, 1))) == 10
    assert scale.x(ordinal(date(2021, 1, 1))) == 376
    assert scale.x(ordinal(date(2020, 7, 1))) == pytest.approx(10 + 182)
    assert scale.x(ordinal(date(1999, 1, 1))) == 10  # clamped to the axis
    assert scale.x(ordinal(date(2030, 1, 1))) == 376


def test_covering_pads_and_centres_a_single_value():
    values = [ordinal(date(2014, 2, 1)), ordinal(date(2017, 12, 31))]
    scale = Scale.covering(values, 100, pad=0.1)
    span_days = values[1] - values[0]
    assert scale.lo == pytest.approx(values[0] - span_days * 0.1)
    assert scale.hi == pytest.approx(values[1] + span_days * 0.1)
    one = Scale.covering([5.0], 100, least=10)
    assert (one.lo, one.hi) == (0.0, 10.0)
    assert one.x(5.0) == 50
    with pytest.raises(ValueError, match="at least one value"):
        Scale.covering([None], 100)


def test_span_of_a_period_open_ends_and_minimum_width():
    scale = Scale(0, 100, width=200, left=50)
    assert span(scale, 25, 75) == span(scale, 75, 25)
    bar = span(scale, 25, 75)
    assert (bar.x, bar.width, bar.right) == (100, 100, 200)
    open_end = span(scale, 50, None)
    assert (open_end.x, open_end.right, open_end.open_end) == (150, 250, True)
    open_start = span(scale, None, 50)
    assert (open_start.x, open_start.open_start) == (50, True)
    tiny = span(scale, 100, 100)  # one day at the axis end stays visible inside the axis
    assert tiny.width == MIN_WIDTH and tiny.right == 250


def test_moments_and_days_share_an_axis():
    night = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert day_of(night) == ordinal(date(2026, 12, 1)) + 0.5
    assert seconds(night) - seconds(datetime(2026, 11, 30, 12, 0, tzinfo=UTC)) == DAY


def test_year_ticks_at_first_january_thinned():
    scale = Scale(ordinal(date(2013, 6, 1)), ordinal(date(2027, 3, 1)), width=1000)
    ticks = year_ticks(scale, most=20)
    assert [y for _, y in ticks] == list(range(2014, 2028))
    assert ticks[0][0] == pytest.approx(scale.x(ordinal(date(2014, 1, 1))))
    assert all(a[0] < b[0] for a, b in itertools.pairwise(ticks))
    assert len(year_ticks(scale, most=5)) <= 5


# --- the events chart ---------------------------------------------------------------------


def test_nice_ceiling():
    assert [nice_ceiling(n) for n in (0, 1, 3, 7, 13, 46, 20000, 20001)] == [
        1, 1, 5, 10, 20, 50, 20000, 50000,
    ]  # fmt: skip


def test_bars_stack_by_type_in_event_order():
    rects, top, _ = bars([(1, {"new": 33}), (2, {"changed": 7, "new": 1, "removed": 2})])
    assert top == 50
    first = [r for r in rects if r.count == 33]
    assert len(first) == 1 and first[0].type == "new"
    second = [r for r in rects if r.x > first[0].x]
    assert [r.type for r in second] == ["new", "changed", "removed"]
    for lower, upper in itertools.pairwise(second):
        assert upper.y + upper.height == pytest.approx(lower.y)  # stacked without gaps
    assert sum(r.height for r in second) == pytest.approx(first[0].height * 10 / 33)


# --- names and seals ----------------------------------------------------------------------


def test_slug_is_readable_and_unique():
    a = slug("stiftung-spi.de/projekte/aktionsraummitte")
    assert a.startswith("stiftung-spi-de-projekte-aktionsraummitte-")
    assert slug("stiftung-spi.de/projekte/a.b") != slug("stiftung-spi.de/projekte/a-b")


def test_seal_goes_after_head_and_keeps_the_bytes():
    page = b"<!DOCTYPE html><html><HEAD lang=de><title>x</title></head><body>\xfc</body>"
    sealed = seal(page)
    assert sealed == page.replace(b"<HEAD lang=de>", b"<HEAD lang=de>" + SEAL)
    assert seal(b"<p>no head</p>") == SEAL + b"<p>no head</p>"
