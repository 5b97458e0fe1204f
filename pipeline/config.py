"""Effective settings from defaults, ``pipeline.toml``, environment variables and flags.

Precedence, lowest to highest: built-in defaults < ``pipeline.toml`` (``--config PATH``, else
``./pipeline.toml`` when present) < ``PIPELINE_*`` environment variables < command-line flags.
Each effective value remembers where it came from (``pipeline config`` shows it).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.crawl.lastmod import TRUST_MODES
from pipeline.crawl.settings import USER_AGENT
from pipeline.errors import ConfigError


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{value!r} is not a yes/no value")


def _str(value: Any) -> str:
    return str(value)


def _whole(value: Any) -> int:
    if isinstance(value, float) or (isinstance(value, str) and "." in value):
        raise ValueError(f"{value!r} is not a whole number")
    number = int(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return number


def _positive_int(value: Any) -> int:
    number = _whole(value)
    if number < 1:
        raise ValueError(f"{value!r} is not a positive whole number")
    return number


def _seconds(value: Any) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return number


def _trust(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in TRUST_MODES:
        raise ValueError(f"{value!r} is not one of {', '.join(TRUST_MODES)}")
    return text


def _positive_seconds(value: Any) -> float:
    number = _seconds(value)
    if number == 0:
        raise ValueError(f"{value!r} is not a positive number of seconds")
    return number


def _log_format(value: Any) -> str:
    text = str(value).lower()
    if text not in ("text", "json"):
        raise ValueError(f"{value!r} is not 'text' or 'json'")
    return text


def _processes(value: Any) -> int | None:
    if value is None or str(value).strip().lower() in ("", "auto"):
        return None
    number = int(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return number


def _memory(value: Any) -> str:
    text = str(value).strip().upper().replace(" ", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?(?:B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)", text):
        raise ValueError(f"{value!r} is not a memory size like 64MB or 2GB")
    return text


def _run_ids(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in ("sequential", "unique"):
        raise ValueError(f"{value!r} is not 'sequential' or 'unique'")
    return text


def _lease_seconds(value: Any) -> float:
    number = _seconds(value)
    if number < 1:
        raise ValueError(f"{value!r} is under one second")
    return number


@dataclass(frozen=True)
class Option:
    """One setting, declared once: its name (also the ``pipeline.toml`` key and, upper-cased
    after ``PIPELINE_``, the environment variable), default, value type, parser and help."""

    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    kind: str = "text"

    @property
    def env(self) -> str:
        return "PIPELINE_" + self.name.upper()


OPTIONS: tuple[Option, ...] = (
    Option("site", "stiftung-spi", _str, "site profile to crawl (its id)", "id"),
    Option(
        "profiles_dir", None, _str, "folder of site profiles: every *.toml in it is a site", "path"
    ),
    Option("base_url", None, _str, "mirror or staging copy with the same paths", "url"),
    Option(
        "db",
        "warehouse/projects.duckdb",
        _str,
        "DuckDB warehouse file, or a DuckLake: ducklake:postgres:dbname=... host=... port=...",
        "path|ducklake",
    ),
    Option(
        "data_path",
        None,
        _str,
        "folder of a DuckLake's Parquet files (needed to make a lake; it records its own)",
        "path",
    ),
    Option("concurrency", 2, _positive_int, "requests in flight per host", "int"),
    Option("delay", 1.0, _seconds, "minimum seconds between requests per host", "seconds"),
    Option("max_pages", 20000, _positive_int, "pages fetched per run at most", "int"),
    Option("max_depth", 50, _positive_int, "link hops from a start page at most", "int"),
    Option("retries", 3, _whole, "extra attempts for transient failures", "int"),
    Option("backoff", 0.5, _seconds, "first retry waits about this long; doubles", "seconds"),
    Option("timeout", 30.0, _seconds, "read timeout per request, seconds", "seconds"),
    Option(
        "fetch_deadline",
        120.0,
        _positive_seconds,
        "total seconds per request, however slowly the server sends",
        "seconds",
    ),
    Option(
        "max_crawl_delay",
        60.0,
        _seconds,
        "longest robots.txt Crawl-delay honoured; longer ones are capped",
        "seconds",
    ),
    Option("max_sitemaps", 500, _positive_int, "sitemaps read per run at most", "int"),
    Option("max_sitemap_depth", 5, _whole, "sitemap index nesting followed at most", "int"),
    Option(
        "max_sitemap_bytes", 200 * 2**20, _positive_int, "sitemap bytes read per run at most", "int"
    ),
    Option(
        "parse_time_limit",
        10.0,
        _positive_seconds,
        "seconds a parse worker may spend on one page before it is quarantined",
        "seconds",
    ),
    Option(
        "parse_processes",
        None,
        _processes,
        "parse worker processes (auto: one per spare core; 0: parse in the crawl)",
        "int|auto",
    ),
    Option(
        "absence_runs",
        2,
        _positive_int,
        "complete runs a project must be absent to count as removed",
        "int",
    ),
    Option(
        "trust_lastmod",
        "off",
        _trust,
        "off: verify every known page every run; audited: skip pages whose sitemap lastmod "
        "is unchanged, on a site that earned it by audits",
        "off|audited",
    ),
    Option("archive", True, _bool, "write WARC files of every fetch", "bool"),
    Option(
        "archive_dir",
        None,
        _str,
        "folder for WARC files (default: beside the warehouse, see archive_beside)",
        "path",
    ),
    Option("log_format", "text", _log_format, "log lines as text or json", "text|json"),
    Option("user_agent", USER_AGENT, _str, "User-Agent sent to sites: say who runs the crawl"),
    Option("duckdb_memory", "64MB", _memory, "DuckDB memory limit while a crawl runs", "size"),
    Option(
        "duckdb_merge_memory",
        None,
        _memory,
        "DuckDB memory limit for a run's merge (default: sized by the run)",
        "size",
    ),
    Option("duckdb_threads", 1, _positive_int, "DuckDB threads of the writer", "int"),
    Option(
        "max_in_flight",
        64,
        _positive_int,
        "requests in flight across all sites of a multi-site crawl (crawl --all)",
        "int",
    ),
    Option(
        "run_ids",
        "sequential",
        _run_ids,
        "sequential: run ids 1, 2, 3 per database; unique: time-based plus random, unique "
        "across writers sharing a warehouse",
        "sequential|unique",
    ),
    Option(
        "snapshot_age",
        7 * 86400.0,
        _seconds,
        "DuckLake: seconds of history kept for time travel; warehouse maintain expires older",
        "seconds",
    ),
    Option(
        "orphan_age",
        3600.0,
        _seconds,
        "DuckLake: seconds before a file no snapshot names (a killed writer's) is deleted by "
        "warehouse maintain; longer than any merge",
        "seconds",
    ),
    Option(
        "lease_ttl",
        900.0,
        _lease_seconds,
        "seconds a site's writer lease lasts unless renewed (a killed writer's lapses then)",
        "seconds",
    ),
    Option(
        "reader_wait",
        10.0,
        _seconds,
        "seconds a reader (query, runs, changes, show, ...) waits for a crawl's merge to end",
        "seconds",
    ),
    Option(
        "writer_wait",
        300.0,
        _seconds,
        "seconds each of a crawl's brief steps on a warehouse file waits for readers holding it",
        "seconds",
    ),
)
BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class Effective:
    values: dict[str, Any]
    sources: dict[str, str]  # name -> "default" | "pipeline.toml" | "env PIPELINE_X" | "flag"
    config_file: Path | None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def replace(self, **values: Any) -> Effective:
        """These settings with ``values`` set in code (parsed like any other source)."""
        unknown = sorted(set(values) - set(BY_NAME))
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}")
        parsed = dict(self.values)
        sources = dict(self.sources)
        for name, raw in values.items():
            parsed[name] = _parse(BY_NAME[name], raw, "code")
            sources[name] = "code"
        return Effective(parsed, sources, self.config_file)


PLACEHOLDER_AGENT = (
    "the User-Agent is the default one, which names this software's page, not you: set "
    "user_agent (pipeline.toml or $PIPELINE_USER_AGENT) to say who runs the crawl and how a "
    'site can reach you, e.g. "my-archive/1.0 (+https://example.org/contact; team@example.org)"'
)


def placeholder_agent(effective: Effective) -> bool:
    """Whether the crawl would send the default User-Agent (no contact of the operator)."""
    return bool(effective.sources.get("user_agent") == "default")


def archive_beside(db: str | Path) -> Path:
    """The archive folder of a warehouse when ``archive_dir`` is not set: beside the database
    file, so two warehouses never mix their WARC files. ``warehouse/projects.duckdb`` keeps
    ``warehouse/archive``; ``x/other.duckdb`` gets ``x/other-archive``."""
    path = Path(db)
    name = "archive" if path.name == "projects.duckdb" else f"{path.stem}-archive"
    return path.parent / name


def lake_archive_beside(data_path: str | Path) -> Path:
    """A DuckLake's archive folder when ``archive_dir`` is not set: beside (never inside: the
    lake's maintenance deletes files there it does not know) its ``data_path`` folder."""
    path = Path(data_path).resolve()
    return path.parent / f"{path.name}-archive"


