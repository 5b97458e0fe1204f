"""Parse worker processes driven by the event loop: results in order, failures reported."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.crawl.workers import ParseWorkers, WorkerDied

ROOT = Path(__file__).resolve().parents[1]


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


PROGRAM = textwrap.dedent(
    """
    import asyncio
    import sys

    import duckdb  # what the pipeline command's own module brings: never into a worker
    import httpx

    from pipeline.crawl.workers import ParseWorkers
    from probe import heavy_modules_loaded

    async def main():
        workers = ParseWorkers(1, heavy_modules_loaded).start()
        try:
            print(await workers.run(None))
        finally:
            workers.close()
        print(sys.modules["__main__"].__file__ == __file__)

    if __name__ == "__main__":
        asyncio.run(main())
    """
)


def test_a_worker_does_not_import_the_program_that_started_it(tmp_path):
    (tmp_path / "probe.py").write_text(
        "import sys\n\ndef heavy_modules_loaded(_):\n"
        "    return sorted(m for m in ('duckdb', 'httpx', 'rich', 'click') if m in sys.modules)\n"
    )
    (tmp_path / "program.py").write_text(PROGRAM)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "program.py")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    # nothing heavy in the worker, and the program's own module is whole again afterwards
    assert done.stdout.split() == ["[]", "True"]
