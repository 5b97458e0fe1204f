"""The warehouse over the fixture site's history: exact events, SCD2 history, idempotent loads."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.fixture_server import FixtureSite
from pipeline.warehouse import Warehouse
from pipeline.warehouse.loader import load_run
from tests.warehouse_support import SITE, crawl_into, events, table_digest

DETAIL = "service/projekte/detail/"
EXPECTED = {
    2: {
        ("new", "projekte/jugendwerkstatt-marzahn", None),
        ("changed", DETAIL + "pfd-spandau", "status"),
        ("changed", DETAIL + "pfd-spandau", "status_raw"),
        ("changed", DETAIL + "pfd-spandau", "period"),
        ("closed", DETAIL + "pfd-spandau", None),
        ("changed", DETAIL + "ausbildungsbruecke", "closed_notice"),
        ("changed", DETAIL + "ausbildungsbruecke", "status"),
        ("closed", DETAIL + "ausbildungsbruecke", None),
        ("changed", DETAIL + "demokratiewerkstatt", "funders"),
        ("changed", DETAIL + "demokratiewerkstatt", "contact"),
        ("removed", DETAIL + "kiezdetektive", None),  # 410
        ("removed", DETAIL + "stadtteilmuetter", None),  # 404, confirmed by a re-check
        ("moved", "projekte/buergerhaushalt", None),  # 301, identity kept
    },
    3: {  # template drift on every page: only the intended events
        ("reappeared", DETAIL + "stadtteilmuetter", None),
        ("changed", DETAIL + "mobile-beratung-ost", "status"),
        ("changed", DETAIL + "mobile-beratung-ost", "status_raw"),
        ("changed", DETAIL + "mobile-beratung-ost", "period"),
        ("reopened", DETAIL + "mobile-beratung-ost", None),
        ("removed", "projekte/seniorenbegleitung", None),  # unlinked for two complete runs
    },
    4: set(),  # a full markup relaunch with the same facts
    5: set(),  # the same site again
}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Crawl v1, v2, v3, v4, v4 into one database; after each run, load it again."""
    db = tmp_path_factory.mktemp("history") / "projects.duckdb"
    reports, digests_equal = [], []
    with FixtureSite(SITE / "v1") as site:
        for snapshot in ("v1", "v2", "v3", "v4", "v4"):
            site.switch(SITE / snapshot)
            report = crawl_into(site.url, db)
            reports.append(report)
            with Warehouse.open(db) as warehouse:
                before = table_digest(warehouse.con)
                again = load_run(warehouse.con, report.run_id, report.summary)
                digests_equal.append(before == table_digest(warehouse.con))
                assert again.status == report.status
    con = duckdb.connect(str(db), read_only=True)
    yield reports, con, digests_equal
    con.close()


def test_first_run_sees_every_project_as_new(history):
    reports, con, _ = history
    assert reports[0].status == "ok"
    assert reports[0].load.events == {"new": 33}
    assert (
        con.execute("SELECT count(*) FROM project_versions WHERE first_run_id = 1").fetchone()[0]
        == 33
    )


@pytest.mark.parametrize("run_id", [2, 3, 4, 5])
def test_each_snapshot_gives_exactly_its_events(history, run_id):
    _, con, _ = history
    assert events(con, run_id) == EXPECTED[run_id]


def test_every_run_is_ok_and_complete(history):
    reports, con, _ = history
    assert [r.status for r in reports] == ["ok"] * 5
    assert all(r.load.complete for r in reports)
    statuses = con.execute("SELECT status, complete FROM runs ORDER BY run_id").fetchall()
    assert statuses == [("ok", True)] * 5


def test_loading_a_run_twice_changes_nothing(history):
    _, _, digests_equal = history
    assert digests_equal == [True] * 5


def test_changed_fields_carry_old_and_new_values(history):
    _, con, _ = history
    old, new = con.execute(
        "SELECT old, new FROM project_changes WHERE run_id = 2 AND field = 'funders'"
    ).fetchone()
    assert (old, new) == ("[]", '["Deutsche Stiftung für Engagement und Ehrenamt"]')
    status = con.execute(
        "SELECT old, new FROM project_changes WHERE run_id = 2 AND type = 'changed' "
        "AND field = 'status' AND project_id LIKE '%pfd-spandau'"
    ).fetchone()
    assert status == ('"active"', '"completed"')


