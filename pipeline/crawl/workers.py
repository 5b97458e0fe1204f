"""Parse worker processes fed through pipes by the event loop itself.

A ``ProcessPoolExecutor`` moves jobs through two helper threads in the crawling process; their
GIL hand-offs with the event loop cost about a tenth of the crawl's throughput here. These
workers are plain processes with one pipe each: the loop writes a job to an idle worker and
reads the result when the pipe becomes readable, with no thread in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any


class WorkerDied(RuntimeError):
    """A parse worker process ended while it had a job."""


@contextlib.contextmanager
def _program_main_hidden() -> Iterator[None]:
    """Start a worker without the program's ``__main__``.

    A spawned process re-imports the parent's main module unless it has neither ``__spec__``
    nor ``__file__``; for the ``pipeline`` command that is the CLI, which would bring DuckDB,
    httpx and rich into every worker (~30 MB each). The workers run functions of pipeline
    modules only, so they never need it.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, object] = {
        key: main.__dict__[key] for key in ("__spec__", "__file__") if key in main.__dict__
    }
    main.__dict__["__spec__"] = None
    main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        main.__dict__.update(saved)


def _serve(conn: Connection, func: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    while True:
        try:
            data = conn.recv_bytes()
        except EOFError:
            return
        if not data:
            return
        try:
            reply = ("ok", func(pickle.loads(data)))
        except Exception as exc:
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))


# Jobs in flight per worker: the next one waits in the pipe while the current one runs, so the
# worker never idles waiting for the event loop to notice its result.
IN_FLIGHT = 2


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    futures: deque[asyncio.Future[Any]] = field(default_factory=deque)


@dataclass
class ParseWorkers:
    """``count`` processes running ``func``; ``await run(job)`` from the event loop."""

    count: int
    func: Callable[[Any], Any]
    _workers: list[_Worker] = field(default_factory=list)
    _idle: deque[_Worker] = field(default_factory=deque)  # one entry per free slot
    _waiting: deque[tuple[bytes, asyncio.Future[Any]]] = field(default_factory=deque)
    _loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> ParseWorkers:
        self._loop = asyncio.get_running_loop()
        context = get_context("spawn")
        for _ in range(self.count):
            parent, child = context.Pipe(duplex=True)
            process = context.Process(target=_serve, args=(child, self.func), daemon=True)
            with _program_main_hidden():
                process.start()
            child.close()
            worker = _Worker(process, parent)
            self._loop.add_reader(parent.fileno(), self._on_readable, worker)
            self._workers.append(worker)
            self._idle.extend([worker] * IN_FLIGHT)
        return self

    async def run(self, job: Any) -> Any:
        assert self._loop is not None, "start() first"
        if not self._workers:
            raise WorkerDied("no parse worker is left")
        future = self._loop.create_future()
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        if self._idle:
            self._send(self._idle.popleft(), data, future)
        else:
            self._waiting.append((data, future))
        return await future

    def _send(self, worker: _Worker, data: bytes, future: asyncio.Future[Any]) -> None:
        worker.futures.append(future)
        try:
            worker.conn.send_bytes(data)
        except OSError as exc:
            self._lost(worker, exc)

    def _on_readable(self, worker: _Worker) -> None:
        try:
            status, value = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError) as exc:
            self._lost(worker, exc)
            return
        future = worker.futures.popleft() if worker.futures else None
        if future is not None and not future.done():
            if status == "ok":
                future.set_result(value)
            else:
                future.set_exception(RuntimeError(f"parse worker failed: {value}"))
        while self._waiting:
            data, waiting = self._waiting.popleft()
            if not waiting.done():
                self._send(worker, data, waiting)
                return
        self._idle.append(worker)

    def _lost(self, worker: _Worker, exc: BaseException) -> None:
        assert self._loop is not None
        self._loop.remove_reader(worker.conn.fileno())
        with contextlib.suppress(ValueError):
            self._workers.remove(worker)
        self._idle = deque(w for w in self._idle if w is not worker)
        for future in worker.futures:
            if not future.done():
                future.set_exception(WorkerDied(f"a parse worker ended: {exc!r}"))
        worker.futures.clear()
        if not self._workers:
            while self._waiting:
                _, waiting = self._waiting.popleft()
                if not waiting.done():
                    waiting.set_exception(WorkerDied("no parse worker is left"))

    def close(self) -> None:
        for worker in self._workers:
            if self._loop is not None:
                with contextlib.suppress(Exception):
                    self._loop.remove_reader(worker.conn.fileno())
            with contextlib.suppress(OSError):
                worker.conn.send_bytes(b"")
            worker.conn.close()
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.terminate()
        self._workers.clear()
        self._idle.clear()


@dataclass(frozen=True, slots=True)
class SiteParsePool:
    """One site's view of a pool shared by several sites: its jobs go as ``(site, job)``.

    The shared pool's function takes such pairs (see ``pipeline.crawl.analyze.analyze_site``).
    ``close`` leaves the shared pool running: its owner closes it when every site is done.
    """

    pool: ParseWorkers
    site: str

    async def run(self, job: Any) -> Any:
        return await self.pool.run((self.site, job))

    def close(self) -> None:
        """Nothing: the pool is the multi-site run's."""
