"""Writing one run's WARC file.

Each record is its own gzip member, written and flushed as it comes, into ``<name>.warc.gz.open``;
``close`` renames the file to ``<name>.warc.gz`` and writes the sorted CDXJ index beside it. A run
killed mid-way leaves an ``.open`` file whose complete members are all valid records;
:func:`recover_open_files` cuts a torn last member and renames the file, so nothing later reads a
corrupt WARC.

What is written per fetch:
- ``request`` and ``response`` records for every exchange (redirect hops, retried error answers,
  the final answer), headers verbatim and the body as received, before content decoding. The one
  exception: ``Transfer-Encoding`` is stored as ``X-Archive-Orig-Transfer-Encoding``, since the
  body is kept without its chunk framing.
- a ``revisit`` record (server-not-modified) for a 304, referring to the page's last capture;
- a ``revisit`` record (identical-payload-digest) when a 200 brings the same body again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from pipeline import __version__
from pipeline.crawl.results import CrawledPage, Exchange, FetchResult

SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
GZIP_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Capture:
    """Where a page's archived response lives, and its payload digest (``sha1:BASE32``)."""

    warc_file: str
    record_id: str
    offset: int
    length: int
    payload_digest: str
    date: str  # WARC-Date of the record
    target_uri: str


def payload_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def surt(url: str) -> str:
    """The SURT form used by CDXJ indexes: ``org,example)/path?query``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    is_ip = host.replace(".", "").isdigit() or ":" in host
    labels = host if is_ip else ",".join(reversed(host.split(".")))
    if parts.port and parts.port not in (80, 443):
        labels += f":{parts.port}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{labels}){path}{query}".lower()


def _warc_date(moment: datetime) -> str:
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def _cdx_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _response_headers(exchange: Exchange) -> StatusAndHeaders:
    headers = [
        ("X-Archive-Orig-" + name if name.lower() == "transfer-encoding" else name, value)
        for name, value in exchange.response_headers
    ]
    protocol = exchange.http_version or "HTTP/1.1"
    statusline = f"{exchange.status} {exchange.reason}".strip()
    return StatusAndHeaders(statusline, headers, protocol=protocol)


def _request_headers(exchange: Exchange) -> StatusAndHeaders:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(
        f"GET {target} {exchange.http_version or 'HTTP/1.1'}",
        list(exchange.request_headers),
        is_http_request=True,
    )


class RunArchive:
    """The WARC file (and CDXJ index) of one run."""

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
        self._file = self.partial.open("wb")
        self._builder = WARCWriter(io.BytesIO(), gzip=False, warc_version="1.1")
        self._cdx: list[str] = []
        self.records = 0
        info = {
            "software": f"foundation-pipeline/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": f"{site} run {run_id}",
            "robots": robots_policy,
            "http-header-user-agent": user_agent,
            "description": "Project pages crawled by foundation-pipeline; bodies as received.",
        }
        self._write(self._builder.create_warcinfo_record(self.name, info))

    # -- low level ---------------------------------------------------------------------------
    def _write(self, record: object) -> tuple[int, int]:
        buffer = io.BytesIO()
        self._builder._write_warc_record(buffer, record)  # one uncompressed record
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
        member = packer.compress(buffer.getvalue()) + packer.flush()
        offset = self._file.tell()
        self._file.write(member)
        self._file.flush()
        self.records += 1
        return offset, len(member)

    def _exchange(self, exchange: Exchange, mime: str | None) -> Capture:
        date = _warc_date(exchange.at)
        response = self._builder.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.raw_body),
            length=len(exchange.raw_body),
            http_headers=_response_headers(exchange),
            warc_headers_dict={"WARC-Date": date},
        )
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        request = self._builder.create_warc_record(
            exchange.url,
            "request",
            http_headers=_request_headers(exchange),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
        )
        offset, length = self._write(response)
        self._write(request)
        self._index(exchange, offset, length, digest, mime, exchange.status)
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
        headers = {"WARC-Date": date}
        if refers_to:
            headers["WARC-Refers-To"] = refers_to
        revisit = self._builder.create_revisit_record(
            exchange.url,
            digest,
            refers_uri,
            refers_date,
            http_headers=_response_headers(exchange),
            warc_headers_dict=headers,
        )
        revisit.rec_headers.replace_header("WARC-Profile", profile)
        record_id = revisit.rec_headers.get_header("WARC-Record-ID")
        request = self._builder.create_warc_record(
            exchange.url,
            "request",
            http_headers=_request_headers(exchange),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
        )
        offset, length = self._write(revisit)
        self._write(request)
        self._index(exchange, offset, length, digest, "warc/revisit", exchange.status)
        return Capture(self.name, record_id, offset, length, digest, date, exchange.url)

    def _index(
        self,
        exchange: Exchange,
        offset: int,
        length: int,
        digest: str,
        mime: str | None,
        status: int,
    ) -> None:
        fields = {
            "url": exchange.url,
            "mime": (mime or "unk").split(";")[0].strip(),
            "status": str(status),
            "digest": digest,
            "length": str(length),
            "offset": str(offset),
            "filename": self.name,
        }
        line = f"{surt(exchange.url)} {_cdx_timestamp(exchange.at)} {json.dumps(fields)}"
        self._cdx.append(line)

    # -- per page ------------------------------------------------------------------------------
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

    def close(self) -> Path:
        """Finish the file: rename it and write its sorted CDXJ index."""
        self._file.close()
        os.replace(self.partial, self.path)
        cdxj = self.path.with_name(self.path.name.removesuffix(".warc.gz") + ".cdxj")
        cdxj.write_text("\n".join(sorted(self._cdx)) + ("\n" if self._cdx else ""), "utf-8")
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


def recover_open_files(folder: Path) -> list[Path]:
    """Close the WARC files of runs that were killed: cut a torn last record, then rename."""
    recovered = []
    if not folder.is_dir():
        return recovered
    for partial in sorted(folder.glob("*.warc.gz.open")):
        end = _complete_members_end(partial)
        with partial.open("r+b") as file:
            file.truncate(end)
        final = partial.with_name(partial.name.removesuffix(".open"))
        os.replace(partial, final)
        recovered.append(final)
    return recovered
