"""Archival evidence: every HTTP exchange of a run in a gzip WARC 1.1 file, with a CDXJ index."""

from pipeline.archive.warc import Capture, RunArchive, recover_open_files

__all__ = ["Capture", "RunArchive", "recover_open_files"]
