"""Flatten a page's main content into lines, the way a reader sees it.

Block elements and ``<br>`` end a line; inline elements join. Each line keeps what the
extractors need of the structure it came from: heading level, list membership, definition-list
and table roles, whether it sits in a header, an ``<address>`` or an ``<aside>``, and its links.
Images become their own lines (their alt text), since logos carry funder names.

Site chrome (navigation, footer, cookie banners, scripts) is skipped during flattening: the walk
never enters it, so a mega-menu costs nothing beyond lexbor's parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.extract.hidden import hidden_classes, hides
from pipeline.extract.nesting import cap_nesting
from pipeline.extract.starts import PREFIX_LENGTH
from pipeline.extract.vocabulary import Lexicon
from pipeline.normalize.mail_scripts import emails_from_fallback, emails_from_script
from pipeline.normalize.text import collapse

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose content a reader never sees as text.
SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "button",
        "select",
        "input",
        "textarea",
        "head",
        "meta",
        "link",
        "nav",
        "form",  # unless it holds the page's content (:meth:`_Chrome.holds_content`)
        "dialog",
        "video",
        "audio",
        "canvas",
        "map",
        "-comment",
    }
)
# Skipped elements that may still write an e-mail address where they stand.
_MAIL_TAGS = frozenset({"script", "noscript"})
# Elements that start and end a line.
BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "address",
        "blockquote",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "hgroup",
        "pre",
        "fieldset",
        "details",
        "summary",
        "hr",
        "center",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "legend",
        "label",  # a field's label beside its value (a display form: "Status" | "in Planung")
        "menu",
        "body",
        "html",
    }
)
_BODY_BLOCKS = frozenset(
    {
        "p",
        "ul",
        "ol",
        "dl",
        "table",
        "address",
        "blockquote",
        "pre",
        "section",
        "article",
        "aside",
        "figure",
    }
)
_CELL_KIND = {
    "li": "li",
    "dt": "dt",
    "dd": "dd",
    "td": "td",
    "th": "th",
    "figcaption": "cap",
    "caption": "cap",
}
# Line kinds of a fact row, where adjacent elements are a label and its value.
_ROW_KINDS = frozenset({"li", "dd", "td"})
# Block elements that change the context of the lines inside them.
_CONTEXT_TAGS = frozenset(
    {*HEADINGS, *_CELL_KIND, "ul", "ol", "menu", "tr", "header", "hgroup", "address", "aside"}
)
# Elements whose role marks them as chrome.
CHROME_ROLES = frozenset({"navigation", "contentinfo", "search", "dialog", "alertdialog", "banner"})
# Never skipped for their class or id: they hold the content.
KEEP_TAGS = frozenset({"body", "html", "main", "article", "h1"})
_HEADER_FOOTER = frozenset({"header", "footer"})
# Elements deeper than this below the content root are read flat: their text, as one run, with
# no lines or links of their own. Real pages nest a few dozen levels; the cap keeps the walk
# (recursive: the hot loop) far from Python's recursion limit on pages nested thousands deep.
MAX_WALK_DEPTH = 200
# Sidebars per page whose text is looked at for a fact's label (beyond: chrome).
MAX_SOFT_CHROME = 8
# One CSS pass finds the page's main headings, its articles and its asides; the <main> (or
# role=main) holding the content is found from the headings up (an attribute selector would
# cost the pass twice as much).
ROOT_SELECTOR = "article, h1, aside"
# A form with less text than this is a search, login or newsletter form, whatever the page.
SMALL_FORM = 200
# Asides outside the content root looked into for the grantee's card (beyond: chrome).
MAX_OUTER_ASIDES = 4


# How the screen-reader notes after a link's text end (labels.HIDDEN_LINK_NOTES: a bracket,
# or their last word): only a link ending so is looked at.
_NOTE_ENDS = (")", "Fenster", "fenster", "Tab", "tab", "Link", "link", "Seite", "window")


@dataclass(slots=True)
class Link:
    href: str | None
    text: str
    title: str | None = None
    token: str | None = None  # TYPO3 data-mailto-token


@dataclass(slots=True)
class Line:
    text: str
    kind: str  # h, p, li, dt, dd, th, td, img, cap
    level: int = 0  # heading level
    list_id: int = -1  # innermost list, -1 outside lists
    top_list: int = -1  # outermost list, -1 outside lists
    row: int = -1  # table row, -1 outside tables
    header: bool = False  # inside <header> or <hgroup>
    address: bool = False  # inside <address>
    aside: bool = False  # inside <aside>
    links: list[Link] = field(default_factory=list)
    # The vocabulary's quick tests that turn the line away by its first characters (bits of
    # Lexicon.line_heads; 0: none, every pattern is tried). A line made with other text than
    # the one read from the page keeps 0.
    away: int = 0


# The context of the lines being read: a Line's fields after its text, in their order (kind,
# level, list_id, top_list, row, header, address, aside). A plain tuple: the walk makes ~30 per
# page, and building one is the cheapest thing Python has.
_Ctx = tuple[str, int, int, int, int, bool, bool, bool]
_TOP: _Ctx = ("p", 0, -1, -1, -1, False, False, False)


class _Flattener:
    def __init__(self, chrome: _Chrome) -> None:
        self._chrome = chrome
        self._anchor_text: list[str] | None = None  # the text of the link being walked
        self.lines: list[Line] = []
        self._buf: list[str] = []
        self._links: list[Link] = []
        self._ctx: _Ctx = _TOP
        self._ids = 0
        self._anchor: Link | None = None
        self._depth = 0  # elements entered below the root
        self._mail_line = -1  # the line count when a script last wrote an address
        self._away = chrome.lex.line_heads.away
        self._heads = chrome.lex.line_heads.memo

    def flush(self) -> None:
        buf = self._buf
        if buf:
            if len(buf) == 1 and buf[0].isspace():  # the newline between two blocks
                buf.clear()
                return
            text = collapse("".join(buf))
            if text:
                away = self._heads.get(text[:PREFIX_LENGTH])  # (most heads: seen before)
                if away is None:
                    away = self._away(text)
                self.lines.append(Line(text, *self._ctx, self._links, away))
                self._links = []
            self._buf.clear()
        elif self._links:
            self._links = []

    def _child_ctx(self, tag: str) -> _Ctx:
        """The context inside a block element of ``_CONTEXT_TAGS`` (or a body block inside a
        heading)."""
        # (most calls: a heading, its kind and level, or a cell, its kind; the rest as around it)
        level = HEADINGS.get(tag)
        if level is not None:
            return ("h", level, *self._ctx[2:])
        cell = _CELL_KIND.get(tag)
        if cell is not None:
            return (cell, *self._ctx[1:])
        kind, level, list_id, top_list, row, header, address, aside = self._ctx
        if tag in ("ul", "ol", "menu"):
            self._ids += 1
            list_id = self._ids
            if top_list == -1:
                top_list = list_id
        elif tag == "tr":
            self._ids += 1
            row = self._ids
        elif tag in ("header", "hgroup"):
            header = True
        elif tag == "address":
            address = True
        elif tag == "aside":
            aside = True
        else:
            # A paragraph or list inside a heading comes from unclosed heading tags; a reader
            # sees body text there.
            kind, level = "p", 0
        return (kind, level, list_id, top_list, row, header, address, aside)

    def walk(self, node: LexborNode) -> None:  # noqa: C901 (the hot loop, inlined on purpose)
        # The hot loop of parsing: checks ordered by frequency, no call where nothing changes.
        buf = self._buf
        if self._depth >= MAX_WALK_DEPTH:
            self._flat(node)
            return
        self._depth += 1
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                text = child.text_content or ""
                buf.append(text)
                if self._anchor_text is not None:
                    self._anchor_text.append(text)
                continue
            if tag in SKIP:
                if tag in _MAIL_TAGS:
                    self._hidden_mail(child, tag)
                elif tag == "nav" and self._chrome.crumbs is None:
                    self._chrome.see_nav(child)
                elif tag == "form" and self._chrome.holds_content(child):
                    # The form that wraps a whole page (Lotus Domino, ASP.NET WebForms): read
                    # as the block it is.
                    if buf or self._links:
                        self.flush()
                    self.walk(child)
                    if buf or self._links:
                        self.flush()
                elif tag == "button" and self._ctx[0] == "h":
                    # A button inside a heading (WAI-ARIA's accordion): the panel's title.
                    self.walk(child)
                continue
            attrs = child.attributes
            if (attrs or tag in _HEADER_FOOTER) and self._chrome.skips(child, tag, attrs):
                continue
            if attrs and "aria-label" in attrs:
                self._aria_label(attrs["aria-label"])
            if tag in BLOCKS:
                if buf or self._links:
                    self.flush()
                new_ctx = tag in _CONTEXT_TAGS or (self._ctx[0] == "h" and tag in _BODY_BLOCKS)
                first = child.first_child
                if first is not None and first.next is None and first.is_text_node:
                    # A block holding one text (most paragraphs, headings and cells): its line
                    # directly, without entering it.
                    self._leaf(first.text_content or "", new_ctx, tag)
                elif new_ctx:
                    outer, self._ctx = self._ctx, self._child_ctx(tag)
                    self.walk(child)
                    if buf or self._links:
                        self.flush()
                    self._ctx = outer
                else:
                    self.walk(child)
                    if buf or self._links:
                        self.flush()
            elif tag == "br":
                self.flush()
            elif tag == "img":
                self._image(child, attrs)
            elif tag == "a":
                self._link(child, attrs)
            else:
                if self._ctx[6]:
                    if buf and not buf[-1][-1:].isspace():
                        # An address widget's parts (organization, street, postcode, locality)
                        # as adjacent elements with no space between: lines a reader sees apart.
                        self.flush()
                elif self._ctx[0] in _ROW_KINDS and buf and buf[-1][-1:].isalnum():
                    # A fact row's label and value as adjacent elements with no space between
                    # ("<li><b>Laufzeit</b><span>2020</span>"): words a reader sees apart.
                    buf.append(" ")
                self.walk(child)
        self._depth -= 1

    def walk_aside(self, node: LexborNode) -> None:
        """Read an ``<aside>`` outside the content root, after it, as a sidebar's lines."""
        outer, self._ctx = self._ctx, self._child_ctx("aside")
        self.walk(node)
        self.flush()
        self._ctx = outer

    def _hidden_mail(self, node: LexborNode, tag: str) -> None:
        """An address a script writes where it stands (never run: read by
        :mod:`pipeline.normalize.mail_scripts`), or its ``<noscript>`` fallback when no script
        before it gave one: the address joins the line's text, as a reader sees it."""
        text = node.text(deep=True, separator="", strip=False)
        if tag == "script":
            found = emails_from_script(text)
            if found:
                self._mail_line = len(self.lines)
        elif self._mail_line == len(self.lines):
            self._mail_line = -1  # the script before it wrote the address already
            return
        else:
            found = emails_from_fallback(text)
        if found:
            self._buf.append(f" {' '.join(found)} ")

    def _flat(self, node: LexborNode) -> None:
        """All the text below ``node`` as one run (lexbor collects it without recursion)."""
        text = node.text(deep=True, separator="", strip=False)
        self._buf.append(text)
        if self._anchor_text is not None:
            self._anchor_text.append(text)

    def _aria_label(self, label: str | None) -> None:
        """An element named by its ``aria-label`` as a field's label ("Projektstatus"): the
        label as a line of its own before the element's text."""
        text = collapse(label or "")
        hit = self._chrome.lex.match_label(text) if text else None
        if hit is not None and not hit.value:
            self.flush()
            self.lines.append(Line(text, *self._ctx, [], self._away(text)))

    def _leaf(self, raw: str, new_ctx: bool, tag: str) -> None:
        if self._anchor_text is not None:
            self._anchor_text.append(raw)
        ctx = self._child_ctx(tag) if new_ctx else self._ctx
        text = collapse(raw)
        if text:
            # A block inside a link (a card's heading) carries the link.
            links = [] if self._anchor is None else [self._anchor]
            away = self._heads.get(text[:PREFIX_LENGTH])  # (most heads: seen before)
            if away is None:
                away = self._away(text)
            self.lines.append(Line(text, *ctx, links, away))

    def _image(self, node: LexborNode, attrs: dict[str, str | None]) -> None:
        alt = collapse(attrs.get("alt") or "")
        if not alt and self._anchor is not None:
            alt = collapse(self._anchor.title or "")
        if not alt:
            return
        self.flush()
        links = [self._anchor] if self._anchor is not None else []
        self.lines.append(Line(alt, "img", *self._ctx[1:], links, self._away(alt)))

    def _link(self, node: LexborNode, attrs: dict[str, str | None]) -> None:
        link = Link(
            href=attrs.get("href"),
            text="",
            title=attrs.get("title"),
            token=attrs.get("data-mailto-token"),
        )
        self._links.append(link)
        outer, self._anchor = self._anchor, link
        outer_text, self._anchor_text = self._anchor_text, []
        lines_before = len(self.lines)
        self.walk(node)
        written = "".join(self._anchor_text)
        if written.rstrip().endswith(_NOTE_ENDS) and len(self.lines) == lines_before:
            written = self._drop_hidden_note(written)
        link.text = collapse(written)
        if outer_text is not None:  # links nest in misnested markup: the outer one reads it too
            outer_text.extend(self._anchor_text)
        self._anchor, self._anchor_text = outer, outer_text

    def _drop_hidden_note(self, written: str) -> str:
        """A link's text without the helper text for screen readers at its end ("(Öffnet neues
        Fenster)", "(opens new window)"), from the link and from its line."""
        stripped = written.rstrip()
        match = self._chrome.lex.hidden_note.search(stripped, max(0, len(stripped) - 60))
        if match is None:
            return written
        keep = match.start()
        cut = len(written) - keep  # the link's text is the end of the line's buffer
        buf = self._buf
        while cut > 0 and buf:
            last = buf[-1]
            if len(last) <= cut:
                cut -= len(last)
                buf.pop()
            else:
                buf[-1] = last[: len(last) - cut]
                cut = 0
        return written[:keep]


