"""Reading evidence back from the archive: one WARC record's page (a run packed as WACZ is
``pipeline.archive.wacz``'s).

The warehouse says where (``pipeline.warehouse.evidence``); these functions take plain paths
and values and only read and write files.
"""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipeline.errors import InputError


def read_record(warc: Path, record_id: str, offset: int | None = None) -> bytes:
    """The payload of one WARC record, content-decoded (gzip undone); ``offset`` (where the
    record starts, from the index) spares reading the file from the beginning."""
    if not warc.is_file():
        raise InputError(f"the WARC file {warc} is missing; pass --archive-dir if it was moved")
    with warc.open("rb") as stream:
        if offset is not None:
            stream.seek(offset)
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                payload: bytes = record.content_stream().read()
                return payload
            if offset is not None:
                break
    raise InputError(f"record {record_id} not found in {warc}")
