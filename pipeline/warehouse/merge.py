"""The end of a run: staged pages become history and typed change events, in one transaction.

Every step is set-based SQL over the run's staged rows, one statement per file in
``warehouse/merge/<step>/<name>.sql``, run in the order ``STEPS`` lists them. The temp tables:

    run_records  the run's valid records: the few fields identity and events need (the full
                 record, typed when the spool was read, is taken only where a version is written)
    run_moves    permanent redirects from a live project's address to an address never seen
    run_ids      each record with its stable project_id (moves and old addresses resolved)
    run_seen     projects the run saw: parsed, unchanged (304 / same body), moved, quarantined
    run_diff     each record against the project's current version

The few column lists that follow the record schema are ``{{placeholders}}`` filled from
``pipeline.warehouse.columns`` (see ``placeholders``).
"""

from __future__ import annotations

from functools import cache

import duckdb

from pipeline.warehouse import columns
from pipeline.warehouse.db import sql_root
from pipeline.warehouse.statements import Statement, load
from schemas.record import CONTENT_FIELDS

# The statements of each step, in the order they run.
STEPS: dict[str, tuple[str, ...]] = {
    # the fetch log: kept whatever else happens to the run
    "log": ("fetches", "quarantine"),
    "identify": (
        "run_records",
        "run_moves",
        "run_ids",
        "first_page_per_project",
        "run_seen",
        "run_diff",
    ),
    # events of records, then history, then identity and presence
    "apply": (
        "event_new",
        "event_changed",
        "event_closed",
        "event_reopened",
        "event_moved",
        "event_reappeared",
        "close_versions",
        "add_versions",
        "add_projects",
        "follow_urls",
        "mark_seen",
        "add_project_urls",
    ),
    "remove": (
        "run_troubled",
        "run_gone",
        "count_missing",
        "run_removed",
        "event_removed",
        "mark_removed",
    ),
    "page_state": (
        "run_state",
        "drop_refetched",
        "add_fetched",
        "verify_unchanged",
    ),
    # a query: the field coverage the run leaves (see COVERAGE_FIELDS)
    "coverage": ("field_shares",),
}

# Each field whose coverage the run reports, and when a current version has it.
COVERAGE_FIELDS: dict[str, str] = {
    "status": "status <> 'unknown'",
    "period": "period IS NOT NULL",
    "contact": "contact IS NOT NULL",
    "funders": "len(funders) > 0",
    "focus_areas": "len(focus_areas) > 0",
    "services": "len(services) > 0",
    "division": "COALESCE(division, contact.division) IS NOT NULL",
    "short_title": "short_title IS NOT NULL",
}


def placeholders() -> dict[str, str]:
    """The values of the merge SQL's ``{{placeholders}}``, from the column spec."""
    return {
        "fetches_columns": ", ".join(columns.names(columns.FETCHES)),
        "content_changes": ", ".join(
            f"{{'field': '{name}', 'old': to_json(v.\"{name}\"), "
            f"'new': to_json(s.record.\"{name}\")}}"
            for name in CONTENT_FIELDS
        ),
        "record_columns": ", ".join(
            f's.record."{name}" AS "{name}"' for name in columns.VERSION_FIELDS
        ),
        "field_shares": ", ".join(
            f"avg(CASE WHEN {condition} THEN 1.0 ELSE 0.0 END) AS {name}"
            for name, condition in COVERAGE_FIELDS.items()
        ),
    }


@cache
def statements(step: str) -> tuple[Statement, ...]:
    """The statements of one step, read (once) from ``warehouse/merge/<step>/``."""
    folder = sql_root() / "merge"
    values = placeholders()
    return tuple(load(folder, f"{step}/{name}", values) for name in STEPS[step])


def run_step(con: duckdb.DuckDBPyConnection, step: str, params: dict[str, object]) -> None:
    """Run a step's statements in order, each with the named parameters it uses."""
    for statement in statements(step):
        statement.run(con, params)


def coverage(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The cursor of the one-row coverage query: the projects, then each field's share."""
    (query,) = statements("coverage")
    return query.run(con, {})
