"""The `pipeline` command end to end, in real subprocesses against the fixture site server."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import exit_codes
from pipeline.cli import cli
from pipeline.fixture_server import FixtureSite
from pipeline.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "fixtures" / "site"
SUMMARY_KEYS = {
    "run_id",
    "site",
    "status",
    "complete",
    "duration_s",
    "pages",
    "fetched",
    "unchanged",
    "not_modified",
    "gone",
    "failed",
    "robots_blocked",
    "projects",
    "quarantined",
    "retries",
    "bytes_received",
    "pages_per_second",
    "events",
    "coverage",
    "message",
}


def pipeline(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def site():
    with FixtureSite(SITE / "v1") as server:
        yield server


def crawl(
    site_url: str, db: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return pipeline(
        "crawl",
        "--base-url",
        site_url,
        "--db",
        str(db),
        "--delay",
        "0",
        "--no-archive",
        "--json",
        "--quiet",
        *extra,
        env=env,
    )


def test_no_arguments_prints_the_overview():
    result = pipeline()
    assert result.returncode == 0
    assert "pipeline demo" in result.stdout and "Commands:" in result.stdout


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    result = pipeline(command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout, f"`pipeline {command} --help` shows no example"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"pipeline {command}\b", readme), f"README does not show `pipeline {command}`"


def test_crawl_json_summary_then_unchanged_second_crawl(site, tmp_path):
    db = tmp_path / "p.duckdb"
    first = crawl(site.url, db)
    assert first.returncode == exit_codes.OK, first.stderr
    summary = json.loads(first.stdout)
    assert set(summary) >= SUMMARY_KEYS
    assert summary["status"] == "ok" and summary["events"] == {"new": 33}
    assert summary["coverage"]["projects"] == 33 and 0 < summary["coverage"]["period"] <= 1
    second = crawl(site.url, db)
    assert second.returncode == exit_codes.OK, second.stderr
    again = json.loads(second.stdout)
    assert again["events"] == {} and again["run_id"] == 2
    assert again["not_modified"] == summary["fetched"]


def test_crawl_text_summary_and_json_logs(site, tmp_path):
    db = tmp_path / "p.duckdb"
    result = pipeline(
        "crawl",
        "--base-url",
        site.url,
        "--db",
        str(db),
        "--delay",
        "0",
        "--no-archive",
        "--log-format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    # Issue 17 item 14: with --log-format json the summary is a JSON line too.
    (summary,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert summary["msg"].startswith("Run 1 ok")
    assert "Changes: new 33" in summary["lines"]
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert lines and all({"ts", "level", "msg"} <= set(line) for line in lines)


def test_bad_base_url_is_a_usage_error(tmp_path):
    result = pipeline("crawl", "--base-url", "ftp://nowhere", "--db", str(tmp_path / "p.duckdb"))
    assert result.returncode == exit_codes.USAGE
    assert "is not an http(s) URL" in result.stderr


def test_unknown_site_is_a_usage_error(tmp_path):
    result = pipeline("crawl", "--site", "nope", "--db", str(tmp_path / "p.duckdb"))
    assert result.returncode == exit_codes.USAGE
    assert "known sites: stiftung-spi" in result.stderr


def test_unreachable_host_is_a_partial_run_and_removes_nothing(site, tmp_path):
    db = tmp_path / "p.duckdb"
    assert crawl(site.url, db).returncode == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = pipeline(
        "crawl",
        "--base-url",
        f"http://127.0.0.1:{port}",
        "--db",
        str(db),
        "--delay",
        "0",
        "--no-archive",
        "--quiet",
    )
    assert result.returncode == exit_codes.PARTIAL
    assert "could not be read" in result.stdout and "nothing will be removed" in result.stdout
    with Warehouse.open(db, read_only=True) as warehouse:
        removed = warehouse.con.execute("SELECT count(*) FROM projects WHERE removed").fetchone()
    assert removed == (0,)


def test_locked_database_message(site, tmp_path):
    db = tmp_path / "p.duckdb"
    with Warehouse.open(db):
        result = crawl(site.url, db)
    assert result.returncode == exit_codes.LOCKED
    assert "in use by another run" in result.stderr


def test_demo_from_any_directory(tmp_path):
    result = pipeline("demo", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for word in ("new ", "closed ", "changed ", "removed ", "moved "):
        assert word in out
    assert "contact.phones" in out
    assert "pipeline query --db pipeline-demo.duckdb" in out
    index = (tmp_path / "pipeline-demo-report" / "index.html").resolve()
    assert f"The report of both runs: open {index.as_uri()}\n" in out and index.is_file()
    db = tmp_path / "pipeline-demo.duckdb"
    assert db.is_file()
    query = pipeline(
        "query", "--db", str(db), "SELECT count(*) AS n FROM current_projects", "--format", "json"
    )
    assert json.loads(query.stdout) == [{"n": 32}]


def test_changes_export_query_runs(site, tmp_path):
    db = tmp_path / "p.duckdb"
    crawl(site.url, db)
    site.switch(SITE / "v2")
    crawl(site.url, db)
    changes = pipeline(
        "changes", "--db", str(db), "--run", "2", "--type", "closed,moved", "--format", "json"
    )
    assert changes.returncode == 0, changes.stderr
    events = json.loads(changes.stdout)
    assert {e["type"] for e in events} == {"closed", "moved"}
    assert {
        "run_id",
        "project_id",
        "url",
        "type",
        "field",
        "old",
        "new",
        "detected_at",
        "old_url",
    } <= set(events[0])
    csv_out = pipeline("changes", "--db", str(db), "--since", "2000-01-01", "--format", "csv")
    assert csv_out.stdout.startswith("run_id,project_id,url,type,field,old,new")
    bad = pipeline("changes", "--db", str(db), "--since", "yesterday")
    assert bad.returncode == exit_codes.USAGE
    out = tmp_path / "projects.parquet"
    exported = pipeline("export", "--db", str(db), "--format", "parquet", "--out", str(out))
    assert exported.returncode == 0 and out.is_file() and "wrote 34 row(s)" in exported.stdout
    runs = pipeline("runs", "--db", str(db), "--format", "json")
    assert [r["status"] for r in json.loads(runs.stdout)] == ["ok", "ok"]
    failing = pipeline("query", "--db", str(db), "SELECT nope FROM nowhere")
    assert failing.returncode == exit_codes.FAILED and "the query failed" in failing.stderr
    readonly = pipeline("query", "--db", str(db), "DELETE FROM runs")
    assert readonly.returncode == exit_codes.FAILED


def test_query_without_a_database_says_what_to_do(tmp_path):
    result = pipeline("query", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert result.returncode == exit_codes.FAILED
    assert "pipeline crawl" in result.stderr


def test_config_precedence_defaults_file_env_flags(tmp_path):
    (tmp_path / "pipeline.toml").write_text(
        '[pipeline]\ndelay = 3\nconcurrency = 4\ndb = "from-file.duckdb"\n', encoding="utf-8"
    )
    result = pipeline("config", "--json", cwd=tmp_path, env={"PIPELINE_CONCURRENCY": "6"})
    settings = json.loads(result.stdout)
    assert settings["delay"] == {"value": 3.0, "source": str(tmp_path / "pipeline.toml")}
    assert settings["concurrency"] == {"value": 6, "source": "env PIPELINE_CONCURRENCY"}
    assert settings["max_pages"]["source"] == "default"
    bad = pipeline("config", cwd=tmp_path, env={"PIPELINE_DELAY": "soon"})
    assert bad.returncode == exit_codes.USAGE and "setting delay" in bad.stderr


def test_config_file_reaches_the_crawl_and_flags_win(site, tmp_path):
    (tmp_path / "pipeline.toml").write_text(
        f'[pipeline]\nbase_url = "{site.url}"\ndelay = 0\nmax_pages = 3\narchive = false\n',
        encoding="utf-8",
    )
    result = pipeline("crawl", "--db", "p.duckdb", "--json", "--quiet", cwd=tmp_path)
    assert json.loads(result.stdout)["pages"] == 3
    result = pipeline(
        "crawl", "--db", "p.duckdb", "--json", "--quiet", "--max-pages", "5", cwd=tmp_path
    )
    assert json.loads(result.stdout)["pages"] == 5


def test_coverage_drop_exits_4_and_names_the_flag(site, tmp_path):
    from fixtures.sitegen.facts import PROJECTS
    from pipeline.fixture_server import Reply

    db = tmp_path / "p.duckdb"
    assert crawl(site.url, db).returncode == 0
    for project in PROJECTS:
        html = (SITE / "v1" / project.path.strip("/") / "index.html").read_text(encoding="utf-8")
        for label in ("Zeitraum", "Laufzeit", "Projektzeitraum"):
            html = html.replace(label, "Termine")
        body = html.encode()
        site.override(project.path, lambda r, body=body: Reply(200, body))
    held = crawl(site.url, db)
    assert held.returncode == exit_codes.COVERAGE_HELD, held.stderr
    summary = json.loads(held.stdout)
    assert summary["status"] == "held" and "period" in summary["coverage_drops"]
    assert "--accept-coverage-drop" in summary["message"]
    accepted = crawl(site.url, db, "--accept-coverage-drop")
    assert accepted.returncode == exit_codes.OK


def test_ctrl_c_records_the_run_as_interrupted(site, tmp_path):
    import signal
    import time

    db = tmp_path / "p.duckdb"

    def slowly(request):
        time.sleep(0.2)

    for path in ("/projekte/aktionsraummitte/", "/service/projekte/detail/pfd-spandau"):
        site.override(path, slowly)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "crawl",
            "--base-url",
            site.url,
            "--db",
            str(db),
            "--delay",
            "0.05",
            "--concurrency",
            "1",
            "--no-archive",
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(site.requests) < 8:
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == exit_codes.INTERRUPTED, (out, err)
    assert "interrupted" in err
    with Warehouse.open(db, read_only=True) as warehouse:
        con = warehouse.con
        assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
        assert con.execute("SELECT count(*) FROM project_versions").fetchone() == (0,)


def test_base_url_credentials_are_sent_as_basic_auth_and_not_stored(site, tmp_path):
    db = tmp_path / "p.duckdb"
    host = site.url.removeprefix("http://")
    result = crawl(f"http://bot:pa55@{host}", db, "--max-pages", "3")
    assert result.returncode == 0, result.stderr
    assert "pa55" not in result.stdout
    assert all(r.headers.get("authorization", "").startswith("Basic ") for r in site.requests)
    with Warehouse.open(db, read_only=True) as warehouse:
        stored = warehouse.con.execute(
            "SELECT string_agg(url, ' ') FROM fetches UNION ALL SELECT base_url FROM runs"
        ).fetchall()
    assert "pa55" not in str(stored)


def test_user_agent_comes_from_the_settings(site, tmp_path):
    agent = "foundation-pipeline/test (+https://example.org/contact)"
    result = pipeline(
        "crawl",
        "--base-url",
        site.url,
        "--db",
        str(tmp_path / "p.duckdb"),
        "--delay",
        "0",
        "--no-archive",
        "--quiet",
        "--max-pages",
        "2",
        env={"PIPELINE_USER_AGENT": agent},
    )
    assert result.returncode == 0, result.stderr
    assert {r.headers.get("user-agent") for r in site.requests} == {agent}


SECOND_SITE = """\
id = "zweite-stiftung"
name = "Zweite Stiftung"
origin = "https://www.zweite-stiftung.example"
start_paths = ["/", "/themen-projekte/", "/service/projekte/", "/en/"]
project_paths = [
    '(?i)^/projekte/[a-z0-9_-]+/?$',
    '(?i)^/service/projekte/detail/[a-z0-9_-]+/?$',
    '(?i)^/en/projects/detail/[a-z0-9_-]+/?$',
]
listing_paths = ['^/$', '^/themen-projekte/', '^/service/projekte/?$', '^/en/?$', '^/en/topics/']
english_paths = ['^/en/']
ignored_params = ["cHash"]

