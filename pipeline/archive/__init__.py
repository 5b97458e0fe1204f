"""Archival evidence: every HTTP exchange of a run in a gzip WARC 1.1 file, with a CDXJ index."""

from pipeline.archive.warc import RunArchive, recover_open_files
from pipeline.model import Capture

__all__ = ["Capture", "RunArchive", "recover_open_files"]
