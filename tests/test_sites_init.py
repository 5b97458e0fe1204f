"""`pipeline sites init` on the fixture sites: the proposed profile, loaded as a user would load
it, finds every project page and no other page, and a real crawl with it records exactly the
expected projects (real fixture servers, a temporary DuckDB)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import exit_codes
from pipeline.cli import cli
from pipeline.crawl import CrawlSettings
from pipeline.fixture_server import FixtureSite, Reply, served_pages
from pipeline.nightly import RunOptions, run_crawl
from pipeline.onboard import Proposal, SampleSettings, propose_profile
from pipeline.profiles import load_profile
from pipeline.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]
FAST = CrawlSettings(delay=0.0, backoff=0.01, parse_processes=0)


@dataclass(frozen=True)
class Site:
    name: str
    snapshot: Path
    origin: str
    expected: frozenset[str]  # canonical URLs of the project pages


def _foundation(name: str, origin: str) -> Site:
    folder = ROOT / "fixtures" / "foundations" / name
    expected = json.loads((folder / "expected" / "v1.json").read_text("utf-8"))
    return Site(name, folder / "site" / "v1", origin, frozenset(expected))


def _spi() -> Site:
    snapshot = ROOT / "fixtures" / "site" / "v1"
    urls = {
        json.loads(f.read_text("utf-8"))["url"] for f in (snapshot / "_expected").glob("*.json")
    }
    return Site("stiftung-spi", snapshot, "https://www.stiftung-spi.de", frozenset(urls))


SITES = [
    _foundation("lichtenweide", "https://www.stiftung-lichtenweide.de"),
    _foundation("farnegg", "https://www.farnegg-stiftung.ch"),
    _spi(),
]


@pytest.fixture(scope="module", params=SITES, ids=[s.name for s in SITES])
def proposed(request, tmp_path_factory) -> tuple[Site, Proposal, Path]:
    site: Site = request.param
    with FixtureSite(site.snapshot) as server:
        proposal = propose_profile(server.url + "/", SampleSettings(crawl=FAST))
        requests = len(server.requests)
    assert proposal.requests == requests  # every request went through the sample's fetcher
    file = tmp_path_factory.mktemp(site.name) / "proposed.toml"
    file.write_text(proposal.toml, encoding="utf-8")
    return site, proposal, file


def test_the_proposed_profile_loads_and_names_the_site(proposed):
    site, proposal, file = proposed
    profile = load_profile(file)
    assert profile == proposal.profile
    assert profile.origin == site.origin
    assert proposal.base_url is not None and proposal.base_url.startswith("http://127.0.0.1:")
    assert proposal.requests <= 100  # 54, 47 and 43 today


def test_the_proposed_profile_finds_every_project_page_and_no_other(proposed):
    site, _proposal, file = proposed
    profile = load_profile(file)
    projects = {url.removeprefix(site.origin) for url in site.expected}
    for path in sorted(projects):
        assert profile.is_project_path(path) and profile.is_project_path(path + "/"), path
    for path in sorted(served_pages(site.snapshot) - projects):
        assert not profile.is_project_path(path), path
        assert not profile.is_project_path(path.rstrip("/") + "/"), path


def test_a_crawl_with_the_proposed_profile_records_exactly_the_projects(proposed, tmp_path):
    site, _proposal, file = proposed
    db = tmp_path / "w.duckdb"
    with FixtureSite(site.snapshot) as server:
        options = RunOptions(load_profile(file), base_url=server.url, db=db, settings=FAST)
        report = run_crawl(options)
    assert report.status == "ok", report.load.message
    with Warehouse.open(db, read_only=True) as warehouse:
        urls = {r[0] for r in warehouse.con.execute("SELECT url FROM current_projects").fetchall()}
    assert urls == site.expected


# -- the command ---------------------------------------------------------------------------
def init(*args: str):
    env = {"PIPELINE_BACKOFF": "0.01", "PIPELINE_CONFIG": "", "PIPELINE_USER_AGENT": ""}
    return CliRunner(env=env).invoke(cli, ["sites", "init", *args, "--delay", "0"])


@pytest.fixture(scope="module")
def lichtenweide():
    with FixtureSite(SITES[0].snapshot) as server:
        yield server


def test_init_prints_the_profile_and_its_notes_apart(lichtenweide):
    result = init(lichtenweide.url + "/")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Proposed by `pipeline sites init`")
    assert "project_paths = [" in result.stdout and "unsure" not in result.stdout
    notes = result.stderr.splitlines()
    assert re.fullmatch(
        r"sampled \d+ page\(s\) of https://www\.stiftung-lichtenweide\.de with \d+ "
        r"request\(s\): 2 project pattern\(s\), \d+ listing pattern\(s\)",
        notes[0],
    )
    # (the parser no longer takes the imprint for a project: the one doubt left is the origin)
    assert "unsure (1):" in notes
    assert any(line.startswith("- fetched from http://127.0.0.1:") for line in notes)
    assert notes[-1] == (
        "next: review FILE, then `pipeline sites check FILE` and "
        f"`pipeline crawl --profile FILE --base-url {lichtenweide.url}`"
    )


def test_init_writes_out_then_refuses_to_overwrite_without_force(lichtenweide, tmp_path):
    out = tmp_path / "lichtenweide.toml"
    first = init(lichtenweide.url + "/", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert first.stdout == ""
    assert first.stderr.startswith(f"wrote {out}\n")
    check = CliRunner().invoke(cli, ["sites", "check", str(out)])
    assert check.exit_code == 0, check.output
    assert check.stdout.startswith(f"{out}: ok: site 'stiftung-lichtenweide'")
    lichtenweide.clear()
    again = init(lichtenweide.url + "/", "--out", str(out))
    assert again.exit_code == exit_codes.USAGE
    assert again.stderr == (
        f"error: {out} exists; pass --force to replace it, or choose another --out\n"
    )
    assert lichtenweide.requests == []  # refused before any request
    forced = init(lichtenweide.url + "/", "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output


def test_init_with_an_explicit_origin_and_a_small_budget(lichtenweide):
    lichtenweide.clear()
    result = init(
        lichtenweide.url + "/",
        "--origin",
        "https://www.stiftung-lichtenweide.de/",
        "--max-requests",
        "30",
    )
    assert result.exit_code == 0, result.output
    assert len(lichtenweide.requests) <= 30 + 2  # the last batch's redirects and retries
    assert "comes from --origin" in result.stderr
    assert "the request budget (30 requests) ran out before every shape" in result.stderr


def test_init_on_a_site_without_project_pages_says_so(tmp_path):
    (tmp_path / "index.html").write_text(
        "<html lang='de'><title>Nur Text</title><body><h1>Willkommen</h1>"
        "<p><a href='/ueber-uns/'>Über uns</a></p></body></html>",
        encoding="utf-8",
    )
    with FixtureSite(tmp_path) as server:
        result = init(server.url + "/")
    assert result.exit_code == exit_codes.FAILED
    assert result.stderr == (
        f"error: no project pages found on {server.url}/: 1 page(s) parsed, 2 known, "
        "6 requests; none gave a period, funders or a status. Try the page that lists the "
        "projects as the URL, or raise --max-requests\n"
    )


def test_init_keeps_to_robots_txt(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /intern/\n", encoding="utf-8")
    (site / "index.html").write_text(
        "<html><title>X</title><body><a href='/intern/a/'>a</a></body></html>", encoding="utf-8"
    )
    with FixtureSite(site) as server:
        result = init(server.url + "/")
        paths = [r.path for r in server.requests]
    assert result.exit_code == exit_codes.FAILED
    assert paths[:2] == ["/robots.txt", "/"]
    assert not any(p.startswith("/intern/") for p in paths)


def test_init_stops_when_robots_txt_cannot_be_read(tmp_path):
    with FixtureSite(tmp_path) as server:
        server.override("/robots.txt", lambda _request: Reply(503, b"down"))
        result = init(server.url + "/")
        paths = {r.path for r in server.requests}
    assert result.exit_code == exit_codes.FAILED
    assert result.stderr == (
        f"error: robots.txt at {server.url}/robots.txt could not be read (http_503: "
        f"{server.url}/robots.txt answered HTTP 503); nothing else was fetched. Is the URL "
        "right?\n"
    )
    assert paths == {"/robots.txt"}


LATER = {"lichtenweide": ("v2",), "farnegg": ("v2",), "stiftung-spi": ("v2", "v3", "v4")}
SNAPSHOTS = [(site, site.snapshot.parent / v) for site in SITES for v in LATER[site.name]]


def _expected_paths(site: Site, snapshot: Path) -> set[str]:
    if site.name == "stiftung-spi":
        files = (snapshot / "_expected").glob("*.json")
        urls = {json.loads(f.read_text("utf-8"))["url"] for f in files}
    else:
        folder = snapshot.parents[1] / "expected" / f"{snapshot.name}.json"
        urls = set(json.loads(folder.read_text("utf-8")))
    return {url.removeprefix(site.origin) for url in urls}


@pytest.mark.parametrize(
    ("site", "snapshot"), SNAPSHOTS, ids=[f"{s.name}-{p.name}" for s, p in SNAPSHOTS]
)
def test_the_proposal_holds_on_the_later_snapshots(site, snapshot):
    """New, moved and gone pages, template drift, a markup relaunch: the same split."""
    with FixtureSite(snapshot) as server:
        profile = propose_profile(server.url + "/", SampleSettings(crawl=FAST)).profile
    projects = _expected_paths(site, snapshot)
    assert {p for p in projects if not profile.is_project_path(p)} == set()
    assert {p for p in served_pages(snapshot) - projects if profile.is_project_path(p)} == set()
