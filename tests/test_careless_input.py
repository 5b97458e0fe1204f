"""Careless input (issue 17): a clear message and a documented exit code, never a traceback
or silent loss. Commands run in-process through click's CliRunner on real DuckDB files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline import exit_codes
from pipeline.cli import cli
from pipeline.fixture_server import FixtureSite
from tests.warehouse_support import SITE, crawl_into, table_digest


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("careless") / "projects.duckdb"
    with FixtureSite(SITE / "v1") as site:
        crawl_into(site.url, db)
        site.switch(SITE / "v2")
        crawl_into(site.url, db)
    return db


@pytest.fixture
def db(warehouse_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "projects.duckdb"
    shutil.copy(warehouse_file, copy)
    return copy


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: uncaught {result.exception!r}")
    return result.exit_code, result.stdout, result.stderr


def _raise(constant: str) -> object:
    raise ValueError(f"not strict JSON: {constant}")


# -- item 7: --db that is not a warehouse of ours --------------------------------------------


def test_crawl_into_a_csv_is_refused_and_the_csv_is_untouched(tmp_path):
    csv = tmp_path / "other.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    with FixtureSite(SITE / "v1") as site:
        code, out, err = run(
            "crawl", "--base-url", site.url, "--db", str(csv), "--delay", "0", "--no-archive", "-q"
        )
    assert code == exit_codes.USAGE
    assert out == ""
    assert err.startswith(f"error: {csv} is not a warehouse: it is not a DuckDB database file.")
    assert "nothing was stored" in err
    assert csv.read_text(encoding="utf-8") == "a,b\n1,2\n"


@pytest.mark.parametrize("command", [["runs"], ["query", "SELECT 1"], ["changes"]])
def test_a_directory_is_named_as_one(tmp_path, command):
    code, _, err = run(*command, "--db", str(tmp_path))
    assert code == exit_codes.USAGE
    assert err.startswith(f"error: {tmp_path} is not a warehouse: it is a directory.")


def test_a_truncated_warehouse_is_refused_by_readers_and_writers(db, tmp_path):
    half = tmp_path / "half.duckdb"
    data = db.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    code, out, err = run("query", "--db", str(half), "SELECT count(*) FROM runs")
    assert (code, out) == (exit_codes.USAGE, "")
    assert "is not a warehouse: the DuckDB file is cut short (truncated)" in err
    with FixtureSite(SITE / "v1") as site:
        code, _, err = run(
            "crawl", "--base-url", site.url, "--db", str(half), "--delay", "0", "--no-archive"
        )
    assert code == exit_codes.USAGE and "truncated" in err
    assert half.stat().st_size == len(data) // 2


def test_a_duckdb_file_that_is_not_ours_is_refused(tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE sales (n INTEGER)")
    code, _, err = run("runs", "--db", str(other))
    assert code == exit_codes.USAGE
    assert "a DuckDB database without the schema_migrations table" in err
    with duckdb.connect(str(other), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"sales"}


# -- item 9: query reads, and only reads ------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("COPY runs TO '{tmp}/x.warc.gz'", "refused COPY statement"),
        ("EXPORT DATABASE '{tmp}/dump'", "refused EXPORT statement"),
        ("ATTACH '{tmp}/other.duckdb' (READ_WRITE)", "refused ATTACH statement"),
        ("INSTALL httpfs", "refused LOAD statement"),
        ("SET enable_external_access = true", "refused SET statement"),
        ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
        ("SELECT * FROM read_text('{tmp}/secret.txt')", "file system operations are disabled"),
        ("SELECT 1; DELETE FROM runs", "refused DELETE statement"),
    ],
)
def test_query_refuses_what_does_not_only_read(db, tmp_path, sql, why):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    digest = _digest(db)
    code, out, err = run("query", "--db", str(db), sql.format(tmp=tmp_path))
    assert code == exit_codes.FAILED and out == ""
    assert err.startswith("error: refused") and why in err
    assert "secret" not in err.replace("secret.txt", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert _digest(db) == digest


def _digest(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return table_digest(con)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) AS n FROM current_projects",
        "WITH c AS (SELECT * FROM current_projects) SELECT count(*) AS n FROM c",
        "FROM current_projects SELECT count(*) AS n",
        "DESCRIBE runs",
        "SHOW TABLES",
        "SUMMARIZE runs",
        "EXPLAIN SELECT 1",
        "PRAGMA show_tables",
    ],
)
def test_query_runs_statements_that_read(db, sql):
    code, out, _ = run("query", "--db", str(db), sql, "--format", "json")
    assert code == 0 and json.loads(out)


def test_query_from_a_file_stdin_and_by_name(db, tmp_path):
    file = tmp_path / "q.sql"
    file.write_text("-- how many\nSELECT count(*) AS n FROM current_projects;\n", encoding="utf-8")
    expected = run("query", "--db", str(db), "SELECT count(*) AS n FROM current_projects")
    assert run("query", "--db", str(db), "-f", str(file)) == expected
    assert run("query", "--db", str(db), "-", input=file.read_text("utf-8")) == expected
    assert run("query", "--db", str(db), "-f", "-", input=file.read_text("utf-8")) == expected
    code, out, _ = run("query", "--db", str(db), "--name", "top_funders", "--format", "json")
    assert code == 0 and {"funder", "projects", "active"} <= set(json.loads(out)[0])
    code, _, err = run("query", "--db", str(db), "--name", "nope")
    assert code == exit_codes.FAILED and "no bundled query 'nope'; choose from" in err
    assert "top_funders" in err
    code, _, err = run("query", "--db", str(db), "SELECT 1", "--name", "top_funders")
    assert code == exit_codes.USAGE and "exactly one" in err


@pytest.mark.parametrize("sql", ["", "   ", ";", "/* nothing */"])
def test_query_without_a_statement_says_so(db, sql):
    code, _, err = run("query", "--db", str(db), sql)
    assert code == exit_codes.FAILED
    assert err == 'error: no SQL statement given; try `pipeline query "SELECT 1"`\n'


# -- item 10: --format json for every DuckDB type ---------------------------------------------

EVERY_TYPE = """
SELECT 1.5 AS dec, 12345678901234567890.12::DECIMAL(38, 2) AS big_dec,
  INTERVAL 1 DAY + INTERVAL 90 MINUTE AS iv, INTERVAL '-2 seconds' AS neg_iv,
  '\\x01\\x02'::BLOB AS blob, '5b1b3c2e-0a9f-4c3e-9d1e-2a7b9c0d1e2f'::UUID AS id,
  TIME '12:34:56.5' AS t, DATE '2026-01-31' AS d, TIMESTAMP '2026-01-31 10:00' AS ts,
  TIMESTAMPTZ '2026-01-31 10:00:00+00' AS tstz, 'nan'::DOUBLE AS nan,
  'inf'::DOUBLE AS inf, '-inf'::FLOAT AS ninf, MAP {1: 'a'} AS m, {'a': 'nan'::DOUBLE} AS s,
  [1.5, 'inf'::DOUBLE] AS l, 2::HUGEINT AS h, '101'::BITSTRING AS bits, 1.25::FLOAT AS f
