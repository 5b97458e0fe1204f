"""Reading the warehouse back: exports (round trip), change listings, example queries."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.fixture_server import FixtureSite
from pipeline.model import CrawledPage, CrawlSummary, FetchResult, ParseResult, Target
from pipeline.warehouse import RunLoader, Warehouse
from pipeline.warehouse.db import sql_root
from pipeline.warehouse.queries import RECORD_FIELDS, changes, export, query
from schemas import ProjectRecord, build_record
from tests.warehouse_support import SITE, crawl_into

META = {
    "first_seen",
    "last_seen",
    "version",
    "is_current",
    "removed",
    "valid_from",
    "valid_to",
    "cause",
}

text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
day = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def records(draw: st.DrawFn) -> ProjectRecord:
    slug = draw(st.from_regex(r"[a-z][a-z0-9-]{2,20}", fullmatch=True))
    start, end = sorted([draw(day), draw(day)])
    period = draw(
        st.one_of(
            st.none(),
            st.just(
                {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "start_precision": "day",
                    "end_precision": "day",
                    "raw": "x bis y",
                }
            ),
            st.just(
                {
                    "start": start.isoformat(),
                    "end": None,
                    "start_precision": "year",
                    "end_precision": None,
                    "raw": "seit x",
                }
            ),
        )
    )
    contact = draw(
        st.one_of(
            st.none(),
            st.builds(
                dict,
                organization=st.one_of(st.none(), text),
                unit=st.one_of(st.none(), text),
                division=st.one_of(st.none(), text),
                street=st.one_of(st.none(), text),
                postal_code=st.one_of(st.none(), st.from_regex(r"\d{5}", fullmatch=True)),
                city=st.one_of(st.none(), text),
                persons=st.lists(text, max_size=3),
                phones=st.lists(st.from_regex(r"\+49\d{6,12}", fullmatch=True), max_size=2),
                fax=st.one_of(st.none(), st.from_regex(r"\+49\d{6,12}", fullmatch=True)),
                emails=st.lists(
                    st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.de", fullmatch=True), max_size=2
                ),
                website=st.one_of(st.none(), text),
                locations=st.lists(text, max_size=2),
            ),
        )
    )
    data = {
        "project_id": f"stiftung-spi.de/projekte/{slug}",
        "url": f"https://www.stiftung-spi.de/projekte/{slug}",
        "site": "stiftung-spi",
        "lang": draw(st.sampled_from(["de", "en"])),
        "title": draw(text),
        "short_title": draw(st.one_of(st.none(), text)),
        "status": draw(st.sampled_from(["active", "completed", "planned", "unknown"])),
        "status_raw": draw(st.one_of(st.none(), text)),
        "period": period,
        "funders": draw(st.lists(text, max_size=4, unique=True)),
        "grant_amount": draw(
            st.one_of(
                st.none(),
                st.builds(
                    dict,
                    value=st.floats(0, 1e9, allow_nan=False).map(lambda v: round(v, 2)),
                    currency=st.sampled_from(["EUR", "CHF"]),
                    raw=text,
                ),
            )
        ),
        "partners": draw(st.lists(text, max_size=3)),
        "target_groups": draw(st.lists(text, max_size=3)),
        "contact": contact,
        "focus_areas": draw(st.lists(text, max_size=4)),
        "services": draw(st.lists(text, max_size=4)),
        "division": draw(st.one_of(st.none(), text)),
        "closed_notice": draw(st.booleans()),
        "related": [
            f"https://www.stiftung-spi.de/projekte/r{n}" for n in range(draw(st.integers(0, 2)))
        ],
        "sections": draw(
            st.lists(st.builds(dict, heading=st.one_of(st.none(), text), text=text), max_size=3)
        ),
    }
    return build_record(data)


def _page(record: ProjectRecord) -> CrawledPage:
    target = Target(record.project_id, record.url, record.url, "project")
    fetch = FetchResult(
        target,
        "fetched",
        datetime.now(UTC),
        status=200,
        final_url=record.url,
        final_target=target,
        body_hash="0" * 64,
    )
    return CrawledPage(fetch, ParseResult(record.url, "project", record=record))


def _load(db: Path, records_: list[ProjectRecord]) -> None:
    with Warehouse.open(db) as warehouse:
        loader = RunLoader(warehouse.con)
        loader.begin("stiftung-spi", "https://www.stiftung-spi.de")
        for record in records_:
            loader.add(_page(record))
        summary = CrawlSummary("stiftung-spi", "https://www.stiftung-spi.de", datetime.now(UTC))
        summary.outcomes["fetched"] = len(records_)
        summary.finished_at = datetime.now(UTC)
        report = loader.finish(summary)
        assert report.status == "ok", report.message


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(records(), min_size=1, max_size=5, unique_by=lambda r: r.project_id))
def test_record_warehouse_export_round_trip(tmp_path_factory, batch):
    folder = tmp_path_factory.mktemp("roundtrip")
    db, out = folder / "p.duckdb", folder / "p.jsonl"
    _load(db, batch)
    with Warehouse.open(db, read_only=True) as warehouse:
        assert export(warehouse.con, "jsonl", out) == len(batch)
    # split on "\n" only: values may hold U+0085 / U+2028, where splitlines() also splits
    text = out.read_text(encoding="utf-8")
    exported = [json.loads(line) for line in text.split("\n") if line]
    by_id = {row["project_id"]: row for row in exported}
    for record in batch:
        row = by_id[record.project_id]
        assert set(row) == set(RECORD_FIELDS) | META
        back = ProjectRecord.model_validate({k: row[k] for k in RECORD_FIELDS})
        assert back == record
        assert (row["version"], row["is_current"], row["removed"]) == (1, True, False)


@pytest.fixture(scope="module")
def history_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("exports") / "projects.duckdb"
    with FixtureSite(SITE / "v1") as site:
        for snapshot in ("v1", "v2", "v3"):
            site.switch(SITE / snapshot)
            crawl_into(site.url, db)
    return db


def test_export_formats(history_db, tmp_path):
    with Warehouse.open(history_db, read_only=True) as warehouse:
        con = warehouse.con
        n_current = export(con, "jsonl", tmp_path / "current.jsonl")
        n_history = export(con, "jsonl", tmp_path / "history.jsonl", history=True)
        n_csv = export(con, "csv", tmp_path / "current.csv")
        n_parquet = export(con, "parquet", tmp_path / "current.parquet", history=True)
    assert n_current == 34  # every project ever seen, removed ones flagged
    assert n_history == n_parquet > n_current
    rows = list(csv.DictReader((tmp_path / "current.csv").open(encoding="utf-8")))
    assert len(rows) == n_csv == n_current
    spandau = next(r for r in rows if r["project_id"].endswith("pfd-spandau"))
    assert spandau["period_end"] == "2026-10-31"
    assert (
        spandau["funders"]
        == "Bundesministerium für Familie, Senioren, Frauen und Jugend; Bezirksamt Spandau"
    )
    with duckdb.connect() as reader:
        parquet = reader.execute(
            f"SELECT count(*), count(DISTINCT project_id) FROM '{tmp_path / 'current.parquet'}'"
        ).fetchone()
    assert parquet == (n_history, 34)
    removed = [json.loads(line) for line in (tmp_path / "current.jsonl").read_text().splitlines()]
    assert sum(row["removed"] for row in removed) == 2


def test_export_rejects_unknown_format(history_db, tmp_path):
    with Warehouse.open(history_db, read_only=True) as warehouse, pytest.raises(InputError):
        export(warehouse.con, "xml", tmp_path / "x.xml")  # type: ignore[arg-type]


def test_changes_filters_and_shape(history_db):
    with Warehouse.open(history_db, read_only=True) as warehouse:
        con = warehouse.con
        everything = changes(con)
        closed = changes(con, types=("closed",))
        run3 = changes(con, run_id=3)
        future = changes(con, since=date(2999, 1, 1))
        with pytest.raises(InputError, match="unknown change type"):
            changes(con, types=("exploded",))
    assert {e["type"] for e in closed} == {"closed"} and len(closed) == 2
    assert {e["run_id"] for e in run3} == {3}
    assert future == []
    moved = next(e for e in everything if e["type"] == "moved")
    assert moved["old_url"].endswith("/projekte/buergerhaushalt")
    funders = next(e for e in everything if e["field"] == "funders")
    assert funders["old"] == [] and funders["new"] == [
        "Deutsche Stiftung für Engagement und Ehrenamt"
    ]
    for event in everything:
        assert {"run_id", "project_id", "url", "type", "field", "old", "new", "detected_at"} <= set(
            event
        )


QUERIES = sorted((sql_root() / "queries").glob("*.sql"))


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_example_queries_run_and_answer(history_db, path):
    with Warehouse.open(history_db, read_only=True) as warehouse:
        table = query(warehouse.con, path.read_text(encoding="utf-8"))
    assert table.rows, f"{path.name} returned nothing"
    first = table.records()[0]
    checks = {
        "01_active_projects_by_division": lambda: first["active"] >= 1,
        "02_closed_projects_with_date": lambda: (
            {(r["url"].rsplit("/", 1)[1], str(r["closed_on"])) for r in table.records()}
            >= {("pfd-spandau", "2026-10-31"), ("demokratiewerkstatt", "2023-12-31")}
            and "first seen closed" in {r["closed_on_source"] for r in table.records()}
        ),
        "03_top_funders": lambda: first["projects"] >= 2,
        "04_changes_in_latest_run": lambda: (
            {r["type"] for r in table.records()} >= {"reopened", "reappeared", "removed"}
        ),
        "05_projects_active_per_year": lambda: first["year"] <= 2010,
        "06_status_history": lambda: (
            [(r["status_before"], r["status_after"]) for r in table.records()]
            == [("unknown", "completed"), ("active", "completed"), ("completed", "active")]
        ),
        "07_removed_projects": lambda: (
            {r["project_id"].rsplit("/", 1)[1] for r in table.records()}
            == {"kiezdetektive", "seniorenbegleitung"}  # stadtteilmuetter came back
        ),
    }
    assert checks[path.stem](), table.records()[:3]


def test_query_errors_are_input_errors(history_db):
    with Warehouse.open(history_db, read_only=True) as warehouse, pytest.raises(InputError):
        query(warehouse.con, "SELECT * FROM no_such_table")


def test_read_only_open_of_a_missing_database_says_what_to_do(tmp_path):
    with pytest.raises(InputError, match="pipeline crawl"):
        Warehouse.open(tmp_path / "nothing.duckdb", read_only=True)


def test_readme_sql_examples_run(history_db):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```sql")[1:]]
    statements = [s.strip() for block in blocks for s in block.split(";") if s.strip()]
    assert len(statements) >= 5
    with Warehouse.open(history_db, read_only=True) as warehouse:
        for statement in statements:
            query(warehouse.con, statement)  # raises InputError when a README example is wrong


def _granted(slug: str, funders: list[str], amount: float | None, period: tuple[str, str | None]):
    return build_record(
        {
            "project_id": f"stiftung-spi.de/projekte/{slug}",
            "url": f"https://www.stiftung-spi.de/projekte/{slug}",
            "site": "stiftung-spi",
            "lang": "de",
            "title": slug,
            "status": "active",
            "period": {
                "start": period[0],
                "end": period[1],
                "start_precision": "day",
                "end_precision": "day" if period[1] else None,
                "raw": "x",
            },
            "funders": funders,
            "grant_amount": None
            if amount is None
            else {"value": amount, "currency": "EUR", "raw": f"{amount} €"},
            "partners": ["Partner X"],
            "target_groups": ["Familien"],
        }
    )


def test_funding_by_funder_year_spreads_each_grant_over_its_years(tmp_path):
    db = tmp_path / "w.duckdb"
    _load(
        db,
        [
            _granted("a", ["Fonds A", "Stiftung B"], 30000, ("2021-01-01", "2023-12-31")),
            _granted("b", ["Fonds A"], 10000, ("2022-03-01", "2022-09-30")),
            _granted("c", ["Fonds A"], None, ("2022-01-01", "2022-12-31")),  # no amount
        ],
    )
    with Warehouse.open(db) as warehouse:
        rows = warehouse.con.execute(
            "SELECT funder, year, currency, projects, amount FROM funding_by_funder_year "
            "ORDER BY funder, year"
        ).fetchall()
        csv_out = tmp_path / "current.csv"
        export(warehouse.con, "csv", csv_out)
    assert rows == [
        ("Fonds A", 2021, "EUR", 1, 10000.0),
        ("Fonds A", 2022, "EUR", 2, 20000.0),
        ("Fonds A", 2023, "EUR", 1, 10000.0),
        ("Stiftung B", 2021, "EUR", 1, 10000.0),
        ("Stiftung B", 2022, "EUR", 1, 10000.0),
        ("Stiftung B", 2023, "EUR", 1, 10000.0),
    ]
    first = next(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert (first["grant_amount_value"], first["grant_amount_currency"]) == ("30000.0", "EUR")
    assert (first["partners"], first["target_groups"]) == ("Partner X", "Familien")
