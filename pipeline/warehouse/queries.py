"""Reading the warehouse: change events, runs, exports and ad-hoc SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb

from pipeline.errors import InputError, RefusedQueryError
from pipeline.warehouse.db import scalar, sql_root
from schemas import ProjectRecord

EVENT_TYPES = ("new", "changed", "closed", "reopened", "removed", "reappeared", "moved")
EVENT_ORDER = ("new", "reappeared", "moved", "changed", "closed", "reopened", "removed")
ExportFormat = Literal["jsonl", "csv", "parquet"]
# The record's JSON field names in order: the export's contract, from the schema itself.
RECORD_FIELDS: tuple[str, ...] = tuple(ProjectRecord.model_fields)


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[object, ...]]

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _json_value(text: str | None) -> object:
    return json.loads(text) if text is not None else None


CAUSES = ("site", "extraction", "all")


def changes(
    con: duckdb.DuckDBPyConnection,
    since: date | None = None,
    run_id: int | None = None,
    types: tuple[str, ...] = (),
    cause: str = "site",
    *,
    until: date | None = None,
    project_id: str | None = None,
    limit: int | None = None,
) -> list[dict[str, object]]:
    """Change events, oldest first; ``old``/``new`` as JSON values. ``cause``: the site's own
    changes (default), those of a parser or profile change (``extraction``), or ``all``.
    ``since``/``until``: days, both included; ``limit``: the latest so many events."""
    types = tuple(t.lower() for t in types)
    if cause not in CAUSES:
        raise InputError(f"unknown cause {cause!r}; choose from {', '.join(CAUSES)}")
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise InputError(
            f"unknown change type(s) {', '.join(unknown)}; choose from {', '.join(EVENT_TYPES)}"
        )
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("detected_at >= ?")
        params.append(since)
    if until is not None:
        where.append("CAST(detected_at AS DATE) <= ?")
        params.append(until)
    if run_id is not None:
        where.append("run_id = ?")
        params.append(run_id)
    if project_id is not None:
        where.append("project_id = ?")
        params.append(project_id)
    if types:
        where.append(f"type IN ({', '.join('?' for _ in types)})")
        params.extend(types)
    if cause != "all":
        where.append("cause = ?")
        params.append(cause)
    sql = (
        "SELECT run_id, project_id, url, type, field, old, new, old_url, version, detected_at, "
        "cause FROM project_changes"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY run_id, project_id, list_position(?, type), field"
    )
    params.append(list(EVENT_ORDER))
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        event = dict(zip(columns, row, strict=True))
        event["old"] = _json_value(event["old"])
        event["new"] = _json_value(event["new"])
        event["detected_at"] = event["detected_at"].isoformat()
        out.append(event)
    if limit is not None:  # the latest events, still shown oldest first
        return out[len(out) - limit :] if limit else []
    return out


def runs(con: duckdb.DuckDBPyConnection, limit: int = 20, exact: bool = False) -> Table:
    """Recent runs, newest first; ``exact``: ``started`` as a timestamp with its UTC offset
    (for JSON and CSV), else as minutes for a table."""
    started = "started_at" if exact else "strftime(started_at, '%Y-%m-%d %H:%M')"
    cursor = con.execute(
        f"SELECT run_id, site, {started} AS started, "
        "round(duration_s, 1) AS seconds, status, complete, pages, fetched, "
        "unchanged + not_modified AS unchanged, failed, projects, quarantined, "
        "(SELECT string_agg(key || ' ' || value, ', ' ORDER BY key) FROM json_each(events)) "
        "AS events, verified, skipped_lastmod AS skipped, audited, audit_failures, "
        "lastmod_trust AS lastmod, message FROM runs ORDER BY run_id DESC LIMIT ?",
        [limit],
    )
    return Table([d[0] for d in cursor.description], cursor.fetchall())


# The statements `pipeline query` runs: those that only read. DESCRIBE, SHOW, SUMMARIZE, FROM,
# TABLE, VALUES and WITH parse as SELECT. Anything else (COPY, EXPORT, ATTACH, INSTALL, LOAD,
# SET, INSERT, CREATE, ...) is refused before it runs; the connection itself is read-only with
# external access off and its settings locked, so a reading statement cannot reach a file either.
READ_STATEMENTS: dict[duckdb.StatementType, str] = {
    duckdb.StatementType.SELECT: "SELECT",
    duckdb.StatementType.EXPLAIN: "EXPLAIN",
    duckdb.StatementType.PRAGMA: "PRAGMA",
    duckdb.StatementType.CALL: "CALL",
}
ALLOWED = "SELECT, WITH, FROM, TABLE, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA, CALL"


def _statements(sql: str) -> list[duckdb.Statement]:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"the query failed: {exc}") from exc
    if not statements:
        raise InputError('no SQL statement given; try `pipeline query "SELECT 1"`')
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name
            text = " ".join(statement.query.split())
            text = text if len(text) <= 60 else text[:59] + "…"
            raise RefusedQueryError(
                f"refused {kind} statement {text!r}: `pipeline query` runs only statements "
                f"that read ({ALLOWED}); change the warehouse with `pipeline` commands, or "
                "the duckdb CLI on a copy"
            )
    return statements


def quarantine(con: duckdb.DuckDBPyConnection, run_id: int | None = None, limit: int = 50) -> Table:
    """Pages parsed as project pages that gave no valid record, and why: by default those of
    the latest run that quarantined any."""
    where = (
        "run_id = ?" if run_id is not None else ("run_id = (SELECT max(run_id) FROM quarantine)")
    )
    params: list[object] = [run_id] if run_id is not None else []
    cursor = con.execute(
        "SELECT run_id, url, array_to_string(reasons, '; ') AS reasons, "
        "array_to_string(warnings, '; ') AS warnings, fetched_at FROM quarantine "
        f"WHERE {where} ORDER BY url LIMIT ?",
        [*params, limit],
    )
    return Table([d[0] for d in cursor.description], cursor.fetchall())


def query(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    """Run statements that read and return the last one's rows (see READ_STATEMENTS)."""
    cursor = None
    for statement in _statements(sql):
        try:
            cursor = con.execute(statement.query)
        except duckdb.PermissionException as exc:
            raise RefusedQueryError(
                f"refused: {exc}. `pipeline query` reads only the warehouse: no other files, "
                "databases, extensions or network"
            ) from exc
        except duckdb.Error as exc:
            raise InputError(f"the query failed: {exc}") from exc
    if cursor is None or cursor.description is None:
        return Table([], [])
    return Table([d[0] for d in cursor.description], cursor.fetchall())


