"""German and English dates and project periods.

``parse_date`` reads one date bound (day, month or year precision); ``parse_period`` reads a whole
period phrase such as ``01.02.2014 bis 31.12.2017``, ``seit 2015``, ``03/2018 – 02/2020`` or
``ongoing``. Both are pure and return None for text they do not fully understand: a phrase is a
period only when all of it is.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Literal

Precision = Literal["day", "month", "year"]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januar", "jänner", "jan", "january"),
        ("februar", "feb", "february", "feber"),
        ("märz", "maerz", "mär", "mrz", "march", "mar"),
        ("april", "apr"),
        ("mai", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "october", "oct"),
        ("november", "nov"),
        ("dezember", "dez", "december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_MONTH = r"(?P<{g}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a period: the first (start) or last (end) day covered, and its precision."""

    first: date
    last: date
    precision: Precision


@dataclass(frozen=True, slots=True)
class PeriodValue:
    start: date | None
    end: date | None
    start_precision: Precision | None
    end_precision: Precision | None
    raw: str

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "start_precision": self.start_precision,
            "end_precision": self.end_precision,
            "raw": self.raw,
        }


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(template, re.IGNORECASE)


# Each form is a full match over one bound. Group names: d (day), m (month number), mn (month
# name), y (year). The forms that open with a digit and those that open with a month's name
# never match the same text: a text is tried against one kind only.
_DIGIT_FORMS: tuple[re.Pattern[str], ...] = (
    _pattern(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?" + _YEAR.format(g="y")),  # 01.02.2014
    _pattern(r"(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),  # 2014-02-01
    _pattern(r"(?P<d>\d{1,2})\.?\s+" + _MONTH.format(g="mn") + r"\s+" + _YEAR.format(g="y")),
    _pattern(r"(?P<m>\d{1,2})\s?[/.]\s?" + _YEAR.format(g="y")),  # 03/2018, 03.2018
    _pattern(_YEAR.format(g="y")),  # 2016
)
_NAME_FORMS: tuple[re.Pattern[str], ...] = (
    _pattern(
        _MONTH.format(g="mn") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR.format(g="y")
    ),  # March 3, 2018
    _pattern(_MONTH.format(g="mn") + r",?\s+" + _YEAR.format(g="y")),  # März 2018
)


# A quarter: "Q2 2024", "Q3/2027", "2. Quartal 2024", "3rd quarter 2025" (month precision:
# the first day of its first month to the last day of its last month).
_QUARTER = _pattern(
    r"(?:Q\s?(?P<q>[1-4])|(?P<qd>[1-4])\.\s*Quartal|(?P<qe>[1-4])(?:st|nd|rd|th)\s+quarter"
    r"(?:\s+of)?)\s*[/ ]?\s*" + _YEAR.format(g="y")
)
# "Ende 2025", "end of 2025", "Ende März 2026": the bound as written (an end's last day).
_END_OF = _pattern(r"(?:Ende|(?:the\s+)?end\s+of)\s+(?P<rest>.+)")


def _quarter(text: str) -> Bound | None:
    match = _QUARTER.fullmatch(text)
    if match is None:
        return None
    quarter = int(match["q"] or match["qd"] or match["qe"])
    year, first = int(match["y"]), 3 * quarter - 2
    last = calendar.monthrange(year, first + 2)[1]
    return Bound(date(year, first, 1), date(year, first + 2, last), "month")


def parse_date(text: str) -> Bound | None:
    """Parse one date bound; None when the whole text is not a date.

    >>> parse_date("März 2018").first.isoformat(), parse_date("März 2018").last.isoformat()
    ('2018-03-01', '2018-03-31')
    """
    text = text.strip().rstrip(".,;").strip()
    # ("Ende ...", "end of ...", "the end of ...": no other letter case-insensitive matching
    # takes for an "e" or a "t")
    end_of = _END_OF.fullmatch(text) if text[:1] in "EeTt" else None
    if end_of is not None:
        text = end_of["rest"]
    if text[:1] in "Qq1234" and (quarter := _quarter(text)) is not None:
        return quarter
    # (str.isdigit() holds for every digit \d matches: a text that opens otherwise can only be a
    # month's name form)
    for form in _DIGIT_FORMS if text[:1].isdigit() else _NAME_FORMS:
        match = form.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        year = int(groups["y"])
        if groups.get("mn"):
            month = MONTHS[groups["mn"].lower().rstrip(".")]
        elif groups.get("m"):
            month = int(groups["m"])
        else:
            return Bound(date(year, 1, 1), date(year, 12, 31), "year")
        if not 1 <= month <= 12:
            return None
        if groups.get("d"):
            try:
                day = date(year, month, int(groups["d"]))
            except ValueError:
                return None
            return Bound(day, day, "day")
        last_day = calendar.monthrange(year, month)[1]
        return Bound(date(year, month, 1), date(year, month, last_day), "month")
    return None


# Words that mean "no end": the period is open, with no dates.
OPEN_ENDED = re.compile(
    r"(?:fortlaufend|laufend|unbefristet|dauerhaft|ongoing|open[- ]ended|continuous|permanent)",
    re.IGNORECASE,
)
_DASH = r"\s*(?:-|–|—|‒|bis(?:\s+(?:zum|einschließlich))?|to|until|till|through)\s*"
_START_WORDS = (
    r"(?:seit(?:\s+dem)?|ab(?:\s+dem)?|since|from|starting(?:\s+in)?|beginnend(?:\s+im)?|vom|von)"
)
_END_WORDS = r"(?:bis(?:\s+zum)?|until|till|ausgelaufen\s+am|endete\s+am|expired\s+on|ended\s+on)"
_SEPARATOR = re.compile(_DASH, re.IGNORECASE)
_RANGE_PREFIX = re.compile(r"^(?:vom|von|from|zwischen|between)\s+", re.IGNORECASE)
_OPEN_START = re.compile(
    _START_WORDS + r"\s+(?P<a>.+?)(?:\s*[,(]?\s*" + OPEN_ENDED.pattern + r"\)?)?",
    re.IGNORECASE,
)
_OPEN_END = re.compile(_END_WORDS + r"\s+(?P<b>.+)", re.IGNORECASE)
# "2021 ff.", "2021 fortfolgende": a start and no end.
_FOLLOWING = re.compile(r"(?P<a>.+?)\s*(?:ff\.?|fortfolgende|onwards|and\s+beyond)", re.IGNORECASE)
# What a text holds, lowercased, when _FOLLOWING can match it: a quick test (its lazy ".+?"
# tries every position). "onward" without its "s": IGNORECASE takes the long s for an "s",
# lower() does not.
_FOLLOWING_WORDS = ("ff", "fortfolgende", "onward", "beyond")


def _open_start(body: str, raw: str) -> PeriodValue | None:
    """ "seit 2015", "ab 01.02.2027", "2021 ff.": a start and no end."""
    match = _OPEN_START.fullmatch(body)
    if match is None:
        low = raw.lower()
        if any(word in low for word in _FOLLOWING_WORDS):
            match = _FOLLOWING.fullmatch(raw.strip().strip(";,").strip())
    start = parse_date(match["a"]) if match else None
    return None if start is None else PeriodValue(start.first, None, start.precision, None, raw)


def parse_period(text: str) -> PeriodValue | None:
    """Parse a labelled period phrase; None when the phrase is not entirely a period.

    >>> parse_period("01.02.2014 bis 31.12.2017").end.isoformat()
    '2017-12-31'
    """
    raw = " ".join(text.split())
    body = raw.strip().strip(".;,").strip()
    if not body:
        return None
    if OPEN_ENDED.fullmatch(body):
        return PeriodValue(None, None, None, None, raw)
    open_start = _open_start(body, raw)
    if open_start is not None:
        return open_start
    match = _OPEN_END.fullmatch(body)
    if match:
        end = parse_date(match["b"])
        if end is not None:
            return PeriodValue(None, end.last, None, end.precision, raw)
    # Try each separator: "2020-03-01 – 2021-02-28" has dashes inside its dates too.
    for separator in _SEPARATOR.finditer(body):
        left = _RANGE_PREFIX.sub("", body[: separator.start()])
        start, end = parse_date(left), parse_date(body[separator.end() :])
        if start is not None and end is not None:
            # A reversed range is returned as written: the record's validation rejects it.
            return PeriodValue(start.first, end.last, start.precision, end.precision, raw)
    single = parse_date(body)
    if single is not None and _END_OF.fullmatch(body):
        return PeriodValue(None, single.last, None, single.precision, raw)  # "Ende 2025"
    if single is not None:
        # A lone date as a period: the project ran within that day, month or year.
        return PeriodValue(single.first, single.last, single.precision, single.precision, raw)
    return None


# A line that is one date: a card's or a post's ("14.05.2023", "06/05/2024", "6 May 2024",
# "2024-05-06", "June 3, 2019").
_ONE_DATE = (
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?\s+\d{4}|[^\W\d_]{3,10}\.?\s+\d{1,2},?\s+\d{4})"
)
DATE_LINE = re.compile(rf"^{_ONE_DATE}$")
# A post's meta line: its date, a bullet, more meta ("4. Okt. 2016 • 3 Min. Lesezeit").
DATED_META = re.compile(rf"^{_ONE_DATE}\s*[•·|]")
# A year range in parentheses at the end of a title or subtitle: "Lernwerkstatt (2007 – 2015)".
TITLE_YEARS = re.compile(r"\((?P<period>(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d)\)\s*$")


def parse_w3c_datetime(text: str) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime) as an aware UTC datetime, or None.

    A date without a time stands for the whole day, so it reads as the day's last second: a page
    changed later on the day we fetched it is then not taken as unchanged.
    """
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        text += "-12-31"
    elif len(text) == 7 and text[4] == "-":
        year, month = int(text[:4]), int(text[5:7])
        if not 1 <= month <= 12:
            return None
        text = f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
