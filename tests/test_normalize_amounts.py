"""Grant amounts as written to value and currency (pipeline.normalize.amounts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize.amounts import amount_only, parse_amount


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("45.000 €", 45000, "EUR"),
        ("45.000 EUR", 45000, "EUR"),
        ("€62,000", 62000, "EUR"),
        ("€ 45.000,50", 45000.5, "EUR"),
        ("1.250.000 Euro", 1250000, "EUR"),
        ("CHF 120'000", 120000, "CHF"),
        ("CHF 85’000", 85000, "CHF"),
        ("Fr. 45'000.–", 45000, "CHF"),
        ("Fr. 45'000.-", 45000, "CHF"),
        ("CHF 1,2 Mio.", 1200000, "CHF"),
        ("1,5 Mio. €", 1500000, "EUR"),
        ("EUR 2.5 million", 2500000, "EUR"),
        ("CHF 1,250 Mio.", 1250000, "CHF"),  # a multiplier makes a lone separator decimal
        ("bis zu 30 Tsd. Euro", 30000, "EUR"),
        ("12 000 €", 12000, "EUR"),
        ("insgesamt 80.000 € über drei Jahre", 80000, "EUR"),
        ("USD 10,000", 10000, "USD"),
        ("£5,000", 5000, "GBP"),
        ("CHF 950.50", 950.5, "CHF"),
        ("EUR 64.500,-", 64500, "EUR"),  # a dash for no cents, currency first
        ("64.500,– €", 64500, "EUR"),
    ],
)
def test_amounts(text, value, currency):
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.value, amount.currency, amount.raw) == (value, currency, text)


@pytest.mark.parametrize(
    "text",
    ["", "45.000", "seit 2019", "Jugendliche zwischen 14 und 21 Jahren", "Frankfurt 2024", "k.A."],
)
def test_no_amount(text):
    assert parse_amount(text) is None


@given(st.text(max_size=60))
def test_never_raises(text):
    amount = parse_amount(text)
    assert amount is None or amount.value >= 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.500 Euro", 2500),
        ("bis zu 1.500 €", 1500),
        ("up to €25,000", 25000),
        ("Stadt Kiel", None),
        ("Stiftung X: 2.500 €", None),
        ("15.000 € pro Jahr", None),
    ],
)
def test_amount_only_is_a_sum_and_nothing_more(text, value):
    found = amount_only(text)
    assert (found.value if found else None) == value


@pytest.mark.parametrize(("text", "value"), [("7,500 euros", 7500), ("bis zu 35 T€", 35000)])
def test_euros_and_thousands_written_as_t(text, value):
    found = parse_amount(text)
    assert found is not None and (found.value, found.currency) == (value, "EUR")
