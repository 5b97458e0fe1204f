"""Finding and reading profile files: the built-in ones, a ``profiles_dir``, single files.

Errors name the file, the key and what was expected; nothing half-read is ever returned.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.errors import ProfileError
from pipeline.profiles.model import SiteProfile, generic_profile
from pipeline.urls import bare_host, host_of

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
BUILTIN = "built-in"


def _key(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(the file)"


def _expected(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key; check its spelling (see `pipeline sites --help` for the keys)"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in ("string_type", "tuple_type", "list_type", "bool_type", "int_type"):
        return f"{message} (got {type(error['input']).__name__} {error['input']!r})"
    return message


def profile_from_data(data: dict[str, Any], source: str) -> SiteProfile:
    """Validate a profile's data (a parsed TOML table); ``source`` names it in errors."""
    try:
        return SiteProfile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"key `{_key(e['loc'])}`: {_expected(e)}" for e in exc.errors())
        raise ProfileError(f"{source}: {problems}") from None


def load_profile(path: str | Path) -> SiteProfile:
    """Read and validate one profile file."""
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8")
    except IsADirectoryError:
        raise ProfileError(f"{file} is a directory, not a profile file (*.toml)") from None
    except OSError as exc:
        raise ProfileError(f"cannot read the profile {file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{file} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{file} is not valid TOML: {exc}") from None
    return profile_from_data(data, str(file))


@dataclass(frozen=True, slots=True)
class FoundProfile:
    profile: SiteProfile
    source: str  # "built-in" or the file it was read from


@dataclass(frozen=True)
class Catalog:
    """The profiles a run can use, by id; later sources replace earlier ones of the same id."""

    found: dict[str, FoundProfile]

    @property
    def ids(self) -> list[str]:
        return sorted(self.found)

    def get(self, site: str) -> SiteProfile:
        if site not in self.found:
            known = ", ".join(self.ids) or "none"
            raise ProfileError(
                f"unknown site {site!r}; known sites: {known}. Pass --profile FILE, or put the "
                "profile in the profiles_dir folder (see `pipeline sites`)"
            )
        return self.found[site].profile

    def select(self, sites: Iterable[str]) -> list[SiteProfile]:
        return [self.get(site) for site in sites]

    def for_url(self, url: str) -> SiteProfile:
        """The profile whose hosts include the URL's host, else a generic one for that host."""
        host = bare_host(host_of(url))
        for entry in self.found.values():
            if host in entry.profile.hosts:
                return entry.profile
        return generic_profile(url)


def _files_in(folder: Path) -> list[Path]:
    if not folder.exists():
        raise ProfileError(f"profiles_dir {folder} does not exist; create it or fix the setting")
    if not folder.is_dir():
        raise ProfileError(f"profiles_dir {folder} is not a directory")
    return sorted(folder.glob("*.toml"))


def _add(found: dict[str, FoundProfile], files: Iterable[Path], source: str | None) -> None:
    seen: dict[str, Path] = {}
    for file in files:
        profile = load_profile(file)
        if profile.id in seen:
            raise ProfileError(
                f"{file} and {seen[profile.id]} both define site {profile.id!r}; "
                "give each site one profile file"
            )
        seen[profile.id] = file
        found[profile.id] = FoundProfile(profile, source or str(file))


def builtin_profiles() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.toml"))


@dataclass(frozen=True, slots=True)
class Checked:
    """One profile file as checked: its profile, or why it is not valid."""

    source: str
    profile: SiteProfile | None
    error: str | None = None


def survey(profiles_dir: str | Path | None = None) -> list[Checked]:
    """Every built-in and ``profiles_dir`` profile, each checked on its own (one bad file does
    not hide the others)."""
    files = [(BUILTIN, f) for f in builtin_profiles()]
    if profiles_dir:
        files += [(str(f), f) for f in _files_in(Path(profiles_dir))]
    checked: list[Checked] = []
    for source, file in files:
        try:
            checked.append(Checked(source, load_profile(file)))
        except ProfileError as exc:
            checked.append(Checked(source, None, str(exc)))
    return checked


def discover(profiles_dir: str | Path | None = None, files: Sequence[str | Path] = ()) -> Catalog:
    """Built-in profiles, then every ``*.toml`` in ``profiles_dir``, then ``files``."""
    found: dict[str, FoundProfile] = {}
    _add(found, builtin_profiles(), BUILTIN)
    if profiles_dir:
        _add(found, _files_in(Path(profiles_dir)), None)
    _add(found, [Path(f) for f in files], None)
    return Catalog(found)
