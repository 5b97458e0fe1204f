"""A run packed as a WACZ 1.1.1 file that replays on its own and passes ``wacz validate``.

What goes in:
- ``archive/<run>.warc.gz``: the run's WARC, as it is;
- ``archive/<run>-originals.warc.gz``: for each revisit record of the run (a 304, or the same
  body again), the response record it refers to, copied byte for byte (its gzip member) from
  the earlier run's WARC, after a warcinfo record naming where the copies came from; absent
  when the run has no revisits of earlier captures;
- ``indexes/index.cdxj``: the run's index and the copies' lines, sorted by SURT then time;
- ``pages/pages.jsonl``: the run's project and listing pages (their final capture: response or
  revisit), each with its capture's URL, WARC-Date and title;
- ``datapackage.json`` (every file with its sha256 and size; resource names lowercase, as the
  data-package profile demands) and ``datapackage-digest.json`` (the hash of the former).

Everything is streamed: WARCs are copied in chunks, the indexes merged line by line, so memory
does not grow with the run. An original that cannot be copied (its WARC was deleted, or it is
not the record the revisit names) is left out and reported; the pack is still valid.
"""

from __future__ import annotations

import heapq
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import BinaryIO

from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from pipeline import __version__
from pipeline.archive.warc import GZIP_LEVEL, index_line
from pipeline.decode import decode_html
from pipeline.errors import InputError

WACZ_VERSION = "1.1.1"
CHUNK = 1 << 20
TITLE_BYTES = 256 * 1024  # a page's <title> or <h1> is looked for in its first 256 KiB
_NAME_UNSAFE = re.compile(r"[^-a-z0-9._/]")  # the data-package name pattern: ^([-a-z0-9._/])+$


@dataclass(frozen=True, slots=True)
class RecordPlace:
    """Where a WARC record is: the file and the offset of its gzip member."""

    warc: Path
    offset: int
    record_id: str


@dataclass(frozen=True, slots=True)
class PackPage:
    """A page of the run: its capture's URL and WARC-Date, its title if known (else it is read
    from the captured HTML), and where its capture (response or revisit) is."""

    url: str
    ts: str
    title: str | None
    capture: RecordPlace


@dataclass(frozen=True, slots=True)
class Reference:
    """What one revisit record of the run refers to."""

    revisit_id: str
    record_id: str | None  # WARC-Refers-To
    target_uri: str  # WARC-Refers-To-Target-URI
    date: str  # WARC-Refers-To-Date
    digest: str | None  # the revisit's WARC-Payload-Digest: the original's too


@dataclass(frozen=True, slots=True)
class MissingCapture:
    """A capture that a revisit of the run refers to and the pack could not include."""

    target_uri: str
    date: str
    record_id: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.target_uri} (captured {self.date}): {self.reason}"


@dataclass(frozen=True)
class PackPlan:
    """What to pack: the run's WARC, its pages, and the originals its revisits refer to
    (by the revisit's record id), with the references that could not be located."""

    warc: Path
    title: str
    pages: list[PackPage]
    originals: dict[str, tuple[Reference, RecordPlace]]
    missing: list[MissingCapture] = field(default_factory=list)


@dataclass(frozen=True)
class PackResult:
    """The WACZ written: its path, page count, revisits and the originals copied for them,
    and the captures left out (the pages that revisit them do not replay from the pack)."""

    path: Path
    pages: int
    revisits: int
    originals: int
    missing: list[MissingCapture]


def cdxj_path(warc: Path) -> Path:
    return warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")


def revisit_references(warc: Path) -> list[Reference]:
    """What each revisit record of a run's WARC refers to, read from the records (found
    through the run's CDXJ index, so only the revisits are read)."""
    cdxj = cdxj_path(warc)
    if not warc.is_file() or not cdxj.is_file():
        raise InputError(
            f"the run's archive files {warc.name} and {cdxj.name} are not both in {warc.parent}; "
            "pass --archive-dir if they were moved"
        )
    references = []
    with cdxj.open(encoding="utf-8") as index, warc.open("rb") as stream:
        for line in index:
            fields = json.loads(line.split(" ", 2)[2])
            if fields.get("mime") != "warc/revisit":
                continue
            stream.seek(int(fields["offset"]))
            headers = next(iter(ArchiveIterator(stream))).rec_headers
            references.append(
                Reference(
                    revisit_id=headers.get_header("WARC-Record-ID"),
                    record_id=headers.get_header("WARC-Refers-To"),
                    target_uri=headers.get_header("WARC-Refers-To-Target-URI") or "",
                    date=headers.get_header("WARC-Refers-To-Date") or "",
                    digest=headers.get_header("WARC-Payload-Digest"),
                )
            )
    return references