@dataclass(slots=True)
class Document:
    """A page reduced to what the extractors read."""

    lines: list[Line]
    title_tag: str | None
    lang: str | None
    canonical: str | None
    hrefs: tuple[str, ...] = ()  # link targets in the content (chrome skipped), as written
    flattened: int = 0  # block tags dropped for nesting deeper than MAX_BLOCK_NESTING
    og_title: str | None = None  # <meta property="og:title">: the title sharing tools show
    base: str | None = None  # <base href>: what the page's relative links are relative to
    crumbs: tuple[tuple[str, str], ...] = ()  # the breadcrumb trail's links: (text, href)


class _Chrome:
    """Tells, element by element during the walk, what is site chrome: the walk skips those
    subtrees without entering them, so a mega-menu costs nothing beyond lexbor's parse."""

    __slots__ = (
        "_body",
        "_has_main",
        "_hidden",
        "_holds_h1",
        "_soft_left",
        "_text_size",
        "crumbs",
        "lex",
        "lines",
    )

    def __init__(
        self,
        holds_h1: set[int],
        has_main: bool,
        lex: Lexicon,
        hidden: frozenset[str],
        body: LexborNode,
    ) -> None:
        self._holds_h1 = holds_h1
        self._has_main = has_main
        self._body = body
        self._text_size = -1  # the length of the body's text, measured when a form asks
        self._hidden = hidden  # the classes the page's own CSS hides
        self._soft_left = MAX_SOFT_CHROME  # sidebars whose text may still be looked at
        self.lex = lex
        self.crumbs: LexborNode | None = None  # the page's breadcrumb trail, when the walk met it
        self.lines: list[Line] = []  # the lines read so far (the walk's own list)

    def see_nav(self, node: LexborNode) -> None:
        """A ``<nav>`` the walk skips: remembered when it is the breadcrumb trail (named so by
        its ``aria-label``, class or id, or opening with "Sie sind hier" / "You are here")."""
        attrs = node.attributes
        named = (
            f"{attrs.get('aria-label') or ''} {attrs.get('class') or ''} {attrs.get('id') or ''}"
        )
        if self.lex.breadcrumb_name.search(named) or self.lex.breadcrumb_lead.match(
            _first_text(node)
        ):
            self.crumbs = node

    def holds_content(self, form: LexborNode) -> bool:
        """Whether a ``<form>`` holds the page's content rather than being a small search,
        login or newsletter form (chrome): it holds the ``<h1>``, or it is not small and holds
        at least half the body's text (forms never nest, so each byte is measured once, and the
        body at most once a page)."""
        if form.mem_id in self._holds_h1:
            return True
        size = len(form.text(deep=True, separator="", strip=False))
        if size < SMALL_FORM:
            return False  # (most forms: the body is never measured)
        if self._text_size < 0:
            self._text_size = len(self._body.text(deep=True, separator="", strip=False))
        return 2 * size >= self._text_size

    def skips(self, node: LexborNode, tag: str, attrs: dict[str, str | None]) -> bool:
        role = attrs.get("role")
        if tag in ("main", "article") or role == "main":
            return False
        if "hidden" in attrs or attrs.get("aria-hidden") == "true" or role in CHROME_ROLES:
            return True
        style = attrs.get("style")
        if style and hides(style):
            return True  # display: none, visibility: hidden
        if self._hidden and not self._hidden.isdisjoint((attrs.get("class") or "").split()):
            return True
        if tag in _HEADER_FOOTER and not self._has_main and node.mem_id not in self._holds_h1:
            return True  # the page's own header or footer, outside any <main>
        if tag in KEEP_TAGS:
            return False
        marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        # (cached in the lexicon: a site's templates repeat their class names on every page)
        if marker == " ":
            return False
        kind = self.lex.chrome_marker(marker)
        if kind == 1 and self.crumbs is None and self.lex.breadcrumb_name.search(marker):
            self.crumbs = node  # skipped as chrome, its trail still read
        if kind != 2:
            return kind == 1 and not self._under_related_heading()
        # A sidebar: read when it holds a fact's label (its text, without entering it). A
        # page's first few only, so sidebars nested in sidebars never make the walk quadratic.
        if self._soft_left <= 0:
            return True
        self._soft_left -= 1
        return not self.lex.holds_fact_label(node.text(separator="\n").split("\n"))

    def _under_related_heading(self) -> bool:
        """Whether the last line read is a related-projects heading ("Weitere Projekte"): the
        links under it are its cards, whatever the box's class calls them (a "menu")."""
        lines = self.lines
        if not lines or lines[-1].kind != "h":
            return False
        text = lines[-1].text
        hit = self.lex.match_label(text)
        if hit is not None:
            return hit.field == "related" and not hit.value
        return self.lex.related_heading.match(text) is not None


