"""Effective settings from defaults, ``pipeline.toml``, environment variables and flags.

Precedence, lowest to highest: built-in defaults < ``pipeline.toml`` (``--config PATH``, else
``./pipeline.toml`` when present) < ``PIPELINE_*`` environment variables < command-line flags.
Each effective value remembers where it came from (``pipeline config`` shows it).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _positive_int(value: Any) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(f"{value!r} is not a positive whole number")
    return number


def _seconds(value: Any) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return number


def _log_format(value: Any) -> str:
    text = str(value).lower()
    if text not in ("text", "json"):
        raise ValueError(f"{value!r} is not 'text' or 'json'")
    return text


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str

    @property
    def env(self) -> str:
        return "PIPELINE_" + self.name.upper()


OPTIONS: tuple[Option, ...] = (
    Option("site", "stiftung-spi", _str, "site profile to crawl"),
    Option("base_url", None, _str, "mirror or staging copy with the same paths"),
    Option("db", "warehouse/projects.duckdb", _str, "DuckDB warehouse file"),
    Option("concurrency", 2, _positive_int, "requests in flight per host"),
    Option("delay", 1.0, _seconds, "minimum seconds between requests per host"),
    Option("max_pages", 20000, _positive_int, "pages fetched per run at most"),
    Option("max_depth", 50, _positive_int, "link hops from a start page at most"),
    Option("retries", 3, int, "extra attempts for transient failures"),
    Option("timeout", 30.0, _seconds, "read timeout per request, seconds"),
    Option(
        "absence_runs",
        2,
        _positive_int,
        "complete runs a project must be absent to count as removed",
    ),
    Option("archive", True, _bool, "write WARC files of every fetch"),
    Option("archive_dir", "warehouse/archive", _str, "folder for WARC files"),
    Option("log_format", "text", _log_format, "log lines as text or json"),
    Option("user_agent", USER_AGENT, _str, "User-Agent sent to sites: say who runs the crawl"),
)
BY_NAME = {option.name: option for option in OPTIONS}


@dataclass(frozen=True)
class Effective:
    values: dict[str, Any]
    sources: dict[str, str]  # name -> "default" | "pipeline.toml" | "env PIPELINE_X" | "flag"
    config_file: Path | None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc}") from exc
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
        if raw is not None:
            try:
                raw = option.parse(raw)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"setting {option.name} from {source}: {exc}") from exc
        values[option.name] = raw
        sources[option.name] = source
    return Effective(values, sources, config_file)
