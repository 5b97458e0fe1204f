"""Per-host politeness: a cap on requests in flight and a minimum gap between their starts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostGate:
    """At most ``concurrency`` requests at once, starts at least ``delay`` seconds apart.

    ``pause(seconds)`` holds every request to the host (a 429 or 503 with ``Retry-After``).
    """

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self.delay = delay
        self._next_start = 0.0
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            while True:
                now = time.monotonic()
                start = max(now, self._next_start, self._paused_until)
                if start <= now:
                    break
                await asyncio.sleep(start - now)
            self._next_start = now + self.delay
            yield