@dataclass(frozen=True, slots=True)
class _Root:
    node: LexborNode
    chrome: _Chrome
    asides: tuple[LexborNode, ...]  # the page's asides outside the root, in document order


def _content_root(body: LexborNode, lex: Lexicon, hidden: frozenset[str]) -> _Root:
    """The content root and the chrome test for the walk, from one pass of lexbor's CSS engine.

    The root is ``<main>`` (or ``role=main``) holding the ``<h1>``, else a single ``<article>``
    holding it, else the body without its page header and footer.
    """
    found = [(node, node.tag) for node in body.css(ROOT_SELECTOR)]
    holds_h1, main = _h1_holders([node for node, tag in found if tag == "h1"])
    asides = tuple(node for node, tag in found if tag == "aside")
    if main is not None:
        return _Root(main, _Chrome(holds_h1, True, lex, hidden, body), _outside(main, asides))
    articles = [node for node, tag in found if tag == "article"]
    if len(articles) == 1 and articles[0].mem_id in holds_h1:
        root = articles[0]
        return _Root(root, _Chrome(holds_h1, True, lex, hidden, body), _outside(root, asides))
    return _Root(body, _Chrome(holds_h1, False, lex, hidden, body), ())


def _outside(root: LexborNode, asides: tuple[LexborNode, ...]) -> tuple[LexborNode, ...]:
    """The first few asides that are neither inside ``root`` nor inside another aside."""
    outer: list[LexborNode] = []
    seen = {root.mem_id}
    for aside in asides[: 4 * MAX_OUTER_ASIDES]:
        node = aside.parent
        while node is not None and node.mem_id not in seen and node.tag != "aside":
            node = node.parent
        seen.add(aside.mem_id)
        if node is None:
            outer.append(aside)
            if len(outer) == MAX_OUTER_ASIDES:
                break
    return tuple(outer)


