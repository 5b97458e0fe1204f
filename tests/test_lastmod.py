"""The lastmod rules: when a page may have changed, the audit sample, a site's standing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.crawl.lastmod import AUDIT_MIN, CLEAN_AUDITS, Trust, audit_sample, maybe_changed

FETCHED = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("new", "stored", "fetched_at", "changed"),
    [
        ("2026-11-20", "2026-11-20", FETCHED, False),  # same day-precision value, days before
        ("2026-11-30", "2026-11-30", FETCHED, True),  # same value, but the day of the last fetch
        ("2026-12-01", "2026-12-01", FETCHED, True),  # a day after the fetch (clocks differ)
        ("2026-11-21", "2026-11-20", FETCHED, True),  # a new value
        ("2026-11-19", "2026-11-20", FETCHED, True),  # an older value is a new value too
        ("2026-11-29T10:00:00+00:00", "2026-11-29T10:00:00+00:00", FETCHED, False),
        ("2026-11-30T01:00:00Z", "2026-11-30T01:00:00Z", FETCHED, False),  # exact time: trusted
        (" 2026-11-20 ", "2026-11-20", FETCHED, False),
        ("2099-01-01", "2099-01-01", FETCHED, True),  # in the future
        (None, "2026-11-20", FETCHED, True),  # no lastmod now
        ("2026-11-20", None, FETCHED, True),  # none stored
        ("2026-11-20", "2026-11-20", None, True),  # never verified
        ("yesterday", "yesterday", FETCHED, True),  # unreadable
        ("2026", "2026", FETCHED, True),  # a year: on or after the fetch's day
    ],
)
def test_maybe_changed(new, stored, fetched_at, changed):
    assert maybe_changed(new, stored, fetched_at) is changed


def test_audit_sample_is_seeded_and_large_enough():
    keys = [f"x.de/p/{n}" for n in range(1000)]
    sample = audit_sample(keys, seed=7)
    assert len(sample) == 50  # 5 %
    assert sample == audit_sample(reversed(keys), seed=7)
    assert sample != audit_sample(keys, seed=8)
    assert len(audit_sample(keys[:100], 1)) == AUDIT_MIN
    assert audit_sample(keys[:4], 1) == frozenset(keys[:4])
    assert audit_sample([], 1) == frozenset()


def test_trust_is_earned_by_clean_audits_and_lost_by_one_failure():
    trust = Trust()
    for _ in range(CLEAN_AUDITS - 1):
        trust = trust.after(audited=20, failures=0)
        assert not trust.trusted
    trust = trust.after(audited=20, failures=0)
    assert trust.trusted and trust.label == "trusted"
    assert trust.after(audited=0, failures=0) == trust  # a run that audited nothing
    lost = trust.after(audited=12, failures=1)
    assert not lost.trusted and lost.label == f"earning (0/{CLEAN_AUDITS} clean audits)"
