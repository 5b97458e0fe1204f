"""Archived pages read back from the WARC: the report's one door to the evidence functions
(``pipeline.archive.evidence``), so moving them is a change to the import below only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive.evidence import Evidence, archived_page
from pipeline.errors import PipelineError
from pipeline.report.model import Version

# The copy in the report is the captured body with two tags added right after <head>: a base
# that no relative address resolves against (the site's /logo.svg is not looked for in the
# file system's root, its links do not lead off into it), and a policy that stops the page
# loading anything else (absolute images, styles, scripts). So opening it from the report never
# reaches outside the report's folder. `pipeline archive extract` gives the captured bytes.
SEAL = (
    b'<meta http-equiv="Content-Security-Policy" '
    b"content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    b'<base href="about:blank">'
)
_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    body: bytes | None  # the sealed page, or None when the capture cannot be read
    problem: str | None  # why not, in words


def extract(version: Version, archive_dir: Path | None = None) -> Extracted:
    """The archived page of ``version``, sealed for viewing, or why it cannot be had."""
    capture = version.capture
    evidence = Evidence(
        {
            "project_id": version.project_id,
            "version": version.version,
            "warc_file": capture.warc_file,
            "warc_record_id": capture.record_id,
        },
        capture.archive_dir,
        capture.offset,
        capture.fetched_at,
    )
    try:
        body = archived_page(evidence, archive_dir)
    except PipelineError as exc:
        return Extracted(None, str(exc))
    except (OSError, EOFError, ValueError) as exc:  # a torn or unreadable WARC
        return Extracted(None, f"the WARC file {capture.warc_file} cannot be read: {exc}")
    return Extracted(seal(body), None)


def seal(body: bytes) -> bytes:
    """``body`` with the no-outside-loads policy placed right after ``<head>``."""
    match = _HEAD.search(body, 0, 4096)
    at = match.end() if match else 0
    return body[:at] + SEAL + body[at:]
