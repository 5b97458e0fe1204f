"""Helpers for report tests: the demo's warehouse with its WARC archive, built once; a
headless Chromium from the distribution's packages (/usr/bin/chromium) driven by Playwright
(which downloads nothing here), recording console errors and every request."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pytest

from pipeline.demo import run_demo


@dataclass(frozen=True)
class DemoWarehouse:
    db: Path
    archive: Path
    report: Path  # the folder run_demo wrote the report into


def build_demo(root: Path) -> DemoWarehouse:
    db, archive, report = root / "demo.duckdb", root / "demo-archive", root / "demo-report"
    run_demo(db, archive_dir=archive, report_dir=report)
    return DemoWarehouse(db, archive, report)


def counts(db: Path) -> dict[str, int]:
    """What the warehouse holds, counted independently of the report's own queries."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        one = lambda sql: int(con.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "runs": one("SELECT count(*) FROM runs"),
            "projects": one("SELECT count(*) FROM projects"),
            "current": one("SELECT count(*) FROM current_projects"),
            "events": one("SELECT count(*) FROM project_changes"),
            "closed": one("SELECT count(*) FROM closed_projects"),
            "removed": one("SELECT count(*) FROM projects WHERE removed"),
        }
    finally:
        con.close()


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


class Browser:
    """One Chromium with an empty profile, recording console messages and every request."""

    def __init__(self, context: object, report: Path) -> None:
        self.context = context
        self.report = report.resolve()
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))  # type: ignore[attr-defined]

    def open(self, path: str, width: int = 1280, query: str = "") -> object:
        page = self.context.new_page()  # type: ignore[attr-defined]
        page.set_viewport_size({"width": width, "height": 900})
        page.on(
            "console", lambda m: m.type == "error" and self.errors.append(f"{page.url}: {m.text}")
        )
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.goto((self.report / path).as_uri() + query)
        return page

    @contextmanager
    def clean_log(self) -> Iterator[None]:
        """One test: no console errors, and no request leaves the report's folder."""
        self.requests.clear()
        self.errors.clear()
        yield
        assert self.requests, "the browser made no request at all"
        assert self.outside() == []
        assert self.errors == []

    def outside(self) -> list[str]:
        """Requests that are not for a file inside the report's folder."""
        bad = []
        for url in self.requests:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path))
            if parsed.scheme != "file" or self.report not in path.resolve().parents:
                bad.append(url)
        return bad


@contextmanager
def chromium(report: Path, profile: Path) -> Iterator[Browser]:
    """A Browser on ``report`` (skipped, saying why, where Chromium or Playwright is missing;
    under CI=true that fails instead)."""
    reason = _missing()
    if reason:
        if _in_ci():
            pytest.fail(f"the browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            yield Browser(context, report)
        finally:
            context.close()


def shot(page: object, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
