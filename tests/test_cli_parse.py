"""`pipeline parse`: in-process through click, and as a real subprocess over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.fixture_server import FixtureSite

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
SITE = ROOT / "fixtures" / "site" / "v1"


@pytest.fixture(scope="module")
def site():
    with FixtureSite(SITE) as server:
        yield server


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_parse_file_prints_the_record():
    result = run(
        "parse",
        str(PAGES / "spi-aktionsraum-mitte.html"),
        "--url",
        "https://www.stiftung-spi.de/projekte/aktionsraummitte/",
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["project_id"] == "stiftung-spi.de/projekte/aktionsraummitte"
    assert record["period"]["end"] == "2017-12-31"


def test_parse_invalid_page_lists_problems_and_exits_1():
    result = run(
        "parse", str(PAGES / "reversed-period.html"), "--url", "https://www.stiftung-spi.de/x"
    )
    assert result.exit_code == 1
    assert "does not give a valid record" in result.stderr
    assert "period start 2017-12-31 is after its end 2014-02-01" in result.stderr
    assert result.stdout == ""


def test_parse_listing_says_it_is_not_a_project():
    result = run(
        "parse",
        str(PAGES / "listing-topic.html"),
        "--url",
        "https://www.stiftung-spi.de/themen-projekte/stadtentwicklung/",
    )
    assert result.exit_code == 1
    assert "is not a project page" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "missing.html"], "no such file: missing.html"),
        (["parse", str(PAGES / "broken-markup.html")], "pass --url"),
    ],
)
def test_parse_bad_input_gives_a_clear_error(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_parse_url_over_http_in_a_subprocess(site):
    url = f"{site.url}/service/projekte/detail/pfd-spandau"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "parse", url], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Partnerschaft für Demokratie Spandau"
    # The page's rel=canonical names the public URL, whatever host served it.
    assert record["url"] == "https://www.stiftung-spi.de/service/projekte/detail/pfd-spandau"


def test_parse_url_that_answers_404(site):
    result = run("parse", f"{site.url}/projekte/does-not-exist/")
    assert result.exit_code == 1
    assert "answered HTTP 404" in result.stderr


def test_no_arguments_prints_the_overview():
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline"], capture_output=True, text=True, timeout=60
    )
    assert "Usage: pipeline" in proc.stdout
    assert "parse" in proc.stdout


def test_server_serves_query_pages_and_paths_without_slash(site):
    import httpx

    with httpx.Client(base_url=site.url) as client:
        assert client.get("/service/projekte/detail/pfd-spandau").status_code == 200
        assert client.get("/service/projekte/detail/pfd-spandau/").status_code == 200
        page2 = client.get("/service/projekte/?tx_spiprojects_list%5Bpage%5D=2")
        assert "Seite 2 von" in page2.text
        assert client.get("/_expected/").status_code == 404
        assert client.get("/../pyproject.toml").status_code == 404
