"""The project's own contact block.

Found by its heading ("Kontakt, Öffnungszeiten und Anfahrt", "Kontakt", "Contact"), else by an
``<address>`` element, else by a window of contact labels around a person or postal-code line.
The site footer never qualifies: it has no heading, no address element, and no person line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter

from pipeline.extract.lines import Line, Link
from pipeline.extract.vocabulary import (
    AWAY_BLOCK_STOP,
    AWAY_CLOSED,
    AWAY_CONTACT_END,
    AWAY_CONTACT_HEADINGS,
    AWAY_DIVISION_LINK,
    AWAY_GRANTEE,
    AWAY_HEADING_LINE,
    AWAY_LABEL,
    AWAY_LOCATION,
    AWAY_SUBHEADINGS,
    CONTACT_HEADING_LINE,
    LabelHit,
    Lexicon,
)
from pipeline.labels import CONTACT_FIELDS, NAME_CONJUNCTIONS, SOFT_GRANTEE_LABELS
from pipeline.normalize.emails import emails_from_link, find_emails
from pipeline.normalize.phones import split_phones, to_e164

MAX_BLOCK_LINES = 45
MAX_VALUE_LINES = 12  # how far back the label of a fact row's value may stand
GRANTEE_LINES = 12  # how far before the contact heading the grantee's label may stand
PARTNER_CARD_LINES = 8  # how far under a partner's label its card's contact label may stand
_HEADING_LINE = CONTACT_HEADING_LINE
# Line.away's bits of the patterns each quick test stands for: a line is turned away by a
# group when every pattern of it turns the line away.
_AWAY_HEADING = AWAY_CONTACT_HEADINGS | AWAY_HEADING_LINE  # what _is_contact_heading tries
_AWAY_MARK = AWAY_CONTACT_END | AWAY_CLOSED | _AWAY_HEADING | AWAY_SUBHEADINGS  # _is_marker
_AWAY_STOP = AWAY_CONTACT_END | AWAY_BLOCK_STOP | AWAY_DIVISION_LINK  # _block_end's ends
_PERSON_SPLIT = re.compile(r"\s*,\s*|\s+(?:und|and|sowie|&)\s+")
# "Bewerbungsfrist: 15.01.2025": a line labelled with a word we do not know, never an address.
_OTHER_LABEL = re.compile(r"^[^:\d]{2,40}:\s")
# "Rund 80 % der Pflege leisten Angehörige.": a sentence of running text, never an address line.
_RUNNING_TEXT = re.compile(r"^(?:\S+\s+){4,}[^\W\d_]{4,}[.!?]$")
_SENTENCE_ENDS = (".", "!", "?", ".\n", "!\n", "?\n")  # where a match of _RUNNING_TEXT ends
_LEAD_WORDS = re.compile(r"^[^\d+(]+")
# Six digits, a few separators apart. (Written to open with the digit: the regex engine then
# skips to a text's digits at once, where "(?:\d[^\d\n]{0,3}){6}" tried every position.
# Whether a text holds one is all that is asked.)
_PHONE_LIKE = re.compile(r"\d(?:[^\d\n]{0,3}\d){5}")
_LETTER = re.compile(r"[^\W\d_]")
_EMAIL_FORM = re.compile(r"@|\[at\]|\(at\)")
_NOT_IN_ROLE = re.compile(r"[\d@/]")  # a number, an address: never a role in brackets
_BLOCK_STOP_FIELDS = frozenset(
    {
        *("status", "period", "funders", "related", "focus_areas", "services"),
        *("target_groups", "grant_amount"),
    }
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
        return dict(zip(_DATA_FIELDS, _data_values(self), strict=True))

    def is_empty(self) -> bool:
        return not any(_data_values(self))


_DATA_FIELDS = tuple(f.name for f in fields(ContactData))
_data_values = attrgetter(*_DATA_FIELDS)  # (the fields' values in their order, as a tuple)


@dataclass(frozen=True, slots=True)
class ContactBlock:
    start: int  # first line of the block (its heading, if any)
    end: int  # first line after the block
    data: ContactData


def column_header(lines: list[Line], i: int) -> bool:
    """Whether a table's header cell heads a column (a row of header cells over the data
    rows: "Jahr | Projekt | Träger"), not a row: its value is in no line after it."""
    line = lines[i]
    if line.kind != "th" or line.row < 0:
        return False
    return (i + 1 < len(lines) and lines[i + 1].kind == "th" and lines[i + 1].row == line.row) or (
        i > 0 and lines[i - 1].kind == "th" and lines[i - 1].row == line.row
    )


_HEADING_KINDS = frozenset({"h", "p", "dt", "th"})  # the lines that may head the contact


def _is_contact_heading(line: Line, lex: Lexicon) -> bool:
    # (each pattern behind its quick test: Line.away)
    if line.kind == "h":
        return not line.away & AWAY_CONTACT_HEADINGS and bool(lex.contact_headings.match(line.text))
    return (
        line.kind in ("p", "dt", "th")
        and not line.away & AWAY_HEADING_LINE
        and len(line.text) < 60
        and bool(_HEADING_LINE.match(line.text))
    )


def _contact_list(lines: list[Line], index: int, lex: Lexicon) -> bool:
    """Whether the list starting at ``index`` holds contact lines (labels, address, location,
    a phone number or an e-mail address)."""
    top = lines[index].top_list
    for line in lines[index:]:
        if line.top_list != top:
            return False
        hit = lex.match_label(line.text)
        if (
            (hit and hit.field in ("persons", "phones", "fax", "emails", "address"))
            or lex.postal_line.match(line.text)
            or lex.location_line.match(line.text)
            or _contact_form(line.text)  # a person card's phone and e-mail links
        ):
            return True
    return False


def _contact_part(line: Line, lex: Lexicon) -> bool:
    """A heading inside the contact block: the contact person's, or the grantee's."""
    if _is_contact_heading(line, lex):
        return True
    hit = lex.match_label(line.text)
    return hit is not None and not hit.value and hit.field in ("persons", "grantee", "unit")


def _block_end(lines: list[Line], start: int, heading: Line | None, lex: Lexicon) -> int:
    aside = lines[start].aside if heading is None else heading.aside
    # A block that starts in a table row (a fact table's contact row) ends where the table
    # does: rows are numbered in document order, so a line of an earlier row is outside it.
    row = lines[start].row if heading is None else heading.row
    index = start
    while index < len(lines) and index - start < MAX_BLOCK_LINES:
        line = lines[index]
        if line.aside != aside or line.row < row:
            break
        stop = line.away & _AWAY_STOP != _AWAY_STOP  # (most lines: no end, stop or division)
        if stop and lex.contact_end.match(line.text):
            return index + 1
        if (
            (
                line.kind == "h"
                or (line.kind == "dt" and heading is not None and heading.kind == "dt")
            )
            and not (index == start and _card_title(heading, lex))
            and not lex.contact_subheadings.match(line.text)
            and _outer_heading(lines, start, index, heading)
            and not _contact_part(line, lex)
        ):
            break
        hit = None if line.away & AWAY_LABEL else lex.match_label(line.text)
        if hit and (
            hit.field in _BLOCK_STOP_FIELDS
            or (hit.field == "partners" and not _card_under(lines, index, lex, person=True))
        ):
            break  # another fact's row (a partner's label over its card is the grantee's)
        if index > start and line.text.endswith("?") and _call_to_action(line.text):
            break
        if stop and index > start and lex.block_stop.match(line.text):
            # a post's navigation, share or print links after the block; "Ihre Ansprechperson
            # bei der Stiftung": the funder's own staff, a box apart
            break
        if stop and lex.division_link.match(line.text):
            break
        if (
            line.kind == "li"
            and (index == start or lines[index - 1].top_list != line.top_list)
            and not _contact_list(lines, index, lex)
        ):
            break
        index += 1
    return index


def _outer_heading(lines: list[Line], start: int, index: int, heading: Line | None) -> bool:
    """Whether the heading at ``index`` stands outside the block opened by ``heading`` at
    ``start``: not under a heading of a higher rank, or a box of its own after the contact's
    phone, mail or web lines ("Baumpatenschaft")."""
    return (
        heading is None
        or heading.kind != "h"
        or lines[index].level <= heading.level
        or any(_contact_form(lines[k].text) for k in range(start, index))
    )


def _card_title(label: Line | None, lex: Lexicon) -> bool:
    """Whether a heading right under ``label`` is a card's title: under a grantee's label that
    is no heading itself (a card's eyebrow, "Projektträger" over "Verein X e.V."), the heading
    names the organization."""
    if label is None or label.kind == "h":
        return False
    hit = lex.match_label(label.text)
    return hit is not None and hit.field == "grantee" and not hit.value


def _other_label(text: str) -> bool:
    """A line labelled with a word we do not know ("Bewerbungsfrist: 15.01.2025")."""
    return ":" in text and _OTHER_LABEL.match(text) is not None  # (most lines: no colon)


def _running_text(text: str) -> bool:
    """A sentence of running text ("Rund 80 % der Pflege leisten Angehörige.")."""
    # (most lines end in no sentence's end: its "$" stands at the end or before a last "\n")
    return text.endswith(_SENTENCE_ENDS) and _RUNNING_TEXT.match(text) is not None


def _call_to_action(text: str) -> bool:
    """A question to the reader ("Sie haben selbst eine Idee?", "Got a project idea of your
    own?"): a box of the site's own after the contact, never more of it."""
    return text.endswith("?") and text.count(" ") >= 3 and not _contact_form(text)


def _is_grantee_label(lines: list[Line], i: int, lex: Lexicon) -> bool:
    """A line naming the organization that runs the project ("Projektträger", "Trägerschaft"),
    or a partner's label over an organization's card (its address, then a contact person)."""
    line = lines[i]
    if len(line.text) > 120 or not lex.maybe_grantee(line.text):
        return False
    hit = lex.match_label(line.text)
    if hit is None:
        return False
    if hit.field == "grantee":
        return hit.label not in _SOFT_GRANTEE or _card_under(lines, i, lex, person=False)
    return hit.field == "partners" and not hit.value and _card_under(lines, i, lex, person=True)


_SOFT_GRANTEE = frozenset(label.lower() for label in SOFT_GRANTEE_LABELS)


def _card_under(lines: list[Line], i: int, lex: Lexicon, person: bool) -> bool:
    """Whether the lines under a label ("Umsetzung", "Projektpartner") are one organization's
    card: a postcode line (and, when ``person``, a contact person's label after it) before any
    heading, list or other fact's label."""
    postal = False
    first = i + 1
    if first < len(lines) and lines[first].kind == "h" and _card_title(lines[i], lex):
        first += 1  # the card's title: the organization's name as a heading
    for line in lines[first : i + 1 + PARTNER_CARD_LINES]:
        if line.kind == "h" or (line.kind == "li" and line.top_list != lines[i].top_list):
            return False  # (a label in a list, an accordion's: its card's lines are items)
        postal = postal or lex.postal_line.match(line.text) is not None
        if postal and not person:
            return True
        hit = lex.match_label(line.text)
        if hit is not None:
            return postal and hit.field == "persons"
    return False


def find_contact_blocks(
    lines: list[Line], taken: list[bool], lex: Lexicon
) -> tuple[tuple[int, int], ...]:
    """The line ranges of the contact block (none, one, or the grantee's and its contact
    person's): from its heading, or from the grantee's label when that comes first (a
    grant-maker's page: the grantee, then its contact person). A grantee's fact row that ends
    before the contact heading (other facts' rows after it) is read with the heading's block."""
    heading = _first_heading(lines, taken, lex)
    # The grantee's label opens the block when it stands before the contact heading (near it,
    # or farther up with its address under it: a fact row), or when there is no heading.
    near = 0 if heading is None else max(0, heading - GRANTEE_LINES)
    for i in range(len(lines) if heading is None else heading):
        if (
            not lines[i].away & AWAY_GRANTEE  # (a quick test first: most lines are no label)
            and not taken[i]
            and _is_grantee_label(lines, i, lex)
            and not column_header(lines, i)
            and (i >= near or _card_under(lines, i, lex, person=False))
        ):
            end = _block_end(lines, i + 1, lines[i], lex)
            if heading is None or end > heading:
                return ((i, end),)
            return (i, end), (heading, _block_end(lines, heading + 1, lines[heading], lex))
    found = _one_block(lines, taken, heading, lex)
    return () if found is None else (found,)


def _first_heading(lines: list[Line], taken: list[bool], lex: Lexicon) -> int | None:
    """The first contact heading not yet taken that heads no table column."""
    for i, line in enumerate(lines):
        if (
            line.kind in _HEADING_KINDS
            and line.away & _AWAY_HEADING != _AWAY_HEADING  # (most lines: no contact heading)
            and not taken[i]
            and _is_contact_heading(line, lex)
            and not column_header(lines, i)
            # (the foundation's own staff, "Ihr Ansprechpartner bei der Stiftung": no grantee)
            and not lex.own_contact.match(line.text)
        ):
            return i
    return None


def _one_block(
    lines: list[Line], taken: list[bool], heading: int | None, lex: Lexicon
) -> tuple[int, int] | None:
    """The contact block without a grantee's label before it."""
    if heading is not None:
        start = _address_before(lines, taken, heading)
        return start, _block_end(lines, start + 1, lines[start], lex)
    address = [i for i, line in enumerate(lines) if line.address and not taken[i]]
    if address:
        first = address[0]
        last = first
        while last + 1 < len(lines) and lines[last + 1].address:
            last += 1
        return first, last + 1
    return _window_block(lines, taken, lex)


def _address_before(lines: list[Line], taken: list[bool], heading: int) -> int:
    """Where a contact block starts whose heading has an ``<address>`` shortly before it (the
    grantee's card, then its contact person's): at the heading over that address, else at
    the organization's line right before it; without such an address, at the heading."""
    first = max(0, heading - GRANTEE_LINES)
    found = next((j for j in range(heading - 1, first - 1, -1) if lines[j].address), None)
    if found is None or taken[found]:
        return heading
    while found > first and lines[found - 1].address:
        found -= 1
    start = found
    for k in range(found - 1, max(-1, found - 4), -1):
        if taken[k]:
            break
        if lines[k].kind == "h":
            return k
        if lines[k].kind != "p" or len(lines[k].text) > 80:
            break
        start = k  # the organization's lines over its address (its name, a department)
    return start


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
            and not _other_label(lines[start - 1].text)
            and not _running_text(lines[start - 1].text)
        ):
            start -= 1
        start = _after_label_value(lines, taken, start, i, lex)
        end = _block_end(lines, i, None, lex)
        labels = {h.field for h in (lex.match_label(x.text) for x in lines[start:end]) if h}
        if len(labels & {"persons", "phones", "emails", "fax"}) >= 2 or (
            lex.postal_line.match(line.text) and labels & {"phones", "emails"}
        ):
            return start, end
    return None


def _after_label_value(
    lines: list[Line], taken: list[bool], start: int, index: int, lex: Lexicon
) -> int:
    """Where a window block may start: never inside the value of the fact row before it (a
    list of services, a period under its label) -- those lines are that label's, not an
    address."""
    if start == index:
        return start
    for j in range(start - 1, max(-1, start - 1 - MAX_VALUE_LINES), -1):
        line = lines[j]
        if taken[j] or line.kind == "h":
            return start
        hit = lex.match_label(line.text)
        if hit is not None:
            # A label without its value on its line owns the lines after it: its value.
            owns = not hit.value and hit.field not in CONTACT_FIELDS
            return index if owns else start
    return start


def _add_unique(target: list[str], values: list[str]) -> None:
    for value in values:
        if value and value not in target:
            target.append(value)


def _set_address(data: ContactData, lines: list[str], lex: Lexicon) -> None:
    head = list(lines)
    postal, match = next(
        ((i, found) for i, text in enumerate(head) if (found := lex.postal_line.match(text))),
        (None, None),
    )
    if postal is not None and match is not None:
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
    if (
        postal is None
        and data.street is None
        and head
        and (first := person_with_role(head[0], lex))
    ):
        # No address: a person's name first (with its role: "Eva Roth, Referentin") is the
        # contact person, never the organization.
        head.pop(0)
        _add_unique(data.persons, [first])
        head = [t for t in head if not lex.is_role(t)]
    if head:
        data.organization = head[0]
    if len(head) > 1:
        unit = lex.division_unit.match(head[1])
        if unit:
            data.division = unit["name"].strip()
        else:
            data.unit = head[1]


def _set_grantee(data: ContactData, lines: list[str], lex: Lexicon) -> None:
    """The grantee's lines, each read by its form: postcode and city, street and number, a
    department, a country; the first other line is the organization."""
    rest: list[str] = []
    for text in lines:
        if (match := lex.postal_line.match(text)) and data.postal_code is None:
            data.postal_code, data.city = match["code"], match["city"].strip()
        elif lex.street_line.match(text) and data.street is None and rest:
            data.street = text
        elif lex.department_line.match(text) and data.unit is None:
            data.unit = text
        elif rest and lex.salutation.match(text) and lex.is_person(text):
            _add_unique(data.persons, [text])  # "Frau Birgit Schulze": the contact person
        elif data.postal_code is not None and (person := person_with_role(text, lex)):
            _add_unique(data.persons, [person])  # after the address: its contact person
        elif ": " in text and (persons := _role_lead_persons(text, lex)):
            _add_unique(data.persons, persons)  # "Co-Leitung: Eva Roth und Jan Sax", anywhere
        elif not (lex.country_line.match(text) or _role_only(text, lex)):
            rest.append(text)
    if rest:
        data.organization = rest[0]
    if len(rest) > 1 and data.unit is None:
        data.unit = rest[1]


def _role_lead_persons(text: str, lex: Lexicon) -> list[str]:
    """The persons a line names after their role and a colon ("Künstlerische Leitung: Eva Roth
    und Jan Sax"), or none: the role must read as one and every name as a person's."""
    role, _colon, names = text.partition(": ")
    if not lex.is_role(role):
        return []
    persons = [name for name in _PERSON_SPLIT.split(names) if name]
    return persons if persons and all(lex.is_person(name) for name in persons) else []


def _role_only(text: str, lex: Lexicon) -> bool:
    """A role's line ("Projektleitung"), not an organization's whose name ends like one
    ("Wegbegleiter Erlangen e.V.")."""
    return lex.is_role(text) and lex.organization_word.search(text) is None


@dataclass(slots=True)
class _Reading:
    """Where the reader is in a contact block."""

    current: str | None = None  # the label whose value continues on the next lines
    skipping: bool = False  # inside opening hours or transit directions
    seen_label: bool = False
    part: str = "address"  # address (before any label), grantee, persons
    values: int = 0  # lines taken for the current label
    address: list[str] = field(default_factory=list)
    grantee: list[str] = field(default_factory=list)
    other_links: list[Link] = field(default_factory=list)  # links outside e-mail lines
    run: list[str] = field(default_factory=list)  # the lines after a person's name
    postal: bool = False  # whether a postcode line is among the address lines read so far
    postal_read: int = 0  # how many of the address lines were looked at for it


def _address_has_postal(state: _Reading, lex: Lexicon) -> bool:
    """Whether a postcode line is among the block's address lines so far (each line looked at
    once: the address lines are only ever added to)."""
    if not state.postal:
        address = state.address
        state.postal = any(lex.postal_line.match(t) for t in address[state.postal_read :])
        state.postal_read = len(address)
    return state.postal


_PERSON_PAIR = re.compile(rf"\s+(?:{'|'.join(map(re.escape, NAME_CONJUNCTIONS))})\s+")
_JOINS = (", ", *(f" {word} " if word.isalpha() else word for word in NAME_CONJUNCTIONS))


def _unjoined(lines: list[Line], lex: Lexicon) -> list[Line]:
    """The block's lines as a reader takes them: a line that joins an address with commas
    ("Verein X e. V., Lindenstraße 4, 12345 Stadt") is the lines it joins, and so are a
    person's name with a role after a comma ("Eva Roth, Ehrenamtliche Leitung") and two persons'
    names joined by a conjunction ("Eva Roth und Ida Kern")."""
    out: list[Line] = []
    changed = False
    for line in lines:
        text = line.text
        if (
            line.links
            or ":" in text  # (a labelled line: read by its label)
            or not any(join in text for join in _JOINS)
        ):
            out.append(line)  # (most lines: nothing joined)
            continue
        parts = text.split(", ") if ", " in text else ()
        address = len(parts) >= 2 and lex.postal_line.match(parts[-1]) is not None
        # (is_person first: it fails fast on an organization's line, and excludes a role)
        person = len(parts) == 2 and lex.is_person(parts[0]) and lex.is_role(parts[1])
        pair = _PERSON_PAIR.split(text) if not parts else ()
        if address or person:
            out.extend(replace(line, text=part, away=0) for part in parts)
            changed = True
        elif len(pair) == 2 and all(lex.is_person(p) for p in pair):
            out.extend(replace(line, text=part, away=0) for part in pair)  # "Eva Roth und Ida Kern"
            changed = True
        else:
            out.append(line)
    return _person_first(out if changed else lines, lex)


def _person_first(lines: list[Line], lex: Lexicon) -> list[Line]:
    """A card that opens with its person ("Eva Roth", her role, then the organization and its
    address) reads as one naming her after the address: the organization is the card's first
    line then, as on a card that opens with it."""
    first = next((k for k, line in enumerate(lines) if line.kind != "h"), None)
    if first is None or first + 2 >= len(lines):
        return lines
    person, role = lines[first], lines[first + 1]
    if not (lex.is_person(person.text) and lex.is_role(role.text)):
        return lines
    postal = next(
        (k for k in range(first + 2, len(lines)) if lex.postal_line.match(lines[k].text)), None
    )
    if postal is None:
        return lines
    return [*lines[:first], *lines[first + 2 : postal + 1], person, role, *lines[postal + 1 :]]


def read_contact(lines: list[Line], lex: Lexicon) -> ContactData:
    """Read the fields of a contact block's lines; a block that gives no person or no postcode
    so is read again as the lines its joined lines join (see :func:`_unjoined`)."""
    data = _read_lines(lines, lex)
    if data.persons and data.postal_code:
        return data  # (most blocks: nothing more to look for)
    unjoined = _unjoined(lines, lex)
    return data if unjoined is lines else _read_lines(unjoined, lex)


def _read_lines(lines: list[Line], lex: Lexicon) -> ContactData:
    data = ContactData()
    state = _Reading()
    for index, line in enumerate(lines):
        text = line.text
        if line.away & _AWAY_MARK != _AWAY_MARK and _is_marker(line, state, lex):
            _close_run(data, state, lex)
            continue
        hit = None if line.away & AWAY_LABEL else lex.match_label(text)
        if index == 0 and hit is not None and hit.field == "partners" and not hit.value:
            hit = LabelHit("grantee", hit.label, "", False)  # a partner's card opens the block
        if hit is not None and hit.field in CONTACT_FIELDS:
            _close_run(data, state, lex)
            _read_contact_label(data, state, hit.field, hit.value, line, lex)
            continue
        if not line.away & AWAY_LOCATION and lex.location_line.match(text):
            _close_run(data, state, lex)
            _add_unique(data.locations, [text])
            state.current = None
            continue
        if state.skipping:
            continue
        if state.current == "persons" and _joins_run(text, state, lex):
            state.values += 1
            state.run.append(text)
            state.other_links.extend(line.links)
            continue
        if state.current is not None and not _other_form(state.current, text, state, lex):
            state.values += 1
            _take(data, state.current, text, line, state.address, lex)
            if state.current != "emails":
                state.other_links.extend(line.links)
            continue
        state.other_links.extend(line.links)
        _unlabelled_line(data, state, line, lex)
    _finish(data, state, lex)
    return data


def _finish(data: ContactData, state: _Reading, lex: Lexicon) -> None:
    """What the block's last lines leave: the address, the links' e-mail addresses, and the
    persons' names without a salutation ("Frau Birgit Schulze" is Birgit Schulze)."""
    _close_run(data, state, lex)
    if state.grantee:
        _set_grantee(data, [*state.grantee, *state.address], lex)
    else:
        _set_address(data, state.address, lex)
    for link in state.other_links:
        _add_unique(data.emails, emails_from_link(link.href, link.token))
    data.persons = list(dict.fromkeys(lex.without_salutation(p) for p in data.persons))


def _unlabelled_line(data: ContactData, state: _Reading, line: Line, lex: Lexicon) -> None:
    if _web_address(line):
        data.website = data.website or line.text
    elif _link_button(line) or _download(line):
        return  # "Send an email": the address is its link's; "Antragsformular (PDF)": a file
    elif line.kind == "img" or (line.kind == "h" and not _grantee_title(state)):
        return
    else:
        _unlabelled(data, state, line.text, lex)


def _grantee_title(state: _Reading) -> bool:
    """Whether a heading is the grantee card's title: the first line after the grantee's
    label, before any other of its lines."""
    return state.part == "grantee" and not state.grantee and not state.address


def _link_button(line: Line) -> bool:
    """A line that is one mailto: or tel: link whose text is no address ("Email Siobhan")."""
    if len(line.links) != 1 or _contact_form(line.text):
        return False
    return (line.links[0].href or "").lower().startswith(("mailto:", "tel:"))


def _download(line: Line) -> bool:
    """A line that is one link to a document file (a form, a flyer): never a contact line."""
    if len(line.links) != 1:
        return False
    path = (line.links[0].href or "").lower().partition("?")[0].partition("#")[0]
    return path.endswith(_DOCUMENT_FILES)


_DOCUMENT_FILES = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".zip")


