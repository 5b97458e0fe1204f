"""Site profiles: one TOML file per foundation's site, validated, found, passed to every stage."""

from pipeline.profiles.loader import (
    BUILTIN,
    Catalog,
    Checked,
    FoundProfile,
    discover,
    load_profile,
    profile_from_data,
    survey,
)
from pipeline.profiles.model import SiteProfile, StatusWords, Vocabulary, generic_profile

__all__ = [
    "BUILTIN",
    "Catalog",
    "Checked",
    "FoundProfile",
    "SiteProfile",
    "StatusWords",
    "Vocabulary",
    "discover",
    "generic_profile",
    "load_profile",
    "profile_from_data",
    "survey",
]
