"""Writing one run's WARC file.

Each record is its own gzip member, written and flushed as it comes, into ``<name>.warc.gz.open``;
``close`` renames the file to ``<name>.warc.gz`` and writes the sorted CDXJ index beside it (its
lines wait in ``<name>.cdxj.open`` meanwhile). A run killed mid-way leaves ``.open`` files whose
complete members are all valid records; :func:`recover_open_files` cuts a torn last member,
renames the file and indexes the records that survived, so nothing later reads a corrupt WARC.

Records are serialized here (the format is small and fixed; warcio's builder costs a quarter of
the crawl's throughput) and read back with warcio in the tests. What is written per fetch:
- ``request`` and ``response`` records for every exchange (redirect hops, retried error answers,
  the final answer), headers verbatim and the body as received, before content decoding. The one
  exception: ``Transfer-Encoding`` is stored as ``X-Archive-Orig-Transfer-Encoding``, since the
  body is kept without its chunk framing.
- a ``revisit`` record (server-not-modified) for a 304, referring to the page's last capture;
- a ``revisit`` record (identical-payload-digest) when a 200 brings the same body again.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import os
import re
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from pipeline import __version__
from pipeline.model import Capture, CrawledPage, Exchange, FetchResult

SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
GZIP_LEVEL = 1  # 90 % of level 6's compression of HTML at half its time
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def sha1_base32(digest: bytes) -> str:
    """``base64.b32encode`` of a 20-byte SHA-1 digest (160 bits: 32 letters, no padding),
    without the standard library's general-purpose loop, which is slow on every record."""
    if len(digest) != 20:
        return base64.b32encode(digest).decode("ascii")
    n = int.from_bytes(digest, "big")
    return "".join([_B32[(n >> shift) & 31] for shift in range(155, -1, -5)])


def payload_digest(body: bytes) -> str:
    return "sha1:" + sha1_base32(hashlib.sha1(body).digest())


def gzip_member(record: bytes) -> bytes:
    """``record`` as one gzip member (a WARC reader can start at any record's offset)."""
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return packer.compress(record) + packer.flush()


@functools.lru_cache(maxsize=64)
def _surt_host(netloc: str) -> str:
    parts = urlsplit("//" + netloc)
    host, port = (parts.hostname or "").lower(), parts.port
    host = host.removeprefix("www.")
    is_ip = host.replace(".", "").isdigit() or ":" in host
    labels = host if is_ip else ",".join(reversed(host.split(".")))
    if port and port not in (80, 443):
        labels += f":{port}"
    return labels


def surt(url: str) -> str:
    """The SURT form used by CDXJ indexes: ``org,example)/path?query``."""
    parts = urlsplit(url)
    labels = _surt_host(parts.netloc)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{labels}){path}{query}".lower()


def _warc_date(moment: datetime) -> str:
    text: str = datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)
    return text


