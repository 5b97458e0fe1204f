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


def rate(func, pages: list[tuple[bytes, str]], seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        match_label.cache_clear()  # each pass starts cold, as a crawl of new pages would
        for body, url in pages:
            func(body, url)
        done += len(pages)
    return done / (time.perf_counter() - start)


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
    lexbor = rate(lambda body, url: LexborHTMLParser(body.decode("utf-8")), pages, args.seconds)
    print(f"selectolax (lexbor) parse only: {lexbor:8.0f} pages/s")
    full = rate(parse_page, pages, args.seconds)
    print(f"parse_page (extract + validate): {full:8.0f} pages/s  (target >= 2000)")
    classed = [
        (padded(render_project(p, style), classed_menu=True), ORIGIN + p.path)
        for p in PROJECTS
        for style in "abc"
    ]
    full = rate(parse_page, classed, args.seconds)
    print(f"  the same, a class on every menu element: {full:8.0f} pages/s")


if __name__ == "__main__":
    main()
