"""The ``pipeline`` command: a thin layer over the library. Only this module (and its output
helpers in ``cli_output``) prints.

Each command parses its options, calls one library function, and maps errors to a message and
an exit code (see ``exit_codes``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline import config, exit_codes, logs
from pipeline.cli_multisite import crawl_many, wants_many
from pipeline.cli_output import (
    LiveProgress,
    change_lines,
    proposal_lines,
    render_rows,
    summary_json,
    summary_lines,
    to_json,
)
from pipeline.errors import (
    ConfigError,
    NotAWarehouseError,
    PipelineError,
    WarehouseLockedError,
)
from pipeline.nightly import run_crawl
from pipeline.options import catalog, crawl_settings, duckdb_limits, run_options, select_profile
from pipeline.profiles import load_profile, survey
from pipeline.source import parse_source

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["table", "json", "csv"])


def _fail(message: str, code: int) -> None:
    if logs.json_mode():  # --log-format json: every line JSON, failures as level error
        click.echo(logs.json_line(logging.ERROR, message, exit_code=code), err=True)
    else:
        click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _output_closed(done: str, code: int = exit_codes.FAILED) -> None:
    """stdout's reader went away (``pipeline crawl | head -1``): say so on stderr, truthfully."""
    with contextlib.suppress(OSError, ValueError):  # no more writes to the closed pipe at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    _fail(f"the output was cut short: its reader closed the pipe; {done}", code)


