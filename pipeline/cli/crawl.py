"""``pipeline crawl``, ``demo`` and ``reparse``: the commands that write runs."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline import config, exit_codes, logs
from pipeline.cli.base import (
    _fail,
    _log_level,
    _output_closed,
    cli,
    db_option,
    handle_errors,
)
from pipeline.cli.multisite import crawl_many, wants_many
from pipeline.cli.output import (
    LiveProgress,
    change_lines,
    summary_json,
    summary_lines,
    to_json,
)
from pipeline.nightly import run_crawl
from pipeline.options import duckdb_limits, run_options, select_profile


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
