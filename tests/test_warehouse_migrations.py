"""Migrations on a warehouse that already holds data: 0005 adds the grant facts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.warehouse import Warehouse, db
from pipeline.warehouse.columns import VERSION_FIELDS


def _columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "ORDER BY column_index",
        [table],
    ).fetchall()


def test_grant_facts_migration_keeps_versions_and_the_record_order(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    before = [m for m in db.migrations() if m[0] < 5]
    monkeypatch.setattr(db, "migrations", lambda: before)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with Warehouse.open(path) as old:
        old.con.execute(
            "INSERT INTO project_versions (project_id, version, valid_from, is_current, "
            "content_hash, first_run_id, url, site, lang, title, status, funders, "
            "closed_notice, body_hash) VALUES ('p', 1, ?, true, 'h', 1, 'https://x.de/p', "
            "'s', 'de', 'P', 'active', ['Fonds A'], false, 'b')",
            [at],
        )
    monkeypatch.undo()
    with Warehouse.open(path) as new:
        con = new.con
        row = con.execute(
            "SELECT project_id, title, funders, grant_amount, partners, target_groups, body_hash "
            "FROM project_versions"
        ).fetchall()
        migrated = _columns(con, "project_versions")
    assert row == [("p", "P", ["Fonds A"], None, [], [], "b")]
    with Warehouse.open(tmp_path / "fresh.duckdb") as fresh:
        assert migrated == _columns(fresh.con, "project_versions")
    names = [name for name, _type in migrated]
    # the record's fields in the record's order, between first_run_id and the evidence columns
    first = names.index("first_run_id") + 1
    assert tuple(names[first : first + len(VERSION_FIELDS)]) == VERSION_FIELDS
    assert names[first + len(VERSION_FIELDS) :] == [
        "body_hash",
        "warc_file",
        "warc_record_id",
        "payload_digest",
        "cause",  # 0006: site or extraction
    ]


@pytest.mark.parametrize("view", ["current_projects", "funding_by_funder_year"])
def test_views_read_the_migrated_table(tmp_path, view):
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        assert warehouse.con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
