"""The ``pipeline`` command: a thin layer over the library. Only this module prints."""

from __future__ import annotations

import json
import sys

import click

from pipeline import exit_codes
from pipeline.errors import PipelineError
from pipeline.source import parse_source


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="foundation-pipeline")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Scrape foundations' project pages into DuckDB with full history.

    \b
    Examples:
      pipeline parse page.html --url https://www.stiftung-spi.de/projekte/x/
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@click.argument("source")
@click.option("--url", help="The page's address, when SOURCE is a saved file.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print warnings.")
def parse(source: str, url: str | None, quiet: bool) -> None:
    """Parse one page (a saved file or an http(s) URL) and print its record as JSON.

    Exits 1 with the problems when the page is not a valid project page.

    \b
    Example:
      pipeline parse fixtures/pages/spi-aktionsraum-mitte.html \\
          --url https://www.stiftung-spi.de/projekte/aktionsraummitte/
    """
    try:
        result = parse_source(source, url)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
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


def main() -> None:
    cli(prog_name="pipeline")
