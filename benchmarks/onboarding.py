"""Onboarding: what `pipeline sites init` proposes for each fixture foundation, from its home URL.

Usage: python benchmarks/onboarding.py [--snapshot v1] [--only ID,ID]

Each foundation's snapshot is served on 127.0.0.1; the bounded sample crawl of ``sites init``
(:func:`pipeline.onboard.propose_profile`) runs against its home page, and its proposed
profile is judged against the foundation's hand-written expected facts: how many of the
project pages its ``project_paths`` take (of all of them), how many other pages it takes too
(listings, news, team, job ads...), whether it found the site's origin, and the requests it
made. The held-out foundations (built without looking at the parser, never tuned to) show how
onboarding fares on a site nobody prepared it for; they are marked.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures.foundations.catalog import FOUNDATIONS, HELD_OUT  # noqa: E402
from pipeline.crawl import CrawlSettings  # noqa: E402
from pipeline.fixture_server import FixtureSite, served_pages  # noqa: E402
from pipeline.onboard import SampleSettings, propose_profile  # noqa: E402

FAST = CrawlSettings(delay=0.0, backoff=0.01, parse_processes=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", default="v1")
    parser.add_argument("--only", help="Comma-separated foundation ids (default: all).")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    print(f"{'foundation':<14}{'projects found':>16}{'others taken':>14}{'origin':>8}"
          f"{'requests':>10}{'seconds':>9}")  # fmt: skip
    for foundation in FOUNDATIONS:
        if only is not None and foundation.id not in only:
            continue
        snapshot = foundation.folder / "site" / args.snapshot
        if not snapshot.is_dir():
            continue
        expected_file = foundation.folder / "expected" / f"{args.snapshot}.json"
        expected = json.loads(expected_file.read_text("utf-8"))
        projects = {url.removeprefix(foundation.origin) for url in expected}
        others = served_pages(snapshot) - projects
        started = time.perf_counter()
        with FixtureSite(snapshot) as server:
            proposal = propose_profile(server.url + "/", SampleSettings(crawl=FAST))
        seconds = time.perf_counter() - started
        profile = proposal.profile
        found = [p for p in projects if profile.is_project_path(p)]
        taken = sorted(p for p in others if profile.is_project_path(p))
        mark = " (held out)" if foundation.id in HELD_OUT else ""
        print(
            f"{foundation.id:<14}{f'{len(found)}/{len(projects)}':>16}"
            f"{f'{len(taken)}/{len(others)}':>14}"
            f"{'yes' if profile.origin == foundation.origin else 'no':>8}"
            f"{proposal.requests:>10}{seconds:>9.1f}{mark}"
        )
        missed = sorted(set(projects) - set(found))
        for label, paths in (("missed", missed), ("taken", taken)):
            if paths:
                shown = ", ".join(paths[:3]) + (" ..." if len(paths) > 3 else "")
                print(f"{'':<14}{label}: {shown}")


if __name__ == "__main__":
    main()