def _parse(option: Option, raw: Any, source: str) -> Any:
    if raw is None:
        return None
    try:
        return option.parse(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {option.name} from {source}: {exc}") from exc


def defaults(**values: Any) -> Effective:
    """The built-in defaults with ``values`` set: the settings of the demo, benchmarks, tests."""
    base = Effective(
        {o.name: o.default for o in OPTIONS}, {o.name: "default" for o in OPTIONS}, None
    )
    return base.replace(**values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text ({exc}); save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    table = data.get("pipeline", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [pipeline] must be a table of settings")
    return table


def load(
    flags: Mapping[str, Any] | None = None,
    config_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Effective:
    """Merge the four sources; flags with value None count as not given."""
    env = os.environ if env is None else env
    config_file: Path | None = None
    if config_path is not None:
        config_file = Path(config_path)
        if not config_file.is_file():
            raise ConfigError(f"config file {config_file} does not exist")
    elif env.get("PIPELINE_CONFIG"):
        config_file = Path(env["PIPELINE_CONFIG"])
    else:
        candidate = (cwd or Path.cwd()) / "pipeline.toml"
        config_file = candidate if candidate.is_file() else None
    from_file = _read_toml(config_file) if config_file else {}
    unknown = sorted(set(from_file) - set(BY_NAME))
    if unknown:
        raise ConfigError(
            f"{config_file}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}"
        )
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for option in OPTIONS:
        raw, source = option.default, "default"
        if option.name in from_file:
            raw, source = from_file[option.name], str(config_file)
        if env.get(option.env) not in (None, ""):
            raw, source = env[option.env], f"env {option.env}"
        if flags is not None and flags.get(option.name) is not None:
            raw, source = flags[option.name], "flag"
        values[option.name] = _parse(option, raw, source)
        sources[option.name] = source
    return Effective(values, sources, config_file)
