"""Parse speed: extraction + validation of typical 30-40 KB project pages on one core.

Usage: python benchmarks/parse_speed.py [--seconds 5]

Pages are the fixture site's project pages in all three markup styles, padded the way real
TYPO3 pages are (a mega-menu, inline scripts, a long body) to 30-40 KB. Prints pages/s for
parse_page on bytes (decoding included) and, for reference, for selectolax's parse alone; then
parse_page again with a class on every menu element, as TYPO3 templates usually write menus.
"""

from __future__ import annotations

import argparse
import statistics
import time

from selectolax.lexbor import LexborHTMLParser

from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.model import ORIGIN
from fixtures.sitegen.padding import padded
from fixtures.sitegen.render import render_project
from pipeline.extract.labels_match import match_label
from pipeline.parse import parse_page


def rate(func, pages: list[tuple[bytes, str]], seconds: float) -> tuple[float, float]:
    """Pages/s over repeated passes: (median pass, best pass). The best pass is the least
    disturbed by the machine's other load; the median is what to expect."""
    passes: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(passes) < 3:
        match_label.cache_clear()  # each pass starts cold, as a crawl of new pages would
        begin = time.perf_counter()
        for body, url in pages:
            func(body, url)
        passes.append(len(pages) / (time.perf_counter() - begin))
    return statistics.median(passes), max(passes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    pages = [
        (padded(render_project(p, style)), ORIGIN + p.path) for p in PROJECTS for style in "abc"
    ]
    sizes = [len(body) for body, _ in pages]
    for body, url in pages:  # every padded page still parses to a record
        assert parse_page(body, url).kind == "project", url
    print(
        f"pages: {len(pages)}, size median {statistics.median(sizes) / 1024:.1f} KiB "
        f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})"
    )
    lexbor, lexbor_best = rate(lambda body, url: LexborHTMLParser(body), pages, args.seconds)
    print(f"selectolax (lexbor) parse only:  {lexbor:6.0f} pages/s (best pass {lexbor_best:.0f})")
    full, full_best = rate(parse_page, pages, args.seconds)
    print(
        f"parse_page (extract + validate): {full:6.0f} pages/s (best pass {full_best:.0f}; "
        "target >= 2000)"
    )
    # The reference machine: lexbor ~7,000/s and the target 2,000/s, a page costing at
    # most 3.5 lexbor parses. The same ratio here tells what this machine's speed allows.
    print(
        f"  a page costs {lexbor / full:.2f} lexbor parses (reference 3.50: "
        f"{lexbor / 3.5:.0f} pages/s here)"
    )
    classed = [
        (padded(render_project(p, style), classed_menu=True), ORIGIN + p.path)
        for p in PROJECTS
        for style in "abc"
    ]
    full, full_best = rate(parse_page, classed, args.seconds)
    print(f"  with a class on every menu element: {full:6.0f} pages/s (best pass {full_best:.0f})")


if __name__ == "__main__":
    main()
