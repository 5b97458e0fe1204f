"""DuckLake on PostgreSQL as the warehouse: the same commands give the same answers as on an
embedded DuckDB file after the same runs; opening errors say what to do; the query sandbox and
maintenance work on a lake. Real PostgreSQL (tests/lake_support.py), real fixture site."""

from __future__ import annotations

import json
import multiprocessing
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import InputError, WarehouseError
from pipeline.fixture_server import FixtureSite
from pipeline.report import ReportOptions, build_report
from pipeline.warehouse import Warehouse
from pipeline.warehouse.db import migrations
from tests.lake_support import crawl_lake
from tests.warehouse_support import SITE

pytestmark = pytest.mark.lake

PFD = "stiftung-spi.de/service/projekte/detail/pfd-spandau"
# keys whose values differ between two crawls of the same pages: times, durations, files
VOLATILE = re.compile(
    r"(_at$|^at$|duration|per_second|seconds|warc|archive_dir|fetched|detected|valid_from"
    r"|valid_to|_seen$|^date$|started|finished|^summary$|^db$)"
)
QUERIES = sorted(
    re.sub(r"^\d+_", "", p.stem)
    for p in (Path(__file__).parents[1] / "warehouse/queries").iterdir()
)


def _scrub(value: object) -> object:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if not VOLATILE.search(k)}
    if isinstance(value, list):
        return sorted((_scrub(v) for v in value), key=repr)
    return value


def _json(*args: str) -> object:
    done = CliRunner().invoke(cli, list(args))
    assert done.exit_code == 0, done.output
    if args[0] == "export":
        lines = Path(args[args.index("--out") + 1]).read_text("utf-8").splitlines()
        return _scrub([json.loads(line) for line in lines])
    return _scrub(json.loads(done.output))


def _answers(db: str, out: Path) -> dict[str, object]:
    """What every reading command answers about the warehouse ``db``."""
    answers: dict[str, object] = {
        f"query {name}": _json("query", "--name", name, "--format", "json", "--db", db)
        for name in QUERIES
    }
    answers["changes"] = _json("changes", "--cause", "all", "--format", "json", "--db", db)
    answers["runs"] = _json("runs", "--format", "json", "--db", db)
    answers["show"] = _json("show", PFD, "--json", "--db", db)
    answers["show v1"] = _json("show", PFD, "--version", "1", "--json", "--db", db)
    answers["history"] = _json("history", PFD, "--format", "json", "--db", db)
    answers["quarantine"] = _json("quarantine", "--format", "json", "--db", db)
    out.mkdir()
    for history in ((), ("--history",)):
        target = str(out / f"export{len(history)}.jsonl")
        answers[f"export {history}"] = _json(
            "export", "--format", "jsonl", "--out", target, *history, "--db", db
        )
    with Warehouse.open(db, read_only=True) as warehouse:
        views = warehouse.con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal "
            "AND database_name = current_database() ORDER BY 1"
        ).fetchall()
        answers["views"] = views
        for (view,) in views:
            rows = warehouse.con.execute(f"SELECT * FROM {view}").fetchall()
            answers[f"view {view} rows"] = len(rows)
        report = build_report(warehouse.con, ReportOptions(out=out / "report"))
    answers["report"] = (report.runs, report.projects, report.events, report.captures)
    answers["report pages"] = sorted(  # an archived page's name ends with its capture's id
        re.sub(r"-[0-9a-f]{10}\.html$", ".html", str(p.relative_to(out / "report")))
        for p in (out / "report").rglob("*.html")
    )
    return answers


def test_the_commands_answer_the_same_on_a_file_and_on_a_lake(lake, tmp_path):
    file_db = tmp_path / "projects.duckdb"
    with FixtureSite(SITE / "v1") as site:
        for snapshot in ("v1", "v2", "v3"):
            site.switch(SITE / snapshot)
            on_file = crawl_lake(site.url, file_db, archive=True)
            on_lake = crawl_lake(site.url, lake.db, data_path=str(lake.data_path), archive=True)
            assert on_lake.load.events == on_file.load.events
            assert on_lake.load.coverage == on_file.load.coverage
    expected = _answers(str(file_db), tmp_path / "file")
    got = _answers(lake.db, tmp_path / "lake")
    assert expected["report"][3] > 0  # captures read from the WARC files on both
    for name in expected:
        if isinstance(expected[name], list) and got[name] != expected[name]:
            pairs = zip(got[name], expected[name], strict=False)  # type: ignore[call-overload]
            diffs = [
                {k: (g[k], w.get(k)) for k in g if g[k] != w.get(k)} if isinstance(g, dict) else g
                for g, w in pairs
                if g != w
            ]
            assert diffs == [], name
        assert got[name] == expected[name], name
    assert set(got) == set(expected)
    # WARC files of a lake's run: per site, beside (not inside) the lake's data folder
    warcs = list(
        (lake.data_path.parent / f"{lake.data_path.name}-archive" / "stiftung-spi").glob(
            "*.warc.gz"
        )
    )
    assert len(warcs) == 3