def _web_address(line: Line) -> bool:
    """A line that is one web link written as its domain ("klimaklassen.berlin")."""
    if len(line.links) != 1 or " " in line.text or "." not in line.text:
        return False
    href = (line.links[0].href or "").lower()
    return href.startswith(("http://", "https://")) and line.text.lower().strip("/") in href


def _contact_form(text: str) -> bool:
    """An e-mail address, a web address or a phone number: read by its form wherever it is."""
    return (
        "@" in text
        or "[at]" in text
        or "(at)" in text
        or text.lower().startswith(("www.", "http://", "https://"))
        or _PHONE_LIKE.search(text) is not None
    )


def _joins_run(text: str, state: _Reading, lex: Lexicon) -> bool:
    """Whether a line under a person label is read with the lines after the name (the role,
    the organization, its department, its address) rather than as a name written as is.

    The first line is the person's, unless it has an organization's form ("Verein X",
    "...-Zentrum Y"): the person label's value is then the organization's address block."""
    if _contact_form(text) or (state.grantee and state.part == "persons"):
        return False
    if state.values == 0:
        return lex.organization_word.search(text) is not None
    return True


def _close_run(data: ContactData, state: _Reading, lex: Lexicon) -> None:
    """Read the lines after a person's name by their form, not their order: roles drop out;
    street and postcode lines are the address; of the lines before the street, the one with
    an organization's form (else the one right before the street) is the organization, the
    line after it its department; person-shaped lines before it are more persons."""
    run, state.run = state.run, []
    if not run:
        return
    street = next(
        (k for k, t in enumerate(run) if lex.postal_line.match(t) or lex.street_line.match(t)),
        None,
    )
    head = [t for t in run[:street] if not (lex.is_role(t) or lex.country_line.match(t))]
    for text in run[len(run) if street is None else street :]:
        if lex.postal_line.match(text) or lex.street_line.match(text):
            state.address.append(text)
        elif not lex.country_line.match(text):
            _unlabelled(data, state, text, lex)
    org = next((k for k, t in enumerate(head) if lex.organization_word.search(t)), None)
    if org is None and street is not None and head:
        org = len(head) - 1
        if org > 0 and lex.department_line.match(head[org]):
            org -= 1
    names = head if org is None else head[:org]
    for name in names:
        if lex.is_person(name):
            _take_persons(data, name, Line(name, "p"), state.address, lex)
    if org is None:
        unit = next((t for t in head if lex.department_line.match(t)), None)
    else:
        data.organization = data.organization or head[org]
        unit = head[org + 1] if org + 1 < len(head) else None
    if unit is not None:
        division = lex.division_unit.match(unit)
        if division:
            data.division = data.division or division["name"].strip()
        else:
            data.unit = data.unit or unit