def _grantee_card(aside: LexborNode, chrome: _Chrome) -> bool:
    """Whether an aside beside the content (a right column) holds the grantee's card: a line
    that is a grantee's label on its own ("Projektträger", "Grantee"). Its other boxes (news,
    a donate box) are read with it, as the content's sidebar."""
    attrs = aside.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return False
    lex = chrome.lex
    for text in aside.text(separator="\n").split("\n"):
        if 0 < len(text) <= 60 and lex.maybe_grantee(text.strip()):
            hit = lex.match_label(collapse(text))
            if hit is not None and hit.field == "grantee" and not hit.value:
                return True
    return False


def _related_box(aside: LexborNode, chrome: _Chrome) -> bool:
    """Whether an aside after the content holds the related posts: its first heading is a
    related label ("Weitere Projekte aus dem Archiv", "Related posts")."""
    heading = aside.css_first("h2, h3, h4")
    if heading is None or "hidden" in aside.attributes:
        return False
    text = collapse(heading.text(deep=True))
    if len(text) > 80:
        return False
    lex = chrome.lex
    hit = lex.match_label(text)
    return (hit is not None and hit.field == "related") or bool(lex.related_heading.match(text))


def _h1_holders(headings: list[LexborNode]) -> tuple[set[int], LexborNode | None]:
    """The elements (by ``mem_id``) that have one of these ``<h1>`` among their descendants, and
    the first ``<main>`` (or ``role=main`` element, the body included) in document order that
    holds one: the outermost such around the first heading that has one."""
    holders: set[int] = set()
    main: LexborNode | None = None
    for h1 in headings:
        node = h1.parent
        outermost: LexborNode | None = None
        while node is not None and node.mem_id not in holders:
            holders.add(node.mem_id)
            if main is None:
                tag = node.tag
                if tag == "main" or (
                    tag not in _ABOVE_BODY and tag != "h1" and node.attributes.get("role") == "main"
                ):
                    outermost = node
            node = node.parent
        if main is None:  # (an ancestor shared with an earlier heading was looked at then)
            main = outermost
    return holders, main