"""


def test_query_json_has_a_strict_form_for_every_type(db):
    code, out, err = run("query", "--db", str(db), EVERY_TYPE, "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out, parse_constant=_raise)
    assert row == {
        "dec": 1.5,
        "big_dec": "12345678901234567890.12",
        "iv": "P1DT1H30M",
        "neg_iv": "-PT2S",
        "blob": "AQI=",
        "id": "5b1b3c2e-0a9f-4c3e-9d1e-2a7b9c0d1e2f",
        "t": "12:34:56.500000",
        "d": "2026-01-31",
        "ts": "2026-01-31T10:00:00",
        "tstz": "2026-01-31T10:00:00+00:00",
        "nan": None,
        "inf": None,
        "ninf": None,
        "m": {"1": "a"},
        "s": {"a": None},
        "l": [1.5, None],
        "h": 2,
        "bits": "101",
        "f": 1.25,
    }
    code, out, _ = run("query", "--db", str(db), EVERY_TYPE, "--format", "csv")
    assert code == 0 and out.startswith("dec,big_dec,iv")


# -- item 8: the demo replaces only its own database ------------------------------------------


def test_demo_refuses_to_replace_a_real_warehouse(db):
    digest = _digest(db)
    code, out, err = run("demo", "--db", str(db))
    assert (code, out) == (exit_codes.USAGE, "")
    assert err == (
        f"error: {db} exists and was not made by `pipeline demo`; the demo replaces only its "
        "own database. Choose another --db (it defaults to pipeline-demo.duckdb).\n"
    )
    assert _digest(db) == digest


def test_demo_refuses_any_other_file(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me", encoding="utf-8")
    code, _, err = run("demo", "--db", str(notes))
    assert code == exit_codes.USAGE and f"error: {notes} exists and was not made by" in err
    assert notes.read_text(encoding="utf-8") == "keep me"


def test_demo_replaces_the_database_it_made(tmp_path):
    from pipeline.demo import made_by_demo

    demo_db = tmp_path / "demo.duckdb"
    for _ in range(2):
        code, _, err = run("demo", "--db", str(demo_db), "--json")
        assert code == 0, err
        assert made_by_demo(demo_db)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (2,)


# -- item 11: "nothing of the run was applied" only when true ---------------------------------


def test_crawl_into_a_closed_pipe_says_the_run_was_recorded(tmp_path):
    import os
    import subprocess
    import sys

    target = tmp_path / "projects.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    with FixtureSite(SITE / "v1") as site:
        args = ["crawl", "--base-url", site.url, "--db", str(target), "--delay", "0"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", *args, "--no-archive", "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None
        proc.stdout.close()  # the reader is gone before the summary is written (`| head -0`)
        _, stderr = proc.communicate(timeout=120)
    err = stderr.decode()
    assert "nothing of the run was applied" not in err and "Traceback" not in err
    assert err.endswith(
        "error: the output was cut short: its reader closed the pipe; "
        "run 1 is recorded (ok); see `pipeline runs`\n"
    )
    assert proc.returncode == exit_codes.OK
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("ok",)]


def test_an_os_error_outside_a_crawl_says_only_what_failed(db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "x.jsonl"
    code, _, err = run("export", "--db", str(db), "--format", "jsonl", "--out", str(out))
    assert code == exit_codes.FAILED
    assert err == f"error: [Errno 17] File exists: '{blocker}'\n"
    assert "nothing of the run was applied" not in err


# -- item 6: the tracebacks found, each pinned (the fuzz test is tests/test_cli_fuzz.py) ------


@pytest.mark.parametrize(
    ("base_url", "why"),
    [
        ("http://127.0.0.1:99999", "the port is not 1-65535"),
        ("http://[::1", "Invalid IPv6 URL"),
        ("http://127.0.0.1:0", "the port is not 1-65535"),
    ],
)
def test_a_bad_base_url_is_a_usage_error(tmp_path, base_url, why):
    target = tmp_path / "p.duckdb"
    code, _, err = run("crawl", "--base-url", base_url, "--db", str(target), "-q")
    assert code == exit_codes.USAGE
    assert err == (
        f"error: --base-url {base_url!r} cannot be used: {why}; give one like "
        "https://staging.example.org or http://127.0.0.1:8080\n"
    )


def test_a_canonical_link_with_a_broken_host_is_ignored(tmp_path):
    page = Path(__file__).resolve().parents[1] / "fixtures/pages/spi-aktionsraum-mitte.html"
    html = page.read_text("utf-8").replace(
        "<head>", '<head><link rel="canonical" href="http://[::1">', 1
    )
    file = tmp_path / "p.html"
    file.write_text(html, encoding="utf-8")
    url = "https://www.stiftung-spi.de/projekte/aktionsraummitte/"
    code, out, _ = run("parse", str(file), "--url", url, "-q")
    assert code == 0 and json.loads(out)["url"] == url.rstrip("/")
    code, _, err = run("parse", str(file), "--url", "http://[::1/x", "-q")
    assert (code, err) == (
        exit_codes.FAILED,
        "error: --url 'http://[::1/x' cannot be fetched or named: Invalid IPv6 URL\n",
    )


def test_runs_limit_must_not_be_negative(db):
    code, _, err = run("runs", "--db", str(db), "--limit", "-1")
    assert code == exit_codes.USAGE and "-1 is not in the range x>=0" in err


def test_a_config_file_that_is_not_utf8(tmp_path, monkeypatch):
    (tmp_path / "pipeline.toml").write_bytes(b'delay = "\xff"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run("config")
    assert code == exit_codes.USAGE
    assert err.startswith(f"error: {tmp_path / 'pipeline.toml'} is not UTF-8 text (")
    assert err.endswith("); save it as UTF-8\n")


# -- item 14: --log-format json is JSON all the way -------------------------------------------


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line, parse_constant=_raise) for line in text.splitlines()]


def test_json_logs_carry_the_summary_and_failures(tmp_path):
    target = tmp_path / "p.duckdb"
    with FixtureSite(SITE / "v1") as site:
        code, out, err = run(
            "crawl", "--base-url", site.url, "--db", str(target), "--delay", "0",
            "--no-archive", "--log-format", "json",
        )  # fmt: skip
    assert code == 0
    (summary,) = _json_lines(out)
    assert summary["level"] == "info" and summary["logger"] == "pipeline.summary"
    assert str(summary["msg"]).startswith("Run 1 ok in ")
    assert summary["summary"]["status"] == "ok"  # type: ignore[index]
    assert "Changes: new 33" in summary["lines"]  # type: ignore[operator]
    assert all({"ts", "level", "msg"} <= set(line) for line in _json_lines(err))


@pytest.mark.parametrize(
    "args",
    [
        ["--base-url", "http://[::1"],
        ["--concurrency", "0"],
        ["--db", "{tmp}"],
    ],
)
def test_json_logs_give_failures_as_error_records(tmp_path, args):
    args = [a.format(tmp=tmp_path) for a in args]
    db = [] if "--db" in args else ["--db", str(tmp_path / "p.duckdb")]
    code, out, err = run("crawl", *args, *db, "--log-format", "json", "-q")
    assert code == exit_codes.USAGE and out == ""
    (record,) = _json_lines(err)
    assert record["level"] == "error" and record["exit_code"] == exit_codes.USAGE
    assert not str(record["msg"]).startswith("error:")


# -- item 15: tables at 80 columns and in pipes; changes with run and date --------------------


def test_tables_fit_80_columns_and_lose_no_header(warehouse_file):
    from pipeline.cli.output import table_text
    from pipeline.warehouse import Warehouse
    from pipeline.warehouse.queries import query, runs

    with Warehouse.open(warehouse_file, read_only=True) as warehouse:
        tables = [runs(warehouse.con), query(warehouse.con, "SELECT * FROM current_projects")]
        narrow = query(warehouse.con, "SELECT division, active FROM projects_by_division")
    for table in [*tables, narrow]:
        text = table_text(table.columns, table.rows, 80)
        assert max(len(line) for line in text.splitlines()) <= 80
        assert "…" not in text
    runs_text = table_text(tables[0].columns, tables[0].rows, 80)
    for column in tables[0].columns:  # every header whole, at the start of a line
        assert any(
            line.startswith(f"{column} ") or line == column for line in runs_text.splitlines()
        )
    assert "events          new 33" in runs_text
    assert table_text(narrow.columns, narrow.rows, 80).splitlines()[1].startswith("│ division")


def test_piped_tables_are_plain(db):
    code, out, _ = run(
        "query", "--db", str(db), "SELECT 1 AS a, 'x y' AS bb UNION SELECT 22, NULL ORDER BY a"
    )
    assert code == 0
    assert out == "a   bb\n1   x y\n22\n2 row(s)\n"


def test_changes_show_run_and_day_and_filter_by_project_until_limit(db):
    code, out, _ = run("changes", "--db", str(db), "--type", "CLOSED,Removed")
    assert code == 0
    lines = out.splitlines()
    assert lines and all(
        re.match(r"run 2    \d{4}-\d\d-\d\d  (closed|removed) ", ln) for ln in lines
    )
    code, out, _ = run("changes", "--db", str(db), "--format", "json")
    everything = json.loads(out)
    some = everything[0]
    url = next(e["url"] for e in everything if e["project_id"] == some["project_id"])
    for given in (some["project_id"], url):
        code, out, _ = run("changes", "--db", str(db), "--project", given, "--format", "json")
        assert code == 0
        assert json.loads(out) == [e for e in everything if e["project_id"] == some["project_id"]]
    code, out, _ = run("changes", "--db", str(db), "--limit", "3", "--format", "json")
    assert json.loads(out) == everything[-3:]
    code, out, _ = run("changes", "--db", str(db), "--until", "2000-01-01", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = run("changes", "--db", str(db), "--until", "2999-01-01", "--format", "json")
    assert json.loads(out) == everything
    code, _, err = run("changes", "--db", str(db), "--until", "soon")
    assert code == exit_codes.USAGE and "'soon' is not a date like 2026-01-31" in err


# -- item 16: show says removed and closed plainly; history ------------------------------------

REMOVED = "stiftung-spi.de/service/projekte/detail/kiezdetektive"
CLOSED = "stiftung-spi.de/service/projekte/detail/pfd-spandau"


def test_show_says_a_project_was_removed_and_takes_its_url(db):
    code, out, _ = run("show", "--db", str(db), REMOVED, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["state"] == f"removed from the site in run 2 ({shown['removed_at'][:10]})"
    assert shown["removed_run_id"] == 2
    url = "https://www.stiftung-spi.de/service/projekte/detail/kiezdetektive/"
    assert run("show", "--db", str(db), url, "--json") == (0, out, "")
    code, out, _ = run("show", "--db", str(db), REMOVED)
    assert out.splitlines()[1].startswith("state ") and "removed from the site in run 2" in out


def test_show_says_a_project_is_closed(db):
    code, out, _ = run("show", "--db", str(db), CLOSED, "--json")
    assert code == 0
    assert json.loads(out)["state"] == "closed (completed), still on the site"


def test_history_lists_versions_and_events_in_order(db):
    code, out, _ = run("history", "--db", str(db), CLOSED, "--format", "json")
    assert code == 0
    entries = [(e["run_id"], e["entry"], e["field"]) for e in json.loads(out)]
    assert entries == [
        (1, "version 1", None),
        (1, "new", None),
        (2, "version 2", None),
        (2, "changed", "period"),
        (2, "changed", "status"),
        (2, "changed", "status_raw"),
        (2, "closed", None),
    ]
    code, out, _ = run("history", "--db", str(db), REMOVED)
    assert re.fullmatch(
        rf"{REMOVED}: removed from the site in run 2 \(\d{{4}}-\d\d-\d\d\)", out.splitlines()[0]
    )
    code, _, err = run("history", "--db", str(db), "nope")
    assert code == exit_codes.FAILED and err.startswith("error: no project 'nope' in the warehouse")


# -- item 17: smaller points -------------------------------------------------------------------


def test_the_archive_goes_beside_the_warehouse_not_into_the_cwd(tmp_path, monkeypatch):
    from pipeline import config
    from pipeline.options import run_options
    from tests.spi import SPI

    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    target = tmp_path / "store" / "other.duckdb"
    with FixtureSite(SITE / "v1") as site:
        code, _, err = run(
            "crawl", "--base-url", site.url, "--db", str(target), "--delay", "0", "-q"
        )
    assert code == 0, err
    assert list(elsewhere.iterdir()) == []
    assert any((tmp_path / "store" / "other-archive").glob("*.warc.gz"))
    default = run_options(config.defaults(), SPI).archive_dir
    assert default == Path("warehouse") / "archive"
    chosen = run_options(config.defaults(archive_dir="/srv/warc"), SPI).archive_dir
    assert chosen == Path("/srv/warc")


def test_short_version_flag_and_pack_help_name_the_truth():
    code, out, _ = run("-V")
    assert code == 0 and out.startswith("cli, version ")  # CliRunner names the program "cli"
    code, out, _ = run("archive", "pack", "--help")
    assert "WACZ file (default: run<RUN_ID>.wacz here)." in " ".join(out.split())


def test_runs_json_times_carry_their_offset(db):
    code, out, _ = run("runs", "--db", str(db), "--format", "json")
    assert code == 0
    for started in (r["started"] for r in json.loads(out)):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", started)
    code, out, _ = run("runs", "--db", str(db))
    assert re.search(r"  \d{4}-\d\d-\d\d \d\d:\d\d  ", out)  # a table keeps minutes


def test_the_default_user_agent_is_warned_about_until_one_is_set(tmp_path, monkeypatch):
    from pipeline.config import PLACEHOLDER_AGENT

    with FixtureSite(SITE / "v1") as site:
        args = ["crawl", "--base-url", site.url, "--delay", "0", "--no-archive", "-q"]
        code, _, err = run(*args, "--db", str(tmp_path / "a.duckdb"))
        assert code == 0 and f"WARNING {PLACEHOLDER_AGENT}" in err
        monkeypatch.setenv("PIPELINE_USER_AGENT", "tester/1.0 (+mailto:t@example.org)")
        code, _, err = run(*args, "--db", str(tmp_path / "b.duckdb"))
        assert code == 0 and "User-Agent" not in err


def test_quarantine_lists_invalid_pages_and_why(tmp_path):
    from pipeline.fixture_server import Reply

    target = tmp_path / "q.duckdb"
    path = "/projekte/aktionsraummitte/"
    with FixtureSite(SITE / "v1") as site:
        html = (SITE / "v1" / path.strip("/") / "index.html").read_text(encoding="utf-8")
        broken = html.replace("01.02.2014 bis 31.12.2017", "01.02.2018 bis 31.12.2014").encode()
        site.override(path, lambda r: Reply(200, broken))
        crawl_into(site.url, target)
    code, out, _ = run("quarantine", "--db", str(target), "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["run_id"] == 1 and row["url"].endswith(path.rstrip("/"))
    assert "after its end" in row["reasons"]
    code, out, _ = run("quarantine", "--db", str(target), "--run", "2", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize(
    ("flags", "progress", "debug"),
    [([], True, False), (["-q"], False, False), (["-v"], True, True),
     (["--log-level", "ERROR"], False, False), (["--log-level", "debug"], True, True)],
)  # fmt: skip
def test_log_level_and_verbose(tmp_path, flags, progress, debug):
    target = tmp_path / "p.duckdb"
    with FixtureSite(SITE / "v1") as site:
        code, _, err = run(
            "crawl", "--base-url", site.url, "--db", str(target), "--delay", "0",
            "--no-archive", "--log-format", "json", *flags,
        )  # fmt: skip
    assert code == 0
    levels = {str(line["level"]) for line in _json_lines(err)}
    assert ("info" in levels) == progress
    assert ("debug" in levels) == debug
    assert ("warning" in levels) == ("ERROR" not in flags)  # the default User-Agent


def test_a_run_that_fails_before_any_page_leaves_no_warcinfo_only_warc(tmp_path, monkeypatch):
    import pipeline.nightly

    async def failing(self: object) -> object:
        raise OSError(28, "No space left on device")
        yield  # an async generator, as Crawl.pages is

    monkeypatch.setattr(pipeline.nightly.Crawl, "pages", failing)
    target, archive = tmp_path / "p.duckdb", tmp_path / "warc"
    with FixtureSite(SITE / "v1") as site:
        code, out, err = run(
            "crawl", "--base-url", site.url, "--db", str(target), "--archive-dir", str(archive),
            "--delay", "0", "-q",
        )  # fmt: skip
    assert (code, out) == (exit_codes.FAILED, "")
    assert err.endswith(
        "error: [Errno 28] No space left on device; the run failed and nothing of it was applied\n"
    )
    assert list(archive.iterdir()) == []
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("failed",)]


def test_shell_completion_is_documented_and_works():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_PIPELINE_COMPLETE=bash_source pipeline)"' in readme
    result = CliRunner().invoke(
        cli, [], env={"_PIPELINE_COMPLETE": "bash_source"}, prog_name="pipeline"
    )
    assert result.exit_code == 0 and "_pipeline_completion()" in result.output


def test_ctrl_c_outside_a_crawl_claims_no_run(db, monkeypatch):
    import pipeline.warehouse.queries

    def interrupted(*args: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.warehouse.queries, "query", interrupted)
    code, out, err = run("query", "--db", str(db), "SELECT 1")
    assert (code, out, err) == (exit_codes.INTERRUPTED, "", "error: interrupted\n")
