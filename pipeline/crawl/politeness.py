"""Per-host politeness: a cap on requests in flight and a minimum gap between their starts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostGate:
    """At most ``concurrency`` requests at once, starts at least ``delay`` seconds apart.

    ``pause(seconds)`` holds every request to the host (a 429 or 503 with ``Retry-After``).
    ``cap``, shared by the gates of several hosts, also bounds their requests in flight all
    together; a request takes a place under it only once its host lets it start, so a host
    waiting out its delay holds no place that another host could use.
    """

    def __init__(
        self, concurrency: int, delay: float, cap: asyncio.Semaphore | None = None
    ) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self.delay = delay
        self._cap = cap
        self._next_start = 0.0
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def _turn(self) -> float:
        """Wait until the host lets a request start; the time then."""
        while True:
            now = time.monotonic()
            start = max(now, self._next_start, self._paused_until)
            if start <= now:
                return now
            await asyncio.sleep(start - now)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            if self._cap is None:
                now = await self._turn()
                self._next_start = now + self.delay
                yield
                return
            while True:
                await self._turn()
                await self._cap.acquire()
                now = time.monotonic()
                if max(self._next_start, self._paused_until) <= now:
                    break
                self._cap.release()  # another request of this host started meanwhile
            self._next_start = now + self.delay
            try:
                yield
            finally:
                self._cap.release()
