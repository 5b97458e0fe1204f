"""benchmarks/field_accuracy.py: the comparison of parsed records with expected facts."""

from __future__ import annotations

import pytest

from benchmarks.field_accuracy import (
    FOUNDATIONS,
    compare_record,
    foundation_pages,
    measure,
    render,
    spi_pages,
)

CONTACT = {
    "organization": "Verein X",
    "unit": None,
    "division": None,
    "street": "Seeweg 1",
    "postal_code": "8008",
    "city": "Zürich",
    "persons": ["Lea Brunner"],
    "phones": ["+41441234567"],
    "fax": None,
    "emails": ["lea@example.ch"],
    "website": None,
    "locations": [],
}
PERIOD = {"start": "2023-01-01", "end": None, "start_precision": "year", "end_precision": None}


@pytest.mark.parametrize(
    ("expected", "actual", "verdicts"),
    [
        ({"title": "A"}, {"title": " A "}, {"title": "right"}),  # the schema strips strings
        ({"title": "A"}, {"title": "B"}, {"title": "wrong"}),
        ({"funders": ["A", "B"]}, {"funders": ["B", "A"]}, {"funders": "wrong"}),  # page order
        ({"period": PERIOD}, {"period": {**PERIOD, "raw": "seit 2023"}}, {"period": "right"}),
        ({"period": PERIOD}, {"period": None}, {"period": "wrong"}),
        ({"partners": ["X"]}, {"partners": []}, {"partners": "wrong"}),
        (
            {"grant_amount": {"value": 45000, "currency": "EUR", "raw": "45.000 €"}},
            {"grant_amount": {"value": 45000.0, "currency": "EUR", "raw": "45.000 €"}},
            {"grant_amount": "right"},
        ),
        ({"title": "A", "lang": "de"}, None, {"title": "wrong", "lang": "wrong"}),  # no record
    ],
)
def test_compare_record(expected, actual, verdicts):
    assert compare_record(expected, actual) == verdicts


def test_contact_is_compared_field_by_field():
    found = {**CONTACT, "organization": "Lea Brunner", "persons": []}
    verdicts = compare_record({"contact": CONTACT}, {"contact": found})
    assert verdicts["contact.organization"] == verdicts["contact.persons"] == "wrong"
    assert verdicts["contact.street"] == verdicts["contact.phones"] == "right"
    assert len(verdicts) == len(CONTACT)


def test_no_contact_found_leaves_only_empty_subfields_right():
    verdicts = compare_record({"contact": CONTACT}, {"contact": None})
    assert verdicts["contact.city"] == "wrong"
    assert verdicts["contact.unit"] == verdicts["contact.locations"] == "right"


def test_spi_reference_is_exact_and_the_report_covers_every_markup():
    report = measure(
        [*spi_pages("v1"), *(p for f in FOUNDATIONS for p in foundation_pages(f, "v1"))]
    )
    spi = [
        t
        for (site, _m), fields in report.fields.items()
        if site == "stiftung-spi"
        for t in fields.values()
    ]
    assert spi and all(t.right == t.total for t in spi)
    markups = {key for key in report.fields}
    assert {("lichtenweide", "classic"), ("lichtenweide", "block")} <= markups
    assert {("farnegg", "drupal"), ("farnegg", "component")} <= markups
    assert not report.missing["lichtenweide"]  # the grant facts are in the record
    assert "non-project pages told apart" in render(report)


# Accuracy measured on 2026-12-01 with URL-only profiles (before the grant-maker wording was in
# the shared vocabulary: Farnegg 65.2 %, Lichtenweide 69.0 % of record fields; after: 100.0 %
# and 100.0 %). A floor a little below the measured figure per site and markup, so a regression
# fails here before it reaches a crawl.
FLOORS = {
    ("farnegg", "component"): 99.0,
    ("farnegg", "drupal"): 99.0,
    ("lichtenweide", "block"): 99.0,
    ("lichtenweide", "classic"): 98.5,
}


def _share(tallies) -> float:
    right = sum(t.right for t in tallies)
    total = sum(t.total for t in tallies)
    return 100 * right / total


@pytest.mark.parametrize("snapshot", ["v1", "v2"])
def test_fixture_foundations_keep_their_measured_accuracy(snapshot):
    report = measure(
        [p for f in FOUNDATIONS if snapshot in f.snapshots for p in foundation_pages(f, snapshot)]
    )
    for column, floor in FLOORS.items():
        share = _share(report.fields[column].values())
        assert share >= floor, f"{column} {snapshot}: {share:.1f} % of fields, floor {floor} %"
    for site in ("farnegg", "lichtenweide"):
        assert report.recognized[site].right == report.recognized[site].total
        told = report.told_apart[site]
        assert told.right == told.total, f"{site}: {told}"
    # every grant fact is read on every markup
    for column in FLOORS:
        for name in ("grant_amount", "funders", "status", "period", "target_groups"):
            tally = report.fields[column][name]
            assert tally.right == tally.total, (column, name, str(tally))


# The held-out foundations the parser was later tuned on (Hallerau 58.9 % -> 99.0 %, Auenfeld
# 53.8 % -> 97.9 %, Tamsen 68.8 % -> 99.8 %, Gemeinsinn 42.7 % -> 100.0 % of fields, 2026-12-02;
# Hallerau 100.0 % after the Gemeinsinn round): a floor a little below the figure after the fixes.
TUNED_FLOORS = {
    ("hallerau", "responsive"): 99.5,
    ("hallerau", "table"): 99.5,
    ("gemeinsinn", "gsb"): 99.5,
    ("gemeinsinn", "domino"): 99.5,
    ("auenfeld", "nuxt"): 98.0,
    ("auenfeld", "webflow"): 96.0,
    ("tamsen", "steckbrief"): 99.5,
    ("tamsen", "story"): 99.0,
}


def test_tuned_on_foundations_keep_their_accuracy_after_the_fixes():
    sites = {site for site, _markup in TUNED_FLOORS}
    report = measure([p for f in FOUNDATIONS if f.id in sites for p in foundation_pages(f, "v1")])
    for column, floor in TUNED_FLOORS.items():
        share = _share(report.fields[column].values())
        assert share >= floor, f"{column}: {share:.1f} % of fields, floor {floor} %"
    for site in sites:
        assert report.recognized[site].right == report.recognized[site].total
        told = report.told_apart[site]
        assert told.right == told.total, f"{site}: {told}"
