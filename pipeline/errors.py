"""The pipeline's error hierarchy.

    PipelineError                 base: every error the pipeline raises on purpose
    ├── InputError                bad input from a user: a file, a URL, an option value
    │   ├── NotAWarehouseError    --db names something that is not a warehouse of ours
    │   └── RefusedQueryError     `pipeline query` SQL that does more than read
    ├── ConfigError               settings that cannot be used (unknown site, bad base URL)
    │   └── ProfileError          a site profile file that cannot be read or is not valid
    ├── FetchError                a request that could not be completed
    ├── ProposeError              `sites init` found nothing to propose (no project pages)
    └── WarehouseError            the database cannot be opened, migrated or written
        └── WarehouseLockedError  another run holds the database

Messages say what failed, where, and what to try next.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class for errors the pipeline raises on purpose."""


class InputError(PipelineError):
    """Input from the user (file, URL, option) that cannot be used."""


class NotAWarehouseError(InputError):
    """A --db that is a directory, another kind of file, or a damaged DuckDB file."""


class RefusedQueryError(InputError):
    """SQL given to `pipeline query` that would write, attach, load or reach outside."""


class ConfigError(PipelineError):
    """Settings that cannot be used."""


class ProfileError(ConfigError):
    """A site profile that cannot be read or does not validate (names the file and the key)."""


class FetchError(PipelineError):
    """A request that could not be completed."""


class ProposeError(PipelineError):
    """A sample crawl that shows no project page, so no profile can be proposed."""


class WarehouseError(PipelineError):
    """The warehouse cannot be opened, migrated or written."""


class WarehouseLockedError(WarehouseError):
    """Another process holds the warehouse."""
