"""Archived pages read back from the WARC: the report's one door to the archive's reader
(``pipeline.archive.evidence.read_record``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive.evidence import read_record
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
    if not capture.warc_file or not capture.record_id:
        return Extracted(
            None,
            f"version {version.version} of {version.project_id} has no archived capture "
            "(it was crawled with --no-archive)",
        )
    folder = archive_dir or capture.archive_dir
    if folder is None:
        return Extracted(None, "the run's archive folder is unknown; pass --archive-dir")
    try:
        body = read_record(Path(folder) / capture.warc_file, capture.record_id, capture.offset)
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
