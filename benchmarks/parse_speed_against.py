"""Parse speed against another revision, in one process: paired passes over the SPI benchmark.

Usage: python benchmarks/parse_speed_against.py REV [--seconds 60]

``benchmarks/parse_speed.py`` run once per revision compares two processes, each with its own
memory layout and its own share of a busy machine: single runs differ by 5 % and more. Here
the parser of ``REV`` (its ``pipeline`` and ``schemas`` from git, imported under other names)
and the parser of this checkout parse the same padded SPI pages in one process, in passes taken
in turn (each starting with cold caches, the order alternating), and each round's ratio of the
two passes is kept: the median of those ratios is what one parser costs against the other. Run
it with ``REV`` set to ``HEAD`` (and a clean checkout) to see the method's own error, about 1 %.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from types import ModuleType

from benchmarks.parse_speed import Pages, spi_pages

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "schemas")


def renamed_copy(source: Path, target: Path, suffix: str) -> None:
    """The packages under ``source`` copied into ``target`` as ``<name>_<suffix>``, their
    imports of each other rewritten to the new names."""
    for name in PACKAGES:
        shutil.copytree(
            source / name, target / f"{name}_{suffix}", ignore=shutil.ignore_patterns("__pycache__")
        )
    words = "|".join(PACKAGES)
    imports = re.compile(rf"\b(from|import) ({words})\b")
    dotted = re.compile(rf"\b({words})\.([a-z_]+)")
    for path in target.glob(f"*_{suffix}/**/*.py"):
        text = path.read_text(encoding="utf-8")
        text = imports.sub(rf"\1 \2_{suffix}", text)
        text = dotted.sub(rf"\1_{suffix}.\2", text)
        path.write_text(text, encoding="utf-8")


def revision_copy(rev: str, target: Path, suffix: str) -> None:
    """``rev``'s packages (from git, not the work tree) as a renamed copy in ``target``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, *PACKAGES],
        check=True,
        capture_output=True,
    ).stdout
    unpacked = target / f"rev-{suffix}"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(unpacked, filter="data")
    renamed_copy(unpacked, target, suffix)


def parser_of(suffix: str) -> tuple[Callable[[bytes, str], object], Callable[[], None]]:
    """The renamed copy's parse of an SPI page, and what makes its caches cold."""
    parse: ModuleType = importlib.import_module(f"pipeline_{suffix}.parse")
    profiles = importlib.import_module(f"pipeline_{suffix}.profiles")
    vocabulary = importlib.import_module(f"pipeline_{suffix}.extract.vocabulary")
    profile = profiles.discover().get("stiftung-spi")
    lexicon = vocabulary.lexicon_for(profile)

    def parse_spi(body: bytes, url: str) -> object:
        return parse.parse_page(body, url, profile)

    return parse_spi, lexicon.clear_caches


def paired_ratios(
    parsers: dict[str, tuple[Callable[[bytes, str], object], Callable[[], None]]],
    pages: Pages,
    seconds: float,
) -> tuple[list[float], dict[str, list[float]]]:
    """Each round's ratio (second parser's pass over the first's), and every pass's µs/page."""
    names = list(parsers)
    ratios: list[float] = []
    passes: dict[str, list[float]] = {name: [] for name in names}
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < seconds or rounds < 5:
        took: dict[str, float] = {}
        for name in names if rounds % 2 == 0 else names[::-1]:
            parse, cold = parsers[name]
            cold()
            begin = time.perf_counter()
            for body, url in pages:
                parse(body, url)
            took[name] = time.perf_counter() - begin
            passes[name].append(took[name] / len(pages) * 1e6)
        ratios.append(took[names[1]] / took[names[0]])
        rounds += 1
    return ratios, passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the revision to compare with (a commit, tag or branch)")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    pages = spi_pages()
    with tempfile.TemporaryDirectory(prefix="parse-speed-") as tmp:
        target = Path(tmp)
        revision_copy(args.rev, target, "rev")
        renamed_copy(ROOT, target, "here")
        sys.path.insert(0, str(target))
        parsers = {"rev": parser_of("rev"), "here": parser_of("here")}
        for parse, _cold in parsers.values():  # warm: imports, compiled patterns
            for body, url in pages:
                parse(body, url)
        ratios, passes = paired_ratios(parsers, pages, args.seconds)
    low, _median, high = statistics.quantiles(ratios, n=4)
    print(f"pages: {len(pages)} padded SPI project pages; {len(ratios)} rounds")
    for name, label in (("rev", args.rev), ("here", "this checkout")):
        print(
            f"  {label:>14}: median pass {statistics.median(passes[name]):5.0f} µs/page "
            f"(best {min(passes[name]):.0f})"
        )
    print(
        f"this checkout costs {statistics.median(ratios):.3f} x {args.rev} "
        f"(median of the paired rounds; quartiles {low:.3f}-{high:.3f})"
    )


if __name__ == "__main__":
    main()