[vocabulary]
status_words.completed = ["laufend"]
"""


def test_a_second_site_from_a_profile_file_crawls_through_real_parse_workers(site, tmp_path):
    """The README's recipe: write a TOML file, `sites check` it, `crawl --profile` it."""
    profile = tmp_path / "profiles" / "zweite.toml"
    profile.parent.mkdir()
    profile.write_text(SECOND_SITE, encoding="utf-8")
    checked = pipeline("sites", "check", str(profile))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"{profile}: ok: site 'zweite-stiftung'")
    db = tmp_path / "w.duckdb"
    run = crawl(site.url, db, "--profile", str(profile), env={"PIPELINE_PARSE_PROCESSES": "1"})
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["site"], summary["status"]) == ("zweite-stiftung", "ok")
    assert summary["projects"] >= 30
    with Warehouse.open(db, read_only=True) as warehouse:
        sites = warehouse.con.execute("SELECT DISTINCT site FROM projects").fetchall()
        ids = [r[0] for r in warehouse.con.execute("SELECT project_id FROM projects").fetchall()]
        words = warehouse.con.execute(
            "SELECT DISTINCT status FROM current_projects WHERE status_raw = 'laufend'"
        ).fetchall()
    assert sites == [("zweite-stiftung",)]
    assert all(i.startswith("zweite-stiftung.example/") for i in ids)
    # the file's own vocabulary reached the worker process: its "laufend" means completed
    assert words == [("completed",)]
    listed = pipeline("sites", env={"PIPELINE_PROFILES_DIR": str(profile.parent)})
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"zweite-stiftung .* " + re.escape(str(profile)), listed.stdout)


