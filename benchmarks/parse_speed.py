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
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser

from fixtures.sitegen.facts import PROJECTS
from fixtures.sitegen.model import ORIGIN
from fixtures.sitegen.padding import padded
from fixtures.sitegen.render import render_project
from pipeline.extract.vocabulary import lexicon_for
from pipeline.parse import parse_page
from pipeline.profiles import discover

SPI = discover().get("stiftung-spi")


def parse_spi(body: bytes, url: str) -> object:
    return parse_page(body, url, SPI)


Pages = list[tuple[bytes, str]]


def rates(
    runs: dict[str, tuple[Callable[[bytes, str], object], Pages]], seconds: float
) -> dict[str, tuple[float, float]]:
    """Pages/s of each function on its pages, over passes taken in turn: name -> (median pass,
    best pass).

    Taking turns puts every function under the same conditions (the machine's other load, the
    allocator's state), which measuring one after the other does not: lexbor alone varied by
    20 % from one layout of the same pages to another. The median is what to expect."""
    passes: dict[str, list[float]] = {name: [] for name in runs}
    start = time.perf_counter()
    while time.perf_counter() - start < seconds * len(runs) or len(passes[next(iter(runs))]) < 3:
        for name, (func, pages) in runs.items():
            lexicon_for(SPI).clear_caches()  # each pass starts cold, as a crawl of new pages would
            begin = time.perf_counter()
            for body, url in pages:
                func(body, url)
            passes[name].append(len(pages) / (time.perf_counter() - begin))
    return {name: (statistics.median(p), max(p)) for name, p in passes.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    pages = [
        (padded(render_project(p, style)), ORIGIN + p.path) for p in PROJECTS for style in "abc"
    ]
    sizes = [len(body) for body, _ in pages]
    for body, url in pages:  # every padded page still parses to a record
        assert parse_page(body, url, SPI).kind == "project", url
    print(
        f"pages: {len(pages)}, size median {statistics.median(sizes) / 1024:.1f} KiB "
        f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})"
    )
    classed = [
        (padded(render_project(p, style), classed_menu=True), ORIGIN + p.path)
        for p in PROJECTS
        for style in "abc"
    ]
    found = rates(
        {
            "lexbor": (lambda body, url: LexborHTMLParser(body), pages),
            "parse_page": (parse_spi, pages),
            "classed": (parse_spi, classed),
        },
        args.seconds,
    )
    lexbor, lexbor_best = found["lexbor"]
    full, full_best = found["parse_page"]
    print(f"selectolax (lexbor) parse only:  {lexbor:6.0f} pages/s (best pass {lexbor_best:.0f})")
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
    classed_rate, classed_best = found["classed"]
    print(
        f"  with a class on every menu element: {classed_rate:6.0f} pages/s "
        f"(best pass {classed_best:.0f})"
    )


if __name__ == "__main__":
    main()
