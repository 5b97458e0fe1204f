"""Reading evidence back from the archive: one WARC record's page, a run packed as WACZ.

The warehouse says where (``pipeline.warehouse.evidence``); these functions take plain paths
and values and only read and write files.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipeline import __version__
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


def pack_wacz(
    warc: Path,
    pages: list[tuple[str, datetime, str]],
    *,
    title: str,
    main_page_date: datetime,
    out: Path,
) -> Path:
    """Package a run's WARC, its CDXJ index beside it and its pages ((URL, fetched at, kind),
    in order) as a WACZ 1.1.1 file."""
    cdxj = warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")
    if not warc.is_file() or not cdxj.is_file():
        raise InputError(f"the run's archive files are missing from {warc.parent}")
    page_lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    page_lines += [
        json.dumps({"url": url, "ts": ts.astimezone(UTC).isoformat(), "title": kind})
        for url, ts, kind in pages
    ]
    members = {
        f"archive/{warc.name}": warc.read_bytes(),
        "indexes/index.cdxj": cdxj.read_bytes(),
        "pages/pages.jsonl": ("\n".join(page_lines) + "\n").encode(),
    }
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": title,
        "created": datetime.now(UTC).isoformat(),
        "software": f"foundation-pipeline/{__version__}",
        "mainPageDate": main_page_date.astimezone(UTC).isoformat(),
        "resources": [
            {
                "name": Path(name).name,
                "path": name,
                "hash": "sha256:" + sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for name, data in members.items()
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as wacz:
        for name, data in members.items():
            method = zipfile.ZIP_STORED if name.endswith(".warc.gz") else zipfile.ZIP_DEFLATED
            wacz.writestr(name, data, compress_type=method)
        wacz.writestr("datapackage.json", json.dumps(package, indent=2))
    return out