def _cdx_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _response_head(exchange: Exchange) -> bytes:
    """The response's status line and headers as received (Transfer-Encoding renamed)."""
    lines = [f"{exchange.http_version or 'HTTP/1.1'} {exchange.status} {exchange.reason}".rstrip()]
    for name, value in exchange.response_headers:
        if name.lower() == "transfer-encoding":
            name = "X-Archive-Orig-" + name
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _request_head(exchange: Exchange) -> bytes:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} {exchange.http_version or 'HTTP/1.1'}"]
    lines += [f"{name}: {value}" for name, value in exchange.request_headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _sha1(*parts: bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return "sha1:" + sha1_base32(digest.digest())


def _record(headers: list[tuple[str, str]], *block: bytes) -> bytes:
    """One WARC 1.1 record: its header (with Content-Length and WARC-Block-Digest) and block."""
    length = sum(len(part) for part in block)
    lines = ["WARC/1.1", *(f"{name}: {value}" for name, value in headers)]
    lines.append(f"WARC-Block-Digest: {_sha1(*block)}")
    lines.append(f"Content-Length: {length}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    return b"".join((head, *block, b"\r\n\r\n"))


class RunArchive:
    """The WARC file (and CDXJ index) of one run. (Written inline: a writer thread measured
    slower, its Python work contending with the crawl's event loop for the GIL.)"""

    def __init__(
        self,
        folder: Path,
        site: str,
        run_id: int,
        started_at: datetime,
        user_agent: str,
        robots_policy: str = "obey",
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.name = f"{site}-{started_at:%Y%m%dT%H%M%SZ}-run{run_id:05d}.warc.gz"
        self.path = folder / self.name
        self.partial = folder / (self.name + ".open")
        # Flushed once per page: a killed run loses at most the page being written, and leaves
        # at worst a torn last member, which recover_open_files cuts off.
        self._file = self.partial.open("wb")
        self._offset = 0  # where the next member starts (the file is only appended to)
        # Index lines wait in a file too (not in memory), flushed with the WARC, in write order.
        self.cdx_partial = _cdx_spool(self.partial)
        self._cdx = self.cdx_partial.open("w", encoding="utf-8", newline="\n")
        self._closed = False
        self.captures = 0  # pages archived after the warcinfo record
        info = {
            "software": f"foundation-pipeline/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "isPartOf": f"{site} run {run_id}",
            "robots": robots_policy,
            "http-header-user-agent": user_agent,
            "description": "Project pages crawled by foundation-pipeline; bodies as received.",
        }
        buffer = io.BytesIO()
        builder = WARCWriter(buffer, gzip=False, warc_version="1.1")
        builder.write_record(builder.create_warcinfo_record(self.name, info))
        self._write(buffer.getvalue())

    def _write(self, record: bytes) -> tuple[int, int]:
        member = gzip_member(record)  # one gzip member per record
        offset = self._offset
        self._file.write(member)
        self._offset += len(member)
        return offset, len(member)

    def _write_pair(
        self,
        exchange: Exchange,
        main: bytes,
        record_id: str,
        date: str,
        digest: str,
        mime: str | None,
    ) -> tuple[int, int]:
        request = _record(
            [
                ("WARC-Type", "request"),
                ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
                ("WARC-Date", date),
                ("WARC-Target-URI", exchange.url),
                ("WARC-Concurrent-To", record_id),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            _request_head(exchange),
        )
        offset, length = self._write(main)
        self._write(request)
        fields = {
            "url": exchange.url,
            "mime": (mime or "unk").split(";")[0].strip(),
            "status": str(exchange.status),
            "digest": digest,
            "length": str(length),
            "offset": str(offset),
            "filename": self.name,
        }
        key = f"{surt(exchange.url)} {_cdx_timestamp(exchange.at)}"
        self._cdx.write(f"{key} {json.dumps(fields)}\n")
        return offset, length

    # -- what to write -------------------------------------------------------------------------
    def _exchange(self, exchange: Exchange, mime: str | None) -> Capture:
        date = _warc_date(exchange.at)
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        digest = payload_digest(exchange.raw_body)

        response = _record(
            [
                ("WARC-Type", "response"),
                ("WARC-Record-ID", record_id),
                ("WARC-Date", date),
                ("WARC-Target-URI", exchange.url),
                ("WARC-Payload-Digest", digest),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            _response_head(exchange),
            exchange.raw_body,
        )
        offset, length = self._write_pair(exchange, response, record_id, date, digest, mime)
        return Capture(self.name, record_id, offset, length, digest, date, exchange.url)

    def _revisit(
        self,
        exchange: Exchange,
        profile: str,
        digest: str,
        refers_to: str | None,
        refers_uri: str,
        refers_date: str,
    ) -> Capture:
        date = _warc_date(exchange.at)
        record_id = f"<urn:uuid:{uuid.uuid4()}>"

        headers = [
            ("WARC-Type", "revisit"),
            ("WARC-Record-ID", record_id),
            ("WARC-Date", date),
            ("WARC-Target-URI", exchange.url),
            ("WARC-Payload-Digest", digest),
            ("WARC-Profile", profile),
            ("WARC-Refers-To-Target-URI", refers_uri),
            ("WARC-Refers-To-Date", refers_date),
        ]
        if refers_to:
            headers.append(("WARC-Refers-To", refers_to))
        headers.append(("Content-Type", "application/http; msgtype=response"))
        revisit = _record(headers, _response_head(exchange))  # headers only: no payload
        offset, length = self._write_pair(
            exchange, revisit, record_id, date, digest, "warc/revisit"
        )
        return Capture(self.name, record_id, offset, length, digest, date, exchange.url)

    def capture(self, page: CrawledPage) -> Capture | None:
        """Archive a page's exchanges; the capture of its final answer (None: nothing sent)."""
        fetch = page.fetch
        if not fetch.exchanges:
            return None
        final: Capture | None = None
        last = len(fetch.exchanges) - 1
        for index, exchange in enumerate(fetch.exchanges):
            if index == last:
                final = self._final(page, fetch, exchange)
            else:
                self._exchange(exchange, _mime(exchange))
        self._file.flush()
        self._cdx.flush()
        self.captures += 1
        return final

    def _final(self, page: CrawledPage, fetch: FetchResult, exchange: Exchange) -> Capture:
        previous = page.previous
        known = previous is not None and previous.payload_digest and previous.warc_date
        if exchange.status == 304 and known:
            assert previous is not None
            return self._revisit(
                exchange,
                SERVER_NOT_MODIFIED,
                previous.payload_digest or "",
                previous.warc_record_id,
                previous.warc_target_uri or exchange.url,
                previous.warc_date or "",
            )
        if fetch.outcome == "unchanged" and known:
            assert previous is not None
            digest = payload_digest(exchange.raw_body)
            if digest == previous.payload_digest:
                return self._revisit(
                    exchange,
                    IDENTICAL_PAYLOAD,
                    digest,
                    previous.warc_record_id,
                    previous.warc_target_uri or exchange.url,
                    previous.warc_date or "",
                )
        return self._exchange(exchange, _mime(exchange))

    def discard_if_empty(self) -> bool:
        """For a run that failed: remove the files when no page was archived (a WARC with
        only its warcinfo record is evidence of nothing); keep and finish them otherwise."""
        if self.captures:
            self.close()
            return False
        if not self._closed:
            self._closed = True
            self._file.close()
            self._cdx.close()
            self.partial.unlink(missing_ok=True)
            self.cdx_partial.unlink(missing_ok=True)
        return True

    def close(self) -> Path:
        """Finish the file: rename it and write its sorted CDXJ index."""
        if not self._closed:
            self._closed = True
            self._file.close()
            self._cdx.close()
            os.replace(self.partial, self.path)
            lines = self.cdx_partial.read_text(encoding="utf-8").split("\n")[:-1]
            _write_cdxj(self.path, lines)
            self.cdx_partial.unlink()
        return self.path


def _mime(exchange: Exchange) -> str | None:
    for name, value in exchange.response_headers:
        if name.lower() == "content-type":
            return value
    return None


def _complete_members_end(path: Path) -> int:
    """The byte offset after the last complete gzip member of a file."""
    good = 0
    with path.open("rb") as file:
        data = file.read()
    position = 0
    while position < len(data):
        inflater = zlib.decompressobj(31)
        try:
            inflater.decompress(data[position:])
        except zlib.error:
            break
        if not inflater.eof:
            break
        position = len(data) - len(inflater.unused_data)
        good = position
    return good


def _cdx_spool(partial: Path) -> Path:
    return partial.with_name(partial.name.removesuffix(".warc.gz.open") + ".cdxj.open")


def _write_cdxj(warc: Path, lines: list[str]) -> None:
    """``<name>.cdxj`` beside a WARC file: its index lines, sorted (in place)."""
    lines.sort()
    cdxj = warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")
    with cdxj.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(f"{line}\n" for line in lines)


def index_lines(warc: Path) -> list[str]:
    """The CDXJ lines of a WARC file's responses and revisits, read from the file itself: what
    the writer spools as it goes (and how a killed run's index is rebuilt)."""
    lines = []
    with warc.open("rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type not in ("response", "revisit"):
                continue
            record.raw_stream.read()  # to the record's end, so its length is known
            lines.append(
                index_line(
                    record, records.get_record_offset(), records.get_record_length(), warc.name
                )
            )
    return lines


def index_line(record: ArcWarcRecord, offset: int, length: int, filename: str) -> str:
    """The CDXJ line of a response or revisit record whose gzip member is ``length`` bytes at
    ``offset`` in the WARC file ``filename``."""
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    mime = "warc/revisit" if record.rec_type == "revisit" else None
    if mime is None and http is not None:
        mime = http.get_header("Content-Type")
    fields = {
        "url": url,
        "mime": (mime or "unk").split(";")[0].strip(),
        "status": str(status),
        "digest": headers.get_header("WARC-Payload-Digest"),
        "length": str(length),
        "offset": str(offset),
        "filename": filename,
    }
    stamp = re.sub(r"\D", "", headers.get_header("WARC-Date"))[:14]
    return f"{surt(url)} {stamp} {json.dumps(fields)}"


def recover_open_files(folder: Path) -> list[Path]:
    """Close the WARC files of runs that were killed: cut a torn last record, rename the file
    and index the records it holds."""
    recovered: list[Path] = []
    if not folder.is_dir():
        return recovered
    for partial in sorted(folder.glob("*.warc.gz.open")):
        end = _complete_members_end(partial)
        with partial.open("r+b") as file:
            file.truncate(end)
        final = partial.with_name(partial.name.removesuffix(".open"))
        os.replace(partial, final)
        # The spool may lack the lines of the last records written: index the file itself.
        _write_cdxj(final, index_lines(final))
        _cdx_spool(partial).unlink(missing_ok=True)
        recovered.append(final)
    return recovered
