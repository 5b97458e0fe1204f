"""The ``pipeline`` command: a thin layer over the library. Only this package prints.

Each command parses its options, calls one library function, and maps errors to a message and
an exit code (see ``exit_codes``). The group and what the commands share are in ``base``; the
commands are in ``crawl`` (writing runs), ``read`` (reading the warehouse), ``evidence`` (the
archive and the report) and ``setup`` (settings, profiles, parsing one page, maintenance);
``output`` formats what they print and ``multisite`` runs many sites at once.
"""

from __future__ import annotations

from pipeline.cli import crawl, evidence, read, setup  # noqa: F401  (they register the commands)
from pipeline.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="pipeline")
