"""The vocabulary one parse reads with: the shared words of :mod:`pipeline.labels` plus the
site profile's ``[vocabulary]`` additions, compiled once per distinct profile wording.

Two profiles with the same wording and country share one compiled :class:`Lexicon`; a profile's
additions never reach another profile's lexicon, so no site's words change another's records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import labels
from pipeline.extract.starts import (
    PREFIX_LENGTH,
    HeadTest,
    Hinted,
    LineHeads,
    case_variants,
    head_test,
    line_start,
)
from pipeline.normalize.text import collapse, fold
from pipeline.profiles.model import SiteProfile, Vocabulary

_NOT_A_ROLE = re.compile(r"[\d@]")  # a number or an address: a contact line, never a role
_ORDINAL = re.compile(r"^\d{1,2}\.\s+(?=\D)")  # "1. Vorsitzender", "2. Vorsitzende"
# What every expiry note holds: "abgeschlossen am 30.06.2019", "completed on 1 May 2020".
_EXPIRY_HINT = re.compile(r"\s(?:am|on|im|in)\s", re.IGNORECASE)
_LEAD_COLON = 26  # how far into a line the colon after a notice's lead word may stand
_CACHE_LIMIT = 4096  # distinct lines remembered per lexicon (templates repeat their lines)


@dataclass(frozen=True, slots=True)
class LabelHit:
    field: str
    label: str
    value: str  # "" when the value follows on the next line(s)
    inline: bool  # the value followed the label without a colon


_UNSEEN = LabelHit("", "", "", False)  # what the label cache gives for a line it has not seen

# "Kontakt:", "Contact & Directions": a contact heading written as a paragraph or a cell.
CONTACT_HEADING_LINE = re.compile(
    r"^(?:kontakt|contact)(?:\s*[,&]\s*.+|\s+(?:und|and|&)\s+.+)?\s*:?$", re.IGNORECASE
)

# The bits of Line.away (:class:`LineHeads`): the patterns whose quick test turned a line away.
AWAY_MARKER = 1 << 0
AWAY_CLOSED = 1 << 1
AWAY_RELATED = 1 << 2
AWAY_GRANTEE = 1 << 3  # a grantee's label (maybe_grantee)
AWAY_CONTACT_HEADINGS = 1 << 4
AWAY_HEADING_LINE = 1 << 5  # CONTACT_HEADING_LINE
AWAY_SUBHEADINGS = 1 << 6
AWAY_CONTACT_END = 1 << 7
AWAY_BLOCK_STOP = 1 << 8
AWAY_DIVISION_LINK = 1 << 9
# match_label: no label (nor label prefix) begins the line's text -- a Line's text, which has
# no white space at its ends (match_label strips a text before it looks at its head).
AWAY_LABEL = 1 << 10
AWAY_GLUED = 1 << 11  # glued_notice
AWAY_DATELINE = 1 << 12
AWAY_LOCATION = 1 << 13  # location_line
AWAY_NEWS_HEADING = 1 << 14
# led_notice is false for a line with both: neither of its patterns can match.
AWAY_LED_NOTICE = AWAY_CLOSED | AWAY_GLUED


def _alternatives(words: tuple[str, ...], escape: bool = True) -> str:
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in ordered)


def _phrase(words: tuple[str, ...]) -> str:
    """Plain phrases as a regex alternation whose spaces match any run of white space."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


