from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.vocabulary import lexicon_for
from pipeline.normalize.dates import (
    _END_OF,
    _FOLLOWING,
    _FOLLOWING_WORDS,
    TITLE_YEARS,
    parse_date,
    parse_period,
)
from tests.spi import SPI

D = date.fromisoformat

PERIODS = [
    # text, start, end, start precision, end precision
    ("01.02.2014 bis 31.12.2017", "2014-02-01", "2017-12-31", "day", "day"),
    ("seit 01.09.2015", "2015-09-01", None, "day", None),
    ("seit 2015", "2015-01-01", None, "year", None),
    ("ab März 2019", "2019-03-01", None, "month", None),
    ("03/2018 – 02/2020", "2018-03-01", "2020-02-29", "month", "month"),
    ("März 2018 bis Februar 2020", "2018-03-01", "2020-02-29", "month", "month"),
    ("1. Januar 2021 bis 31. Dezember 2023", "2021-01-01", "2023-12-31", "day", "day"),
    ("2016 – 2019", "2016-01-01", "2019-12-31", "year", "year"),
    ("2016-2019", "2016-01-01", "2019-12-31", "year", "year"),
    ("fortlaufend", None, None, None, None),
    ("1 February 2014 to 31 December 2017", "2014-02-01", "2017-12-31", "day", "day"),
    ("since 2015", "2015-01-01", None, "year", None),
    ("ongoing", None, None, None, None),
    ("Ongoing.", None, None, None, None),
    ("ausgelaufen am 30.06.2014", None, "2014-06-30", None, "day"),
    ("bis 31.12.2023", None, "2023-12-31", None, "day"),
    ("vom 01.02.2014 bis zum 31.12.2017", "2014-02-01", "2017-12-31", "day", "day"),
    ("von 2008 bis 2014", "2008-01-01", "2014-12-31", "year", "year"),
    ("seit 2015 (fortlaufend)", "2015-01-01", None, "year", None),
    ("Jan. 2020 – Dez. 2021", "2020-01-01", "2021-12-31", "month", "month"),
    ("March 3, 2020 – June 2021", "2020-03-03", "2021-06-30", "day", "month"),
    ("from April 2024", "2024-04-01", None, "month", None),
    ("01.01.2022 – 31.12.2025", "2022-01-01", "2025-12-31", "day", "day"),
    ("2019", "2019-01-01", "2019-12-31", "year", "year"),
    ("Februar 2024", "2024-02-01", "2024-02-29", "month", "month"),
    ("2020-03-01 – 2021-02-28", "2020-03-01", "2021-02-28", "day", "day"),
    # quarters: the first day of the first quarter's first month to the last quarter's last day
    ("Q1 2023 – Q4 2024", "2023-01-01", "2024-12-31", "month", "month"),
    ("Q3/2025 bis Q2/2026", "2025-07-01", "2026-06-30", "month", "month"),
    ("2. Quartal 2024 bis 1. Quartal 2025", "2024-04-01", "2025-03-31", "month", "month"),
    ("3rd quarter 2023 to 1st quarter 2024", "2023-07-01", "2024-03-31", "month", "month"),
    ("ab Q4 2026", "2026-10-01", None, "month", None),
    # "ff." and "onwards": a start, no end
    ("2019 ff.", "2019-01-01", None, "year", None),
    ("03/2020 ff.", "2020-03-01", None, "month", None),
    ("2018 onwards", "2018-01-01", None, "year", None),
    # "Ende 2025", "end of 2025": the end as precise as written
    ("Juni 2022 bis Ende 2024", "2022-06-01", "2024-12-31", "month", "year"),
    ("bis Ende 2027", None, "2027-12-31", None, "year"),
    ("until the end of 2026", None, "2026-12-31", None, "year"),
    ("Ende 2028", None, "2028-12-31", None, "year"),
    ("from May 2025 to end of 2026", "2025-05-01", "2026-12-31", "month", "year"),
]


@pytest.mark.parametrize(("text", "start", "end", "sp", "ep"), PERIODS)
def test_parse_period(text, start, end, sp, ep):
    period = parse_period(text)
    assert period is not None, text
    assert period.start == (D(start) if start else None)
    assert period.end == (D(end) if end else None)
    assert (period.start_precision, period.end_precision) == (sp, ep)
    assert period.raw == " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Das Projekt hatte eine Laufzeit von 2008 bis 2014",
        "von 2008 bis 2014 war",
        "hallo 2015",
        "31.02.2015",
        "13/2018 – 02/2020",
        "seit langem",
        "1890 – 1900",
    ],
)
def test_parse_period_rejects_what_is_not_entirely_a_period(text):
    assert parse_period(text) is None