def resource_name(path: str) -> str:
    """A data-package resource name for a member: its file name, lowercase, other characters
    than ``-a-z0-9._/`` as ``-``."""
    return _NAME_UNSAFE.sub("-", Path(path).name.lower())


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Package:
    """The zip being written, and the resources (path, sha256, bytes) written into it."""

    def __init__(self, zip_file: zipfile.ZipFile) -> None:
        self.zip = zip_file
        self.resources: list[dict[str, object]] = []
        now = datetime.now(UTC)
        self._stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)

    def add(self, path: str, chunks: Iterable[bytes], *, stored: bool = False) -> None:
        info = zipfile.ZipInfo(path, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        digest, size = sha256(), 0
        with self.zip.open(info, "w", force_zip64=True) as member:
            for chunk in chunks:
                member.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        self.resources.append(
            {
                "name": resource_name(path),
                "path": path,
                "hash": "sha256:" + digest.hexdigest(),
                "bytes": size,
            }
        )


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk


def _lines(lines: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= 4096:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def pack_wacz(plan: PackPlan, out: Path) -> PackResult:
    """Write ``plan`` as a WACZ file at ``out`` (a whole file or none: it is written beside,
    then renamed)."""
    cdxj = cdxj_path(plan.warc)
    if not plan.warc.is_file() or not cdxj.is_file():
        raise InputError(f"the run's archive files are missing from {plan.warc.parent}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zip_file:
            result = _write(plan, cdxj, zip_file, out)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return result


def _write(plan: PackPlan, cdxj: Path, zip_file: zipfile.ZipFile, out: Path) -> PackResult:
    package = _Package(zip_file)
    package.add(f"archive/{plan.warc.name}", _file_chunks(plan.warc), stored=True)
    missing = list(plan.missing)
    originals = _originals_to_copy(plan, missing)
    copies = _Copies(plan.warc.name.removesuffix(".warc.gz") + "-originals.warc.gz")
    if originals:
        package.add(f"archive/{copies.name}", copies.write(originals), stored=True)
    with cdxj.open(encoding="utf-8") as run_index:
        package.add("indexes/index.cdxj", _lines(heapq.merge(run_index, sorted(copies.lines))))
    package.add("pages/pages.jsonl", _lines(_page_lines(plan)))
    descriptor = _descriptor(plan, package.resources)
    zip_file.writestr("datapackage.json", descriptor, compress_type=zipfile.ZIP_DEFLATED)
    digest = {"path": "datapackage.json", "hash": "sha256:" + sha256(descriptor).hexdigest()}
    zip_file.writestr(
        "datapackage-digest.json", json.dumps(digest, indent=2), compress_type=zipfile.ZIP_DEFLATED
    )
    revisits = len(plan.originals) + len(plan.missing)
    return PackResult(out, len(plan.pages), revisits, len(originals), missing)


def _originals_to_copy(plan: PackPlan, missing: list[MissingCapture]) -> list[RecordPlace]:
    """The originals to copy into the pack, each once: those in other WARC files than the
    run's that are what their revisits say (the others are added to ``missing``)."""
    chosen: dict[str, RecordPlace] = {}
    refused: set[str] = set()
    for reference, place in plan.originals.values():
        if place.warc == plan.warc or place.record_id in chosen or place.record_id in refused:
            continue
        problem = _check_original(reference, place)
        if problem:
            missing.append(problem)
            refused.add(place.record_id)
        else:
            chosen[place.record_id] = place
    return list(chosen.values())


def _descriptor(plan: PackPlan, resources: list[dict[str, object]]) -> bytes:
    now = _timestamp(datetime.now(UTC))
    package: dict[str, object] = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": plan.title,
        "created": now,
        "modified": now,
        "software": f"foundation-pipeline/{__version__}",
        "resources": resources,
    }
    if plan.pages:
        package["mainPageURL"] = plan.pages[0].url
        package["mainPageDate"] = plan.pages[0].ts
    return json.dumps(package, indent=2).encode()


class _Copies:
    """The extra WARC of originals: a warcinfo record, then each original's gzip member as it
    is in its run's WARC, with its CDXJ line (pointing into this file)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []

    def write(self, originals: list[RecordPlace]) -> Iterator[bytes]:
        head = _warcinfo(self.name, sorted({place.warc.name for place in originals}))
        yield head
        offset = len(head)
        for place in originals:
            with place.warc.open("rb") as source:
                source.seek(place.offset)
                records = ArchiveIterator(source)
                record = next(iter(records))
                length = records.get_record_length()
                self.lines.append(index_line(record, offset, length, self.name) + "\n")
                source.seek(place.offset)
                yield from _read_exactly(source, length)
            offset += length


def _read_exactly(source: BinaryIO, length: int) -> Iterator[bytes]:
    while length > 0:
        chunk = source.read(min(CHUNK, length))
        if not chunk:
            raise InputError(f"{source.name} ends inside a record; run `warcio check` on it")
        length -= len(chunk)
        yield chunk


def _check_original(reference: Reference, place: RecordPlace) -> MissingCapture | None:
    """Why the record at ``place`` cannot stand for what ``reference`` refers to (None: it
    can): its WARC is gone, or it is not the response with that id and payload digest."""

    def missing(reason: str) -> MissingCapture:
        return MissingCapture(reference.target_uri, reference.date, reference.record_id, reason)

    if not place.warc.is_file():
        return missing(f"its WARC file {place.warc} is missing (deleted or moved?)")
    with place.warc.open("rb") as source:
        source.seek(place.offset)
        try:
            record = next(iter(ArchiveIterator(source)))
        except (StopIteration, ValueError, OSError) as error:
            return missing(f"no WARC record at offset {place.offset} of {place.warc} ({error})")
        headers = record.rec_headers
        if headers.get_header("WARC-Record-ID") != place.record_id:
            return missing(f"the record at offset {place.offset} of {place.warc} is another one")
        if record.rec_type != "response":
            return missing(f"record {place.record_id} in {place.warc} is a {record.rec_type}")
        digest = headers.get_header("WARC-Payload-Digest")
        if reference.digest and digest != reference.digest:
            return missing(
                f"record {place.record_id} in {place.warc} has payload digest {digest}, "
                f"the revisit says {reference.digest}"
            )
    return None


def _warcinfo(name: str, sources: list[str]) -> bytes:
    info = {
        "software": f"foundation-pipeline/{__version__}",
        "format": "WARC File Format 1.1",
        "description": "Response records that this run's revisit records refer to, copied "
        "unchanged from the WARC files of earlier runs: " + ", ".join(sources),
    }
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(name, info))
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return packer.compress(buffer.getvalue()) + packer.flush()


def _page_lines(plan: PackPlan) -> Iterator[str]:
    header = {"format": "json-pages-1.0", "id": "pages", "title": f"{plan.title}: pages"}
    yield json.dumps(header) + "\n"
    originals = {revisit: place for revisit, (_, place) in plan.originals.items()}
    for page in plan.pages:
        # An id on every line (optional in the spec): the validator reads the file as a table
        # with the header line's columns (format, id, title) and refuses a row with none.
        entry = {"id": _page_id(page.capture.record_id), "url": page.url, "ts": page.ts}
        title = page.title or _captured_title(page.capture, originals)
        if title:
            entry["title"] = title
        yield json.dumps(entry, ensure_ascii=False) + "\n"


def _page_id(record_id: str) -> str:
    """A page's id: its capture's record id without ``<urn:uuid:`` and ``>``."""
    return record_id.removeprefix("<").removesuffix(">").removeprefix("urn:uuid:")


def _captured_title(
    capture: RecordPlace, originals: dict[str, RecordPlace], follow: bool = True
) -> str | None:
    """The <title> (else the first <h1>) of the HTML captured at ``capture``; for a revisit,
    of the original it refers to. None when the record cannot be read or has neither."""
    if not capture.warc.is_file():
        return None
    with capture.warc.open("rb") as source:
        source.seek(capture.offset)
        try:
            record = next(iter(ArchiveIterator(source)))
        except (StopIteration, ValueError, OSError):
            return None
        if record.rec_type == "revisit":
            original = originals.get(capture.record_id) if follow else None
            return _captured_title(original, originals, follow=False) if original else None
        if record.rec_type != "response" or record.http_headers is None:
            return None
        body = record.content_stream().read(TITLE_BYTES)
        content_type = record.http_headers.get_header("Content-Type")
    return html_title(body, content_type)


def html_title(body: bytes, content_type: str | None = None) -> str | None:
    """A page's title: its <title>, else its first <h1>, whitespace collapsed."""
    if content_type and "html" not in content_type.lower():
        return None
    tree = LexborHTMLParser(decode_html(body, content_type)[0])
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        text = " ".join(node.text().split()) if node is not None else ""
        if text:
            return text
    return None
