"""Shared test options. ``--update-golden`` rewrites the expected JSON of fixtures/pages/."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.lake_support import Lake


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite fixtures/pages/*.json from the parser's current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_loopback(address: object) -> None:
    if isinstance(address, tuple):
        host = str(address[0])
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise OSError(f"tests may only connect to 127.0.0.0/8, not {host}")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_loopback(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_loopback(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> object:
    """Fail any test that tries to reach an address outside 127.0.0.0/8."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Commands run in-process (CliRunner) configure the root logger; give it back as it was."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str | None]:
    """A PostgreSQL server for the DuckLake tests (tests/lake_support.py), or None."""
    from tests.lake_support import postgres

    with postgres() as dsn:
        yield dsn


@pytest.fixture
def lake(postgres_dsn: str | None, tmp_path: Path) -> Iterator[Lake]:
    """A fresh DuckLake per test: a database of its own, its data folder under tmp_path."""
    from tests.lake_support import drop_lake, missing, new_lake

    missing(postgres_dsn)
    assert postgres_dsn is not None
    made = new_lake(postgres_dsn, tmp_path)
    yield made
    drop_lake(made)
