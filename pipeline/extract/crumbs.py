"""The topic a breadcrumb trail names: the one category between the site's section and the page.

"Startseite > Engagement > Bildung > Mathe-Mut": the trail's links are the home page, the
section and the category; the page itself is the trail's last, unlinked item. The category
counts only when the page's own address lies under the category's ("/engagement/bildung/" over
"/engagement/bildung/mathe-mut/"), so a trail of archive years or listings names no topic.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pipeline.urls import absolute

TRAIL_LINKS = 3  # home, section, category


def breadcrumb_category(crumbs: tuple[tuple[str, str], ...], base: str, page_url: str) -> list[str]:
    """The category of a breadcrumb trail of exactly home, section and category links, as a
    one-item list, or [] when the trail names none."""
    if len(crumbs) != TRAIL_LINKS:
        return []
    text, href = crumbs[-1]
    section = absolute(crumbs[-2][1], base)
    category = absolute(href, base)
    if not text or text.isdigit() or category is None or section is None:
        return []
    page, under, over = (urlsplit(u).path for u in (page_url, category, section))
    if not _below(page, under) or not _below(under, over):
        return []
    return [text]


def _below(path: str, parent: str) -> bool:
    """Whether ``path`` lies strictly under the folder ``parent``."""
    folder = parent.rstrip("/") + "/"
    return folder != "/" and path.startswith(folder) and len(path) > len(folder)
