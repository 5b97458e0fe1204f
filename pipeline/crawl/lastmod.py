"""When a sitemap's ``lastmod`` may spare a request: only on a site that has earned it.

By default (``trust_lastmod = "off"``) every known page is verified every run with a conditional
request; ``lastmod`` only orders the work. With ``trust_lastmod = "audited"`` a page may be
skipped when its ``lastmod`` is the value stored at its last fetch (never compared with our
clock), but only on a site whose ``lastmod`` has passed :data:`CLEAN_AUDITS` audited runs in a
row; every run verifies a seeded random sample of the pages it would skip, and one page whose
content changed while its ``lastmod`` did not makes the site untrusted again.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pipeline.model import AuditFailure
from pipeline.normalize.dates import parse_w3c_datetime

__all__ = ["AuditFailure", "Trust", "audit_sample", "maybe_changed"]

TrustMode = Literal["off", "audited"]
TRUST_MODES: tuple[TrustMode, ...] = ("off", "audited")
CLEAN_AUDITS = 3  # audited runs in a row without a failure before lastmod may skip pages
AUDIT_SHARE = 0.05  # of the pages a trusted run would skip, at least this share is verified
AUDIT_MIN = 10  # and at least this many


def maybe_changed(new: str | None, stored: str | None, fetched_at: datetime | None) -> bool:
    """Whether a page may have changed since its last fetch, by its sitemap ``lastmod``.

    Only an unchanged value says "unchanged": a missing, unreadable or different value says
    "maybe", and so does a date-only value on or after the day of the last fetch (a page edited
    later that day keeps that day's date).
    """
    if not new or not stored or fetched_at is None:
        return True
    if new.strip() != stored.strip():
        return True
    moment = parse_w3c_datetime(new)
    if moment is None:
        return True
    return len(new.strip()) <= 10 and moment.date() >= fetched_at.date()


def audit_sample(keys: Iterable[str], seed: int) -> frozenset[str]:
    """The pages of ``keys`` a trusted run verifies anyway: a seeded random sample of at least
    :data:`AUDIT_SHARE` of them and at least :data:`AUDIT_MIN` (all of them when fewer)."""
    ordered = sorted(set(keys))
    size = min(len(ordered), max(AUDIT_MIN, math.ceil(AUDIT_SHARE * len(ordered))))
    return frozenset(random.Random(seed).sample(ordered, size))


@dataclass(frozen=True, slots=True)
class Trust:
    """A site's standing for lastmod skipping, as of the start of a run."""

    clean_audits: int = 0  # audited runs in a row without a failure

    @property
    def trusted(self) -> bool:
        return self.clean_audits >= CLEAN_AUDITS

    def after(self, audited: int, failures: int) -> Trust:
        """The standing after a run that audited ``audited`` pages and found ``failures``."""
        if failures:
            return Trust(0)
        return Trust(self.clean_audits + 1) if audited else self

    @property
    def label(self) -> str:
        if self.trusted:
            return "trusted"
        return f"earning ({self.clean_audits}/{CLEAN_AUDITS} clean audits)"
