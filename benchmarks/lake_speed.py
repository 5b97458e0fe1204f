"""DuckLake speed: 4 writer processes into one lake against 1, on generated sites on 127.0.0.1.

Builds one generated site (benchmarks/crawl_speed.py's generator, PAGES project pages) and
serves it with nginx (Debian's nginx-light) on WORKERS ports, one site profile each (distinct
ports are distinct hosts). A PostgreSQL for the lake's catalog is ``$PIPELINE_TEST_PG``'s, or
one started here in a temporary folder (tests/lake_support.py). Measures, each into a fresh
lake, with no delay:

* 1 worker: one ``pipeline crawl --site S`` process after another, for every site;
* WORKERS workers: one such process per site, all at once.

and prints the pages, the wall time, the aggregate pages/s of each and the merge re-runs the
runs recorded (conflicts between the writers' merges). The sites share one page tree, so
their projects share canonical URLs; the writers still merge into the same tables.

    python benchmarks/lake_speed.py [--workers 4] [--pages 200]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from crawl_speed import build_site  # noqa: E402
from multisite_speed import free_ports, start_nginx, write_profiles  # noqa: E402

from pipeline.warehouse import Warehouse  # noqa: E402
from tests.lake_support import drop_lake, new_lake, postgres  # noqa: E402


def _start(config: Path, site: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "crawl", "--site", site, "--config", str(config),
         "--json", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=config.parent,
    )  # fmt: skip


def _rows(process: subprocess.Popen[str]) -> dict[str, object]:
    out, err = process.communicate()
    if not out.strip():
        sys.exit(f"a crawl printed nothing (exit {process.returncode}): {err[-2000:]}")
    row = json.loads(out)
    return row[0] if isinstance(row, list) else row  # type: ignore[no-any-return]


def _measure(config: Path, sites: list[str], together: bool) -> dict[str, object]:
    began = time.monotonic()
    if together:
        rows = [_rows(p) for p in [_start(config, s) for s in sites]]
    else:
        rows = [_rows(_start(config, s)) for s in sites]
    wall = time.monotonic() - began
    pages = sum(int(r["pages"]) for r in rows)  # type: ignore[call-overload]
    return {
        "processes_at_once": len(sites) if together else 1,
        "pages": pages,
        "wall_s": round(wall, 2),
        "pages_per_s": round(pages / wall, 1),
        "merge_retries": sum(int(r.get("merge_retries") or 0) for r in rows),  # type: ignore[call-overload]
        "statuses": sorted({str(r["status"]) for r in rows}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    with postgres() as dsn, tempfile.TemporaryDirectory(prefix="lake-bench-") as name:
        if dsn is None:
            sys.exit("no PostgreSQL: set PIPELINE_TEST_PG or install postgresql")
        tmp = Path(name)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user
        build_site(tmp / "site", args.pages)
        ports = free_ports(args.workers)
        nginx = start_nginx(tmp / "site", tmp, ports)
        results = {}
        try:
            sites = write_profiles(tmp / "profiles", ports)
            for label, together in (("1_worker", False), (f"{args.workers}_workers", True)):
                lake = new_lake(dsn, tmp)
                Warehouse.open(lake.db, data_path=lake.data_path).close()  # made once
                config = tmp / label / "pipeline.toml"
                config.parent.mkdir()
                config.write_text(
                    f'profiles_dir = "{tmp / "profiles"}"\narchive = false\ndelay = 0\n'
                    f'concurrency = 4\nrun_ids = "unique"\ndb = "{lake.db}"\n'
                    f'data_path = "{lake.data_path}"\n'
                )
                results[label] = _measure(config, sites, together)
                drop_lake(lake)
        finally:
            nginx.terminate()
            nginx.wait()
    one, many = results["1_worker"], results[f"{args.workers}_workers"]
    results["speedup"] = round(float(many["pages_per_s"]) / float(one["pages_per_s"]), 2)  # type: ignore[arg-type]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
