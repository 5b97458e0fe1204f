"""The column spec and the merge's SQL files against the migrated tables, so neither can drift."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import orjson
import pytest

from fixtures.sitegen.facts import PROJECTS
from pipeline.crawl.scope import Target
from pipeline.crawl.state import PageState
from pipeline.model import CrawledPage, FetchResult
from pipeline.parse import ParseResult
from pipeline.warehouse import Warehouse, columns, merge
from pipeline.warehouse.db import sql_root
from pipeline.warehouse.staging import Stager
from pipeline.warehouse.state import STATE_COLUMNS
from schemas import build_record

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def con(tmp_path):
    with Warehouse.open(tmp_path / "projects.duckdb") as warehouse:
        yield warehouse.con


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "ORDER BY column_index",
        [table],
    ).fetchall()


def _names(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, ...]:
    return tuple(name for name, _ in _columns(con, table))


def _typed(con: duckdb.DuckDBPyConnection, spec: tuple[tuple[str, str], ...]) -> list:
    """The spec with each type as DuckDB's catalog spells it (TIMESTAMPTZ: with time zone)."""
    return [
        (name, con.execute(f"SELECT typeof(NULL::{kind})").fetchone()[0]) for name, kind in spec
    ]


def test_the_fetch_columns_are_the_fetches_table(con):
    assert _typed(con, columns.FETCHES) == _columns(con, "fetches")


def test_page_state_and_project_versions_columns_are_their_tables(con):
    assert _names(con, "page_state") == columns.PAGE_STATE
    assert _names(con, "project_versions") == columns.PROJECT_VERSIONS


def test_a_page_state_is_read_from_its_columns():
    assert STATE_COLUMNS[0] == "page_key"
    assert STATE_COLUMNS[1:] == tuple(f.name for f in dataclasses.fields(PageState))


def test_the_staged_lines_and_table_have_the_stage_columns(con, tmp_path):
    record = build_record(PROJECTS[0].expected())
    target = Target(record.project_id, record.url, record.url, "project")
    fetch = FetchResult(target, "fetched", datetime.now(UTC), status=200, final_target=target)
    stager = Stager(con, 1, tmp_path, "test.run")
    stager.add(CrawledPage(fetch, ParseResult(record.url, "project", record=record)))
    stager.load()
    line = orjson.loads(stager.path.read_bytes().splitlines()[0])
    stager.discard()
    assert tuple(line) == columns.names(columns.STAGE_FETCHES)
    assert _names(con, "stage_fetches") == columns.names(columns.STAGE_FETCHES)
    staged = _columns(con, "stage_fetches")
    assert staged[:-1] == _typed(con, columns.STAGE_FETCHES[:-1])  # the record: a STRUCT


def test_every_merge_file_is_one_listed_statement_with_its_placeholders_filled():
    folder = sql_root() / "merge"
    on_disk = {str(path.relative_to(folder).with_suffix("")) for path in folder.rglob("*.sql")}
    listed = {f"{step}/{name}" for step, names in merge.STEPS.items() for name in names}
    assert on_disk == listed
    for step in merge.STEPS:
        for statement in merge.statements(step):
            assert len(duckdb.extract_statements(statement.sql)) == 1, statement.name
            assert "{{" not in statement.sql and "}}" not in statement.sql, statement.name


def test_the_wheel_carries_every_sql_folder():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    bundled = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    folders = {path.name for path in (ROOT / "warehouse").iterdir() if any(path.glob("**/*.sql"))}
    assert {f"warehouse/{name}" for name in folders} <= set(bundled)
    assert {"migrations", "merge", "queries"} <= folders