def handle_errors(func: F) -> F:
    """Map the pipeline's errors to a clear message and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WarehouseLockedError as exc:
            _fail(str(exc), exit_codes.LOCKED)
        except (ConfigError, NotAWarehouseError) as exc:
            _fail(str(exc), exit_codes.USAGE)
        except PipelineError as exc:
            _fail(str(exc), exit_codes.FAILED)
        except BrokenPipeError:
            _output_closed("the command's own work is done")
        except OSError as exc:  # disk full, permissions: say which file, no traceback
            _fail(str(exc), exit_codes.FAILED)
        except KeyboardInterrupt:
            _fail("interrupted", exit_codes.INTERRUPTED)

    return wrapper  # type: ignore[return-value]


def _log_level(name: str | None, verbose: bool, quiet: bool) -> int:
    if name is not None:
        return int(logging.getLevelName(name.upper()))
    if verbose:
        return logging.DEBUG
    return logging.WARNING if quiet else logging.INFO


def db_option(func: F) -> F:
    return click.option(
        "--db",
        metavar="PATH",
        help="Warehouse file, or a DuckLake (ducklake:postgres:dbname=... host=...) "
        "(default: $PIPELINE_DB, pipeline.toml, warehouse/projects.duckdb).",
    )(func)


def _db(db: str | None) -> str:
    return str(config.load({"db": db})["db"])


def _waiting(message: str) -> None:
    if logs.json_mode():
        click.echo(logs.json_line(logging.WARNING, message), err=True)
    else:
        click.echo(f"note: {message}", err=True)


def _reader(db: str | None, sandboxed: bool = False) -> Warehouse:
    """The warehouse opened for reading; a crawl's merge is waited for (reader_wait)."""
    from pipeline.warehouse.readers import open_reader

    settings = config.load({"db": db})
    return open_reader(
        str(settings["db"]), wait=settings["reader_wait"], on_wait=_waiting, sandboxed=sandboxed
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(None, "-V", "--version", package_name="foundation-pipeline")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Scrape foundations' project pages into DuckDB with full history.

    \b
    Start here:
      pipeline demo                      crawl the bundled demo site twice, show what changed
      pipeline crawl                     the nightly job (see --help for its exit codes)
      pipeline changes --since 2026-01-01
      pipeline query "SELECT * FROM current_projects"
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.option("--site", help="Site profile by id (default stiftung-spi; see `pipeline sites`).")
@click.option("--profile", "profile_file", metavar="FILE", help="Crawl the site of this profile.")
@click.option("--base-url", help="Crawl a mirror or staging copy with the site's paths.")
@db_option
@click.option("--concurrency", type=int, help="Requests in flight per host (default 2).")
@click.option("--delay", type=float, help="Seconds between requests per host (default 1).")
@click.option("--max-pages", type=int, help="Stop after this many pages (default 20000).")
@click.option("--accept-coverage-drop", is_flag=True, help="Apply a run whose coverage dropped.")
@click.option("--no-archive", is_flag=True, default=None, help="Do not write WARC files.")
@click.option(
    "--archive-dir",
    metavar="DIR",
    help="Folder for WARC files (default: beside --db: warehouse/archive, or <db name>-archive).",
)
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@click.option("--log-format", type=click.Choice(["text", "json"]), help="Log line format.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only errors and the summary.")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every site profile at once.")
@click.option("--shard", metavar="I/N", help="Only the sites in shard I (0..N-1) of N.")
@click.option("--verbose", "-v", is_flag=True, help="Debug log lines too (--log-level debug).")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    help="Lowest level logged (default info; warning with --quiet).",
)
@handle_errors
def crawl(
    site: str | None,
    profile_file: str | None,
    base_url: str | None,
    db: str | None,
    concurrency: int | None,
    delay: float | None,
    max_pages: int | None,
    accept_coverage_drop: bool,
    no_archive: bool | None,
    archive_dir: str | None,
    config_path: str | None,
    log_format: str | None,
    as_json: bool,
    quiet: bool,
    verbose: bool,
    log_level: str | None,
    all_sites: bool = False,
    shard: str | None = None,
) -> None:
    """Crawl a site, parse and validate its project pages, load them and detect changes.

    \b
    Several sites at once, in one process: --all (every profile: built-in and
    the profiles_dir setting's), --site A,B, --shard I/N (the sites whose
    sha256(id) mod N is I). A row per site; the exit code is the worst site's:
    0 < 4 < 3 < 5 < 1 < 130 (ok, held, partial, locked, failed, interrupted).

    \b
    Exit codes: 0 ok · 1 failed · 2 bad arguments · 3 partial run (too many
    fetch errors, or the site unreachable: nothing removed) · 4 coverage drop
    held back (see --accept-coverage-drop) · 5 database locked · 130 interrupted.

    \b
    Example (cron, 02:30 every night):
      30 2 * * *  cd /srv/projects && pipeline crawl --quiet --log-format json
    """
    level = _log_level(log_level, verbose, quiet)
    if log_format is not None:  # JSON from the first line, even for a bad option value
        logs.configure(log_format, level)
    settings = config.load(
        {
            "site": site,
            "base_url": base_url,
            "db": db,
            "concurrency": concurrency,
            "delay": delay,
            "max_pages": max_pages,
            "archive": False if no_archive else None,
            "archive_dir": archive_dir,
            "log_format": log_format,
        },
        config_path,
    )
    logs.configure(settings["log_format"], level)
    if wants_many(site, all_sites, shard):
        multi_site = None if all_sites else site
        sys.exit(
            crawl_many(
                settings, multi_site, profile_file, shard, accept_coverage_drop, as_json, quiet
            )
        )
    profile = select_profile(settings, profile_file)
    options = run_options(settings, profile, accept_coverage_drop=accept_coverage_drop)
    with LiveProgress(enabled=not quiet) as progress:
        try:
            report = run_crawl(options, progress)
        except OSError as exc:  # raised before the run's load committed
            _fail(f"{exc}; the run failed and nothing of it was applied", exit_codes.FAILED)
            return
        except KeyboardInterrupt:
            _fail(
                "interrupted: the run is recorded as interrupted and nothing of it was applied",
                exit_codes.INTERRUPTED,
            )
            return
    if config.placeholder_agent(settings):  # after the run: a refused option says only that
        logging.getLogger("pipeline").warning(config.PLACEHOLDER_AGENT)
    try:
        if as_json:
            click.echo(to_json(report.as_dict()))
        elif logs.json_mode():
            click.echo(summary_json(report))
        else:
            for line in summary_lines(report):
                click.echo(line)
    except BrokenPipeError:
        done = f"run {report.run_id} is recorded ({report.load.status}); see `pipeline runs`"
        _output_closed(done, report.exit_code)
    sys.exit(report.exit_code)


