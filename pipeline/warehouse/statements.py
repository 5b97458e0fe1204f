"""SQL statements kept in files: one statement per file, named ``$parameters``, and a few
``{{placeholders}}`` that Python fills from the column spec before the statement is run."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.errors import WarehouseError

_PARAM = re.compile(r"\$([a-z_]+)")
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement, named for its file (``identify/run_moves``), ready to run."""

    name: str
    sql: str
    params: tuple[str, ...]  # the $parameters it uses, in order of first use

    def run(
        self, con: duckdb.DuckDBPyConnection, params: Mapping[str, object]
    ) -> duckdb.DuckDBPyConnection:
        """Execute with the named parameters this statement uses (DuckDB refuses others)."""
        missing = [name for name in self.params if name not in params]
        if missing:
            raise WarehouseError(f"the SQL statement {self.name} needs ${', $'.join(missing)}")
        return con.execute(self.sql, {name: params[name] for name in self.params})


def fill(text: str, values: Mapping[str, str], where: str) -> str:
    """``text`` with each ``{{name}}`` replaced by ``values[name]``."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            known = ", ".join(sorted(values))
            raise WarehouseError(f"{where}: unknown placeholder {{{{{name}}}}} (known: {known})")
        return values[name]

    return _PLACEHOLDER.sub(value, text)


def load(folder: Path, name: str, values: Mapping[str, str]) -> Statement:
    """The statement in ``folder/<name>.sql``, its placeholders filled from ``values``."""
    path = folder / f"{name}.sql"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WarehouseError(
            f"the SQL statement {path} is missing; the installation is incomplete"
        ) from None
    sql = fill(text, values, str(path))
    params = tuple(dict.fromkeys(_PARAM.findall(_COMMENT.sub("", sql))))
    return Statement(name, sql, params)
