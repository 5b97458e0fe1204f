"""A static HTTP server for a fixture-site snapshot on 127.0.0.1 (tests and the demo).

It serves a snapshot folder the way the real site answers: ``/a/b/`` and ``/a/b`` both serve
``a/b/index.html``; a query string selects ``index@<query>.html`` beside it; ``.xml``, ``.gz`` and
``.txt`` files are served as they are. Pages carry an ``ETag`` and a ``Last-Modified`` header and
answer conditional requests with 304. A snapshot's ``_status.json`` names paths that answer 410
or 301 (with their Location). ``switch(folder)`` changes the snapshot while it runs.

Tests inject faults per path with ``override(path, handler)``: the handler gets the request and
returns a :class:`Reply` (any status and headers, a delay, a connection reset, a truncated or
trickled body), or None to serve the file as usual. Every request is logged with its headers,
and the server tracks the highest number of requests it handled at once.
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pipeline.urls import keep_param

# Like TYPO3, the server answers a URL with or without its cHash (and session, print-view and
# tracking parameters) with the same page.
_CMS_PARAMS = frozenset({"chash", "no_cache", "type", "sid", "ref"})


def _keep_param(name: str) -> bool:
    return name.lower() not in _CMS_PARAMS and keep_param(name)


CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".txt": "text/plain; charset=utf-8",
}
NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the server saw it."""

    method: str
    target: str
    headers: dict[str, str]  # lowercased names
    at: float  # time.monotonic() on arrival

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query


@dataclass(slots=True)
class Reply:
    """What a fault handler wants sent back."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    reset: bool = False  # close the connection abruptly (RST) instead of answering
    truncate_to: int | None = None  # send only this many body bytes, then close
    trickle: float = 0.0  # send the body one byte at a time, this many seconds apart


Handler = Callable[[Request], "Reply | None"]


def resolve(root: Path, target: str) -> Path | None:
    """The file that answers a request target, or None."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if ".." in path.split("/"):
        return None
    base = root / path.lstrip("/")
    if parts.query:
        folder = base if base.is_dir() else base.parent
        kept = "&".join(
            pair for pair in parts.query.split("&") if _keep_param(unquote(pair.split("=")[0]))
        )
        for query in dict.fromkeys((parts.query, kept)):
            candidate = folder / f"index@{query}.html"
            if query and candidate.is_file():
                return candidate
    if base.is_file() and not base.name.startswith("_"):
        return base
    if base.is_dir() and (base / "index.html").is_file():
        return base / "index.html"
    return None


def served_pages(root: Path) -> set[str]:
    """The path of every HTML page a snapshot folder serves (``a/index@page=1.html`` is
    ``/a``, a page of its listing)."""
    paths = set()
    for file in root.rglob("*.html"):
        folder = file.parent.relative_to(root).as_posix()
        paths.add("/" if folder == "." else f"/{folder}")
    return paths


@lru_cache(maxsize=32)
def snapshot_statuses(root: Path) -> dict[str, dict[str, Any]]:
    """A snapshot's ``_status.json``: path (no trailing slash) -> status and Location."""
    file = root / "_status.json"
    if not file.is_file():
        return {}
    entries = json.loads(file.read_text(encoding="utf-8"))
    return {path.rstrip("/") or "/": value for path, value in entries.items()}


def file_reply(file: Path, request: Request) -> Reply:
    """A file with validators; 304 when the request's validators still match."""
    body = file.read_bytes()
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    mtime = int(file.stat().st_mtime)
    headers = {
        "Content-Type": CONTENT_TYPES.get(file.suffix, "text/plain"),
        "ETag": etag,
        "Last-Modified": formatdate(mtime, usegmt=True),
    }
    if_none_match = request.headers.get("if-none-match")
    if_modified_since = request.headers.get("if-modified-since")
    if if_none_match is not None:
        if etag in [tag.strip() for tag in if_none_match.split(",")]:
            return Reply(304, b"", headers)
    elif if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            since = None
        if since is not None and mtime <= since:
            return Reply(304, b"", headers)
    return Reply(200, body, headers)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        # Clients that hang up (timeouts, size caps, resets in tests) are expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FixtureSite:
    """A running server; use as a context manager or call ``start``/``stop``."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root)
        self.requests: list[Request] = []
        self.overrides: dict[str, Handler] = {}
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server = _QuietServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def switch(self, root: Path) -> None:
        """Serve another snapshot from now on."""
        self.root = Path(root)

    def override(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` (exact, without query) with ``handler``."""
        self.overrides[path] = handler

    def clear(self) -> None:
        """Forget overrides, the request log and the concurrency peak."""
        self.overrides.clear()
        self.requests.clear()
        self.max_in_flight = 0

    def targets(self, method: str = "GET") -> list[str]:
        return [r.target for r in self.requests if r.method == method]

    # -- serving ---------------------------------------------------------------------------
    def answer(self, request: Request) -> Reply:
        handler = self.overrides.get(request.path)
        if handler is not None:
            reply = handler(request)
            if reply is not None:
                return reply
        special = snapshot_statuses(self.root).get(request.path.rstrip("/") or "/")
        if special is not None:
            status = int(special["status"])
            headers = {"Location": str(special["location"])} if "location" in special else {}
            return Reply(status, f"<html><body><h1>{status}</h1></body></html>".encode(), headers)
        file = resolve(self.root, request.target)
        if file is None:
            return Reply(404, NOT_FOUND, {"Content-Type": CONTENT_TYPES[".html"]})
        return file_reply(file, request)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms stalls

            def do_GET(self) -> None:
                request = Request(
                    "GET",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    time.monotonic(),
                )
                site.requests.append(request)
                site._enter()
                try:
                    self._send(site.answer(request))
                finally:
                    site._leave()

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    # SO_LINGER 0 makes close() send RST: the client sees a connection reset.
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                headers = {"Content-Type": CONTENT_TYPES[".html"], **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.truncate_to is not None:
                    self.wfile.write(reply.body[: reply.truncate_to])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if reply.trickle:
                    for index in range(len(reply.body)):
                        self.wfile.write(reply.body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                    return
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return RequestHandler

    def start(self) -> FixtureSite:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