@cli.command()
@click.option(
    "--db",
    default="pipeline-demo.duckdb",
    show_default=True,
    metavar="PATH",
    help="Demo database (recreated on every run).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handle_errors
def demo(db: str, as_json: bool) -> None:
    """Crawl the bundled demo site, switch it to its later snapshot, crawl again, show changes.

    Needs no network and no settings: the site is served on 127.0.0.1 from the package.

    \b
    Example:
      pipeline demo && pipeline query --db pipeline-demo.duckdb "SELECT * FROM closed_projects"
    """
    from pipeline.demo import run_demo

    logs.configure("text", logging.WARNING)
    with LiveProgress(enabled=not as_json) as progress:
        result = run_demo(
            Path(db),
            progress,
            progress.phase,
            archive_dir=Path(db).parent / (Path(db).stem + "-archive"),
            report_dir=Path(db).parent / (Path(db).stem + "-report"),
        )
    if as_json:
        click.echo(
            to_json(
                {
                    "db": str(result.db),
                    "runs": [result.first.as_dict(), result.second.as_dict()],
                    "changes": result.changes,
                    "report": str(result.report) if result.report else None,
                }
            )
        )
        return
    for report in (result.first, result.second):
        click.echo(summary_lines(report)[0])
    click.echo("")
    click.echo(f"What changed between the two snapshots ({len(result.changes)} events):")
    for line in change_lines(result.changes):
        click.echo(line)
    click.echo("")
    if result.report is not None:
        click.echo(f"The report of both runs: open {result.report.resolve().as_uri()}")
        click.echo("")
    click.echo(f"The demo database is {result.db}. Explore further:")
    for command in (
        f'pipeline query --db {db} "SELECT title, status, division FROM current_projects"',
        f"pipeline changes --db {db} --type closed,removed,moved",
        f"pipeline runs --db {db}",
        f"pipeline export --db {db} --format parquet --out projects.parquet",
        f"pipeline show --db {db} stiftung-spi.de/service/projekte/detail/pfd-spandau",
        f"duckdb {db}     (the DuckDB CLI: tables, views and history are plain SQL)",
    ):
        click.echo(f"  {command}")


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-01-31", param_hint="--since"
        ) from None


def _day(value: str | None, option: str) -> date | None:
    try:
        return _since(value)
    except click.BadParameter:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-01-31", param_hint=option
        ) from None


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


@cli.command()
@click.option("--site", help="Site profile by id (default stiftung-spi).")
@click.option("--profile", "profile_file", metavar="FILE", help="Re-extract with this profile.")
@click.option("--archive-dir", metavar="DIR", help="Where the WARC files are, if moved.")
@click.option("--accept-coverage-drop", is_flag=True, help="Apply a run whose coverage dropped.")
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary on stdout.")
@db_option
@handle_errors
def reparse(
    site: str | None,
    profile_file: str | None,
    archive_dir: str | None,
    accept_coverage_drop: bool,
    config_path: str | None,
    as_json: bool,
    db: str | None,
) -> None:
    """Re-extract a site's current versions from the archived pages (WARC), with no request.

    After a parser upgrade or a profile change: every change it finds has cause
    "extraction" (see `pipeline changes --cause extraction`). Exits 3 when captures are
    missing (those projects are listed), 2 when the archive was off.

    \b
    Example:
      pipeline reparse --site stiftung-spi
    """
    from pipeline.reparse import reparse as reextract

    settings = config.load({"site": site, "db": db}, config_path)
    profile = select_profile(settings, profile_file)
    report = reextract(
        settings["db"],
        profile,
        Path(archive_dir) if archive_dir else None,
        accept_coverage_drop,
        duckdb_limits(settings),
    )
    if as_json:
        data = {
            "run_id": report.run_id,
            "site": profile.id,
            "status": report.load.status,
            "reparsed": report.summary.pages,
            "projects": report.summary.projects,
            "quarantined": report.load.quarantined,
            "extraction_events": dict(sorted(report.load.extraction_events.items())),
            "missing": [{"project_id": p, "reason": r} for p, r in report.missing],
        }
        click.echo(to_json(data))
    else:
        events = ", ".join(f"{k} {v}" for k, v in sorted(report.load.extraction_events.items()))
        click.echo(
            f"Run {report.run_id} {report.load.status}: {report.summary.pages} archived pages "
            f"of {profile.id} parsed again, {report.summary.projects} records; changes "
            f"(cause extraction): {events or 'none'}"
        )
        for project, reason in report.missing:
            click.echo(f"missing capture: {project}: {reason}", err=True)
        if report.load.message:
            click.echo(report.load.message)
    sys.exit(report.exit_code)