class Lexicon:
    """Compiled matchers for one vocabulary (shared words + one profile's additions)."""

    def __init__(self, extra: Vocabulary, country: str) -> None:
        self._labels: dict[str, LabelHit | None] = {}
        self._chrome: dict[str, int] = {}
        self._roles: dict[str, bool] = {}
        self._build_labels(extra)
        # The site's own status words come last: where they differ from the shared ones, the
        # site's meaning wins.
        self._status = {
            fold(word): status for status, words in labels.STATUS_WORDS.items() for word in words
        }
        for status in labels.STATUS_WORDS:
            self._status.update((fold(w), status) for w in getattr(extra.status_words, status))
        self._longest_status = max(len(word) for word in self._status) + 2
        i = re.IGNORECASE
        self.contact_headings = line_start(
            rf"^(?:{_phrase((*labels.CONTACT_HEADINGS, *extra.contact))})\b", i
        )
        self.contact_subheadings = line_start(
            rf"^(?:{_alternatives(labels.CONTACT_SUBHEADINGS, escape=False)})\s*:?", i
        )
        self.contact_end = line_start(rf"^(?:{'|'.join(labels.CONTACT_END)})", i)
        self.own_contact = line_start(
            rf"^(?:{_phrase(labels.OWN_CONTACT_LEADS)})\s+(?:{_phrase(labels.OWN_CONTACT_PLACES)})\s",
            i,
        )
        self.location_line = line_start(rf"^(?:{_phrase(labels.LOCATION_WORDS)})\s+\S", i)
        division = (*labels.DIVISION_WORDS, *extra.division)
        self.division_unit = line_start(
            rf"^(?:{_phrase((*division, *labels.DIVISION_WORDS_EN))})\s+(?P<name>.+)$", i
        )
        division_link = (
            rf"^(?:Alle|Weitere)\s+Projekte\s+(?:aus\s+dem|des)\s+(?:{_phrase(division)})"
            rf"(?:s|es)?\s+(?P<name>.+)$"
            rf"|^All\s+projects\s+(?:of|from|in)\s+the\s+(?:{_phrase(labels.DIVISION_WORDS_EN)})"
            rf"\s+(?P<en>.+)$"
        )
        self.division_link = line_start(division_link, i)
        closed = "|".join((*labels.CLOSED_NOTICES, _phrase(extra.closed_notices) or "(?!)"))
        lead = rf"(?:(?:{_phrase(labels.NOTICE_LEADS)})\s*:\s*)?"
        self.closed_notice = line_start(rf"^{lead}(?:{closed})", i)
        # "HinweisDieses Projekt ist abgeschlossen.": an alert's title and text, two elements
        # side by side with nothing between them (a style sheet sets them apart for a reader).
        self._notice_leads = tuple(labels.NOTICE_LEADS)
        self.glued_notice = line_start(rf"^(?:{_phrase(labels.NOTICE_LEADS)})(?:{closed})", i)
        chrome = f"{_alternatives(labels.CHROME_LINES, escape=False)}" + (
            f"|{_phrase(extra.chrome_lines)}" if extra.chrome_lines else ""
        )
        # (an arrow before or after the words: "‹ Vorheriges Projekt", "Nächstes Projekt ›")
        arrows = f"[{re.escape(labels.NAV_ARROWS)}]"
        self.chrome_lines = line_start(rf"^(?:{arrows}\s*)?(?:{chrome})(?:\s*{arrows})?\s*$", i)
        # What ends a contact block wherever it stands: chrome, the funder's own contact box.
        self.block_stop = line_start(f"{self.chrome_lines.pattern}|{self.own_contact.pattern}", i)
        # Chrome lines, the closed notice and the division link in one pattern (one match per
        # line): lines that stand for themselves, never a label's value.
        # (the closed notice after a lead word, "Hinweis: ...", is :meth:`led_notice`: trying
        # the lead words on every line cost ~4 % of a parse)
        # (a document's record: "Letzte Änderung: 12.03.2019 | Erstellt von: ...")
        record = rf"^(?:{_phrase(labels.DOCUMENT_RECORD_WORDS)}):?\s+\S*\d"
        self.marker_lines = line_start(
            f"(?P<chrome>{self.chrome_lines.pattern})|(?P<closed>^(?:{closed}))"
            f"|(?P<division>{division_link})|(?P<record>{record})",
            i,
        )
        self.breadcrumb_name = re.compile(labels.BREADCRUMB_NAMES, i)
        self.breadcrumb_lead = re.compile(rf"^(?:{_phrase(labels.BREADCRUMB_LEADS)})\s*:?", i)
        self.teaser_link = line_start(rf"^(?:{_phrase(labels.TEASER_LINKS)})\s*(?:»|›|>)?$", i)
        tokens = (*labels.CHROME_TOKENS, *(re.escape(t) for t in extra.chrome_tokens))
        self.chrome_attr = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(tokens)})(?:$|[\s_-])", i)
        soft = "|".join(labels.SOFT_CHROME_TOKENS)
        self.soft_chrome_attr = re.compile(rf"(?:^|[\s_-])(?:{soft})(?:$|[\s_-])", i)
        logo = _alternatives(labels.LOGO_WORDS)
        self.logo_link = line_start(rf"^{labels.LINK_TO}\s+(?P<name>.+)$", i)
        self.funder_link = line_start(
            rf"^(?:{labels.LINK_TO}|Logo(?:\s+de[rs])?:?)\s+(?P<name>.+)$", i
        )
        self.logo_affix = re.compile(rf"^(?:{logo})\s*[:\-–]?\s+|\s+[-–]?\s*(?:{logo})$", i)
        expiry = _phrase((*labels.EXPIRY_WORDS, *extra.expiry_words))
        self.expiry = Hinted(
            re.compile(
                rf"\(?\s*(?P<word>{expiry})\s+(?:am|on|im|in)\s+(?P<date>[^)]+?)\s*\)?\s*$", i
            ),
            _EXPIRY_HINT,
        )
        self.title_stopwords = frozenset(
            fold(w) for w in (*labels.TITLE_STOPWORDS, *extra.title_stopwords)
        )
        place = labels.COUNTRIES[country]
        self.calling_code = place.calling_code
        self.postal_line = line_start(
            rf"^(?:{place.postcode_prefix}\s?-\s?)?(?P<code>\d{{{place.postcode_digits}}})"
            rf"\s+(?P<city>\D.*)$"
        )
        # A street line: words then a house number ("Frankfurter Allee 35 – 37, Aufgang C").
        # ("Bewerbungsschluss: 15.12.2025" is a labelled date, never a street)
        self.street_line = re.compile(r"^[^\d:]+\s\d+\s?[a-zA-Z]?\b.*$")
        self._build_contact_forms()
        dated = (*labels.DATELINE_WORDS, *labels.DOCUMENT_RECORD_WORDS)
        self.dateline = line_start(rf"^(?:{_phrase(dated)}):?\s+\S*\d", i)

        self.non_project_title = line_start(rf"^(?:{_phrase(labels.NON_PROJECT_TITLES)})\s*$", i)
        self.listing_title = re.compile(rf"^(?:{_phrase(labels.LISTING_TITLE_WORDS)})\s*:\s*\S", i)
        self.news_heading = line_start(rf"^(?:{_phrase(labels.NEWS_HEADINGS)})\b", i)
        # the section alone, or its name, a separator and the item's date
        self.news_section = line_start(
            rf"^(?:{_phrase(labels.NEWS_SECTIONS)})(?:\s*[·|•–—,:]\s*[^\W_]*\.?\s*\d.{{0,24}})?$", i
        )
        self.line_heads = LineHeads(
            {
                AWAY_MARKER: self.marker_lines.head,
                AWAY_CLOSED: self.closed_notice.head,
                AWAY_RELATED: self.related_heading.head,
                AWAY_GRANTEE: self._grantee_head(),
                AWAY_CONTACT_HEADINGS: self.contact_headings.head,
                AWAY_HEADING_LINE: head_test(CONTACT_HEADING_LINE),
                AWAY_SUBHEADINGS: self.contact_subheadings.head,
                AWAY_CONTACT_END: self.contact_end.head,
                AWAY_BLOCK_STOP: self.block_stop.head,
                AWAY_DIVISION_LINK: self.division_link.head,
                AWAY_LABEL: self._label_head(),
                AWAY_GLUED: self.glued_notice.head,
                AWAY_DATELINE: self.dateline.head,
                AWAY_LOCATION: self.location_line.head,
                AWAY_NEWS_HEADING: self.news_heading.head,
            }
        )

    def _grantee_head(self) -> HeadTest:
        """:meth:`maybe_grantee` as a head test (none where labels are longer than a head)."""
        if self._head > PREFIX_LENGTH:
            return None
        return self._head, frozenset(case_variants(self._grantee_heads))

    def _label_head(self) -> HeadTest:
        """:meth:`match_label` as a head test: the heads it looks labels and label prefixes up
        by (none where labels are longer than a head)."""
        if self._head > PREFIX_LENGTH:
            return None
        heads = frozenset({*self._by_head, *self._prefix_heads})
        return self._head, frozenset(case_variants(heads))

    def _build_contact_forms(self) -> None:
        """What a contact line is by its form: a role, a person's name, an organization ..."""
        i = re.IGNORECASE
        self._role = re.compile(
            rf"(?:{_alternatives(labels.ROLE_ENDINGS)})(?![^\W\d_])"
            rf"|(?<=[^\W\d_])(?:{_alternatives(labels.ROLE_COMPOUND_ENDINGS)})(?![^\W\d_])",
            i,
        )
        titles = _alternatives(labels.PERSON_TITLES)
        lower = "a-zäöüßéèàçñáíóúýâêîôûãõëïåøæœıłńśźżćčšžřğşāēīōūķļņģąęėįų"
        upper = "A-ZÄÖÜÉÁÍÓÚÅØÆŁŚŹŻĆČŠŽŘĞŞĀĒĪŌŪĶĻŅĢĄĘĖĮŲ"
        name = rf"[{upper}][{lower}]+(?:-[{upper}][{lower}]+)?"
        particle = r"(?:von|van|de|der|den|zu|di|da|du|le|la|del)"
        self.person_name = re.compile(
            rf"^(?:(?:{titles})\s+)*{name}(?:\s+(?:{particle}\s+)*{name}){{1,3}}$"
        )
        degrees = _alternatives(labels.PERSON_DEGREES)
        self.person_degree = re.compile(rf"^(?:{degrees})$")
        self._degree_after = re.compile(rf",\s*(?:{degrees})$")
        self.organization_word = re.compile(
            rf"(?:^|\s|-)(?:{_alternatives(labels.ORGANIZATION_WORDS)})(?:$|\s|,)"
            rf"|\w(?:verein|stiftung|verband|werk|haus|netz|schule|zentrum)\b",
            i,
        )
        self.department_line = line_start(rf"^(?:{_phrase(labels.DEPARTMENT_WORDS)})\s+\S", i)
        self.country_line = line_start(rf"^(?:{_phrase(labels.COUNTRY_NAMES)})$", i)
        self.paren_role = re.compile(r"\s*\(([^()]+)\)\s*$")
        self.salutation = re.compile(rf"^(?:{_alternatives(labels.SALUTATIONS)})\s+(?=\S)")
        notes = "|".join(labels.FUNDING_NOTES)
        self.funding_note = re.compile(rf"\s*\((?:{notes})[^()]*\)$", i)
        hidden = "|".join(labels.HIDDEN_LINK_NOTES)
        self.hidden_note = re.compile(
            rf"\s*(?:\(\s*(?:{hidden})\s*\)|[-–,]?\s*(?:{hidden}))\s*$", i
        )

    def led_notice(self, text: str) -> bool:
        """A closed notice after a lead word and a colon ("Hinweis: Dieses Projekt ist
        abgeschlossen", "Please note: this project has been completed")."""
        colon = text.find(":", 0, _LEAD_COLON)
        if colon > 1:
            return self.closed_notice.match(text) is not None
        return text.startswith(self._notice_leads) and self.glued_notice.match(text) is not None

    def is_role(self, text: str) -> bool:
        """Whether a line names a role ("Projektleitung", "Co-Leitung", "Project lead")."""
        if text.count(" ") > 4:
            return False
        cache = self._roles  # (its search is slow, and templates repeat their lines)
        found = cache.get(text)
        if found is None:
            # (an ordinal before the role is no number of a contact line: "1. Vorsitzender")
            bare = _ORDINAL.sub("", text, count=1) if text[:1].isdigit() else text
            found = _NOT_A_ROLE.search(bare) is None and self._role.search(bare) is not None
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[text] = found
        return found

    def without_salutation(self, name: str) -> str:
        """ "Frau Birgit Schulze" is Birgit Schulze; an academic title stays ("Dr. Eva B.")."""
        return self.salutation.sub("", name) if name[:1] in "FHM" else name

    def maybe_grantee(self, text: str) -> bool:
        """A quick test before :meth:`match_label`: whether a line can be a grantee's label."""
        head = text[: self._head].lower()
        return head in self._grantee_heads or not head.isascii()

    def is_person(self, text: str) -> bool:
        """Whether a line has a person's name's shape, and is no organization or role; a
        degree after a comma is part of the name ("Eva Roth, MSc")."""
        if "," in text:
            text = self._degree_after.sub("", text)
        return (
            self.person_name.match(text) is not None
            and self.organization_word.search(text) is None
            and not self.is_role(text)
        )

    def holds_fact_label(self, texts: list[str]) -> bool:
        """Whether one of these texts is a project fact's label on its own ("Laufzeit",
        "Funded by:"), not a contact's."""
        for text in texts:
            if len(text) > 60 or not text.strip():
                continue
            hit = self.match_label(collapse(text))
            if hit is not None and not hit.value and hit.field not in labels.CONTACT_FIELDS:
                return True
        return False

    def is_status_word(self, text: str) -> bool:
        """Whether a whole line is one status word (a badge: "laufend", "Completed")."""
        if len(text) > self._longest_status:
            return False  # (most lines: no fold needed)
        return fold(text).strip(" .:;!") in self._status

    # -- labels ---------------------------------------------------------------------------
    def _build_labels(self, extra: Vocabulary) -> None:
        fields: dict[str, tuple[str, ...]] = dict(labels.FIELD_LABELS)
        inline = set(labels.INLINE_LABELS)
        for name in ("period", "status", "funders", "persons", "phones", "emails"):
            added: tuple[str, ...] = getattr(extra, name)
            fields[name] = (*fields[name], *added)
            if name in ("period", "status"):
                inline.update(added)  # their values are checked before an inline label counts
        for name in ("focus_areas", "services", "related"):
            fields[name] = (*fields[name], *getattr(extra, name))
        for name, words in fields.items():
            # Swiss spelling writes "ss" for "ß" ("Massnahmen"): each such label both ways.
            fields[name] = (*words, *(w.replace("ß", "ss") for w in words if "ß" in w))
        self.fields = fields
        # "Mehr Projekte aus Kassel", "More projects like this": a heading that starts with a
        # related-projects label, words after it.
        self.related_heading = line_start(
            rf"^(?P<label>{_phrase(fields['related'])})\s+(?P<value>\w.*)$", re.IGNORECASE
        )
        self._by_label = {label.lower(): f for f, words in fields.items() for label in words}
        self._inline = frozenset(label.lower() for label in inline)
        # "Zielgruppen", "Partner:innen": a plural or gender ending after a label.
        suffix = rf"(?:{_alternatives(labels.LABEL_SUFFIXES)})?"
        # (a question mark ending the line is a question heading's colon: "Für wen?")
        tail = rf"{suffix}(?=\s|:|\?$|$)\s*(?P<colon>:|\?$)?\s*(?P<value>.*)$"
        flags = re.IGNORECASE | re.DOTALL

        def pattern(words: list[str]) -> re.Pattern[str]:
            ordered = sorted(words, key=len, reverse=True)
            return re.compile(rf"(?P<label>{'|'.join(map(re.escape, ordered))}){tail}", flags)

        # Labels by their first letters (lowercased): a line is matched against the few labels
        # that start as it does, and most lines of running text by one dict lookup.
        self._head = min(len(label) for label in self._by_label)
        by_head: dict[str, list[str]] = {}
        for label in self._by_label:
            by_head.setdefault(label[: self._head], []).append(label)
        self._by_head = {head: pattern(words) for head, words in by_head.items()}
        self._label_re = pattern(list(self._by_label))  # for non-ASCII starts: Unicode's case
        # "Projektpartner", "Förderzeitraum", "Project duration": a prefix word before a label.
        self._prefixes = tuple(p.lower() for p in labels.LABEL_PREFIXES)
        self._prefix_heads = frozenset(p[: self._head] for p in self._prefixes)
        self._prefix_re = re.compile(
            rf"(?:{_alternatives(labels.LABEL_PREFIXES)})(?:(?<=-)|(?<=[^\W\d_])\s?)", flags
        )
        self._grantee_heads = frozenset(
            label[: self._head]
            for label in (*self._by_label, *self._prefixes)
            if self._by_label.get(label) in ("grantee", None)
        )

    def clear_caches(self) -> None:
        """Forget the lines, heads and class names seen so far (benchmarks start each pass
        cold)."""
        self._labels.clear()
        self._chrome.clear()
        self._roles.clear()
        self.line_heads.memo.clear()

    def match_label(self, text: str) -> LabelHit | None:
        """The label a line starts with, and its value.

        ``Telefon: 030 123`` and ``Telefon`` (value on the next line) always match; ``Zeitraum
        2016 – 2019`` (no colon) matches for inline labels only, and the caller must check that
        such a value parses.
        """
        cache = self._labels
        hit = cache.get(text, _UNSEEN)
        if hit is not _UNSEEN:
            return hit
        hit = self._match_label(text)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = hit
        return hit

    def _match_label(self, text: str) -> LabelHit | None:
        text = text.strip()
        head = text[: self._head].lower()
        pattern = self._by_head.get(head)
        if pattern is None and not head.isascii():
            pattern = self._label_re  # (Unicode's case rules, not a dict key's)
        match = None if pattern is None else pattern.match(text)
        if match is None and head in self._prefix_heads:
            prefix = self._prefix_re.match(text)
            if prefix is not None:
                match = self._match_at(text, prefix.end())
        if match is None:
            return None
        label = match["label"].lower()
        field = self._by_label.get(label)
        if field is None:
            listed = self._listed_label(label)
            if listed is None:
                return None
            label, field = listed, self._by_label[listed]
        value = match["value"].strip()
        if match["colon"] or not value:
            return LabelHit(field, label, value, inline=False)
        if label in self._inline:
            return LabelHit(field, label, value, inline=True)
        return self._named_grant(field, label, value)

    def _listed_label(self, matched: str) -> str | None:
        """The label as listed that a label written with a letter case-insensitive matching
        pairs with an ASCII one matched: "Laufzeıt" (a dotless i), "Projektſtatus" (a long s)."""
        flags = re.IGNORECASE | re.DOTALL
        return next((w for w in self._by_label if re.fullmatch(re.escape(w), matched, flags)), None)

    def item_label(self, text: str) -> LabelHit | None:
        """The label a fact list's item starts with, its value after it without a colon ("Grant
        amount up to €25,000", the label and value as two spans): any label, as when a colon
        followed it. The caller checks that the item's list is a fact list."""
        hit = self.match_label(text)
        if hit is not None or len(text) > 150:
            return hit
        text = text.strip()
        head = text[: self._head].lower()
        pattern = self._by_head.get(head)
        if pattern is None and not head.isascii():
            pattern = self._label_re
        match = None if pattern is None else pattern.match(text)
        if match is None or not match["value"].strip():
            return None
        label = match["label"].lower()
        return LabelHit(self._by_label[label], label, match["value"].strip(), inline=False)

    def _named_grant(self, field: str, label: str, value: str) -> LabelHit | None:
        """ "Beitrag Muster-Stiftung: CHF 45'000": an amount's label, the giver's name (an
        organization's form) and a colon, then the amount."""
        if field != "grant_amount":
            return None
        name, colon, amount = value.partition(": ")
        if not colon or len(name) > 40 or not amount or self.organization_word.search(name) is None:
            return None
        return LabelHit(field, label, amount.strip(), inline=False)

    def _match_at(self, text: str, pos: int) -> re.Match[str] | None:
        head = text[pos : pos + self._head]
        pattern = self._by_head.get(head.lower())
        if pattern is None:
            if head.isascii():
                return None
            pattern = self._label_re
        return pattern.match(text, pos)

    def status_of(self, word: str) -> str | None:
        """The record status for a page's status word, or None for an unknown word."""
        key = fold(word).strip(" .:;!")
        if key in self._status:
            return self._status[key]
        for known, status in self._status.items():
            if key.startswith(known + " ") or key.endswith(" " + known):
                return status
        return None

    def chrome_marker(self, marker: str) -> int:
        """Whether an element's class and id tokens name it as chrome: 0 no, 1 chrome, 2 chrome
        unless it holds a project fact's label (a sidebar)."""
        cache = self._chrome
        if marker in cache:
            return cache[marker]
        if self.chrome_attr.search(marker) is not None:
            found = 1
        elif self.soft_chrome_attr.search(marker) is not None:
            found = 2
        else:
            found = 0
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[marker] = found
        return found


@lru_cache(maxsize=64)
def _lexicon(extra: Vocabulary, country: str) -> Lexicon:
    return Lexicon(extra, country)


def lexicon_for(profile: SiteProfile) -> Lexicon:
    """The compiled vocabulary of a profile (shared by profiles with the same wording)."""
    # (by the profile object first: the wording's hash, every word of it, costs ~3 us a page)
    known = _BY_PROFILE.get(id(profile))
    if known is not None and known[0] is profile:
        return known[1]
    lex = _lexicon(profile.vocabulary, profile.country)
    if len(_BY_PROFILE) >= _MAX_PROFILES:
        _BY_PROFILE.clear()
    _BY_PROFILE[id(profile)] = (profile, lex)  # (the profile held: its id is never reused)
    return lex


_MAX_PROFILES = 256
_BY_PROFILE: dict[int, tuple[SiteProfile, Lexicon]] = {}