def _is_marker(line: Line, state: _Reading, lex: Lexicon) -> bool:
    """The block's own headings and end lines: they change where the reader is, no field."""
    text, away = line.text, line.away  # (each pattern behind its quick test: Line.away)
    if (not away & AWAY_CONTACT_END and lex.contact_end.match(text)) or (
        not away & AWAY_CLOSED and lex.closed_notice.match(text)
    ):
        state.current = None
        return True
    if _is_contact_heading(line, lex):
        state.current = None
        if state.grantee:
            state.part = "persons"
        return True
    if not away & AWAY_SUBHEADINGS and lex.contact_subheadings.match(text):
        state.skipping, state.current = True, None
        return True
    return False


def _read_contact_label(
    data: ContactData, state: _Reading, name: str, value: str, line: Line, lex: Lexicon
) -> None:
    # "Ansprechperson: Eva Roth" as the card's first line: the organization's card follows,
    # read as if the person's line were not there.
    lead = name == "persons" and bool(value) and _nothing_read(data, state)
    state.skipping, state.current = False, None
    state.seen_label = state.seen_label or not lead
    if name == "grantee":
        state.part = "grantee"
        if value:  # "Projektträger: Verein X, Seeweg 1, 8008 Zürich"
            state.grantee.extend(part.strip() for part in value.split(", ") if part.strip())
        return
    if name == "unit":
        if value:
            data.unit = data.unit or value
        else:
            state.current = "unit"
        return
    if state.part == "grantee" and not lead:
        state.part = "persons"  # the grantee's lines end at its contact's first label
    if name == "persons" and not value and line.kind == "h":
        state.part = "persons"  # a heading over the person's lines
        return
    state.values = 0
    state.current = None if value else name
    _take(data, name, value, line, state.address, lex)
    if name != "emails":
        state.other_links.extend(line.links)


