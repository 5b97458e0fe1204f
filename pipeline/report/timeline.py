"""Timeline geometry: days and moments to x positions, a period or a version as a span, the
crawls as ticks. Pure arithmetic on numbers (days as ordinals, moments as POSIX seconds);
``project_pages`` draws the result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

DAY = 86400.0
EPOCH_ORDINAL = float(date(1970, 1, 1).toordinal())


def ordinal(day: date) -> float:
    """A day as a number on a day axis."""
    return float(day.toordinal())


def day_of(moment: datetime) -> float:
    """A moment on a day axis (days and fractions since day 1 of year 1, as ``ordinal``)."""
    return moment.timestamp() / DAY + EPOCH_ORDINAL


def seconds(moment: datetime) -> float:
    """A moment as a number on a time axis."""
    return moment.timestamp()


@dataclass(frozen=True)
class Scale:
    """A linear map from values ``lo``..``hi`` to x ``left``..``left + width``; outside values
    are clamped to the ends."""

    lo: float
    hi: float
    width: float
    left: float = 0.0

    @classmethod
    def covering(
        cls,
        values: Iterable[float | None],
        width: float,
        left: float = 0.0,
        pad: float = 0.03,
        least: float = 1.0,
    ) -> Scale:
        """The scale over every given value, padded by ``pad`` of the span on each side, and
        at least ``least`` wide (a single value sits in the middle)."""
        known = [v for v in values if v is not None]
        if not known:
            raise ValueError("a time axis needs at least one value")
        lo, hi = min(known), max(known)
        margin = max((hi - lo) * pad, (least - (hi - lo)) / 2, 0.0)
        return cls(lo - margin, hi + margin, width, left)

    @property
    def right(self) -> float:
        return self.left + self.width

    def x(self, value: float) -> float:
        span = self.hi - self.lo
        share = (value - self.lo) / span if span > 0 else 0.5
        return self.left + self.width * min(1.0, max(0.0, share))


@dataclass(frozen=True)
class Span:
    x: float
    width: float
    open_start: bool  # no known start: runs off the axis to the left
    open_end: bool  # no known end: runs to the axis end

    @property
    def right(self) -> float:
        return self.x + self.width


MIN_WIDTH = 2.0  # a span of one day (or one moment) stays visible


def span(scale: Scale, start: float | None, end: float | None) -> Span:
    """The bar from ``start`` to ``end``; an open side runs to the axis edge."""
    x0 = scale.x(start) if start is not None else scale.left
    x1 = scale.x(end) if end is not None else scale.right
    x0, x1 = min(x0, x1), max(x0, x1)
    width = max(MIN_WIDTH, x1 - x0)
    return Span(min(x0, scale.right - width), width, start is None, end is None)


def year_ticks(scale: Scale, most: int = 12) -> list[tuple[float, int]]:
    """(x, year) at each 1 January inside a day axis, thinned to at most ``most``."""
    first = date.fromordinal(max(1, int(scale.lo)))
    last = date.fromordinal(max(1, int(scale.hi)))
    years = [y for y in range(first.year, last.year + 1) if scale.lo <= ordinal(date(y, 1, 1))]
    years = [y for y in years if ordinal(date(y, 1, 1)) <= scale.hi]
    step = max(1, -(-len(years) // most))
    return [(scale.x(ordinal(date(y, 1, 1))), y) for y in years[::step]]