@cli.group()
def archive() -> None:
    """Work with the WARC archive: extract an archived page, pack a run as WACZ.

    \b
    Examples:
      pipeline archive extract stiftung-spi.de/projekte/aktionsraummitte --version 1 --out p.html
      pipeline archive pack 3 --out run3.wacz
    """


@archive.command()
@click.argument("project_id")
@click.option("--version", "version", type=int, help="A version number (default: current).")
@click.option("--out", required=True, metavar="FILE", help="Where to write the page.")
@click.option("--archive-dir", metavar="DIR", help="Where the WARC files are, if moved.")
@db_option
@handle_errors
def extract(
    project_id: str, version: int | None, out: str, archive_dir: str | None, db: str | None
) -> None:
    """Write the archived page that produced a project version.

    \b
    Example:
      pipeline archive extract stiftung-spi.de/projekte/aktionsraummitte --version 1 --out p.html
    """
    from pipeline.archive.evidence import read_record
    from pipeline.warehouse.evidence import find_version

    with _reader(db) as warehouse:
        evidence = find_version(warehouse.con, project_id, version)
    v = evidence.version
    warc = evidence.warc_path(Path(archive_dir) if archive_dir else None)
    body = read_record(warc, v["warc_record_id"], evidence.offset)
    Path(out).write_bytes(body)
    click.echo(
        f"wrote {len(body)} bytes to {out}: {v['url']} version {v['version']}, "
        f"{v['warc_file']} {v['warc_record_id']} ({v['payload_digest']})"
    )


@archive.command()
@click.argument("run_id", type=int)
@click.option("--out", metavar="FILE", help="WACZ file (default: run<RUN_ID>.wacz here).")
@click.option("--archive-dir", metavar="DIR", help="Where the WARC files are, if moved.")
@db_option
@handle_errors
def pack(run_id: int, out: str | None, archive_dir: str | None, db: str | None) -> None:
    """Package a run as a WACZ file that replays on its own (ReplayWeb.page, pywb).

    The run's WARC, the earlier captures its revisits (304s, identical bodies) refer to, one
    CDXJ index and the list of its pages with their titles. A capture that cannot be included
    (an earlier run's WARC was deleted) is named; the page that revisits it will not replay.

    \b
    Example:
      pipeline archive pack 3 --out run3.wacz
    """
    from pipeline.archive.wacz import pack_wacz
    from pipeline.warehouse.evidence import wacz_plan

    with _reader(db) as warehouse:  # closed before the packing
        plan = wacz_plan(warehouse.con, run_id, Path(archive_dir) if archive_dir else None)
    result = pack_wacz(plan, Path(out) if out else Path(f"run{run_id}.wacz"))
    click.echo(
        f"wrote {result.path}: {result.pages} pages, {result.revisits} revisits, "
        f"{result.originals} earlier captures included"
    )
    shown = result.missing[:20]
    for capture in shown:
        click.echo(f"warning: not in the pack: {capture}", err=True)
    if result.missing:
        more = len(result.missing) - len(shown)
        click.echo(
            f"warning: {len(result.missing)} earlier capture(s) are not in the pack"
            + (f" ({more} not listed)" if more else "")
            + f"; the pages of run {run_id} that revisit them will not replay from it",
            err=True,
        )


@cli.command()
@click.option("--out", required=True, metavar="DIR", help="Folder to write the report into.")
@click.option("--site", help="Only this site's runs and projects.")
@click.option(
    "--since",
    metavar="DATE",
    help="Only runs started on or after this day, and projects seen since.",
)
@click.option("--archive-dir", metavar="DIR", help="Where the WARC files are, if moved.")
@db_option
@handle_errors
def report(
    out: str, site: str | None, since: str | None, archive_dir: str | None, db: str | None
) -> None:
    """Write the archivist's report: a static web site of runs, changes and project histories.

    Plain HTML and CSS (a little inline JavaScript to filter and sort), with each version's
    archived page extracted from the WARC next to it; opens from file:// or any static host.

    \b
    Examples:
      pipeline report --out report && xdg-open report/index.html
      pipeline report --out report --since 2026-11-01 --site stiftung-spi
    """
    from pipeline.report import ReportOptions, build_report

    options = ReportOptions(
        out=Path(out),
        site=site,
        since=_since(since),
        archive_dir=Path(archive_dir) if archive_dir else None,
    )
    with _reader(db) as warehouse:
        result = build_report(warehouse.con, options)
    click.echo(
        f"wrote the report ({result.runs} runs, {result.projects} projects, {result.events} "
        f"events, {result.captures} archived pages) in {result.seconds:.1f} s"
    )
    if result.missing_captures:
        click.echo(f"{result.missing_captures} capture(s) missing from the archive", err=True)
    click.echo(f"open {result.index.resolve().as_uri()}")