_ABOVE_BODY = frozenset({"html", "-document"})


@dataclass(frozen=True, slots=True)
class _Head:
    lang: str | None
    title: str | None
    canonical: str | None
    og_title: str | None
    sheets: tuple[str, ...]  # the text of each <style> in <head>
    base: str | None = None  # <base href>


def _head_facts(tree: LexborHTMLParser) -> _Head:
    """The page's ``lang``, ``<title>`` text, canonical link, ``og:title`` and style sheets:
    read from the few children of ``<head>``; only a page without a title or canonical link
    there costs a search of the whole document."""
    title_node = canonical_node = og_node = None
    base: str | None = None
    sheets: list[str] = []
    head = tree.head
    for node in head.iter() if head is not None else ():
        tag = node.tag
        if tag == "title" and title_node is None:
            title_node = node
        elif tag == "link" and canonical_node is None and node.attributes.get("rel") == "canonical":
            canonical_node = node
        elif tag == "meta" and og_node is None and node.attributes.get("property") == "og:title":
            og_node = node
        elif tag == "style":
            sheets.append(node.text())
        elif tag == "base" and base is None:
            base = node.attributes.get("href") or None
    if title_node is None:
        title_node = tree.css_first("title")
    if canonical_node is None:
        canonical_node = tree.css_first('link[rel="canonical"]')
    root = tree.root
    lang = root.attributes.get("lang") if root is not None and root.tag == "html" else None
    title = collapse(title_node.text() or "") if title_node is not None else None
    canonical = canonical_node.attributes.get("href") if canonical_node is not None else None
    og_title = collapse(og_node.attributes.get("content") or "") if og_node is not None else ""
    return _Head(lang or None, title or None, canonical, og_title or None, tuple(sheets), base)


