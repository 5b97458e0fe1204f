"""A static HTTP server for a fixture-site snapshot on 127.0.0.1 (tests and the demo).

It serves a snapshot folder the way the real site answers: ``/a/b/`` and ``/a/b`` both serve
``a/b/index.html``; a query string selects ``index@<query>.html`` beside it; ``.xml``, ``.gz`` and
``.txt`` files are served as they are. ``switch(folder)`` changes the snapshot while it runs.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".txt": "text/plain; charset=utf-8",
}


def resolve(root: Path, target: str) -> Path | None:
    """The file that answers a request target, or None."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if ".." in path.split("/"):
        return None
    base = root / path.lstrip("/")
    if parts.query:
        candidate = (base if base.is_dir() else base.parent) / f"index@{parts.query}.html"
        if candidate.is_file():
            return candidate
    if base.is_file() and not base.name.startswith("_"):
        return base
    if base.is_dir() and (base / "index.html").is_file():
        return base / "index.html"
    return None


class FixtureSite:
    """A running server; use as a context manager or call ``start``/``stop``."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root)
        self.requests: list[tuple[str, str]] = []  # (method, target) in arrival order
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.requests.append(("GET", self.path))
                file = resolve(site.root, self.path)
                if file is None:
                    body = b"<html><body><h1>404 Not Found</h1></body></html>"
                    self._send(404, body, CONTENT_TYPES[".html"])
                    return
                self._send(200, file.read_bytes(), CONTENT_TYPES.get(file.suffix, "text/plain"))

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def switch(self, root: Path) -> None:
        """Serve another snapshot from now on."""
        self.root = Path(root)

    def start(self) -> FixtureSite:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
