"""WARC evidence: every exchange archived verbatim, revisits for unchanged pages, digests that
match the warehouse, readable after a killed run, and the page of any version extractable."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import replace
from hashlib import sha256
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from pipeline.archive.warc import (
    IDENTICAL_PAYLOAD,
    SERVER_NOT_MODIFIED,
    gzip_member,
    index_lines,
    payload_digest,
    recover_open_files,
    sha1_base32,
    surt,
)
from pipeline.cli import cli
from pipeline.fixture_server import FixtureSite, Reply, resolve
from pipeline.nightly import RunOptions, run_crawl
from tests.warehouse_support import SITE, options

ROOT = Path(__file__).resolve().parents[1]


def archived_options(url: str, db: Path, archive: Path) -> RunOptions:
    return replace(options(url, db), archive_dir=archive)


def records(path: Path) -> list[dict]:
    out = []
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            raw = record.raw_stream.read()
            out.append(
                {
                    "type": record.rec_type,
                    "id": record.rec_headers.get_header("WARC-Record-ID"),
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "profile": record.rec_headers.get_header("WARC-Profile"),
                    "refers_to": record.rec_headers.get_header("WARC-Refers-To"),
                    "digest": record.rec_headers.get_header("WARC-Payload-Digest"),
                    "concurrent": record.rec_headers.get_header("WARC-Concurrent-To"),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                    "headers": record.http_headers,
                    "raw": raw,
                    "offset": iterator.get_record_offset(),
                }
            )
    return out


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """Run 1: v1 in full. Run 2: v1 again (304s), one page without validators (same body)."""
    folder = tmp_path_factory.mktemp("archive")
    db, archive = folder / "p.duckdb", folder / "warc"
    with FixtureSite(SITE / "v1") as site:
        first = run_crawl(archived_options(site.url, db, archive))
        gzipped = "/projekte/aktionsraummitte/"
        body = (SITE / "v1" / gzipped.strip("/") / "index.html").read_bytes()
        plain = "/service/projekte/detail/pfd-spandau"
        plain_body = (SITE / "v1" / plain.strip("/") / "index.html").read_bytes()
        site.override(plain, lambda r: Reply(200, plain_body))  # no ETag / Last-Modified
        site.override(
            gzipped,
            lambda r: Reply(
                200,
                gzip.compress(body),
                {"Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8"},
            ),
        )
        second = run_crawl(archived_options(site.url, db, archive))
    con = duckdb.connect(str(db), read_only=True)
    yield {"first": first, "second": second, "con": con, "archive": archive, "db": db}
    con.close()


def _warc(data, run_id: int) -> Path:
    name = data["con"].execute("SELECT warc_file FROM runs WHERE run_id = ?", [run_id]).fetchone()
    return data["archive"] / name[0]


def test_every_fetch_of_the_run_is_in_its_warc(archived):
    con = archived["con"]
    for run_id in (1, 2):
        by_id = {r["id"]: r for r in records(_warc(archived, run_id))}
        fetches = con.execute(
            "SELECT warc_record_id, COALESCE(final_url, url), status, via FROM fetches "
            "WHERE run_id = ?",
            [run_id],
        ).fetchall()
        for record_id, url, status, via in fetches:
            if via == "sitemap-lastmod" or status is None:
                assert record_id is None
                continue
            record = by_id[record_id]
            assert record["uri"] == url and record["status"] == str(status)
            requests = [r for r in by_id.values() if r["concurrent"] == record_id]
            assert len(requests) == 1 and requests[0]["type"] == "request"
    first = records(_warc(archived, 1))
    assert first[0]["type"] == "warcinfo"
    info = first[0]["raw"].decode()
    assert "robots: obey" in info and "foundation-pipeline/" in info


def test_bodies_are_byte_identical_to_what_the_server_sent(archived):
    checked = 0
    for record in records(_warc(archived, 1)):
        if record["type"] != "response" or record["status"] != "200":
            continue
        path = record["uri"].split("/", 3)[3] if record["uri"].count("/") >= 3 else ""
        file = resolve(SITE / "v1", "/" + path)
        assert file is not None, record["uri"]
        sent = file.read_bytes()
        assert record["raw"] == sent, record["uri"]
        assert record["digest"] == payload_digest(sent)
        checked += 1
    assert checked >= 55


def test_gzip_body_is_archived_as_received(archived):
    rec = next(
        r
        for r in records(_warc(archived, 2))
        if "/projekte/aktionsraummitte/" in (r["uri"] or "") and r["type"] == "response"
    )
    assert rec["raw"][:2] == b"\x1f\x8b"
    assert rec["headers"].get_header("Content-Encoding") == "gzip"


def test_304_is_a_server_not_modified_revisit_of_the_first_capture(archived):
    con = archived["con"]
    first_ids = {
        url: rid
        for url, rid in con.execute(
            "SELECT url, warc_record_id FROM fetches WHERE run_id = 1"
        ).fetchall()
    }
    revisits = [r for r in records(_warc(archived, 2)) if r["type"] == "revisit"]
    not_modified = [r for r in revisits if r["profile"] == SERVER_NOT_MODIFIED]
    assert len(not_modified) == archived["second"].summary.outcomes["not_modified"]
    for revisit in not_modified:
        assert revisit["status"] == "304"
        assert revisit["refers_to"] == first_ids[revisit["uri"]]


def test_identical_body_is_an_identical_payload_revisit(archived):
    revisit = next(
        r
        for r in records(_warc(archived, 2))
        if (r["uri"] or "").endswith("/service/projekte/detail/pfd-spandau")
    )
    assert revisit["type"] == "revisit" and revisit["profile"] == IDENTICAL_PAYLOAD
    body = (SITE / "v1" / "service/projekte/detail/pfd-spandau/index.html").read_bytes()
    assert revisit["digest"] == payload_digest(body)


def test_digests_match_the_warehouse(archived):
    con = archived["con"]
    by_id = {r["id"]: r for r in records(_warc(archived, 1))}
    rows = con.execute(
        "SELECT v.warc_record_id, v.payload_digest, f.payload_digest FROM project_versions v "
        "JOIN fetches f ON f.warc_record_id = v.warc_record_id WHERE v.first_run_id = 1"
    ).fetchall()
    assert len(rows) == 33
    for record_id, version_digest, fetch_digest in rows:
        assert version_digest == fetch_digest == by_id[record_id]["digest"]
        assert payload_digest(by_id[record_id]["raw"]) == version_digest


def test_cdxj_index_is_sorted_and_points_at_the_records(archived):
    warc = _warc(archived, 1)
    cdxj = warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")
    lines = cdxj.read_text().splitlines()
    assert lines == sorted(lines) and len(lines) >= 59
    with warc.open("rb") as stream:
        for line in lines[:10]:
            key, _stamp, fields = line.split(" ", 2)
            entry = json.loads(fields)
            assert key == surt(entry["url"])
            stream.seek(int(entry["offset"]))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Payload-Digest") == entry["digest"]


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.stiftung-spi.de/projekte/x/?a=1", "de,stiftung-spi)/projekte/x/?a=1"),
        ("http://127.0.0.1:8080/x", "127.0.0.1:8080)/x"),
        ("https://WWW.Example.ORG:443/A", "org,example)/a"),
        ("http://example.org:8443", "org,example:8443)/"),
        ("http://[::1]:8080/p?q", "::1:8080)/p?q"),
        ("https://sub.example.org/p/", "org,example,sub)/p/"),
    ],
)
def test_surt_keys(url, key):
    assert surt(url) == key


@pytest.mark.parametrize("size", [0, 1, 600, 1023, 1024, 1025, 40_000, 200_000])
def test_a_record_is_one_gzip_member_whatever_its_size(size):
    record = (b"WARC/1.1 header line with some words\r\n" * (size // 38 + 1))[:size]
    member = gzip_member(record)
    assert gzip.decompress(member) == record
    assert member[:2] == b"\x1f\x8b"  # a gzip member on its own, as WARC readers expect
    if size >= 40_000:
        assert len(member) < size // 4  # compressed: 1 is the level, not 0


@pytest.mark.parametrize("data", [b"", b"a", b"project page", bytes(range(256)) * 9])
def test_sha1_base32_is_the_standard_base32_of_the_digest(data):
    digest = hashlib.sha1(data).digest()
    assert sha1_base32(digest) == base64.b32encode(digest).decode("ascii")
    assert payload_digest(data) == "sha1:" + base64.b32encode(digest).decode("ascii")


def test_show_extract_and_pack(archived, tmp_path):
    db = str(archived["db"])
    runner = CliRunner()
    pid = "stiftung-spi.de/projekte/aktionsraummitte"
    shown = runner.invoke(cli, ["show", pid, "--version", "1", "--json", "--db", db])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["warc_file"].endswith("run00001.warc.gz") and data["payload_digest"].startswith(
        "sha1:"
    )
    out = tmp_path / "page.html"
    extracted = runner.invoke(
        cli, ["archive", "extract", pid, "--version", "1", "--out", str(out), "--db", db]
    )
    assert extracted.exit_code == 0, extracted.output
    assert out.read_bytes() == (SITE / "v1" / "projekte/aktionsraummitte/index.html").read_bytes()
    missing = runner.invoke(
        cli, ["archive", "extract", pid, "--version", "9", "--out", str(out), "--db", db]
    )
    assert missing.exit_code == 1 and "has no version 9" in missing.stderr
    wacz = tmp_path / "run1.wacz"
    packed = runner.invoke(cli, ["archive", "pack", "1", "--out", str(wacz), "--db", db])
    assert packed.exit_code == 0, packed.output
    with zipfile.ZipFile(wacz) as z:
        package = json.loads(z.read("datapackage.json"))
        for resource in package["resources"]:
            assert resource["hash"] == "sha256:" + sha256(z.read(resource["path"])).hexdigest()
        assert z.getinfo(package["resources"][0]["path"]).compress_type == zipfile.ZIP_STORED
        pages = z.read("pages/pages.jsonl").decode().splitlines()
        assert len(pages) > 33


def test_no_archive_writes_nothing(tmp_path):
    with FixtureSite(SITE / "v1") as site:
        report = run_crawl(options(site.url, tmp_path / "p.duckdb"))
    assert report.status == "ok"
    assert not list(tmp_path.glob("**/*.warc.gz"))
    with duckdb.connect(str(tmp_path / "p.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(warc_file) FROM fetches").fetchone() == (0,)


KILL = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pipeline.nightly import run_crawl
    from tests.test_archive import archived_options
    run_crawl(archived_options(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
    """
)


