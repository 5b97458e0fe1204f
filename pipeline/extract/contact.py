"""The project's own contact block.

Found by its heading ("Kontakt, Öffnungszeiten und Anfahrt", "Kontakt", "Contact"), else by an
``<address>`` element, else by a window of contact labels around a person or postal-code line.
The site footer never qualifies: it has no heading, no address element, and no person line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from pipeline.extract.lines import Line, Link
from pipeline.extract.vocabulary import Lexicon
from pipeline.labels import CONTACT_FIELDS
from pipeline.normalize.emails import emails_from_link, find_emails
from pipeline.normalize.phones import split_phones, to_e164

MAX_BLOCK_LINES = 45
_HEADING_LINE = re.compile(
    r"^(?:kontakt|contact)(?:\s*[,&]\s*.+|\s+(?:und|and|&)\s+.+)?\s*:?$", re.IGNORECASE
)
_PERSON_SPLIT = re.compile(r"\s*,\s*|\s+(?:und|and|sowie|&)\s+")
_BLOCK_STOP_FIELDS = frozenset(
    {"status", "period", "funders", "related", "focus_areas", "services"}
)


@dataclass(slots=True)
class ContactData:
    organization: str | None = None
    unit: str | None = None
    division: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    persons: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    fax: str | None = None
    emails: list[str] = field(default_factory=list)
    website: str | None = None
    locations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def is_empty(self) -> bool:
        return not any(self.as_dict().values())


@dataclass(frozen=True, slots=True)
class ContactBlock:
    start: int  # first line of the block (its heading, if any)
    end: int  # first line after the block
    data: ContactData


def _is_contact_heading(line: Line, lex: Lexicon) -> bool:
    if line.kind == "h":
        return bool(lex.contact_headings.match(line.text))
    return (
        line.kind in ("p", "dt", "th")
        and len(line.text) < 60
        and bool(_HEADING_LINE.match(line.text))
    )


def _contact_list(lines: list[Line], index: int, lex: Lexicon) -> bool:
    """Whether the list starting at ``index`` holds contact lines (labels, address, location)."""
    top = lines[index].top_list
    for line in lines[index:]:
        if line.top_list != top:
            return False
        hit = lex.match_label(line.text)
        if (
            (hit and hit.field in ("persons", "phones", "fax", "emails", "address"))
            or lex.postal_line.match(line.text)
            or lex.location_line.match(line.text)
        ):
            return True
    return False


def _block_end(lines: list[Line], start: int, heading: Line | None, lex: Lexicon) -> int:
    aside = lines[start].aside if heading is None else heading.aside
    index = start
    while index < len(lines) and index - start < MAX_BLOCK_LINES:
        line = lines[index]
        if line.aside != aside:
            break
        if lex.contact_end.match(line.text):
            return index + 1
        outer_heading = heading is None or heading.kind != "h" or line.level <= heading.level
        if line.kind == "h" and not lex.contact_subheadings.match(line.text) and outer_heading:
            break
        hit = lex.match_label(line.text)
        if hit and hit.field in _BLOCK_STOP_FIELDS:
            break
        if lex.division_link.match(line.text):
            break
        if (
            line.kind == "li"
            and (index == start or lines[index - 1].top_list != line.top_list)
            and not _contact_list(lines, index, lex)
        ):
            break
        index += 1
    return index


def find_contact_block(
    lines: list[Line], taken: list[bool], lex: Lexicon
) -> tuple[int, int] | None:
    """The line range of the contact block, or None."""
    for i, line in enumerate(lines):
        if not taken[i] and _is_contact_heading(line, lex):
            return i, _block_end(lines, i + 1, line, lex)
    address = [i for i, line in enumerate(lines) if line.address and not taken[i]]
    if address:
        first = address[0]
        last = first
        while last + 1 < len(lines) and lines[last + 1].address:
            last += 1
        return first, last + 1
    return _window_block(lines, taken, lex)


def _window_block(lines: list[Line], taken: list[bool], lex: Lexicon) -> tuple[int, int] | None:
    """No heading, no <address>: a person or postal line with contact labels near it."""
    for i, line in enumerate(lines):
        if taken[i]:
            continue
        hit = lex.match_label(line.text)
        if not ((hit and hit.field == "persons") or lex.postal_line.match(line.text)):
            continue
        start = i
        while (
            start > 0
            and i - start < 4
            and not taken[start - 1]
            and lines[start - 1].kind != "h"
            and not lex.match_label(lines[start - 1].text)
            and len(lines[start - 1].text) < 80
        ):
            start -= 1
        end = _block_end(lines, i, None, lex)
        labels = {h.field for h in (lex.match_label(x.text) for x in lines[start:end]) if h}
        if len(labels & {"persons", "phones", "emails", "fax"}) >= 2 or (
            lex.postal_line.match(line.text) and labels & {"phones", "emails"}
        ):
            return start, end
    return None


def _add_unique(target: list[str], values: list[str]) -> None:
    for value in values:
        if value and value not in target:
            target.append(value)


def _set_address(data: ContactData, lines: list[str], lex: Lexicon) -> None:
    head = list(lines)
    postal = next((i for i, text in enumerate(head) if lex.postal_line.match(text)), None)
    if postal is not None:
        match = lex.postal_line.match(head[postal])
        assert match is not None
        data.postal_code, data.city = match["code"], match["city"].strip()
        head = head[:postal]
        if len(head) >= 2 or (head and lex.street_line.match(head[-1])):
            data.street = head.pop()
    else:
        street = next(
            (i for i, text in enumerate(head) if i > 0 and lex.street_line.match(text)), None
        )
        if street is not None:
            data.street = head.pop(street)
    if head:
        data.organization = head[0]
    if len(head) > 1:
        unit = lex.division_unit.match(head[1])
        if unit:
            data.division = unit["name"].strip()
        else:
            data.unit = head[1]


def read_contact(lines: list[Line], lex: Lexicon) -> ContactData:
    """Read the fields of a contact block's lines."""
    data = ContactData()
    address: list[str] = []
    current: str | None = None  # the label whose value continues on the next lines
    skipping = False  # inside opening hours or transit directions
    seen_label = False
    other_links: list[Link] = []  # links outside e-mail lines (a person's mailto link ...)
    for line in lines:
        text = line.text
        if (
            lex.contact_end.match(text)
            or lex.closed_notice.match(text)
            or _is_contact_heading(line, lex)
        ):
            current = None
            continue
        if lex.contact_subheadings.match(text):
            skipping, current = True, None
            continue
        hit = lex.match_label(text)
        if hit is not None and hit.field in CONTACT_FIELDS:
            skipping, seen_label = False, True
            current = None if hit.value else hit.field
            _take(data, hit.field, hit.value, line, address, lex)
            if hit.field != "emails":
                other_links.extend(line.links)
            continue
        if lex.location_line.match(text):
            _add_unique(data.locations, [text])
            current = None
            continue
        if skipping:
            continue
        if current is not None:
            _take(data, current, text, line, address, lex)
            if current != "emails":
                other_links.extend(line.links)
            continue
        other_links.extend(line.links)
        if not seen_label and line.kind not in ("h", "img"):
            address.append(text)
    _set_address(data, address, lex)
    for link in other_links:
        _add_unique(data.emails, emails_from_link(link.href, link.token))
    return data


def _take(
    data: ContactData, field_name: str, value: str, line: Line, address: list[str], lex: Lexicon
) -> None:
    if field_name == "persons":
        _add_unique(data.persons, [p.strip() for p in _PERSON_SPLIT.split(value) if p.strip()])
    elif field_name == "phones":
        _add_unique(data.phones, split_phones(value, lex.calling_code))
    elif field_name == "fax":
        if data.fax is None:
            data.fax = to_e164(value, lex.calling_code) if value else None
    elif field_name == "emails":
        _add_unique(data.emails, find_emails(value))
        for link in line.links:
            _add_unique(data.emails, emails_from_link(link.href, link.token))
    elif field_name == "website":
        if data.website is None:
            written = value or next((link.text or link.href for link in line.links), None)
            data.website = written or None
    elif field_name == "address" and value:
        address.append(value)
