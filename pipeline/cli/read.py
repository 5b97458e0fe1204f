"""The commands that read the warehouse: ``changes``, ``export``, ``query``, ``runs``,
``quarantine``, ``show``, ``history``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.base import (
    FORMATS,
    _day,
    _reader,
    cli,
    db_option,
    handle_errors,
)
from pipeline.cli.output import (
    change_lines,
    render_rows,
    to_json,
)


@cli.command()
@click.option("--since", metavar="DATE", help="Only changes detected on or after this day.")
@click.option("--until", metavar="DATE", help="Only changes detected on or before this day.")
@click.option("--run", "run_id", type=int, help="Only changes of this run.")
@click.option("--project", metavar="ID|URL", help="Only changes of this project.")
@click.option("--type", "types", metavar="TYPES", help="Comma-separated: new,changed,closed,...")
@click.option(
    "--cause",
    type=click.Choice(["site", "extraction", "all"], case_sensitive=False),
    default="site",
    show_default=True,
    help="The site's changes, those of a parser or profile change, or all.",
)
@click.option("--limit", type=click.IntRange(min=0), help="Only the latest N changes.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
@handle_errors
def changes(
    since: str | None,
    until: str | None,
    run_id: int | None,
    project: str | None,
    types: str | None,
    cause: str,
    limit: int | None,
    fmt: str,
    db: str | None,
) -> None:
    """List change events: new, changed (per field), closed, reopened, removed, reappeared, moved.

    Each line starts with the run and the day the change was detected.

    \b
    Examples:
      pipeline changes --since 2026-11-01 --type closed,removed
      pipeline changes --project stiftung-spi.de/projekte/aktionsraummitte --limit 10
      pipeline changes --run 12 --format json > changes.json
    """
    from pipeline.warehouse.evidence import resolve_project
    from pipeline.warehouse.queries import changes as list_changes

    if since is not None and run_id is not None:
        raise click.UsageError("give --since or --run, not both")
    wanted = tuple(t.strip() for t in types.split(",") if t.strip()) if types else ()
    first, last = _day(since, "--since"), _day(until, "--until")
    with _reader(db) as warehouse:
        project_id = resolve_project(warehouse.con, project) if project else None
        events = list_changes(
            warehouse.con,
            first,
            run_id,
            wanted,
            cause.lower(),
            until=last,
            project_id=project_id,
            limit=limit,
        )
    if fmt == "table":
        for line in change_lines(events, when=True):
            click.echo(line)
        click.echo(f"{len(events)} change(s)", err=True)
        return
    columns = [
        "run_id",
        "project_id",
        "url",
        "type",
        "field",
        "old",
        "new",
        "old_url",
        "version",
        "detected_at",
        "cause",
    ]
    render_rows(columns, [[e[c] for c in columns] for e in events], fmt)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), required=True)
@click.option("--out", required=True, metavar="PATH", help="File to write.")
@click.option("--history", is_flag=True, help="Every version, not only the current ones.")
@db_option
@handle_errors
def export(fmt: str, out: str, history: bool, db: str | None) -> None:
    """Export projects (record fields plus version metadata) as JSONL, CSV or Parquet.

    \b
    Examples:
      pipeline export --format parquet --out projects.parquet
      pipeline export --format jsonl --out history.jsonl --history
    """
    from pipeline.warehouse.queries import export as write_export

    with _reader(db) as warehouse:
        count = write_export(warehouse.con, fmt, Path(out), history)  # type: ignore[arg-type]
    click.echo(f"wrote {count} row(s) to {out}")


def _query_sql(sql: str | None, file: str | None, name: str | None) -> str:
    from pipeline.warehouse.queries import bundled_query

    given = [g for g in (sql, file, name) if g is not None]
    if len(given) != 1:
        raise click.UsageError("give the SQL, -f FILE (or - for stdin), or --name; exactly one")
    if name is not None:
        return bundled_query(name)
    if sql == "-" or file == "-":
        return sys.stdin.read()
    if file is not None:
        try:
            return Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"cannot read {file}: {exc}", param_hint="-f") from None
    return str(sql)


@cli.command()
@click.argument("sql", required=False)
@click.option("-f", "--file", "file", metavar="FILE", help="Read the SQL from FILE (- for stdin).")
@click.option("--name", metavar="NAME", help="A bundled query by name (see warehouse/queries).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
@handle_errors
def query(sql: str | None, file: str | None, name: str | None, fmt: str, db: str | None) -> None:
    """Run SQL that reads on a read-only connection to the warehouse.

    Only statements that read run: SELECT (WITH, FROM, TABLE, VALUES, DESCRIBE, SHOW,
    SUMMARIZE), EXPLAIN, PRAGMA and CALL; the connection has no access to other files,
    databases, extensions or the network. Anything else is refused, saying why.

    \b
    Examples:
      pipeline query "SELECT division, active FROM projects_by_division"
      pipeline query "SELECT * FROM recent_changes" --format csv > changes.csv
      pipeline query -f report.sql        (or - to read stdin)
      pipeline query --name top_funders
    """
    from pipeline.warehouse.queries import query as run_query

    text = _query_sql(sql, file, name)
    with _reader(db, sandboxed=True) as warehouse:
        table = run_query(warehouse.con, text)
    render_rows(table.columns, table.rows, fmt)


@cli.command()
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
@handle_errors
def runs(limit: int, fmt: str, db: str | None) -> None:
    """List recent crawl runs with their status and counts.

    \b
    Example:
      pipeline runs --limit 5
    """
    from pipeline.warehouse.queries import runs as list_runs

    with _reader(db) as warehouse:
        table = list_runs(warehouse.con, limit, exact=fmt != "table")
    render_rows(table.columns, table.rows, fmt)


@cli.command(name="quarantine")
@click.option("--run", "run_id", type=int, help="This run's (default: the latest with any).")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
@handle_errors
def show_quarantine(run_id: int | None, limit: int, fmt: str, db: str | None) -> None:
    """List the pages a run quarantined (project pages that gave no valid record) and why.

    \b
    Examples:
      pipeline quarantine
      pipeline quarantine --run 12 --format json
    """
    from pipeline.warehouse.queries import quarantine

    with _reader(db) as warehouse:
        table = quarantine(warehouse.con, run_id, limit)
    render_rows(table.columns, table.rows, fmt)


@cli.command()
@click.argument("project_id", metavar="ID|URL")
@click.option("--version", "version", type=int, help="A version number (default: current).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@db_option
@handle_errors
def show(project_id: str, version: int | None, as_json: bool, db: str | None) -> None:
    """Show a version of a project with its evidence (WARC file, record id, payload digest).

    The first line says whether the project is on the site, closed, or removed (and when).
    The project is named by its id or by an address it had.

    \b
    Examples:
      pipeline show stiftung-spi.de/projekte/aktionsraummitte --version 1
      pipeline show https://www.stiftung-spi.de/projekte/aktionsraummitte/
    """
    from pipeline.warehouse.evidence import find_version, project_state, resolve_project

    with _reader(db) as warehouse:
        pid = resolve_project(warehouse.con, project_id)
        evidence = find_version(warehouse.con, pid, version)
        state = project_state(warehouse.con, pid)
    data = {
        "state": state.get("state"),
        **evidence.version,
        "removed_at": state.get("removed_at"),
        "removed_run_id": state.get("removed_run_id"),
        "last_seen_at": state.get("last_seen_at"),
        "archive_dir": str(evidence.archive_dir) if evidence.archive_dir else None,
        "fetched_at": evidence.fetched_at,
    }
    if as_json:
        click.echo(to_json(data))
        return
    render_rows(["field", "value"], list(data.items()), "table")


@cli.command()
@click.argument("project_id", metavar="ID|URL")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@db_option
@handle_errors
def history(project_id: str, fmt: str, db: str | None) -> None:
    """Print a project's versions and change events in the order they happened.

    \b
    Example:
      pipeline history stiftung-spi.de/projekte/aktionsraummitte
    """
    from pipeline.warehouse.evidence import (
        HISTORY_COLUMNS,
        project_history,
        project_state,
        resolve_project,
    )

    with _reader(db) as warehouse:
        pid = resolve_project(warehouse.con, project_id)
        entries = project_history(warehouse.con, pid)
        state = project_state(warehouse.con, pid)
    rows = [[e[c] for c in HISTORY_COLUMNS] for e in entries]
    if fmt == "table":
        click.echo(f"{pid}: {state.get('state')}")
    render_rows(list(HISTORY_COLUMNS), rows, fmt)
