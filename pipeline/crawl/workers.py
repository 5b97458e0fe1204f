"""Parse worker processes fed through pipes by the event loop itself.

A ``ProcessPoolExecutor`` moves jobs through two helper threads in the crawling process; their
GIL hand-offs with the event loop cost about a tenth of the crawl's throughput here. These
workers are plain processes with one pipe each: the loop writes a job to an idle worker and
reads the result when the pipe becomes readable, with no thread in between.

With a ``time_limit``, a job that runs longer is given up: its worker is killed (a parse cannot
be interrupted from outside otherwise), the job fails with :class:`ParseTimeout`, the job queued
behind it goes to another worker, and a new worker takes the dead one's place.
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


class ParseTimeout(RuntimeError):
    """A job ran longer than the time limit; its worker was killed and replaced."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"the job ran longer than {limit:g} s; its worker was restarted")
        self.limit = limit


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
    conn.send_bytes(_READY)  # started: time limits count from here, not from the spawn
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


_READY = pickle.dumps(("ready", None))
# Jobs in flight per worker: the next one waits in the pipe while the current one runs, so the
# worker never idles waiting for the event loop to notice its result.
IN_FLIGHT = 2


_Job = tuple[bytes, asyncio.Future[Any]]


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    jobs: deque[_Job] = field(default_factory=deque)  # the first one is running
    timer: asyncio.TimerHandle | None = None  # the running job's time limit
    ready: bool = False  # the process has started and serves jobs


@dataclass
class ParseWorkers:
    """``count`` processes running ``func``; ``await run(job)`` from the event loop.

    ``time_limit``: seconds a job may run before its worker is killed and the job fails with
    :class:`ParseTimeout` (None: no limit)."""

    count: int
    func: Callable[[Any], Any]
    time_limit: float | None = None
    _workers: list[_Worker] = field(default_factory=list)
    _idle: deque[_Worker] = field(default_factory=deque)  # one entry per free slot
    _waiting: deque[_Job] = field(default_factory=deque)
    _loop: asyncio.AbstractEventLoop | None = None
    restarts: int = 0  # workers replaced after a job ran over the time limit

    def start(self) -> ParseWorkers:
        self._loop = asyncio.get_running_loop()
        for _ in range(self.count):
            self._spawn()
        return self

    def _spawn(self) -> None:
        assert self._loop is not None
        context = get_context("spawn")
        parent, child = context.Pipe(duplex=True)
        process = context.Process(target=_serve, args=(child, self.func), daemon=True)
        with _program_main_hidden():
            process.start()
        child.close()
        worker = _Worker(process, parent)
        self._loop.add_reader(parent.fileno(), self._on_readable, worker)
        self._workers.append(worker)
        self._idle.extend([worker] * IN_FLIGHT)

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
        worker.jobs.append((data, future))
        if len(worker.jobs) == 1:
            self._arm(worker)
        try:
            worker.conn.send_bytes(data)
        except OSError as exc:
            self._lost(worker, exc)

    def _arm(self, worker: _Worker) -> None:
        """Start the time limit of the worker's running job (its first)."""
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if self.time_limit is not None and worker.ready and worker.jobs and self._loop:
            future = worker.jobs[0][1]
            worker.timer = self._loop.call_later(self.time_limit, self._overdue, worker, future)

    def _on_readable(self, worker: _Worker) -> None:
        try:
            status, value = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError) as exc:
            self._lost(worker, exc)
            return
        if status == "ready":
            worker.ready = True
            self._arm(worker)
            return
        future = worker.jobs.popleft()[1] if worker.jobs else None
        self._arm(worker)
        if future is not None and not future.done():
            if status == "ok":
                future.set_result(value)
            else:
                future.set_exception(RuntimeError(f"parse worker failed: {value}"))
        self._refill(worker)

    def _refill(self, worker: _Worker) -> None:
        """Give a free slot of ``worker`` the next waiting job, or mark it idle."""
        while self._waiting:
            data, waiting = self._waiting.popleft()
            if not waiting.done():
                self._send(worker, data, waiting)
                return
        self._idle.append(worker)

    def _overdue(self, worker: _Worker, future: asyncio.Future[Any]) -> None:
        """The running job is past its time limit: kill its worker, fail the job, start a new
        worker, and send the job that waited behind it elsewhere."""
        if not worker.jobs or worker.jobs[0][1] is not future or worker not in self._workers:
            return
        assert self.time_limit is not None
        self._drop(worker)
        worker.process.kill()
        worker.process.join(timeout=2)
        worker.conn.close()
        _, running = worker.jobs.popleft()
        if not running.done():
            running.set_exception(ParseTimeout(self.time_limit))
        self._waiting.extendleft(reversed(worker.jobs))
        worker.jobs.clear()
        self.restarts += 1
        self._spawn()
        for _ in range(IN_FLIGHT):
            fresh = self._idle.pop()
            self._refill(fresh)

    def _drop(self, worker: _Worker) -> None:
        assert self._loop is not None
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        self._loop.remove_reader(worker.conn.fileno())
        with contextlib.suppress(ValueError):
            self._workers.remove(worker)
        self._idle = deque(w for w in self._idle if w is not worker)

    def _lost(self, worker: _Worker, exc: BaseException) -> None:
        self._drop(worker)
        for _, future in worker.jobs:
            if not future.done():
                future.set_exception(WorkerDied(f"a parse worker ended: {exc!r}"))
        worker.jobs.clear()
        if not self._workers:
            while self._waiting:
                _, waiting = self._waiting.popleft()
                if not waiting.done():
                    waiting.set_exception(WorkerDied("no parse worker is left"))

    def close(self) -> None:
        for worker in self._workers:
            if worker.timer is not None:
                worker.timer.cancel()
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
