"""The project record: the contract between parsing and loading.

Every record that reaches the warehouse has passed these models. Field names are the JSON names
the export and every downstream consumer depend on; do not rename them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Status = Literal["active", "completed", "planned", "unknown"]
Precision = Literal["day", "month", "year"]
Lang = Literal["de", "en"]

E164 = re.compile(r"^\+[1-9]\d{5,14}$")
EMAIL = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}$")
HASH = re.compile(r"^[0-9a-f]{64}$")

# The fields whose values are the project's facts. ``content_hash`` is computed over these only,
# so the same facts served from another URL or in another markup give the same hash.
CONTENT_FIELDS: tuple[str, ...] = (
    "title",
    "short_title",
    "status",
    "status_raw",
    "period",
    "funders",
    "grant_amount",
    "partners",
    "target_groups",
    "contact",
    "focus_areas",
    "services",
    "division",
    "closed_notice",
    "related",
    "sections",
)

# Content fields added after the first records were hashed (grant facts): they enter the hash
# only when they hold a value, so a record without them hashes as it did before they existed.
LATER_FIELDS: tuple[str, ...] = ("grant_amount", "partners", "target_groups")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Period(_Model):
    start: date | None = None
    end: date | None = None
    start_precision: Precision | None = None
    end_precision: Precision | None = None
    raw: str = Field(min_length=1)

    @model_validator(mode="after")
    def _bounds(self) -> Period:
        if (self.start is None) != (self.start_precision is None):
            raise ValueError("start and start_precision must be given together")
        if (self.end is None) != (self.end_precision is None):
            raise ValueError("end and end_precision must be given together")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"period start {self.start} is after its end {self.end}")
        return self


class Contact(_Model):
    organization: str | None = None
    unit: str | None = None
    division: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    persons: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    fax: str | None = None
    emails: list[str] = Field(default_factory=list)
    website: str | None = None
    locations: list[str] = Field(default_factory=list)

    @field_validator("phones")
    @classmethod
    def _phones_e164(cls, value: list[str]) -> list[str]:
        for phone in value:
            if not E164.match(phone):
                raise ValueError(f"phone {phone!r} is not in E.164 form (+4930...)")
        return value

    @field_validator("fax")
    @classmethod
    def _fax_e164(cls, value: str | None) -> str | None:
        if value is not None and not E164.match(value):
            raise ValueError(f"fax {value!r} is not in E.164 form (+4930...)")
        return value

    @field_validator("emails")
    @classmethod
    def _emails_plain(cls, value: list[str]) -> list[str]:
        for email in value:
            if not EMAIL.match(email):
                raise ValueError(f"e-mail {email!r} is not a lowercase plain address")
        return value

    @field_validator("postal_code")
    @classmethod
    def _postal_digits(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError(f"postal code {value!r} is not all digits")
        return value


class GrantAmount(_Model):
    """A grant's amount as the page states it: "CHF 1,2 Mio." is 1200000 CHF."""

    value: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")  # ISO 4217
    raw: str = Field(min_length=1)


class Section(_Model):
    heading: str | None = None
    text: str = Field(min_length=1)


class ProjectContent(_Model):
    """A record before its content hash: what the parser hands to :func:`build_record`."""

    project_id: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://[^/\s]+(/\S*)?$")
    site: str = Field(min_length=1)
    lang: Lang
    title: str = Field(min_length=1)
    short_title: str | None = None
    status: Status
    status_raw: str | None = None
    period: Period | None = None
    funders: list[str] = Field(default_factory=list)
    grant_amount: GrantAmount | None = None
    partners: list[str] = Field(default_factory=list)  # cooperation partners, never funders
    target_groups: list[str] = Field(default_factory=list)
    contact: Contact | None = None
    focus_areas: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    division: str | None = None
    closed_notice: bool = False
    related: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    @field_validator("related")
    @classmethod
    def _related_absolute(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"related URL {url!r} is not absolute")
        return value


class ProjectRecord(ProjectContent):
    """One project page as a validated record, with the hash of its content fields."""

    content_hash: str = Field(pattern=HASH.pattern)

    @model_validator(mode="after")
    def _hash_matches(self) -> ProjectRecord:
        expected = content_hash(self.model_dump(mode="json"))
        if self.content_hash != expected:
            raise ValueError("content_hash does not match the record's content fields")
        return self


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 over the content fields of a record in JSON form (``model_dump(mode="json")``).

    Keys outside :data:`CONTENT_FIELDS` are ignored, so a whole record dict may be passed. Its
    values may also be the validated models themselves (a record's ``__dict__``): they hash as
    their JSON form does.
    """
    payload = {key: content.get(key) for key in CONTENT_FIELDS}
    for key in LATER_FIELDS:  # hashed only when set: older records keep their hash
        if not payload[key]:
            del payload[key]
    # Compact JSON with sorted keys, UTF-8 unescaped: byte for byte what
    # json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) gives
    # (tests/test_schema.py holds the two together), ten times faster.
    return hashlib.sha256(
        orjson.dumps(payload, default=_model_fields, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _model_fields(value: object) -> dict[str, Any]:
    """A nested model (a period, a contact, a section) as orjson writes it: its fields, which
    are strings, numbers, dates and lists of them (orjson writes a date as JSON mode does)."""
    if isinstance(value, _Model):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def build_record(data: dict[str, Any]) -> ProjectRecord:
    """Validate a record's fields, then add the hash of its normalized content.

    Raises pydantic's ValidationError with every problem found. The content is validated once;
    the hash is computed here from that validated content, so the record is built without
    re-running the validators (``ProjectRecord.model_validate`` checks a given hash instead).
    """
    content = ProjectContent.model_validate(data)
    # (hashed from the validated fields as they are: a dump to JSON mode first cost ~10 us)
    digest = content_hash(content.__dict__)
    # What model_construct() does, without its per-field loop (12 of the parser's ~20 us per
    # record here): the fields are the validated content's, plus the hash. Every field is set.
    record = ProjectRecord.__new__(ProjectRecord)
    _set_attr(record, "__dict__", {**content.__dict__, "content_hash": digest})
    _set_attr(record, "__pydantic_fields_set__", set(_RECORD_FIELDS))
    _set_attr(record, "__pydantic_extra__", None)
    _set_attr(record, "__pydantic_private__", None)
    return record


_set_attr = object.__setattr__
_RECORD_FIELDS = frozenset(ProjectRecord.model_fields)
