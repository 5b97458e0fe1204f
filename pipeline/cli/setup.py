"""Setting up: ``config``, ``parse``, ``warehouse maintain``, ``sites`` (list, ``check``,
``init``)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from pipeline import config, exit_codes, logs
from pipeline.cli.base import (
    _fail,
    cli,
    db_option,
    handle_errors,
)
from pipeline.cli.output import (
    proposal_lines,
    render_rows,
    to_json,
)
from pipeline.errors import (
    ConfigError,
    PipelineError,
)
from pipeline.options import catalog, crawl_settings, select_profile
from pipeline.profiles import load_profile, survey
from pipeline.source import parse_source


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
    """Delete lapsed writer leases and CHECKPOINT the file; never two at once, never during a
    crawl of the file (exit 5).

    On a DuckLake: also merge small files, expire snapshots older than snapshot_age and
    delete the files no snapshot needs (orphaned ones older than orphan_age).

    \b
    Example (cron, Sundays 05:00, after the night's crawls):
      0 5 * * 0  cd /srv/projects && pipeline warehouse maintain
    """
    from pipeline.warehouse.maintain import maintain_db

    settings = config.load({"db": db}, config_path)
    report = maintain_db(str(settings["db"]), settings["snapshot_age"], settings["orphan_age"])
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
