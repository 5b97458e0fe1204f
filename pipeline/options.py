"""Effective settings to run options: the one place where settings become a run's options.

The CLI, the demo, the benchmarks and the tests all build their runs through
:func:`run_options`, so a setting means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.config import Effective, archive_beside, lake_archive_beside
from pipeline.crawl.settings import CrawlSettings
from pipeline.errors import ConfigError
from pipeline.multisite import MultiOptions
from pipeline.nightly import RunOptions
from pipeline.profiles import Catalog, SiteProfile, discover, load_profile
from pipeline.warehouse.db import DuckDBLimits
from pipeline.warehouse.lake import is_lake


def catalog(effective: Effective, profile_files: Sequence[str | Path] = ()) -> Catalog:
    """The built-in profiles, the ``profiles_dir`` folder's, then ``profile_files``."""
    return discover(effective["profiles_dir"], profile_files)


def crawl_settings(effective: Effective) -> CrawlSettings:
    try:
        return CrawlSettings(
            concurrency=effective["concurrency"],
            delay=effective["delay"],
            max_pages=effective["max_pages"],
            max_depth=effective["max_depth"],
            retries=effective["retries"],
            backoff=effective["backoff"],
            read_timeout=effective["timeout"],
            fetch_deadline=effective["fetch_deadline"],
            max_crawl_delay=effective["max_crawl_delay"],
            max_sitemaps=effective["max_sitemaps"],
            max_sitemap_depth=effective["max_sitemap_depth"],
            max_sitemap_bytes=effective["max_sitemap_bytes"],
            parse_time_limit=effective["parse_time_limit"],
            user_agent=effective["user_agent"],
            parse_processes=effective["parse_processes"],
            trust_lastmod=effective["trust_lastmod"],
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def select_profile(effective: Effective, profile_file: str | Path | None = None) -> SiteProfile:
    """The run's site: the ``--profile`` file's when given, else ``site`` from the catalog.

    A ``site`` set explicitly (flag, environment, pipeline.toml) must agree with the file.
    """
    if profile_file is not None:
        profile = load_profile(profile_file)
        if effective.sources["site"] != "default" and effective["site"] != profile.id:
            raise ConfigError(
                f"--site {effective['site']!r} does not match the profile {profile_file}, whose "
                f"id is {profile.id!r}; give one of them"
            )
        return profile
    return catalog(effective).get(effective["site"])


def run_options(
    effective: Effective,
    profile: SiteProfile,
    *,
    accept_coverage_drop: bool = False,
) -> RunOptions:
    """A run of ``profile``'s site with these settings."""
    return RunOptions(
        profile=profile,
        base_url=effective["base_url"],
        db=effective["db"],
        data_path=_data_path(effective),
        settings=crawl_settings(effective),
        accept_coverage_drop=accept_coverage_drop,
        absence_runs=effective["absence_runs"],
        archive_dir=_archive_dir(effective, profile.id),
        duckdb=duckdb_limits(effective),
        run_ids=effective["run_ids"],
        lease_ttl=effective["lease_ttl"],
        writer_wait=effective["writer_wait"],
    )


def multi_options(
    effective: Effective,
    profiles: Sequence[SiteProfile],
    *,
    accept_coverage_drop: bool = False,
) -> MultiOptions:
    """A run of several sites (``crawl --all``) with these settings."""
    if effective["base_url"] is not None:
        raise ConfigError(
            "--base-url names one site's mirror; it cannot be used with --all or several "
            "sites (give each mirror its own profile, with its origin)"
        )
    return MultiOptions(
        sites=tuple(
            run_options(effective, p, accept_coverage_drop=accept_coverage_drop) for p in profiles
        ),
        db=effective["db"],
        data_path=_data_path(effective),
        duckdb=duckdb_limits(effective),
        max_in_flight=effective["max_in_flight"],
        parse_processes=effective["parse_processes"],
        writer_wait=effective["writer_wait"],
    )


def _data_path(effective: Effective) -> Path | None:
    return Path(effective["data_path"]) if effective["data_path"] else None


def _archive_dir(effective: Effective, site: str) -> Path | None:
    """The run's WARC folder. On a DuckLake each site has a folder of its own (below
    ``archive_dir``, by default beside ``data_path``): a run recovers the files that killed
    runs left open in its folder, and another writer's live file must not be one of them."""
    if not effective["archive"]:
        return None
    if not is_lake(effective["db"]):
        if effective["archive_dir"]:
            return Path(effective["archive_dir"])
        return archive_beside(effective["db"])
    if effective["archive_dir"]:
        return Path(effective["archive_dir"]) / site
    if not effective["data_path"]:
        raise ConfigError(
            "a crawl into a DuckLake keeps its WARC files beside the lake's data_path: set "
            "data_path (or archive_dir), or crawl with --no-archive"
        )
    return lake_archive_beside(effective["data_path"]) / site


def duckdb_limits(effective: Effective) -> DuckDBLimits:
    """DuckDB's resources for a writer, from the duckdb_* settings."""
    return DuckDBLimits(
        effective["duckdb_memory"], effective["duckdb_merge_memory"], effective["duckdb_threads"]
    )
