"""How the command line shows things: tables, JSON, CSV, run summaries and live progress."""

from __future__ import annotations

import base64
import csv
import io
import json
import logging
import math
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as daytime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

import click
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from pipeline import logs
from pipeline.nightly import Progress as RunProgress
from pipeline.nightly import RunReport

if TYPE_CHECKING:
    from pipeline.onboard import Proposal

log = logging.getLogger("pipeline")


def _duration(value: timedelta) -> str:
    """An INTERVAL as ISO 8601: ``P1DT2H3M4.5S``, negative as ``-P...``."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    micros = value.seconds * 1_000_000 + value.microseconds
    hours, rest = divmod(micros, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds = f"{rest / 1_000_000:f}".rstrip("0").rstrip(".")
    time_part = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n) + (
        f"{seconds}S" if rest else ""
    )
    days = f"{value.days}D" if value.days or not time_part else ""
    return f"{sign}P{days}" + (f"T{time_part}" if time_part else "")


def _number(value: Decimal) -> int | float | str:
    """A DECIMAL as a JSON number when a double holds it exactly, else as its exact text."""
    if not value.is_finite():
        return str(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return int(value) if value == value.to_integral_value() else as_float
    return str(value)


def _plain(value: Any) -> Any:
    """Any value DuckDB returns as something strict JSON holds: dates, times and UUIDs as ISO
    text, INTERVAL as an ISO 8601 duration, BLOB as base64, DECIMAL as a number (or its text
    when a double cannot hold it), NaN and infinities as null, map keys as text."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date | daytime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _duration(value)
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _cell(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, indent=2, allow_nan=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def console(stderr: bool = False) -> Console:
    """A rich console that honours NO_COLOR; wide when writing to a file or pipe."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, no_color="NO_COLOR" in os.environ, highlight=False, width=width)


def plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned with two spaces, no box drawing and no cut: for pipes and files."""
    cells = [[c.replace("\n", " ") for c in row] for row in [list(columns), *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def record_blocks(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """Rows too wide for the terminal, one block per row (``name  value`` lines, long values
    wrapped), as psql's expanded display does."""
    label = min(max(len(c) for c in columns), width // 3)
    room = max(width - label - 2, 10)
    lines: list[str] = []
    for number, row in enumerate(rows, 1):
        lines.append(f"-[ row {number} ]".ljust(width, "-"))
        for name, value in zip(columns, row, strict=True):
            wrapped = textwrap.wrap(value.replace("\n", " "), room, break_long_words=True) or [""]
            lines.append(f"{name[:label].ljust(label)}  {wrapped[0]}".rstrip())
            lines += [f"{'':{label}}  {part}" for part in wrapped[1:]]
    return "\n".join(lines)


def table_text(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None) -> str:
    """A table as text: plain when ``width`` is None (not a terminal), else drawn to fit
    ``width`` columns, long cells and headers folded onto more lines rather than cut."""
    cells = [[_cell(v) for v in row] for row in rows]
    if width is None:
        return plain_table(columns, cells)
    if sum(len(name) + 3 for name in columns) + 1 > width:  # headers alone do not fit
        return record_blocks(columns, cells, width)
    table = RichTable(show_lines=False, header_style="bold", box=box.SQUARE)
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in cells:
        table.add_row(*row)
    out = Console(
        file=io.StringIO(), width=width, no_color=True, highlight=False, color_system=None
    )
    out.print(table)
    return str(out.file.getvalue()).rstrip("\n")  # type: ignore[attr-defined]


def render_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json([dict(zip(columns, row, strict=True)) for row in rows]))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        click.echo(buffer.getvalue(), nl=False)
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        click.echo(table_text(columns, rows, width))
        click.echo(f"{len(rows)} row(s)")


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _field_diffs(field: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """A changed struct (contact, period) as the sub-fields that differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(dict.fromkeys([*old, *new]))
        return [(f"{field}.{k}", old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
    return [(field, old, new)]


def change_lines(events: Sequence[dict[str, Any]], when: bool = False) -> list[str]:
    """Human lines for change events, grouped as the archivist reads them; with ``when``,
    each line starts with the run and the day it was detected."""
    lines = []
    for event in events:
        kind, pid = event["type"], event["project_id"]
        lead = f"  run {event['run_id']:<4} {str(event['detected_at'])[:10]}" if when else ""
        if kind == "changed":
            for name, old, new in _field_diffs(event["field"], event["old"], event["new"]):
                lines.append(f"{lead}  changed   {pid}  {name}: {_short(old)} -> {_short(new)}")
        elif kind == "moved":
            lines.append(f"{lead}  moved     {pid}  {event['old_url']} -> {event['url']}")
        elif kind in ("closed", "reopened"):
            lines.append(f"{lead}  {kind:<9} {pid}  status {event['old']} -> {event['new']}")
        else:
            lines.append(f"{lead}  {kind:<9} {pid}  {event['url']}")
    return [line[2:] if when else line for line in lines]


def summary_lines(report: RunReport) -> list[str]:
    s, load = report.summary, report.load
    lines = [
        f"Run {report.run_id} {load.status} in {s.duration:.1f} s: {s.pages} pages "
        f"({s.outcomes['fetched']} fetched, {s.outcomes['unchanged'] + s.outcomes['not_modified']} "
        f"unchanged, {s.outcomes['gone']} gone, {s.failed} failed, {s.robots_blocked} blocked by "
        f"robots.txt), {s.projects} project records parsed, {load.quarantined} quarantined, "
        f"{s.pages_per_second:.0f} pages/s, {s.retries} retries",
    ]
    lines += [f"Warning: {warning}" for warning in s.warnings]
    if load.merge_retries:
        lines.append(
            f"Merge re-run {load.merge_retries} time(s): it conflicted with another writer"
        )
    if load.events:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(load.events.items()))
        lines.append(f"Changes: {counts}")
    elif load.status == "ok":
        lines.append("Changes: none")
    if load.extraction_events:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(load.extraction_events.items()))
        lines.append(f"Re-extracted (a parser or profile change, not the site's): {counts}")
    lines.append(
        f"Known pages verified {s.verified} ({s.outcomes['not_modified']} answered 304, "
        f"{s.changed_bodies} with a changed body), {s.skipped_lastmod} skipped by trusted "
        f"lastmod, {s.audited} audited, {s.audit_failures} audit failures; lastmod: "
        f"{s.lastmod_trust}"
    )
    if load.coverage:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in load.coverage.items() if k != "projects")
        lines.append(f"Coverage over {load.coverage.get('projects', 0)} projects: {shares}")
    if load.message:
        lines.append(load.message)
    return lines


def summary_json(report: RunReport) -> str:
    """The run's summary as one JSON log line (``--log-format json``): level info for a
    run that exits 0, warning for a partial run or held changes, error for a failed one."""
    level = logging.INFO
    if report.exit_code:
        level = logging.ERROR if report.load.status == "failed" else logging.WARNING
    lines = summary_lines(report)
    return logs.json_line(
        level,
        lines[0],
        "pipeline.summary",
        summary=_plain(report.as_dict()),
        lines=lines[1:],
        exit_code=report.exit_code,
    )


def proposal_lines(proposal: Proposal, out: str | None) -> list[str]:
    """What `sites init` says on stderr: what it looked at, what it is unsure of, what next."""
    decision = proposal.decision
    lines = [
        f"sampled {proposal.pages} page(s) of {proposal.profile.origin} with "
        f"{proposal.requests} request(s): {len(decision.project_paths)} project pattern(s), "
        f"{len(decision.listing_paths)} listing pattern(s)"
    ]
    if proposal.notes:
        lines.append(f"unsure ({len(proposal.notes)}):")
        lines += [line for note in proposal.notes for line in note.lines()]
    else:
        lines.append("nothing the sample could not settle")
    file = out or "FILE"
    base = f" --base-url {proposal.base_url}" if proposal.base_url else ""
    lines.append(
        f"next: review {file}, then `pipeline sites check {file}` and "
        f"`pipeline crawl --profile {file}{base}`"
    )
    return lines


def progress_bar() -> Progress:
    """The live bar on stderr of one crawl or of each site of several: pages done, detail."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} pages"),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    )


class LiveProgress:
    """A rich progress bar on a terminal; a log line every few seconds elsewhere."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()
        self._bar: Progress | None = None
        self._task: Any = None
        self._last_log = 0.0

    def __enter__(self) -> LiveProgress:
        if self.tty:
            self._bar = progress_bar()
            self._bar.__enter__()
            self._task = self._bar.add_task("crawling", total=None, detail="")
        return self

    def phase(self, text: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=text, completed=0, total=None)
        elif self.enabled:
            log.info(text)

    def __call__(self, p: RunProgress) -> None:
        rate = p.done / p.elapsed if p.elapsed > 0 else 0.0
        if self._bar is not None:
            remaining = max(p.discovered - p.done, 0)
            eta = f" ETA {remaining / rate:.0f} s" if rate > 0 and remaining else ""
            detail = (
                f"{p.fetched} fetched · {p.unchanged} unchanged · {p.failed} failed · "
                f"{rate:.0f}/s{eta}"
            )
            self._bar.update(self._task, completed=p.done, total=p.discovered, detail=detail)
        elif self.enabled and time.monotonic() - self._last_log >= 5:
            self._last_log = time.monotonic()
            log.info(
                "progress: %d/%d pages, %d fetched, %d unchanged, %d failed, %.0f pages/s",
                p.done,
                p.discovered,
                p.fetched,
                p.unchanged,
                p.failed,
                rate,
                extra={"pages_done": p.done, "pages_discovered": p.discovered},
            )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