def test_sites_check_names_the_file_and_the_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SECOND_SITE.replace("listing_paths", "listing_pats"), encoding="utf-8")
    result = pipeline("sites", "check", str(bad))
    assert result.returncode == exit_codes.USAGE
    assert result.stderr == (
        f"error: {bad}: key `listing_pats`: unknown key; check its spelling "
        "(see `pipeline sites --help` for the keys)\n"
    )


def test_parse_a_page_of_a_host_no_profile_knows(tmp_path):
    html = (ROOT / "fixtures" / "pages" / "spi-aktionsraum-mitte.html").read_text("utf-8")
    page = tmp_path / "page.html"
    page.write_text(re.sub(r"<link rel=.canonical[^>]*>", "", html), encoding="utf-8")
    result = pipeline("parse", str(page), "--url", "https://unknown.example/x", "--quiet")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["site"], record["project_id"]) == ("unknown.example", "unknown.example/x")


def test_another_foundation_from_its_profile_file_in_a_temp_dir(tmp_path):
    """A second foundation (WordPress, its own URL scheme) from a URL-only profile copied to a
    temporary folder, crawled through a real parse worker into a fresh warehouse."""
    foundation = ROOT / "fixtures" / "foundations" / "lichtenweide"
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "lichtenweide.toml").write_bytes((foundation / "profile.toml").read_bytes())
    db = tmp_path / "w.duckdb"
    env = {"PIPELINE_PARSE_PROCESSES": "1", "PIPELINE_PROFILES_DIR": str(folder)}
    checked = pipeline("sites", "check", str(folder / "lichtenweide.toml"))
    assert checked.returncode == 0, checked.stderr
    with FixtureSite(foundation / "site" / "v1") as server:
        run = crawl(server.url, db, "--site", "lichtenweide", env=env)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["site"], summary["status"], summary["projects"]) == ("lichtenweide", "ok", 24)
    with Warehouse.open(db, read_only=True) as warehouse:
        rows = warehouse.con.execute("SELECT site, url FROM current_projects").fetchall()
    assert len(rows) == 24
    assert {site for site, _ in rows} == {"lichtenweide"}
    assert all(url.startswith("https://www.stiftung-lichtenweide.de/") for _, url in rows)
