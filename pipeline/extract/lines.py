"""Flatten a page's main content into lines, the way a reader sees it.

Block elements and ``<br>`` end a line; inline elements join. Each line keeps what the
extractors need of the structure it came from: heading level, list membership, definition-list
and table roles, whether it sits in a header, an ``<address>`` or an ``<aside>``, and its links.
Images become their own lines (their alt text), since logos carry funder names.

Site chrome (navigation, footer, cookie banners, scripts) is removed before flattening.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.labels import CHROME_ATTR
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
        "form",
        "dialog",
        "video",
        "audio",
        "canvas",
        "map",
        "-comment",
    }
)
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
# Selectors whose elements are chrome wherever they stand.
# Elements whose role marks them as chrome.
CHROME_ROLES = frozenset({"navigation", "contentinfo", "search", "dialog", "alertdialog", "banner"})
# Never removed for their class or id: they hold the content.
KEEP_TAGS = frozenset({"body", "html", "main", "article", "h1"})
# One CSS pass finds the content root candidates and every element that may be chrome.
STRUCTURE_SELECTOR = (
    "main, article, nav, header, footer, [role], [hidden], [aria-hidden], [class], [id]"
)


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


@dataclass(slots=True)
class _Ctx:
    kind: str = "p"
    level: int = 0
    list_id: int = -1
    top_list: int = -1
    row: int = -1
    header: bool = False
    address: bool = False
    aside: bool = False

    def line(self, text: str, links: list[Link], kind: str | None = None) -> Line:
        return Line(
            text,
            kind or self.kind,
            self.level,
            self.list_id,
            self.top_list,
            self.row,
            self.header,
            self.address,
            self.aside,
            links,
        )

    def copy(self) -> _Ctx:
        return _Ctx(
            self.kind,
            self.level,
            self.list_id,
            self.top_list,
            self.row,
            self.header,
            self.address,
            self.aside,
        )


class _Flattener:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._buf: list[str] = []
        self._links: list[Link] = []
        self._ctx = _Ctx()
        self._ids = 0
        self._anchor: Link | None = None

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def flush(self) -> None:
        if self._buf:
            text = collapse("".join(self._buf))
            if text:
                self.lines.append(self._ctx.line(text, self._links))
                self._links = []
            self._buf.clear()
        elif self._links:
            self._links = []

    def _child_ctx(self, tag: str) -> _Ctx | None:
        """The context inside a block element; None when it is the same as outside."""
        c = self._ctx
        if tag in HEADINGS:
            new = c.copy()
            new.kind, new.level = "h", HEADINGS[tag]
        elif tag in _CELL_KIND:
            new = c.copy()
            new.kind = _CELL_KIND[tag]
        elif tag in ("ul", "ol", "menu"):
            new = c.copy()
            new.list_id = self._next_id()
            if c.top_list == -1:
                new.top_list = new.list_id
        elif tag == "tr":
            new = c.copy()
            new.row = self._next_id()
        elif tag in ("header", "hgroup"):
            new = c.copy()
            new.header = True
        elif tag == "address":
            new = c.copy()
            new.address = True
        elif tag == "aside":
            new = c.copy()
            new.aside = True
        elif c.kind == "h" and tag in _BODY_BLOCKS:
            # A paragraph or list inside a heading comes from unclosed heading tags; a reader
            # sees body text there.
            new = c.copy()
            new.kind, new.level = "p", 0
        else:
            return None
        return new

    def walk(self, node: LexborNode) -> None:
        buf = self._buf
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                buf.append(child.text_content or "")
            elif tag in SKIP:
                continue
            elif tag == "br":
                self.flush()
            elif tag == "img":
                self._image(child)
            elif tag == "a":
                self._link(child)
            elif tag in BLOCKS:
                self.flush()
                inner = self._child_ctx(tag)
                if inner is None:
                    self.walk(child)
                else:
                    outer, self._ctx = self._ctx, inner
                    self.walk(child)
                    self.flush()
                    self._ctx = outer
                    continue
                self.flush()
            else:
                self.walk(child)

    def _image(self, node: LexborNode) -> None:
        attrs = node.attributes
        alt = collapse(attrs.get("alt") or "")
        if not alt and self._anchor is not None:
            alt = collapse(self._anchor.title or "")
        if not alt:
            return
        self.flush()
        links = [self._anchor] if self._anchor is not None else []
        self.lines.append(self._ctx.line(alt, links, kind="img"))

    def _link(self, node: LexborNode) -> None:
        attrs = node.attributes
        link = Link(
            href=attrs.get("href"),
            text=collapse(node.text(deep=True) or ""),
            title=attrs.get("title"),
            token=attrs.get("data-mailto-token"),
        )
        self._links.append(link)
        outer, self._anchor = self._anchor, link
        self.walk(node)
        self._anchor = outer


@dataclass(slots=True)
class Document:
    """A page reduced to what the extractors read."""

    lines: list[Line]
    title_tag: str | None
    lang: str | None
    canonical: str | None
    hrefs: tuple[str, ...] = ()  # link targets in the content (chrome removed), as written


def _is_chrome(tag: str, attrs: dict[str, str | None]) -> bool:
    if tag == "nav" or "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if attrs.get("role") in CHROME_ROLES:
        return True
    marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return marker != " " and tag not in KEEP_TAGS and bool(CHROME_ATTR.search(marker))


def _prepare(tree: LexborHTMLParser) -> LexborNode | None:
    """Find the content root and remove site chrome, in one pass of lexbor's CSS engine.

    The root is ``<main>`` (or ``role=main``) holding the ``<h1>``, else a single ``<article>``
    holding it, else the body without its page header and footer.
    """
    body = tree.body
    if body is None:
        return None
    candidates = [(node, node.tag, node.attributes) for node in body.css(STRUCTURE_SELECTOR)]
    root, has_main = body, False
    mains = [n for n, tag, attrs in candidates if tag == "main" or attrs.get("role") == "main"]
    articles = [n for n, tag, _ in candidates if tag == "article"]
    for node in mains:
        if node.css_first("h1") is not None:
            root, has_main = node, True
            break
    else:
        if len(articles) == 1 and articles[0].css_first("h1") is not None:
            root, has_main = articles[0], True
    # remove() unlinks without freeing: a later candidate inside a removed subtree stays valid.
    for node, tag, attrs in candidates:
        if tag in ("main", "article") or attrs.get("role") == "main":
            continue
        if _is_chrome(tag, attrs) or (
            not has_main and tag in ("footer", "header") and node.css_first("h1") is None
        ):
            node.remove()
    return root


def read_document(html: str) -> Document:
    """Parse HTML and flatten its main content into lines."""
    tree = LexborHTMLParser(html)
    html_node = tree.css_first("html")
    lang = (html_node.attributes.get("lang") if html_node is not None else None) or None
    title_node = tree.css_first("title")
    title_tag = collapse(title_node.text() or "") if title_node is not None else None
    canonical_node = tree.css_first('link[rel="canonical"]')
    canonical = canonical_node.attributes.get("href") if canonical_node is not None else None
    root = _prepare(tree)
    flattener = _Flattener()
    if root is not None:
        flattener.walk(root)
        flattener.flush()
    hrefs = tuple(link.href for line in flattener.lines for link in line.links if link.href)
    return Document(flattener.lines, title_tag or None, lang, canonical, hrefs)