def _nothing_read(data: ContactData, state: _Reading) -> bool:
    """Whether no line of the block gave a field yet (its heading or label aside)."""
    return not (state.address or state.grantee or data.persons or data.phones or data.emails)


def _other_form(current: str, text: str, state: _Reading, lex: Lexicon) -> bool:
    """A line after a label's value that is not more of it: the e-mail address below a phone
    number, a role below the person's name (the first value is taken as written)."""
    if current == "persons" and state.values > 0:
        if lex.is_role(text):
            state.current = None
            return True
        return False
    return current in ("phones", "fax") and (
        "@" in text or "[at]" in text or text.lower().startswith(("www.", "http"))
    )


def _unlabelled(data: ContactData, state: _Reading, text: str, lex: Lexicon) -> None:
    """A contact line without a label, read by its form."""
    if (
        state.part == "address"
        and not state.seen_label
        and _unlabelled_address(data, state, text, lex)
    ):
        return
    if "@" in text or "[at]" in text or "(at)" in text:
        _add_unique(data.emails, find_emails(text))
    elif text.lower().startswith(("www.", "http://", "https://")):
        data.website = data.website or text
    elif _PHONE_LIKE.search(text) and (number := _number_line(text, lex)) is not None:
        name, value = number
        if name == "fax":
            data.fax = data.fax or to_e164(value, lex.calling_code)
        else:
            _add_unique(data.phones, split_phones(value, lex.calling_code))
    elif lex.postal_line.match(text) or lex.street_line.match(text):
        (state.grantee if state.grantee else state.address).append(text)
    elif state.part == "grantee":
        state.grantee.append(text)
    elif state.part == "persons" and lex.is_person(text):
        _add_unique(data.persons, [text])


