"""The ``pipeline`` command group and what its commands share: error mapping, exit codes,
the ``--db`` option, a warehouse opened for reading."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline import config, exit_codes, logs
from pipeline.errors import (
    ConfigError,
    NotAWarehouseError,
    PipelineError,
    WarehouseLockedError,
)

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