def test_every_migration_is_recorded_on_a_new_lake_and_nothing_is_inlined(lake):
    with Warehouse.open(lake.db, data_path=lake.data_path) as warehouse:
        assert warehouse.lake is not None and warehouse.name == lake.db
        done = warehouse.con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        inlining = warehouse.con.execute(
            "SELECT value FROM lake.options() WHERE option_name = 'data_inlining_row_limit'"
        ).fetchone()
    assert [v for (v,) in done] == [version for version, _, _ in migrations()]
    assert inlining == ("0",)
    with Warehouse.open(lake.db) as again:  # a second open applies nothing, needs no data_path
        assert again.migrate() == []


def _together(writer: Any, *args: str, count: int = 4) -> list[str]:
    """Run ``writer(*args, start, answers)`` in ``count`` processes that wait at one barrier,
    and return what each put in ``answers`` ("ok" or its error)."""
    spawn = multiprocessing.get_context("spawn")
    start, answers = spawn.Barrier(count), spawn.Queue()
    writers = [spawn.Process(target=writer, args=(*args, start, answers)) for _ in range(count)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    return [answers.get(timeout=5) for _ in writers]


def _open_when_told(db: str, data_path: str, start: Any, answers: Any) -> None:
    """A writer process: opens (makes and migrates) the lake at the barrier."""
    start.wait()
    try:
        Warehouse.open(db, data_path=Path(data_path)).close()
        answers.put("ok")
    except Exception as exc:
        answers.put(f"{type(exc).__name__}: {exc}")


def test_writers_started_together_on_a_lake_nobody_made_all_open_it(lake):
    """Four nightly crawls started by one cron line on a fresh deployment: PostgreSQL lets one
    make the catalog and each migration; the others attach what it made and skip what it did."""
    assert _together(_open_when_told, lake.db, str(lake.data_path)) == ["ok"] * 4
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        done = warehouse.con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    assert [v for (v,) in done] == [version for version, _, _ in migrations()]  # each once


def _set_option_when_told(db: str, start: Any, answers: Any) -> None:
    """A writer making a lake, at the step where it sets the lake's inlining limit: many times,
    at the same moment as the others."""
    from pipeline.warehouse import lake as lake_backend

    con, _new = lake_backend.connect(lake_backend.LakeTarget(db), False, {}, None)
    start.wait()
    try:
        for _ in range(10):
            lake_backend._no_inlining(con)
        answers.put("ok")
    except Exception as exc:
        answers.put(f"{type(exc).__name__}: {exc}")
    finally:
        con.close()


def test_writers_making_the_same_lake_all_set_its_options(lake):
    """Writers that all reached the making of one new lake set its options at the same moment:
    PostgreSQL fails all but one of simultaneous updates, and the losers set the option again."""
    Warehouse.open(lake.db, data_path=lake.data_path).close()
    assert _together(_set_option_when_told, lake.db) == ["ok"] * 4
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        limit = warehouse.con.execute(
            "SELECT value FROM lake.options() WHERE option_name = 'data_inlining_row_limit'"
        ).fetchone()
    assert limit == ("0",)


def test_a_new_lake_needs_data_path_and_readers_need_a_lake(lake, tmp_path):
    with pytest.raises(InputError) as caught:
        Warehouse.open(lake.db)
    assert str(caught.value) == (
        f"{lake.db} holds no lake yet, and making one needs a folder for its Parquet files: "
        "set data_path (pipeline.toml or $PIPELINE_DATA_PATH)"
    )
    with pytest.raises(InputError, match=r"the DuckLake catalog \(database lake_\w+ on "
                       r"127\.0\.0\.1 port \d+\) holds no lake yet"):  # fmt: skip
        Warehouse.open(lake.db, read_only=True)
    done = CliRunner().invoke(cli, ["runs", "--db", lake.db])
    assert done.exit_code == 1 and done.output == (
        f"error: no warehouse at {lake.db}: the DuckLake catalog (database {lake.dbname} on "
        f"127.0.0.1 port {lake.dsn.split('port=')[1].split()[0]}) holds no lake yet; run "
        "`pipeline crawl` with data_path set first\n"
    )
    afile = tmp_path / "a-file"
    afile.write_text("x")
    with pytest.raises(InputError, match="is not a folder"):
        Warehouse.open(lake.db, data_path=afile)


def test_an_unreachable_postgres_says_where_and_what_to_try(lake):
    port = re.search(r"port=(\d+)", lake.dsn)
    assert port is not None
    dead = re.sub(r"port=\d+", "port=1", lake.db)
    with pytest.raises(WarehouseError) as caught:
        Warehouse.open(dead, read_only=True)
    text = str(caught.value)
    assert text.startswith(
        f"cannot reach the DuckLake catalog: PostgreSQL database {lake.dbname} on 127.0.0.1 "
        "port 1 answered: "
    )
    assert "Connection refused" in text and text.endswith(
        "Is the server running and accepting TCP connections there, does the database exist "
        "(createdb), and are user and password right? Check the --db connection string."
    )


def test_query_on_a_lake_reads_and_refuses_writes(lake):
    with FixtureSite(SITE / "v1") as site:
        crawl_lake(site.url, lake.db, data_path=str(lake.data_path))
    runner = CliRunner()
    done = runner.invoke(
        cli, ["query", "SELECT count(*) AS n FROM current_projects", "--format", "csv",
              "--db", lake.db],
    )  # fmt: skip
    assert done.exit_code == 0 and done.output == "n\n33\n", done.output
    refused = runner.invoke(cli, ["query", "DELETE FROM runs", "--db", lake.db])
    assert refused.exit_code == 1
    assert refused.output.startswith("error: refused DELETE statement 'DELETE FROM runs'")
    outside = runner.invoke(cli, ["query", "SELECT * FROM read_csv('/etc/passwd')",
                                  "--db", lake.db])  # fmt: skip
    assert outside.exit_code == 1 and "file system operations are disabled" in outside.output
    # below the statement check: the lake itself is attached read-only, settings locked
    with Warehouse.open(lake.db, read_only=True, sandboxed=True) as warehouse:
        with pytest.raises(duckdb.Error, match="read-only mode"):
            warehouse.con.execute("DELETE FROM runs")
        with pytest.raises(duckdb.Error, match="locked"):
            warehouse.con.execute("SET enable_external_access = true")


def test_maintain_on_a_lake_merges_expires_and_cleans_and_says_so(lake):
    with FixtureSite(SITE / "v1") as site:
        crawl_lake(site.url, lake.db, data_path=str(lake.data_path))
        site.switch(SITE / "v2")
        crawl_lake(site.url, lake.db)
    with Warehouse.open(lake.db, read_only=True) as warehouse:
        snapshots = warehouse.con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
    done = CliRunner().invoke(
        cli, ["warehouse", "maintain", "--db", lake.db], env={"PIPELINE_SNAPSHOT_AGE": "0"}
    )
    assert done.exit_code == 0, done.output
    first, second = done.output.splitlines()
    assert re.fullmatch(rf"{re.escape(lake.db)}: 0 lapsed lease\(s\) deleted; \d+ -> \d+ bytes",
                        first)  # fmt: skip
    merged = re.fullmatch(
        r"(\d+) file\(s\) merged into (\d+); (\d+) snapshot\(s\) expired; (\d+) old file\(s\) "
        r"and 0 orphaned file\(s\) deleted",
        second,
    )
    assert merged is not None, second
    files_merged, _, expired, old = (int(g) for g in merged.groups())
    assert files_merged > 0 and old > 0
    with Warehouse.open(lake.db, read_only=True) as warehouse:  # the data is all still there
        left = warehouse.con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
        assert left <= 2 and expired >= snapshots - 1  # the latest (and compaction's) stay
        assert warehouse.con.execute("SELECT count(*) FROM current_projects").fetchone() == (32,)
