"""Parse speed: extraction + validation of typical 30-40 KB project pages on one core.

Usage: python benchmarks/parse_speed.py [--seconds 5] [--sites spi|all]

Pages are the fixture site's project pages in all three markup styles, padded the way real
TYPO3 pages are (a mega-menu, inline scripts, a long body) to 30-40 KB. Prints pages/s for
parse_page on bytes (decoding included) and, for reference, for selectolax's parse alone; then
parse_page again with a class on every menu element, as TYPO3 templates usually write menus.

``--sites all`` measures, after that, every project and non-project page of all three fixture
sites (snapshot v1, as served, each parsed with its own profile file): pages/s and lexbor parses
per page for each site, in alternating passes.
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
from pipeline.profiles import SiteProfile, discover

SPI = discover().get("stiftung-spi")
Parse = Callable[[bytes, str], object]


def parse_spi(body: bytes, url: str) -> object:
    return parse_page(body, url, SPI)


Pages = list[tuple[bytes, str]]
PROFILES: list[SiteProfile] = [SPI]


def spi_pages(classed_menu: bool = False) -> Pages:
    """The benchmark's pages: every SPI fixture project in its three markups, padded (with a
    class on every menu element when ``classed_menu``), and its URL."""
    return [
        (padded(render_project(p, style), classed_menu=classed_menu), ORIGIN + p.path)
        for p in PROJECTS
        for style in "abc"
    ]


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
            for profile in PROFILES:  # each pass starts cold, as a crawl of new pages would
                lexicon_for(profile).clear_caches()
            begin = time.perf_counter()
            for body, url in pages:
                func(body, url)
            passes[name].append(len(pages) / (time.perf_counter() - begin))
    return {name: (statistics.median(p), max(p)) for name, p in passes.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--sites", choices=("spi", "all"), default="spi")
    args = parser.parse_args()
    pages = spi_pages()
    sizes = [len(body) for body, _ in pages]
    for body, url in pages:  # every padded page still parses to a record
        assert parse_page(body, url, SPI).kind == "project", url
    print(
        f"pages: {len(pages)}, size median {statistics.median(sizes) / 1024:.1f} KiB "
        f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})"
    )
    classed = spi_pages(classed_menu=True)
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
    if args.sites == "all":
        all_sites(args.seconds)


def all_sites(seconds: float) -> None:
    """Every page of the three fixture sites, each site with its own profile."""
    from benchmarks.field_accuracy import FOUNDATIONS, foundation_pages, profiles, spi_pages

    by_site = profiles()
    PROFILES[:] = list(by_site.values())
    pages: dict[str, Pages] = {"stiftung-spi": [(p.html, p.url) for p in spi_pages("v1")]}
    for foundation in FOUNDATIONS:
        pages[foundation.id] = [(p.html, p.url) for p in foundation_pages(foundation, "v1")]
    runs: dict[str, tuple[Parse, Pages]] = {}
    for site, site_pages in pages.items():
        profile = by_site[site]
        runs[f"lexbor {site}"] = (lambda body, url: LexborHTMLParser(body), site_pages)
        runs[site] = (lambda body, url, profile=profile: parse_page(body, url, profile), site_pages)
    found = rates(runs, seconds / 2)
    print(
        "all three fixture sites, snapshot v1 (every page, as served; SPI's are served unpadded,"
        " so its lexbor ratio is not comparable: the padded SPI figures above are the reference):"
    )
    for site, site_pages in pages.items():
        kib = statistics.median(len(body) for body, _ in site_pages) / 1024
        rate, best = found[site]
        ratio = found[f"lexbor {site}"][0] / rate
        print(
            f"  {site:14} {len(site_pages):3} pages, median {kib:5.1f} KiB: {rate:6.0f} pages/s "
            f"(best pass {best:.0f}); a page costs {ratio:.2f} lexbor parses"
        )


if __name__ == "__main__":
    main()
