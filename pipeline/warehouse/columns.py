"""The column lists the loader copies between tables, declared once.

The migrations create the tables; these tuples name their columns in table order, and the
staging table, the merge's SQL templates and the page-state reader take their lists from here.
``tests/test_warehouse_columns.py`` checks every tuple against the migrated tables.
"""

from __future__ import annotations

from schemas.record import ProjectRecord

# (column, DuckDB type) of ``fetches``: one row per page request of a run.
FETCHES: tuple[tuple[str, str], ...] = (
    ("run_id", "BIGINT"),
    ("seq", "BIGINT"),
    ("page_key", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("url", "VARCHAR"),
    ("site_url", "VARCHAR"),
    ("final_url", "VARCHAR"),
    ("final_key", "VARCHAR"),
    ("final_site_url", "VARCHAR"),
    ("status", "INTEGER"),
    ("outcome", "VARCHAR"),
    ("error", "VARCHAR"),
    ("detail", "VARCHAR"),
    ("etag", "VARCHAR"),
    ("last_modified", "VARCHAR"),
    ("body_hash", "VARCHAR"),
    ("content_type", "VARCHAR"),
    ("bytes", "BIGINT"),
    ("duration_ms", "DOUBLE"),
    ("attempts", "INTEGER"),
    ("redirect_status", "INTEGER"),
    ("redirects", "VARCHAR[]"),
    ("fetched_at", "TIMESTAMPTZ"),
    ("via", "VARCHAR"),
    ("recheck", "BOOLEAN"),
    ("duplicate_of", "VARCHAR"),
    ("links", "VARCHAR[]"),
    ("parse_kind", "VARCHAR"),
    ("warc_file", "VARCHAR"),
    ("warc_record_id", "VARCHAR"),
    ("warc_offset", "BIGINT"),
    ("warc_length", "BIGINT"),
    ("payload_digest", "VARCHAR"),
    ("warc_date", "VARCHAR"),
    ("lastmod", "VARCHAR"),
)

# (column, DuckDB type) of the TEMP table ``stage_fetches``: a fetch as the crawl staged it,
# with what only the merge needs (the record is typed as project_versions stores it).
STAGE_FETCHES: tuple[tuple[str, str], ...] = (
    *FETCHES,
    ("problems", "VARCHAR[]"),
    ("warnings", "VARCHAR[]"),
    ("record", "STRUCT"),
)

# Columns of ``page_state``: the conditional-request state the crawler reads at the start.
PAGE_STATE: tuple[str, ...] = (
    "page_key",
    "etag",
    "last_modified",
    "body_hash",
    "links",
    "is_project",
    "verified_at",
    "parser_version",
    "run_id",
    "warc_record_id",
    "warc_target_uri",
    "warc_date",
    "payload_digest",
    "sitemap_lastmod",
    "profile_fingerprint",
)

# Record fields stored as columns of project_versions, in the table's order (project_id and
# content_hash have their own places there).
VERSION_FIELDS: tuple[str, ...] = tuple(
    name for name in ProjectRecord.model_fields if name not in ("project_id", "content_hash")
)

# Columns of ``project_versions``: the version's key and lifetime, the record, its evidence.
PROJECT_VERSIONS: tuple[str, ...] = (
    "project_id",
    "version",
    "valid_from",
    "valid_to",
    "is_current",
    "content_hash",
    "first_run_id",
    *VERSION_FIELDS,
    "body_hash",
    "warc_file",
    "warc_record_id",
    "payload_digest",
    "cause",
)


def names(columns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The names of (column, type) pairs."""
    return tuple(name for name, _ in columns)
