"""`pipeline crawl --all`: several fixture foundations at once, in one process, into one file."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import operator
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline import exit_codes
from pipeline.crawl.politeness import HostGate
from pipeline.errors import ConfigError
from pipeline.fixture_server import FixtureSite, Reply, Request
from pipeline.multisite import SEVERITY, parse_shard, shard_of, worst
from tests.warehouse_support import table_rows

ROOT = Path(__file__).resolve().parents[1]
FOUNDATIONS = {
    "spi": (ROOT / "fixtures/site/v1", ROOT / "pipeline/profiles/builtin/stiftung-spi.toml"),
    "lichtenweide": (
        ROOT / "fixtures/foundations/lichtenweide/site/v1",
        ROOT / "fixtures/foundations/lichtenweide/profile.toml",
    ),
    "farnegg": (
        ROOT / "fixtures/foundations/farnegg/site/v1",
        ROOT / "fixtures/foundations/farnegg/profile.toml",
    ),
}
# site id -> (foundation, Crawl-delay its robots.txt asks for)
SITES = {
    "stiftung-spi": ("spi", 0.02),  # replaces the built-in profile: --all stays on 127.0.0.1
    "spi-b": ("spi", 0.06),
    "lichtenweide-a": ("lichtenweide", 0.03),
    "lichtenweide-b": ("lichtenweide", 0.05),
    "farnegg-a": ("farnegg", 0.04),
    "farnegg-down": ("farnegg", 0.01),  # answers 503 to everything
}
CONCURRENCY = 2
# How late a request may reach its server on a loaded machine (six servers' threads share this
# process's GIL): 47 ms was seen under load 10. A crawl without its delays makes five requests
# in a few milliseconds.
JITTER = 0.06
# Columns that differ between two crawls of the same pages: ids, times, durations, files, and
# the address of a page as first found (``?cHash=...`` or not: the race of two links).


def _profile(site: str, origin: str) -> str:
    foundation, _ = SITES[site]
    text = FOUNDATIONS[foundation][1].read_text("utf-8")
    if site.endswith("-b"):
        text = text.replace(HOSTS[foundation], f"{site}.example")
    text = re.sub(r'(?m)^id = ".*"$', f'id = "{site}"', text)
    return re.sub(r'(?m)^origin = ".*"$', f'origin = "{origin}"', text)


def _robots(delay: float):
    def answer(request: Request) -> Reply:
        return Reply(200, f"User-agent: *\nCrawl-delay: {delay}\nAllow: /\n".encode())

    return answer


def _down(request: Request) -> Reply:
    return Reply(503, b"<html><body>maintenance</body></html>", {"Content-Type": "text/html"})


HOSTS = {"spi": "stiftung-spi.de", "lichtenweide": "stiftung-lichtenweide.de",
         "farnegg": "farnegg-stiftung.ch"}  # fmt: skip


def _copy(foundation: str, site: str, folder: Path) -> Path:
    """The foundation's site under another host name, so that a copy's projects (named by
    their canonical URLs) are its own, as two foundations' would be."""
    source = FOUNDATIONS[foundation][0]
    for file in source.rglob("*"):
        if file.is_file():
            target = folder / file.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = file.read_bytes()
            with contextlib.suppress(UnicodeDecodeError):
                data = data.decode("utf-8").replace(HOSTS[foundation], f"{site}.example").encode()
            target.write_bytes(data)
    return folder


@pytest.fixture
def sites(tmp_path_factory):
    roots = {
        site: _copy(f, site, tmp_path_factory.mktemp(site)) if site.endswith("-b") else
        FOUNDATIONS[f][0]
        for site, (f, _) in SITES.items()
    }  # fmt: skip
    servers = {site: FixtureSite(roots[site]).start() for site in SITES}
    yield servers
    for server in servers.values():
        server.stop()


def _polite(servers: dict[str, FixtureSite]) -> None:
    for site, server in servers.items():
        server.clear()
        server.override("/robots.txt", _robots(SITES[site][1]))
        if site == "farnegg-down":
            server.answer = _down  # type: ignore[method-assign]


def _write_config(
    folder: Path, servers: dict[str, FixtureSite], db: Path, archive: Path | None = None
) -> Path:
    profiles = folder / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    for site, server in servers.items():
        (profiles / f"{site}.toml").write_text(_profile(site, server.url), "utf-8")
    config = folder / "pipeline.toml"
    config.write_text(
        f'profiles_dir = "{profiles}"\ndb = "{db}"\ndelay = 0\nconcurrency = {CONCURRENCY}\n'
        "retries = 1\nbackoff = 0.01\nparse_processes = 1\nmax_in_flight = 4\n"
        + (f'archive_dir = "{archive}"\n' if archive else "archive = false\n"),
        "utf-8",
    )
    return config


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}


def pipeline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return table_rows(con)
    finally:
        con.close()