@cli.command(name="config")
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def show_config(config_path: str | None, as_json: bool) -> None:
    """Show the effective settings and where each comes from.

    Precedence: defaults < pipeline.toml < PIPELINE_* environment variables < flags.

    \b
    Example:
      PIPELINE_DELAY=2 pipeline config
    """
    effective = config.load(None, config_path)
    rows = [
        [option.name, effective.values[option.name], effective.sources[option.name], option.env]
        for option in config.OPTIONS
    ]
    if as_json:
        click.echo(json.dumps({r[0]: {"value": r[1], "source": r[2]} for r in rows}, indent=2))
        return
    render_rows(["setting", "value", "source", "environment variable"], rows, "table")
    where = effective.config_file or "none (create pipeline.toml to set defaults)"
    click.echo(f"config file: {where}")


@cli.command()
@click.argument("source")
@click.option("--url", help="The page's address, when SOURCE is a saved file.")
@click.option("--site", help="Read the page with this site's profile (default: by its host).")
@click.option("--profile", "profile_file", metavar="FILE", help="Read it with this profile file.")
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@click.option("--quiet", "-q", is_flag=True, help="Do not print warnings.")
def parse(
    source: str,
    url: str | None,
    site: str | None,
    profile_file: str | None,
    config_path: str | None,
    quiet: bool,
) -> None:
    """Parse one page (a saved file or an http(s) URL) and print its record as JSON.

    The page is read with the profile of its host (a generic one for a host no profile knows),
    or with --site / --profile. Exits 1 with the problems when the page is not a valid
    project page.

    \b
    Example:
      pipeline parse fixtures/pages/spi-aktionsraum-mitte.html \\
          --url https://www.stiftung-spi.de/projekte/aktionsraummitte/
    """
    try:
        settings = config.load({"site": site}, config_path)
        chosen = select_profile(settings, profile_file) if site or profile_file else None
        result = parse_source(source, url, chosen, catalog(settings))
    except ConfigError as exc:
        _fail(str(exc), exit_codes.USAGE)
        return
    except PipelineError as exc:
        _fail(str(exc), exit_codes.FAILED)
        return
    if not quiet:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
    if result.record is not None:
        click.echo(json.dumps(result.record.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    if result.kind == "not_project":
        click.echo(f"error: {result.url} is not a project page", err=True)
    else:
        click.echo(f"error: {result.url} does not give a valid record:", err=True)
        for problem in result.problems:
            click.echo(f"  - {problem}", err=True)
    sys.exit(exit_codes.FAILED)


@cli.group(name="warehouse")
def warehouse_group() -> None:
    """Housekeeping of the warehouse (jobs of their own, beside the nightly crawl).

    \b
    Example:
      pipeline warehouse maintain --db /data/projects.duckdb
    """


@warehouse_group.command(name="maintain")
@db_option
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def maintain_warehouse(db: str | None, config_path: str | None, as_json: bool) -> None:
    """Delete lapsed writer leases and CHECKPOINT the file; never two at once (exit 5).

    On a DuckLake: also merge small files, expire snapshots older than snapshot_age and
    delete the files no snapshot needs (orphaned ones older than orphan_age).

    \b
    Example (cron, Sundays 05:00, after the night's crawls):
      0 5 * * 0  cd /srv/projects && pipeline warehouse maintain
    """
    from pipeline.warehouse import Warehouse
    from pipeline.warehouse.maintain import maintain

    settings = config.load({"db": db}, config_path)
    with Warehouse.open(str(settings["db"])) as warehouse:
        report = maintain(warehouse, settings["snapshot_age"], settings["orphan_age"])
    if as_json:
        click.echo(to_json(report.as_dict()))
    else:
        click.echo(report.text())


@cli.group(invoke_without_command=True)
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@handle_errors
def sites(ctx: click.Context, config_path: str | None, as_json: bool) -> None:
    """List the site profiles found (built-in, profiles_dir), where each came from; check them.

    A profile is a TOML file (keys: id, name, origin, host_aliases, start_paths,
    sitemap_paths, project_paths, listing_paths, default_lang, english_paths,
    ignored_params, country, [vocabulary]); README "Adding a foundation".

    \b
    Examples:
      pipeline sites
      pipeline sites init https://www.my-foundation.de/ --out my-foundation.toml
      pipeline sites check my-foundation.toml
    """
    if ctx.invoked_subcommand is not None:
        return
    checked = survey(config.load(None, config_path)["profiles_dir"])
    rows = [
        [
            c.profile.id if c.profile else "-",
            c.profile.name if c.profile else "-",
            c.profile.origin if c.profile else "-",
            c.source,
            "ok" if c.profile else c.error,
        ]
        for c in checked
    ]
    bad = sum(1 for c in checked if c.profile is None)
    if as_json:
        keys = ["id", "name", "origin", "source", "check"]
        click.echo(to_json([dict(zip(keys, row, strict=True)) for row in rows]))
    else:
        render_rows(["site", "name", "origin", "profile", "check"], rows, "table")
        click.echo(f"{len(rows)} profile(s), {bad} not valid", err=True)
    if bad:
        sys.exit(exit_codes.USAGE)


@sites.command(name="check")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@handle_errors
def check_sites(files: tuple[str, ...]) -> None:
    """Validate profile files: unknown keys, bad regular expressions, wrong types.

    Exits 2 naming the file, the key and what is expected when one is not valid.

    \b
    Example:
      pipeline sites check profiles/my-foundation.toml
    """
    for file in files:
        profile = load_profile(file)
        summary = (
            f"{len(profile.project_paths)} project path(s), "
            f"{len(profile.listing_paths)} listing path(s), country {profile.country}"
        )
        words = "" if profile.vocabulary.empty else ", with its own vocabulary"
        click.echo(f"{file}: ok: site {profile.id!r} ({profile.origin}), {summary}{words}")


@sites.command(name="init")
@click.argument("url")
@click.option("--out", metavar="FILE", help="Write the profile here (default: print it).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option(
    "--origin",
    metavar="URL",
    help="The site's canonical origin, when URL is a mirror (default: from the home page's "
    "canonical link, or, on a loopback address, the robots.txt's Sitemap: line).",
)
@click.option(
    "--max-requests",
    type=click.IntRange(min=3),
    default=300,
    show_default=True,
    help="Requests the sample may send in all.",
)
@click.option("--delay", type=float, help="Seconds between requests (default 1).")
@click.option("--config", "config_path", metavar="FILE", help="Settings file (pipeline.toml).")
@handle_errors
def init_site(
    url: str,
    out: str | None,
    force: bool,
    origin: str | None,
    max_requests: int,
    delay: float | None,
    config_path: str | None,
) -> None:
    """Propose a profile for a site from its home page, by a small polite sample crawl.

    It reads robots.txt, the sitemaps and the home page, fetches a few pages of each path
    shape, and judges each shape by what the parser finds on its pages (period, funders,
    contact, status) and by how listings link them. It prints the TOML (or writes --out) and,
    on stderr, what it is unsure of, with example URLs: review those before crawling.

    \b
    Examples:
      pipeline sites init https://www.my-foundation.de/ --out my-foundation.toml
      pipeline sites init http://127.0.0.1:8080/ --origin https://www.my-foundation.de
    """
    from pipeline.onboard import SampleSettings, propose_profile

    target = Path(out) if out else None
    if target is not None and target.exists() and not force:
        raise ConfigError(f"{target} exists; pass --force to replace it, or choose another --out")
    settings = config.load({"delay": delay}, config_path)
    logs.configure(settings["log_format"], logging.WARNING)
    sample = SampleSettings(max_requests=max_requests, crawl=crawl_settings(settings))
    proposal = propose_profile(url, sample, origin)
    if target is None:
        click.echo(proposal.toml, nl=False)
    else:
        target.write_text(proposal.toml, encoding="utf-8")
        click.echo(f"wrote {target}", err=True)
    for line in proposal_lines(proposal, out):
        click.echo(line, err=True)


def main() -> None:
    cli(prog_name="pipeline")