def test_reversed_range_is_returned_for_validation_to_reject():
    period = parse_period("31.12.2017 bis 01.02.2014")
    assert period is not None and period.start > period.end


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("29.02.2020", "2020-02-29", "2020-02-29", "day"),
        ("1.3.2020", "2020-03-01", "2020-03-01", "day"),
        ("Mai 2021", "2021-05-01", "2021-05-31", "month"),
        ("Sept. 2021", "2021-09-01", "2021-09-30", "month"),
        ("Maerz 2021", "2021-03-01", "2021-03-31", "month"),
        ("12/2023", "2023-12-01", "2023-12-31", "month"),
        ("2024", "2024-01-01", "2024-12-31", "year"),
        ("5th May 2020".replace("th", ""), "2020-05-05", "2020-05-05", "day"),
    ],
)
def test_parse_date(text, first, last, precision):
    bound = parse_date(text)
    assert bound is not None
    assert (bound.first, bound.last, bound.precision) == (D(first), D(last), precision)


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Lernwerkstatt „OFFi“ (2007 – 2015)", "2007 – 2015"),
        ("Projekt (2016-2019)", "2016-2019"),
        ("Projekt 2016 – 2019", None),
        ("Projekt (2016 – 2019) mit Nachsatz", None),
    ],
)
def test_title_years(title, period):
    match = TITLE_YEARS.search(title)
    assert (match["period"] if match else None) == period


@pytest.mark.parametrize(
    ("text", "word", "when"),
    [
        ("Jugendberatung (ausgelaufen am 30.06.2014)", "ausgelaufen", "30.06.2014"),
        ("ausgelaufen am 30.06.2014", "ausgelaufen", "30.06.2014"),
        ("Street work (expired on 30 June 2014)", "expired", "30 June 2014"),
        ("Jugendberatung Spremberg", None, None),
    ],
)
def test_expiry(text, word, when):
    match = lexicon_for(SPI).expiry.search(text)
    assert (match["word"] if match else None) == word
    assert (match["date"] if match else None) == when


def _first_form(text, forms):
    return next((form for form in forms if form.fullmatch(text)), None)


DATE_LIKE = [
    "01.02.2014",
    "1.2.2014",
    "2014-02-01",
    "3. März 2018",
    "3 May 2018",
    "März 2018",
    "March 3, 2018",
    "March 3rd 2018",
    "03/2018",
    "3.2018",
    "2016",
    "Mai, 2019",
    "sept. 2020",
    "",
    "a",
    "12",
    "²2016",
    "٢٠١٦",
    "1 mai 2019",
    "Jänner 2020",
    "31.12.",
    "Q2 2024",
    "2024-13-01",
]


@pytest.mark.parametrize("text", DATE_LIKE)
def test_a_date_is_tried_only_against_the_forms_that_can_open_as_it_does(text):
    """The digit and month-name forms never match one text, and a text is tried against the
    kind its first character allows: the same form matches as in the forms' whole list."""
    from pipeline.normalize import dates

    digit, name = dates._DIGIT_FORMS, dates._NAME_FORMS
    whole = (digit[0], digit[1], digit[2], name[0], digit[3], name[1], digit[4])  # the old order
    chosen = digit if text[:1].isdigit() else name
    assert _first_form(text, chosen) is _first_form(text, whole)
    assert not (_first_form(text, digit) and _first_form(text, name))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "2021",
                " ",
                "ff",
                "FF.",
                "fortfolgende",
                "onwards",
                "onwardſ",
                "and",
                "beyond",
                "BEYOND",
                "ende",
                "Ende",
                "end of",
                "THE",
                "the",
                "ſ",
                "\u212a",
                "ı",
                "İ",
                "E",
                "t",
                "März",
                "-",
                "x",
            ]
        ),
        max_size=6,
    ).map("".join)
)
def test_the_quick_tests_before_the_following_and_end_of_forms_turn_no_match_away(text):
    """parse_period tries _FOLLOWING only on a text holding one of its words, parse_date tries
    _END_OF only on a text opening with E or T: no text either form matches is turned away."""
    if _FOLLOWING.fullmatch(text):
        assert any(word in text.lower() for word in _FOLLOWING_WORDS)
    if _END_OF.fullmatch(text):
        assert text[:1] in "EeTt"
