"""Pydantic records: the contract at the parse -> load boundary."""

from schemas.record import (
    CONTENT_FIELDS,
    Contact,
    Period,
    ProjectContent,
    ProjectRecord,
    Section,
    build_record,
    content_hash,
)

__all__ = [
    "CONTENT_FIELDS",
    "Contact",
    "Period",
    "ProjectContent",
    "ProjectRecord",
    "Section",
    "build_record",
    "content_hash",
]
