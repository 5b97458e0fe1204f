"""The archive's commands (``archive extract``, ``archive pack``) and ``report``."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.base import (
    _reader,
    _since,
    cli,
    db_option,
    handle_errors,
)


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