def _unlabelled_address(data: ContactData, state: _Reading, text: str, lex: Lexicon) -> bool:
    """A line of an unlabelled block (a rich-text contact), read by form, not order: once the
    postal line closed the address, a name's shape is a person and a role word drops out; an
    e-mail, web address or phone number is never an address line. Whether the line was taken."""
    if _address_has_postal(state, lex):
        if person := person_with_role(text, lex):
            _add_unique(data.persons, [person])  # ("Co-Leitung: Lea Roth": the person)
            return True
        if lex.is_role(text):
            return True
    if text.lower().startswith(("www.", "http://", "https://")):
        return False
    # (an e-mail form, or a phone number's: a web address's was told above)
    if _EMAIL_FORM.search(text) or (
        _PHONE_LIKE.search(text) is not None and _number_line(text, lex) is not None
    ):
        return False
    if _other_label(text):
        if persons := _role_lead_persons(text, lex):
            _add_unique(data.persons, persons)  # "Exchange coordinator: Anna Kowalczyk"
        return True  # "Bewerbungsfrist: 15.01.2025": labelled with a word we do not know
    if _running_text(text):
        return True  # "Bitte bewerben Sie sich über das Portal.": a sentence, no address
    state.address.append(text)
    return True


def _number_line(text: str, lex: Lexicon) -> tuple[str, str] | None:
    """A phone or fax line without a colon: "044 242 18 30", "Fax 071 228 90 01"."""
    lead = _LEAD_WORDS.match(text)
    if lead is None:
        return "phones", text
    hit = lex.match_label(lead.group().strip(" :.") + ":")
    if hit is None or hit.field not in ("phones", "fax"):
        return None
    return hit.field, text[lead.end() :]