def test_move_keeps_identity_and_records_both_urls(history):
    _, con, _ = history
    pid = "stiftung-spi.de/projekte/buergerhaushalt"
    url, old_url = con.execute(
        "SELECT url, old_url FROM project_changes WHERE type = 'moved'"
    ).fetchone()
    assert url == "https://www.stiftung-spi.de/service/projekte/detail/buergerhaushalt-berlin"
    assert old_url == "https://www.stiftung-spi.de/projekte/buergerhaushalt"
    versions = con.execute(
        "SELECT version, url, is_current FROM project_versions WHERE project_id = ? ORDER BY 1",
        [pid],
    ).fetchall()
    assert versions == [
        (1, old_url, False),
        (2, url, True),
    ]
    assert con.execute(
        "SELECT count(*) FROM projects WHERE project_id LIKE '%buergerhaushalt%'"
    ).fetchone() == (1,)


def test_scd2_history_is_well_formed(history):
    _, con, _ = history
    assert (
        con.execute(
            "SELECT project_id FROM project_versions "
            "GROUP BY 1 HAVING count(*) FILTER (is_current) <> 1"
        ).fetchall()
        == []
    )
    gaps = con.execute(
        """
        SELECT project_id FROM (
            SELECT project_id, version, valid_from, valid_to,
                   lead(valid_from) OVER (PARTITION BY project_id ORDER BY version) AS next_from,
                   lag(version) OVER (PARTITION BY project_id ORDER BY version) AS prev_version
            FROM project_versions)
        WHERE (next_from IS NOT NULL AND next_from <> valid_to)
           OR (prev_version IS NOT NULL AND prev_version <> version - 1)
           OR (next_from IS NULL AND valid_to IS NOT NULL)
        """
    ).fetchall()
    assert gaps == []
    # the relaunch (run 4) created no version at all
    assert con.execute(
        "SELECT count(*) FROM project_versions WHERE first_run_id >= 4"
    ).fetchone() == (0,)


def test_removed_and_reappeared_projects(history):
    _, con, _ = history
    rows = dict(
        con.execute(
            "SELECT replace(project_id, 'stiftung-spi.de/', ''), removed FROM projects"
        ).fetchall()
    )
    assert rows[DETAIL + "kiezdetektive"] is True
    assert rows["projekte/seniorenbegleitung"] is True
    assert rows[DETAIL + "stadtteilmuetter"] is False
    current = {r[0] for r in con.execute("SELECT project_id FROM current_projects").fetchall()}
    assert "stiftung-spi.de/" + DETAIL + "kiezdetektive" not in current
    assert len(current) == 34 - 2


def test_unchanged_rerun_fetches_conditionally(history):
    reports, con, _ = history
    last = reports[-1].summary
    assert last.outcomes["not_modified"] >= 50
    assert last.projects <= 1  # nothing re-parsed but pages that answer 200 without validators
    sent = con.execute(
        "SELECT count(*) FROM fetches WHERE run_id = 5 AND outcome = 'not_modified'"
    ).fetchone()[0]
    assert sent == last.outcomes["not_modified"]


def test_analyst_views_answer(history):
    _, con, _ = history
    closed = dict(
        con.execute(
            "SELECT replace(project_id, 'stiftung-spi.de/', ''), closed_on FROM closed_projects"
        ).fetchall()
    )
    assert str(closed[DETAIL + "pfd-spandau"]) == "2026-10-31"  # the period's end
    assert DETAIL + "ausbildungsbruecke" in closed
    funders = dict(con.execute("SELECT funder, projects FROM projects_by_funder").fetchall())
    assert funders["Deutsche Stiftung für Engagement und Ehrenamt"] == 1
    divisions = dict(con.execute("SELECT division, projects FROM projects_by_division").fetchall())
    assert sum(divisions.values()) == 32
    years = dict(con.execute("SELECT year, projects FROM active_per_year").fetchall())
    assert years[2015] >= 1 and max(years) >= 2026
    recent = con.execute("SELECT count(*) FROM recent_changes").fetchone()[0]
    assert recent == con.execute("SELECT count(*) FROM project_changes").fetchone()[0]


def test_only_really_gone_pages_answer_404_or_410(history):
    """Links replayed from unchanged pages resolve like fresh ones (no bogus 404s)."""
    _, con, _ = history
    gone = con.execute(
        "SELECT DISTINCT run_id, replace(page_key, 'stiftung-spi.de/', ''), status "
        "FROM fetches WHERE outcome = 'gone' ORDER BY ALL"
    ).fetchall()
    assert gone == [
        (2, DETAIL + "kiezdetektive", 410),
        (2, DETAIL + "stadtteilmuetter", 404),
        (3, DETAIL + "kiezdetektive", 410),
        (4, DETAIL + "kiezdetektive", 410),
        (5, DETAIL + "kiezdetektive", 410),
    ]