def canonical_link(html: str | bytes) -> str | None:
    """The page's ``<link rel=canonical>`` as written, or None."""
    return _head_facts(LexborHTMLParser(cap_nesting(html)[0])).canonical


def read_document(html: str | bytes, lex: Lexicon) -> Document:
    """Parse HTML (text, or bytes in UTF-8) and flatten its main content into lines."""
    html, flattened = cap_nesting(html)
    tree = LexborHTMLParser(html)
    head = _head_facts(tree)
    body = tree.body
    if body is None:
        return Document(
            [], head.title, head.lang, head.canonical, flattened=flattened, og_title=head.og_title
        )
    hidden = hidden_classes(head.sheets) if head.sheets else frozenset()
    root = _content_root(body, lex, hidden)
    flattener = _Flattener(root.chrome)
    root.chrome.lines = flattener.lines
    flattener.walk(root.node)
    flattener.flush()
    for aside in root.asides:
        # The grantee's card in a column beside <main>, or the related posts under it: read
        # after the content, as its aside.
        if _grantee_card(aside, root.chrome) or _related_box(aside, root.chrome):
            flattener.walk_aside(aside)
    # (a list first: a generator expression resumes its frame for every item)
    hrefs = tuple([link.href for line in flattener.lines for link in line.links if link.href])
    return Document(
        flattener.lines,
        head.title,
        head.lang,
        head.canonical,
        hrefs,
        flattened,
        head.og_title,
        head.base,
        _trail(root.chrome.crumbs),
    )


def _first_text(node: LexborNode, limit: int = 12) -> str:
    """The first words of an element's text, from its first few descendants only (a mega-menu's
    whole text is never collected to read how it opens)."""
    parts: list[str] = []
    for count, child in enumerate(node.traverse(include_text=True)):
        if count >= limit:
            break
        if child.is_text_node and (text := (child.text_content or "").strip()):
            parts.append(text)
            if sum(len(p) for p in parts) >= 20:
                break
    return collapse(" ".join(parts))


def _trail(node: LexborNode | None) -> tuple[tuple[str, str], ...]:
    """The links of a breadcrumb trail, in order: (text, href as written)."""
    if node is None:
        return ()
    return tuple(
        (collapse(link.text(deep=True)), href)
        for link in node.css("a")
        if (href := link.attributes.get("href")) is not None
    )