def bundled_queries() -> dict[str, Path]:
    """The queries shipped in ``warehouse/queries``, by name without their number:
    ``03_top_funders.sql`` is ``top_funders``."""
    files = sorted((sql_root() / "queries").glob("*.sql"))
    return {
        file.stem.split("_", 1)[-1] if file.stem[:2].isdigit() else file.stem: file
        for file in files
    }


def bundled_query(name: str) -> str:
    """The SQL of a bundled query by name (with or without its number)."""
    found = bundled_queries()
    by_stem = {path.stem: path for path in found.values()}
    path = found.get(name) or by_stem.get(name)
    if path is None:
        raise InputError(f"no bundled query {name!r}; choose from {', '.join(found)}")
    return path.read_text(encoding="utf-8")


_LIST_FIELDS = frozenset(
    {"funders", "partners", "target_groups", "focus_areas", "services", "related"}
)
_GRANT_PARTS = ("value", "currency", "raw")
_PERIOD_PARTS = ("start", "end", "start_precision", "end_precision", "raw")
_CONTACT_TEXT = (
    "organization",
    "unit",
    "division",
    "street",
    "postal_code",
    "city",
    "fax",
    "website",
)
_CONTACT_LISTS = ("persons", "phones", "emails", "locations")


def _flat_columns(name: str) -> list[str]:
    """A record field as CSV columns: lists joined with "; ", structs spread out."""
    if name in _LIST_FIELDS:
        return [f"array_to_string(v.{name}, '; ') AS {name}"]
    if name == "period":
        return [f'v.period."{part}" AS period_{part}' for part in _PERIOD_PARTS]
    if name == "grant_amount":
        return [f'v.grant_amount."{part}" AS grant_amount_{part}' for part in _GRANT_PARTS]
    if name == "contact":
        return [f"v.contact.{part} AS contact_{part}" for part in _CONTACT_TEXT] + [
            f"array_to_string(v.contact.{part}, '; ') AS contact_{part}" for part in _CONTACT_LISTS
        ]
    if name == "sections":
        return [
            "array_to_string(list_transform(v.sections, lambda s: "
            "COALESCE(s.heading || ': ', '') || s.text), '\n\n') AS sections"
        ]
    return [f"v.{name}"]


def _export_sql(history: bool, flat: bool) -> str:
    columns = [
        column
        for name in RECORD_FIELDS
        for column in (_flat_columns(name) if flat else [f"v.{name}"])
    ]
    meta = (
        "p.first_seen_at AS first_seen, p.last_seen_at AS last_seen, v.version, v.is_current, "
        "p.removed, v.valid_from, v.valid_to, v.cause"
    )
    where = "" if history else "WHERE v.is_current"
    return (
        f"SELECT {', '.join(columns)}, {meta} FROM project_versions v "
        f"JOIN projects p USING (project_id) {where} ORDER BY v.project_id, v.version"
    )


def export(
    con: duckdb.DuckDBPyConnection, fmt: ExportFormat, out: Path, history: bool = False
) -> int:
    """Write current projects (or every version) to ``out``; returns the number of rows."""
    if fmt not in ("jsonl", "csv", "parquet"):
        raise InputError(f"unknown export format {fmt!r}; choose jsonl, csv or parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    sql = _export_sql(history, flat=fmt == "csv")
    options = {
        "jsonl": "FORMAT json",
        "csv": "FORMAT csv, HEADER true",
        "parquet": "FORMAT parquet, COMPRESSION zstd",
    }[fmt]
    target = str(out).replace("'", "''")
    try:
        con.execute(f"COPY ({sql}) TO '{target}' ({options})")
    except duckdb.Error as exc:
        raise InputError(f"cannot write {out}: {exc}") from exc
    return int(scalar(con, f"SELECT count(*) FROM ({sql})"))
