"""Multi-site speed: ``pipeline crawl --all`` over many generated sites on 127.0.0.1.

Builds one generated site (benchmarks/crawl_speed.py's generator) and serves it with nginx
(Debian's nginx-light) on SITES ports: distinct ports are distinct hosts, each its own site
profile. Measures, each in a fresh process:

* one larger site (RATE_PAGES project pages, its own nginx) crawled with no delay and
  concurrency 4: the one-site CPU-bound rate (the run's pages/s, start-up aside);
* every site at once with ``--all`` and DELAY seconds per host.

and compares the ``--all`` wall time with the larger of the politeness bound (a site's
requests x DELAY: no site can finish sooner) and the CPU-bound time (all pages at the one-site
rate); the goal is at most 1.3 times that. Peak RSS is the largest process's (the crawl, or
a parse worker). The sites share one page tree, so their projects share canonical URLs: the
later sites' merges see the same projects (this measures speed, not the data).

    python benchmarks/multisite_speed.py [--sites 100] [--pages 200] [--delay 0.1]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from crawl_speed import build_site  # noqa: E402

NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 100000;
    types {{ text/html html; application/xml xml; application/gzip gz; text/plain txt; }}
    default_type text/html;
    charset utf-8;
    server {{
{listen}
        root {root};
        location / {{ try_files $uri/index@$args.html $uri/index.html $uri =404; }}
    }}
}}
"""
SPI = ROOT / "pipeline" / "profiles" / "builtin" / "stiftung-spi.toml"


def free_ports(count: int) -> list[int]:
    """``count`` distinct free ports (each socket held until all are chosen)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def start_nginx(root: Path, tmp: Path, ports: list[int]) -> subprocess.Popen[bytes]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx not found: install Debian's nginx-light (apt-get install -y nginx-light)")
    listen = "\n".join(f"        listen 127.0.0.1:{port};" for port in ports)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, listen=listen, root=root))
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"])
    time.sleep(0.5)
    return process


def write_profiles(folder: Path, ports: list[int]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    text = SPI.read_text("utf-8")
    ids = []
    for n, port in enumerate(ports):
        site = f"bench-{n:03d}"
        profile = re.sub(r'(?m)^id = ".*"$', f'id = "{site}"', text)
        profile = re.sub(r'(?m)^origin = ".*"$', f'origin = "http://127.0.0.1:{port}"', profile)
        (folder / f"{site}.toml").write_text(profile, "utf-8")
        ids.append(site)
    # the built-in profile's public origin is replaced by a local one (nothing leaves 127.0.0.1)
    (folder / "stiftung-spi.toml").write_text(
        re.sub(r'(?m)^origin = ".*"$', f'origin = "http://127.0.0.1:{ports[0]}"', text), "utf-8"
    )
    return ids


def crawl(config: Path, *args: str) -> tuple[float, list[dict[str, object]], float]:
    """(wall seconds, the JSON summary as rows, peak RSS MB of the largest process)."""
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "crawl", "--config", str(config), "--json", "-q",
         *args],
        capture_output=True, text=True, cwd=config.parent,
    )  # fmt: skip
    wall = time.monotonic() - began
    if not done.stdout.strip():
        sys.exit(f"the crawl printed nothing (exit {done.returncode}): {done.stderr[-2000:]}")
    rows = json.loads(done.stdout)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, rows if isinstance(rows, list) else [rows], peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--max-in-flight", type=int, default=64)
    parser.add_argument("--rate-pages", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="multisite-bench-") as name:
        tmp = Path(name)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user
        files = build_site(tmp / "site", args.pages)
        ports = free_ports(args.sites + 1)
        ports, big_port = ports[:-1], ports[-1]
        nginx = start_nginx(tmp / "site", tmp, ports)
        (tmp / "big").mkdir()
        build_site(tmp / "big" / "site", args.rate_pages)
        big = start_nginx(tmp / "big" / "site", tmp / "big", [big_port])
        try:
            write_profiles(tmp / "profiles", ports)
            (tmp / "big" / "profiles").mkdir()
            (tmp / "big" / "profiles" / "big.toml").write_text(
                re.sub(
                    r'(?m)^origin = ".*"$',
                    f'origin = "http://127.0.0.1:{big_port}"',
                    re.sub(r'(?m)^id = ".*"$', 'id = "big"', SPI.read_text("utf-8")),
                ),
                "utf-8",
            )
            base = (
                f'profiles_dir = "{tmp / "profiles"}"\narchive = false\n'
                f"max_in_flight = {args.max_in_flight}\n"
            )
            one = tmp / "one" / "pipeline.toml"
            one.parent.mkdir()
            one.write_text(
                f'profiles_dir = "{tmp / "big" / "profiles"}"\narchive = false\n'
                f'db = "{tmp / "one.duckdb"}"\ndelay = 0\nconcurrency = 4\n'
            )
            wall1, rows1, _ = crawl(one, "--site", "big")
            rate = float(rows1[0]["pages_per_second"])  # type: ignore[arg-type]
            many = tmp / "many" / "pipeline.toml"
            many.parent.mkdir()
            many.write_text(
                base + f'db = "{tmp / "many.duckdb"}"\ndelay = {args.delay}\nconcurrency = 2\n'
            )
            wall, rows, peak = crawl(many, "--all")
        finally:
            for server in (nginx, big):
                server.terminate()
                server.wait()
    sites = [r for r in rows if str(r["site"]).startswith("bench-")]
    pages = sum(int(r["pages"]) for r in sites)  # type: ignore[call-overload]
    requests = max(int(r["requests"]) for r in sites)  # type: ignore[call-overload]
    polite = requests * args.delay
    cpu = pages / rate
    bound = max(polite, cpu)
    statuses = sorted({str(r["status"]) for r in sites})
    retries = sum(int(r.get("merge_retries") or 0) for r in sites)  # type: ignore[call-overload]
    print(
        json.dumps(
            {
                "sites": len(sites),
                "files_per_site": files,
                "pages": pages,
                "statuses": statuses,
                "one_site_pages": int(rows1[0]["pages"]),  # type: ignore[call-overload]
                "one_site_pages_per_s": round(rate, 1),
                "one_site_wall_s": round(wall1, 2),
                "politeness_bound_s": round(polite, 2),
                "cpu_bound_s": round(cpu, 2),
                "all_wall_s": round(wall, 2),
                "ratio_to_bound": round(wall / bound, 2),
                "goal_met": wall <= 1.3 * bound,
                "pages_per_s": round(pages / wall, 1),
                "merge_retries": retries,
                "peak_rss_mb": round(peak, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
