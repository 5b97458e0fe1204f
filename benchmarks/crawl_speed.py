"""Crawl speed: the whole pipeline against a large site served by nginx on 127.0.0.1.

Usage: python benchmarks/crawl_speed.py [--sizes 2000,20000] [--concurrency 4]

For each size it generates a site in the fixture site's style (project pages from the fixture
facts in all three markup styles, padded to real TYPO3 size; paginated search listings; a
sitemap index of gzip sitemaps with lastmod), serves it with nginx (Debian's nginx-light;
`apt-get install nginx-light`), and measures in a fresh process each:

- a bare httpx client fetching every project page, nothing else (the ceiling);
- the first run: discover, fetch, parse, validate, load, detect changes, archive (WARC);
- the same first run without the archive (its cost);
- an unchanged re-crawl as the default runs it: every known page verified (304s);
- an unchanged re-crawl with audited lastmod trust, once the site has earned it (the earning
  runs, which verify every page, are run first and timed too);
- peak RSS of the crawling process and of its parse worker (the worker's own VmHWM).

Politeness delays are off (delay 0). Scrapy, if installed, runs benchmarks/scrapy_spider.py
on the same site (listings, four fields per project page) and the ratio is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtures.sitegen.facts import PROJECTS  # noqa: E402
from fixtures.sitegen.model import ORIGIN  # noqa: E402
from fixtures.sitegen.padding import padded  # noqa: E402
from fixtures.sitegen.render import page_shell, render_project  # noqa: E402
from pipeline.crawl.lastmod import CLEAN_AUDITS  # noqa: E402

PAGE_SIZE = 20
SEARCH = "tx_spiprojects_list%5Bpage%5D"
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/html html; application/xml xml; application/gzip gz; text/plain txt; }}
    default_type text/html;
    charset utf-8;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri/index@$args.html $uri/index.html $uri =404; }}
    }}
}}
"""


def build_site(root: Path, size: int) -> int:
    """Write a site with ``size`` project pages; returns its number of files."""
    templates = [p for p in PROJECTS if p.lang == "de" and p.contact is not None]
    projects = []
    for i in range(size):
        base = templates[i % len(templates)]
        scheme = "old" if i % 2 else "new"
        projects.append(
            replace(
                base,
                slug=f"p{i:05d}-{base.slug}",
                scheme=scheme,
                title=f"{base.title} {i}",
                related=(),
                style="abc"[i % 3],
            )
        )
    files = 0
    for p in projects:
        folder = root / p.path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_bytes(padded(render_project(p)))
        files += 1
    pages = -(-size // PAGE_SIZE)
    search = root / "service" / "projekte"
    search.mkdir(parents=True, exist_ok=True)
    for n in range(1, pages + 1):
        chunk = projects[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]
        teasers = "".join(f'<p><a href="{p.path}">{p.title}</a> mehr</p>' for p in chunk)
        pager = " ".join(
            f'<a href="/service/projekte/?{SEARCH}={m}">{m}</a>'
            for m in range(max(1, n - 3), min(pages, n + 3) + 1)
            if m != n
        )
        html = page_shell("Projektsuche", f"<h1>Projektsuche</h1>{teasers}<p>{pager}</p>", "a")
        name = "index.html" if n == 1 else f"index@{SEARCH}={n}.html"
        (search / name).write_bytes(padded(html))
        files += 1
    (root / "index.html").write_bytes(
        padded(page_shell("Start", '<h1>Stiftung</h1><a href="/service/projekte/">Suche</a>', "a"))
    )
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {ORIGIN}/sitemap.xml\n")
    maps = []
    for k in range(0, size, 1000):
        urls = "".join(
            f"<url><loc>{ORIGIN}{p.path}</loc><lastmod>2026-01-15</lastmod></url>"
            for p in projects[k : k + 1000]
        )
        xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        name = f"sitemap-projects-{k // 1000}.xml.gz"
        (root / name).write_bytes(gzip.compress(xml.encode(), mtime=0))
        maps.append(name)
    index = "".join(f"<sitemap><loc>{ORIGIN}/{name}</loc></sitemap>" for name in maps)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{index}</sitemapindex>"
    )
    return files + len(maps) + 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_nginx(root: Path, tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx not found: install Debian's nginx-light (apt-get install -y nginx-light)")
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"])
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
        except OSError:
            time.sleep(0.05)
    return process, f"http://127.0.0.1:{port}"


class WorkerPeak(threading.Thread):
    """Peak RSS of the parse worker processes, from their own VmHWM in /proc.

    (getrusage(RUSAGE_CHILDREN) would report the parent's size: a spawned worker is forked
    before it executes a fresh interpreter, and Linux keeps the larger high-water mark.)"""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0

    def run(self) -> None:
        tasks = Path(f"/proc/{os.getpid()}/task")
        while True:
            try:
                pids = {
                    pid
                    for task in tasks.iterdir()
                    for pid in (task / "children").read_text().split()
                }
            except OSError:
                pids = set()
            for pid in pids:
                try:
                    if b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        continue
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)
            time.sleep(0.25)