def _take(
    data: ContactData, field_name: str, value: str, line: Line, address: list[str], lex: Lexicon
) -> None:
    if not value and field_name not in ("emails", "website"):
        return  # (a label without its value on its line: no name, number or address in "")
    if field_name == "persons":
        _take_persons(data, value, line, address, lex)
    elif field_name == "phones":
        _add_unique(data.phones, split_phones(value, lex.calling_code))
    elif field_name == "fax":
        if data.fax is None:
            data.fax = to_e164(value, lex.calling_code)
    elif field_name == "emails":
        _take_emails(data, value, line)
    elif field_name == "website":
        if data.website is None:
            written = value or next((link.text or link.href for link in line.links), None)
            data.website = written or None
    elif field_name == "address":
        address.append(value)
    elif field_name == "unit":
        data.unit = data.unit or value


def _take_emails(data: ContactData, value: str, line: Line) -> None:
    """The addresses an e-mail line writes, and its links' (the only ones of a label without
    its value on its line)."""
    if value:
        _add_unique(data.emails, find_emails(value))
    for link in line.links:
        _add_unique(data.emails, emails_from_link(link.href, link.token))


def _take_persons(
    data: ContactData, value: str, line: Line, address: list[str], lex: Lexicon
) -> None:
    """Names after a person label; the phone, e-mail and role on the same line set apart
    ("Dr. Jonas Feldhoff, Geschäftsführung, Tel. 0228 / 76 54 32, info [at] example.de")."""
    names: list[str] = []
    for part in _PERSON_SPLIT.split(value):
        if names and lex.person_degree.match(part):
            names[-1] = f"{names[-1]}, {part}"  # "Eva Roth, MSc": the degree is the name's
            continue
        hit = lex.match_label(part)
        if hit is not None and hit.value and hit.field in ("phones", "fax", "emails"):
            _take(data, hit.field, hit.value, line, address, lex)
        elif "@" in part or "[at]" in part or "(at)" in part:
            _add_unique(data.emails, find_emails(part))
        elif _PHONE_LIKE.search(part):  # "Tel. 0228 / 76 54 32", no colon
            _add_unique(data.phones, split_phones(_LEAD_WORDS.sub("", part), lex.calling_code))
        elif part.strip():
            names.append(_without_role(part.strip(), lex))
    # "Kai Brenner, Programmleitung" is Kai Brenner; a role alone stands for the person (so a
    # name alone is taken as it is: no role test).
    people = [name for name in names if not lex.is_role(name)] if len(names) > 1 else names
    _add_unique(data.persons, people or names)


def person_with_role(text: str, lex: Lexicon) -> str | None:
    """The person a line names, with or without its role: "Andrea Buchli, Schulleiterin",
    "Co-Leitung: Lea Zihlmann", "Marco Iten (Präsident)", "Name · Role", or a name alone; None
    for a line of another form."""
    if lex.is_person(text):
        return text
    for sep in (", ", " · ", " – ", " | "):
        name, found, role = text.partition(sep)
        if found and lex.is_person(name) and lex.is_role(role):
            return name
    role, found, name = text.partition(": ")
    if found and lex.is_role(role) and lex.is_person(name):
        return name
    if text.endswith(")"):
        name = _without_role(text, lex)
        if name != text and lex.is_person(name):
            return name
    return None


def _without_role(name: str, lex: Lexicon) -> str:
    """ "Miriam Olbrich (Projektleitung)" is Miriam Olbrich; so is any words in brackets after
    a person's name ("Hanna Weiß (Vorsitz)"), a number or address aside."""
    match = lex.paren_role.search(name) if name.endswith(")") else None
    if match is None:
        return name
    rest = name[: match.start()].strip()
    if lex.is_role(match[1]) or (lex.is_person(rest) and not _NOT_IN_ROLE.search(match[1])):
        return rest
    return name
