"""WACZ packing: time and peak memory of `pipeline archive pack` for a large run.

Usage: python benchmarks/wacz_speed.py [--size 2000] [--validate]

Generates crawl_speed.py's site (``--size`` project pages, padded to real TYPO3 size), serves
it with nginx (Debian's nginx-light), crawls it twice with the archive on (the second run is
all 304s: every page a revisit of the first run), then packs each run in a fresh process and
reports the seconds, the process's peak RSS, the pack's size and, for run 2, how many earlier
captures were copied in. ``--validate`` also times py-wacz's validator on both packs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from crawl_speed import build_site, measure, start_nginx  # noqa: E402


def child_pack(db: str, run_id: int, out: str) -> None:
    """Pack one run in this fresh process; prints a JSON line."""
    from pipeline.archive.wacz import pack_wacz
    from pipeline.warehouse import Warehouse
    from pipeline.warehouse.evidence import wacz_plan

    start = time.perf_counter()
    with Warehouse.open(db, read_only=True) as warehouse:
        plan = wacz_plan(warehouse.con, run_id)
    planned = time.perf_counter() - start
    result = pack_wacz(plan, Path(out))
    elapsed = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "plan_seconds": planned,
                "pages": result.pages,
                "revisits": result.revisits,
                "originals": result.originals,
                "missing": len(result.missing),
                "warc_mb": plan.warc.stat().st_size / 2**20,
                "pack_mb": Path(out).stat().st_size / 2**20,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def child_validate(path: str) -> None:
    from wacz.main import main as wacz_main

    start = time.perf_counter()
    code = wacz_main(["validate", "-f", path])
    elapsed = time.perf_counter() - start
    print(json.dumps({"code": code, "seconds": elapsed}))


def _json(args: list[str], what: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{what} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wacz-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user
        root = tmp / "site"
        build_site(root, args.size)
        nginx, base = start_nginx(root, tmp)
        try:
            db, warc = tmp / "a.duckdb", tmp / "warc"
            crawls = [measure("first", base, db, warc, 4), measure("recrawl", base, db, warc, 4)]
        finally:
            nginx.terminate()
            nginx.wait()
        print(f"== {args.size} project pages; two runs ({crawls[1]['not_modified']} 304s) ==")
        for run_id in (1, 2):
            out = tmp / f"run{run_id}.wacz"
            m = _json(["--child-pack", str(db), str(run_id), str(out)], f"packing run {run_id}")
            print(
                f"run {run_id}: {m['pages']} pages, {m['revisits']} revisits, "
                f"{m['originals']} earlier captures copied, {m['missing']} missing; "
                f"WARC {m['warc_mb']:.1f} MiB -> pack {m['pack_mb']:.1f} MiB in "
                f"{m['seconds']:.2f} s (plan {m['plan_seconds']:.2f} s), "
                f"peak RSS {m['rss_mb']:.0f} MB"
            )
            if args.validate:
                v = _json(["--child-validate", str(out)], f"validating run {run_id}")
                print(f"  wacz validate: exit {v['code']} in {v['seconds']:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-pack":
        child_pack(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-validate":
        child_validate(sys.argv[2])
    else:
        main()