def test_all_sites_at_once_are_polite_and_equal_one_by_one(tmp_path, sites):
    _polite(sites)
    db = tmp_path / "all.duckdb"
    config = _write_config(tmp_path / "all", sites, db)
    began = time.monotonic()
    done = pipeline("crawl", "--all", "--config", str(config), "--json", "--quiet", cwd=tmp_path)
    wall = time.monotonic() - began
    rows = json.loads(done.stdout)
    by_site = {row["site"]: row for row in rows}
    assert set(by_site) == set(SITES), done.stderr
    # one site down: its run failed (robots.txt unreadable), the exit code is the worst site's
    assert by_site["farnegg-down"]["status"] == "failed"
    assert done.returncode == exit_codes.PARTIAL == by_site["farnegg-down"]["exit_code"]
    for site in SITES:
        if site != "farnegg-down":
            assert by_site[site]["status"] == "ok", by_site[site]["message"]
            assert by_site[site]["projects"] > 0
    # each host: its own Crawl-delay between request starts, at most CONCURRENCY at once
    assert [r.path for r in sites["farnegg-down"].requests] == ["/robots.txt"] * 2
    for site, server in sites.items():
        if site == "farnegg-down":
            continue
        delay = SITES[site][1]
        starts = sorted(r.at for r in server.requests)[1:]  # after robots.txt
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        # arrival times at the server jitter (six servers' threads share this process's GIL):
        # one gap may fall short by that, a run of gaps cannot; the typical gap is the delay
        assert gaps and sorted(gaps)[len(gaps) // 2] >= delay, (site, delay)
        spans = [b - a for a, b in zip(starts, starts[5:], strict=False)]
        assert min(spans) >= 5 * delay - JITTER, (site, delay, min(spans))
        assert server.max_in_flight <= CONCURRENCY
    # the sites ran side by side: their requests, first to last, took well under the sum of
    # their politeness bounds (the servers' clock: the process's start-up and merges, slow on a
    # loaded machine, are not crawling)
    serial_bound = sum(SITES[s][1] * (len(server.requests) - 1) for s, server in sites.items())
    arrivals = [r.at for server in sites.values() for r in server.requests]
    assert max(arrivals) - min(arrivals) < 0.75 * serial_bound, (wall, serial_bound)
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("SELECT site, count(*) FROM runs GROUP BY site ORDER BY 1").fetchall()
    leases = con.execute("SELECT count(*) FROM leases").fetchone()
    con.close()
    assert runs == [(s, 1) for s in sorted(SITES)]
    assert leases == (0,)

    # the same sites one at a time, each in its own process and file (these six side by side)
    _polite(sites)
    alone = {}
    for site in SITES:
        one = _write_config(tmp_path / site, sites, tmp_path / f"{site}.duckdb")
        alone[site] = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "crawl", "--site", site, "--config", str(one),
             "--quiet"],
            cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    together: dict[str, list[tuple[object, ...]]] = {}
    for site, process in alone.items():
        _out, err = process.communicate(timeout=300)
        assert process.returncode == (3 if site == "farnegg-down" else 0), err
        for name, table in _tables(tmp_path / f"{site}.duckdb").items():
            together.setdefault(name, []).extend(table)
    at_once = _tables(db)
    assert set(at_once) == set(together)
    for name in at_once:
        expected = sorted(together[name], key=repr)
        for got, want in zip(at_once[name], expected, strict=False):
            assert got == want, [
                (i, g, w) for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w
            ]
        assert at_once[name] == expected, name


def test_text_summary_has_a_line_per_site_and_shards_split_the_sites(tmp_path, sites):
    _polite(sites)
    warcs = tmp_path / "warc"
    config = _write_config(tmp_path, sites, tmp_path / "w.duckdb", warcs)
    chosen = "stiftung-spi,farnegg-down"
    done = pipeline("crawl", "--site", chosen, "--config", str(config), "-q", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert done.returncode == exit_codes.PARTIAL, done.stderr
    assert [line.split()[0] for line in lines[:-1]] == ["farnegg-down", "stiftung-spi"]
    assert lines[0].split()[1:4] == ["failed", "exit", "3"]
    assert lines[1].split()[1:4] == ["ok", "exit", "0"]
    # each site's WARC file closed, none left open (nor "recovered" by the other site's start)
    files = sorted(p.name for p in warcs.glob("*.warc.gz*"))
    assert not [f for f in files if f.endswith(".open")]
    assert {f.split("-")[0] for f in files if f.endswith(".warc.gz")} >= {"stiftung", "farnegg"}
    assert re.fullmatch(
        r"2 site\(s\) in \d+\.\d s: failed 1, ok 1; exit code 3 \(the worst site's\)", lines[-1]
    )
    ids = list(SITES)
    shards = [[s for s in ids if shard_of(s, 3) == i] for i in range(3)]
    assert sorted(functools.reduce(operator.iadd, shards, [])) == sorted(ids)
    listed = pipeline("crawl", "--shard", "1/3", "--config", str(config), "--json", "-q",
                      "--max-pages", "1", cwd=tmp_path)  # fmt: skip
    assert sorted(row["site"] for row in json.loads(listed.stdout)) == sorted(shards[1])


def test_exit_code_order_and_shard_syntax():
    assert SEVERITY == (0, 4, 3, 5, 1, 130)
    assert worst([0, 4, 3]) == 3
    assert worst([3, 5, 0]) == 5
    assert worst([1, 5]) == 1
    assert worst([]) == 0
    assert parse_shard("2/4") == (2, 4)
    for bad in ("4/4", "a/2", "1", "1/0"):
        with pytest.raises(ConfigError):
            parse_shard(bad)
    assert (
        shard_of("stiftung-spi", 4)
        == int.from_bytes(__import__("hashlib").sha256(b"stiftung-spi").digest()[:8], "big") % 4
    )


def test_global_cap_bounds_requests_of_all_hosts_together():
    async def main() -> tuple[int, list[float]]:
        cap = asyncio.Semaphore(3)
        gates = [HostGate(2, 0.01, cap) for _ in range(5)]
        in_flight = peak = 0
        starts: list[float] = []

        async def request(gate: HostGate) -> None:
            nonlocal in_flight, peak
            async with gate.slot():
                in_flight += 1
                peak = max(peak, in_flight)
                if gate is gates[0]:
                    starts.append(time.monotonic())
                await asyncio.sleep(0.005)
                in_flight -= 1

        await asyncio.gather(*(request(g) for g in gates for _ in range(8)))
        return peak, starts

    peak, starts = asyncio.run(main())
    assert peak == 3
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.0095
