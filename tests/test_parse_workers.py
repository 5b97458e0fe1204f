"""Parse worker processes driven by the event loop: results in order, failures reported."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from pipeline.crawl.workers import ParseWorkers, WorkerDied


def square(n: int) -> int:
    if n < 0:
        raise ValueError("negative")
    return n * n


def test_many_jobs_through_two_workers_come_back_right():
    async def go() -> list[int]:
        workers = ParseWorkers(2, square).start()
        try:
            return await asyncio.gather(*(workers.run(n) for n in range(200)))
        finally:
            workers.close()

    assert asyncio.run(go()) == [n * n for n in range(200)]


def test_an_exception_in_a_job_fails_that_job_only():
    async def go() -> tuple[int, str]:
        workers = ParseWorkers(1, square).start()
        try:
            with pytest.raises(RuntimeError, match="ValueError: negative") as caught:
                await workers.run(-1)
            return await workers.run(7), str(caught.value)
        finally:
            workers.close()

    value, message = asyncio.run(go())
    assert value == 49 and "negative" in message


def test_a_killed_worker_is_reported_not_hung():
    async def go() -> None:
        workers = ParseWorkers(1, square).start()
        try:
            assert await workers.run(3) == 9
            os.kill(workers._workers[0].process.pid, signal.SIGKILL)
            with pytest.raises(WorkerDied):
                await asyncio.wait_for(workers.run(4), timeout=10)
            with pytest.raises(WorkerDied):
                await workers.run(5)
        finally:
            workers.close()

    asyncio.run(go())