def test_a_killed_run_leaves_a_readable_warc(tmp_path):
    db, archive = tmp_path / "p.duckdb", tmp_path / "warc"

    def slowly(request):
        import time

        time.sleep(0.1)

    with FixtureSite(SITE / "v1") as site:
        for path in ("/projekte/aktionsraummitte/", "/service/projekte/detail/pfd-spandau"):
            site.override(path, slowly)
        child = subprocess.Popen(
            [sys.executable, "-c", KILL, site.url, str(db), str(archive)], cwd=ROOT
        )
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(site.requests) < 20:
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        partial = list(archive.glob("*.warc.gz.open"))
        assert len(partial) == 1
        with partial[0].open("ab") as file:  # and a torn record at the end, as a crash can leave
            member = gzip.compress(os.urandom(2000))
            file.write(member[: len(member) // 2])
        (spool,) = archive.glob("*.cdxj.open")
        with spool.open("a", encoding="utf-8") as file:  # a torn line: the spool is not trusted
            file.write('de,x)/torn 20260101000000 {"url": "x", "offset": "99999999", "len')
        report = run_crawl(archived_options(site.url, db, archive))
    assert report.status == "ok"
    assert not list(archive.glob("*.open"))
    files = sorted(archive.glob("*.warc.gz"))
    assert len(files) == 2
    killed = records(files[0])
    assert killed[0]["type"] == "warcinfo" and len(killed) > 10
    assert recover_open_files(archive) == []
    # The killed run's index was rebuilt from what survived: one line per response or revisit.
    lines = _cdxj_lines(files[0])
    assert lines == sorted(lines)
    indexed = [json.loads(line.split(" ", 2)[2])["digest"] for line in lines]
    main = [r["digest"] for r in killed if r["type"] in ("response", "revisit")]
    assert sorted(indexed) == sorted(main)


def _cdxj_lines(warc: Path) -> list[str]:
    cdxj = warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")
    return cdxj.read_text(encoding="utf-8").split("\n")[:-1]


def test_the_index_written_as_the_run_goes_equals_one_read_from_the_file(archived):
    for run in (1, 2):
        warc = _warc(archived, run)
        assert _cdxj_lines(warc) == sorted(index_lines(warc))
    assert not list(warc.parent.glob("*.open"))


def test_an_archive_that_cannot_be_written_fails_the_run_and_applies_nothing(tmp_path, monkeypatch):
    from pipeline.archive.warc import RunArchive

    def disk_full(self, page):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RunArchive, "capture", disk_full)
    db = tmp_path / "p.duckdb"
    with FixtureSite(SITE / "v1") as site, pytest.raises(OSError, match="No space left"):
        run_crawl(archived_options(site.url, db, tmp_path / "warc"))
    with duckdb.connect(str(db), read_only=True) as con:
        status, message = con.execute("SELECT status, message FROM runs").fetchone()
        assert status == "failed" and "No space left" in message
        assert con.execute("SELECT count(*) FROM project_versions").fetchone() == (0,)


def test_the_archive_package_imports_nothing_of_the_warehouse():
    """The warehouse uses the archive (captures); the archive never uses the warehouse."""
    modules = sorted(path.stem for path in (ROOT / "pipeline" / "archive").glob("*.py"))
    script = (
        "import sys\n"
        + "".join(f"import pipeline.archive.{name}\n" for name in modules if name != "__init__")
        + "print(sorted(m for m in sys.modules if m.startswith('pipeline.warehouse')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