def child(mode: str, base_url: str, db: str, archive: str, concurrency: int) -> None:
    """One measurement in this fresh process; prints a JSON line."""
    from pipeline import config
    from pipeline.nightly import run_crawl
    from pipeline.options import run_options, select_profile

    if mode == "httpx":
        import httpx

        urls = [line.strip() for line in Path(db).read_text().splitlines()]

        async def fetch_all() -> None:
            async with httpx.AsyncClient(
                limits=httpx.Limits(max_connections=concurrency), trust_env=False
            ) as client:
                queue: asyncio.Queue[str] = asyncio.Queue()
                for url in urls:
                    queue.put_nowait(url)

                async def worker() -> None:
                    while not queue.empty():
                        (await client.get(queue.get_nowait())).raise_for_status()

                await asyncio.gather(*(worker() for _ in range(concurrency)))

        start = time.perf_counter()
        asyncio.run(fetch_all())
        elapsed = time.perf_counter() - start
        print(json.dumps({"seconds": elapsed, "pages": len(urls), "projects": len(urls)}))
        return
    effective = config.defaults(
        base_url=base_url,
        db=str(db),
        delay=0.0,
        concurrency=concurrency,
        max_pages=1_000_000,
        archive=bool(archive),
        archive_dir=archive or None,
        trust_lastmod="audited" if mode == "audited" else "off",
    )
    options = run_options(effective, select_profile(effective))
    workers = WorkerPeak()
    workers.start()
    start = time.perf_counter()
    report = run_crawl(options)
    elapsed = time.perf_counter() - start
    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "pages": report.summary.pages,
                "projects": report.summary.projects,
                "status": report.status,
                "events": dict(report.load.events),
                "unchanged": report.summary.outcomes["unchanged"]
                + report.summary.outcomes["not_modified"],
                "not_modified": report.summary.outcomes["not_modified"],
                "skipped_lastmod": report.summary.skipped_lastmod,
                "audited": report.summary.audited,
                "lastmod_trust": report.summary.lastmod_trust,
                "rss_main_mb": usage_self,
                "rss_worker_mb": workers.peak_mb,
            }
        )
    )


def measure(mode: str, base_url: str, db: Path, archive: Path | None, concurrency: int) -> dict:
    child_args = [mode, base_url, str(db), str(archive or ""), str(concurrency)]
    return _json_result([__file__, "--child", *child_args], f"measurement {mode}")


def scrapy_run(base_url: str, concurrency: int) -> dict | None:
    """benchmarks/scrapy_spider.py on the same site, if Scrapy is installed."""
    try:
        import scrapy  # noqa: F401
    except ImportError:
        return None
    spider = str(ROOT / "benchmarks" / "scrapy_spider.py")
    return _json_result([spider, base_url, str(concurrency)], "the Scrapy spider")


def _json_result(script_and_args: list[str], what: str) -> dict:
    """Run a Python script in a fresh process; the JSON object its last output line holds."""
    out = subprocess.run(
        [sys.executable, *script_and_args], capture_output=True, text=True, cwd=ROOT
    )
    if out.returncode != 0:
        sys.exit(f"{what} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; concurrency {args.concurrency}, delay 0")
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp_name:
            tmp = Path(tmp_name)
            tmp.chmod(0o755)  # nginx workers run as an unprivileged user
            root = tmp / "site"
            files = build_site(root, size)
            nginx, base = start_nginx(root, tmp)
            try:
                urls = tmp / "urls.txt"
                urls.write_text(
                    "\n".join(
                        base + "/" + str(p.relative_to(root).parent) + "/"
                        for p in root.glob("**/index.html")
                        if "projekte/" in str(p)
                        and "index@" not in p.name
                        and p.parent.name not in ("projekte",)
                    )
                )
                bare = measure("httpx", base, urls, None, args.concurrency)
                first = measure("first", base, tmp / "a.duckdb", tmp / "warc", args.concurrency)
                plain = measure("first", base, tmp / "b.duckdb", None, args.concurrency)
                again = measure("recrawl", base, tmp / "a.duckdb", tmp / "warc", args.concurrency)
                earning = [
                    measure("audited", base, tmp / "a.duckdb", tmp / "warc", args.concurrency)
                    for _ in range(CLEAN_AUDITS)
                ]
                trusted = measure("audited", base, tmp / "a.duckdb", tmp / "warc", args.concurrency)
                spider = scrapy_run(base, args.concurrency)
            finally:
                nginx.terminate()
                nginx.wait()
        print(f"\n== {size} project pages ({files} files) ==")
        print(f"bare httpx fetch only:        {bare['pages'] / bare['seconds']:7.0f} pages/s")
        for label, m in (
            ("first run, with WARC", first),
            ("first run, no archive", plain),
            ("unchanged re-crawl (default)", again),
            ("earning lastmod trust", earning[-1]),
            ("unchanged, lastmod trusted", trusted),
        ):
            print(
                f"{label:<30}{m['projects'] / m['seconds'] if m['projects'] else 0:7.0f} "
                f"project pages/s  {m['pages'] / m['seconds']:7.0f} pages/s  "
                f"{m['seconds']:6.1f} s  status {m['status']}  events {m['events'] or '{}'}  "
                f"RSS main {m['rss_main_mb']:.0f} MB, parse worker {m['rss_worker_mb']:.0f} MB"
            )
        print(
            f"re-crawl speed-up over the first run: {first['seconds'] / again['seconds']:.1f}x "
            f"(default: every page verified, {again['not_modified']} answered 304), "
            f"{first['seconds'] / trusted['seconds']:.1f}x (audited lastmod trust earned: "
            f"{trusted['skipped_lastmod']} skipped, {trusted['audited']} audited, "
            f"standing {trusted['lastmod_trust']})"
        )
        print(f"archive cost: {1 - plain['seconds'] / first['seconds']:.1%} of throughput")
        if spider is None:
            print("Scrapy is not installed: no comparison run (pip install scrapy to add it).")
        else:
            rate = spider["projects"] / spider["seconds"]
            ours = first["projects"] / first["seconds"]
            print(
                f"Scrapy spider (listings, 4 fields){rate:7.0f} project pages/s  "
                f"{spider['pages'] / spider['seconds']:7.0f} pages/s  {spider['seconds']:6.1f} s  "
                f"({spider['projects']} projects)"
            )
            print(f"ours (with WARC) / Scrapy: {ours / rate:.2f}x")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    else:
        main()
