"""robots.txt as the crawl reads it (RFC 9309), on top of protego.

Three things protego leaves to its caller: the bytes become text as UTF-8 with a byte-order mark
skipped (with the mark left in, the first ``User-agent`` line is not read and that group's rules
are lost); a group names a crawler by its product token, so ``foundation-pipeline/0.1.0`` and
``Foundation-Pipeline (+https://...)`` are groups for ``foundation-pipeline`` (as Google's parser
reads them: the token ends at the first character that is not a letter, ``-`` or ``_``); and a
relative ``Sitemap:`` line is resolved against the robots.txt URL.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from protego import Protego

# A user-agent line (in the spellings protego accepts) whose value starts with a product token
# (group 2); what follows the token up to a comment (a version, a URL in parentheses) is dropped.
_AGENT_LINE = re.compile(r"^([ \t]*user[- ]?agent[ \t]*:?[ \t]*)([A-Za-z_-]+)[^#\n]*", re.I | re.M)


def robots_text(body: bytes) -> str:
    """The text protego is given: decoded, one ``\\n`` per line, each group named by its token."""
    text = "\n".join(body.decode("utf-8-sig", "replace").splitlines())
    return _AGENT_LINE.sub(r"\1\2", text)


def parse_robots(body: bytes) -> Protego:
    """A fetched robots.txt as protego rules."""
    return Protego.parse(robots_text(body))


def sitemap_urls(robots: Protego, robots_url: str) -> list[str]:
    """The ``Sitemap:`` lines as absolute http(s) URLs (relative ones resolved), in order."""
    urls = [urljoin(robots_url, value.strip()) for value in robots.sitemaps]
    return [url for url in urls if urlsplit(url).scheme in ("http", "https")]
