"""Settings are declared once and reach the run through one function."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import config
from pipeline.cli import cli
from pipeline.errors import ConfigError
from pipeline.options import multi_options, run_options
from tests.spi import SPI


def test_every_option_comes_from_one_declaration():
    for option in config.OPTIONS:
        assert option.env == "PIPELINE_" + option.name.upper()
        assert option.help and option.kind
    effective = config.load(None, env={}, cwd=Path("/nonexistent"))
    assert effective.values == {o.name: o.default for o in config.OPTIONS}


def test_environment_reaches_the_run_options(tmp_path):
    env = {
        "PIPELINE_DUCKDB_MERGE_MEMORY": "1GB",
        "PIPELINE_DUCKDB_THREADS": "2",
        "PIPELINE_TRUST_LASTMOD": "audited",
        "PIPELINE_PARSE_PROCESSES": "0",
        "PIPELINE_DELAY": "2.5",
        "PIPELINE_WRITER_WAIT": "7",
    }
    effective = config.load(None, env=env, cwd=tmp_path)
    options = run_options(effective, SPI)
    assert (options.duckdb.merge_memory, options.duckdb.threads) == ("1GB", 2)
    assert options.settings.trust_lastmod == "audited"
    assert (options.settings.parse_processes, options.settings.delay) == (0, 2.5)
    assert options.writer_wait == 7.0
    assert multi_options(effective, [SPI]).writer_wait == 7.0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("duckdb_memory", "lots", "is not a memory size like 64MB or 2GB"),
        ("trust_lastmod", "sometimes", "is not one of off, audited"),
        ("retries", "2.5", "is not a whole number"),
        ("parse_processes", "-1", "is negative"),
    ],
)
def test_bad_values_name_the_setting_and_the_source(tmp_path, name, value, message):
    env = {"PIPELINE_" + name.upper(): value}
    with pytest.raises(ConfigError, match=f"setting {name} from env PIPELINE_{name.upper()}: "):
        config.load(None, env=env, cwd=tmp_path)
    with pytest.raises(ConfigError, match=message):
        config.load(None, env=env, cwd=tmp_path)


def test_pipeline_config_shows_every_setting():
    result = CliRunner().invoke(cli, ["config", "--json"], env={"PIPELINE_CONFIG": ""})
    assert result.exit_code == 0, result.output
    for option in config.OPTIONS:
        assert f'"{option.name}"' in result.output


def test_a_run_on_a_mock_transport_and_a_fixed_clock(tmp_path):
    """The nightly run takes a transport and a clock: pure logic tests need no server."""
    import httpx

    from pipeline.nightly import run_crawl

    page = Path(__file__).resolve().parents[1] / "fixtures/pages/spi-aktionsraum-mitte.html"
    body = page.read_bytes()

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nAllow: /\n")
        if request.url.path == "/projekte/aktionsraummitte/":
            return httpx.Response(200, content=body, headers={"Content-Type": "text/html"})
        if request.url.path == "/":
            links = '<a href="/projekte/aktionsraummitte/">Aktionsraum</a>'
            home = f"<html><body>{links}</body></html>".encode()
            return httpx.Response(200, content=home, headers={"Content-Type": "text/html"})
        return httpx.Response(404)

    from datetime import UTC, datetime

    moment = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)
    effective = config.defaults(db=str(tmp_path / "w.duckdb"), delay=0, parse_processes=0)
    options = run_options(effective, SPI)
    report = run_crawl(options, transport=httpx.MockTransport(answer), clock=lambda: moment)
    assert (report.status, report.summary.projects) == ("ok", 1)
    assert report.summary.started_at == moment
    assert report.load.events == {"new": 1}
