"""A run's WACZ: valid for py-wacz's validator, its pages titled, and replayable from the
pack alone (the earlier captures its revisits refer to are in it), also when one is lost."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser
from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator

from pipeline.archive.wacz import html_title, resource_name
from pipeline.archive.warc import SERVER_NOT_MODIFIED, payload_digest, surt
from pipeline.cli import cli
from pipeline.demo import bundled_site, run_demo
from pipeline.fixture_server import FixtureSite, resolve
from pipeline.nightly import run_crawl
from tests.test_archive import archived_options
from tests.warehouse_support import SITE


def pack(db: Path, run_id: int, out: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["archive", "pack", str(run_id), "--out", str(out), "--db", str(db), *extra]
    )
    return result.exit_code, result.stdout, result.stderr


def validate(wacz: Path) -> int:
    """py-wacz's `wacz validate -f FILE`: 0 when the package is valid."""
    code: int = wacz_main(["validate", "-f", str(wacz)])
    return code


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    db, archive = folder / "pipeline-demo.duckdb", folder / "pipeline-demo-archive"
    run_demo(db, archive_dir=archive)
    packs = {}
    for run_id in (1, 2):
        packs[run_id] = folder / f"run{run_id}.wacz"
        code, out, err = pack(db, run_id, packs[run_id])
        assert code == 0 and err == "", out + err
    return {"db": db, "archive": archive, "packs": packs}


@pytest.mark.parametrize("run_id", [1, 2])
def test_the_demo_packs_pass_wacz_validate(demo, run_id, capsys):
    assert validate(demo["packs"][run_id]) == 0, capsys.readouterr().out
    with zipfile.ZipFile(demo["packs"][run_id]) as z:
        package = json.loads(z.read("datapackage.json"))
        digest = json.loads(z.read("datapackage-digest.json"))
        names = [r["name"] for r in package["resources"]]
        assert all(name == name.lower() for name in names) and len(set(names)) == len(names)
        for resource in package["resources"]:
            if resource["path"].startswith("archive/"):
                assert z.getinfo(resource["path"]).compress_type == zipfile.ZIP_STORED
        assert sorted(z.namelist()) == sorted(
            [
                *(r["path"] for r in package["resources"]),
                "datapackage.json",
                "datapackage-digest.json",
            ]
        )
    assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
    assert {"created", "modified", "software", "mainPageURL", "mainPageDate"} <= set(package)
    assert digest["path"] == "datapackage.json" and digest["hash"].startswith("sha256:")


def test_the_validator_refuses_an_uppercase_resource_name(demo, tmp_path, capsys):
    """What the packs avoid: the WARC's own name (``...T235933Z...``) as a resource name."""
    broken = tmp_path / "broken.wacz"
    with zipfile.ZipFile(demo["packs"][1]) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "datapackage.json":
                package = json.loads(data)
                package["resources"][0]["name"] = Path(package["resources"][0]["path"]).name
                data = json.dumps(package).encode()
            if info.filename != "datapackage-digest.json":
                out.writestr(info, data)
    assert validate(broken) == 1
    assert "Frictionless has detected that this is an invalid package" in capsys.readouterr().out


def test_resource_names_fit_the_data_package_pattern():
    assert resource_name("archive/stiftung-spi-20261201T235933Z-run00001.warc.gz") == (
        "stiftung-spi-20261201t235933z-run00001.warc.gz"
    )
    assert resource_name("archive/Ä b+c.warc.gz") == "--b-c.warc.gz"


def _pages(wacz: Path) -> list[dict]:
    with zipfile.ZipFile(wacz) as z:
        return [json.loads(line) for line in z.read("pages/pages.jsonl").decode().splitlines()]


def test_pages_carry_the_page_titles_and_capture_times(demo):
    con = duckdb.connect(str(demo["db"]), read_only=True)
    for run_id in (1, 2):
        header, *pages = _pages(demo["packs"][run_id])
        assert header == {
            "format": "json-pages-1.0",
            "id": "pages",
            "title": f"stiftung-spi run {run_id}: pages",
        }
        fetches = con.execute(
            "SELECT COALESCE(final_url, url), kind, warc_date FROM fetches WHERE run_id = ? "
            "AND kind IN ('project', 'listing') AND status IN (200, 304) ORDER BY seq",
            [run_id],
        ).fetchall()
        assert [(p["url"], p["ts"]) for p in pages] == [(url, ts) for url, _, ts in fetches]
        assert len({p["id"] for p in pages}) == len(pages)
        titles = dict(
            con.execute(
                "SELECT u.page_key, v.title FROM project_urls u JOIN project_versions v "
                "USING (project_id) WHERE v.first_run_id <= ? "
                "QUALIFY row_number() OVER (PARTITION BY u.page_key ORDER BY v.version DESC) = 1",
                [run_id],
            ).fetchall()
        )
        kinds = {url: kind for url, kind, _ in fetches}
        snapshot = bundled_site() / ("v1" if run_id == 1 else "v2")
        for page in pages:
            path = "/" + page["url"].split("/", 3)[3]
            if kinds[page["url"]] == "project":
                key = con.execute(
                    "SELECT COALESCE(final_key, page_key) FROM fetches WHERE run_id = ? "
                    "AND COALESCE(final_url, url) = ?",
                    [run_id, page["url"]],
                ).fetchone()[0]
                assert page["title"] == titles[key]
            else:
                html = resolve(snapshot, path)
                node = LexborHTMLParser(html.read_text()).css_first("title")
                assert page["title"] == " ".join(node.text().split()), page["url"]
    con.close()
    assert not [p for p in pages if p["url"].endswith(("robots.txt", ".xml", ".xml.gz"))]


def test_html_title_falls_back_to_the_first_h1():
    assert html_title(b"<html><head><title> A \n page </title></head></html>") == "A page"
    assert html_title(b"<title></title><h1>The <b>heading</b></h1>") == "The heading"
    assert (
        html_title("<title>Förderung</title>".encode("latin-1"), "text/html; charset=iso-8859-1")
        == "Förderung"
    )
    assert html_title(b"%PDF-1.4", "application/pdf") is None
    assert html_title(b"<p>nothing</p>") is None


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory):
    """Two crawls of the same snapshot: every page of run 2 is a 304 (a revisit of run 1)."""
    folder = tmp_path_factory.mktemp("unchanged")
    db, archive = folder / "p.duckdb", folder / "warc"
    with FixtureSite(SITE / "v1") as site:
        run_crawl(archived_options(site.url, db, archive))
        second = run_crawl(archived_options(site.url, db, archive))
    assert second.status == "ok"
    return {"db": db, "archive": archive, "folder": folder}


def _index(z: zipfile.ZipFile) -> list[tuple[str, str, dict]]:
    lines = z.read("indexes/index.cdxj").decode().splitlines()
    assert lines == sorted(lines)
    return [
        (key, stamp, json.loads(fields))
        for key, stamp, fields in (line.split(" ", 2) for line in lines)
    ]


def _record_at(z: zipfile.ZipFile, entry: dict):
    """The record an index entry points at, read from the WARC inside the pack."""
    with z.open(f"archive/{entry['filename']}") as member:
        member.seek(int(entry["offset"]))
        data = member.read(int(entry["length"]))
    record = next(iter(ArchiveIterator(io.BytesIO(data))))
    return record, record.content_stream().read()


def test_every_page_of_a_later_run_replays_from_its_pack_alone(unchanged, tmp_path):
    wacz = unchanged["folder"] / "run2.wacz"
    code, out, err = pack(unchanged["db"], 2, wacz)
    assert code == 0 and err == "", err
    alone = tmp_path / "alone" / "run2.wacz"
    alone.parent.mkdir()
    shutil.copy(wacz, alone)  # and nothing else beside it
    resolved = 0
    with zipfile.ZipFile(alone) as z:
        index = _index(z)
        # Both runs can fall in the same second: a key may have the revisit and its original.
        by_key: dict[tuple[str, str], list[dict]] = {}
        for key, stamp, fields in index:
            by_key.setdefault((key, stamp), []).append(fields)
        _, *pages = _pages(alone)
        assert len(pages) >= 55 and f"{len(pages)} pages, {len(pages)} revisits" in out
        for page in pages:
            stamp = "".join(ch for ch in page["ts"] if ch.isdigit())[:14]
            (entry,) = [
                e for e in by_key[(surt(page["url"]), stamp)] if e["mime"] == "warc/revisit"
            ]
            revisit, _ = _record_at(z, entry)
            headers = revisit.rec_headers
            assert revisit.rec_type == "revisit", page["url"]
            assert headers.get_header("WARC-Profile") == SERVER_NOT_MODIFIED
            target = headers.get_header("WARC-Refers-To-Target-URI")
            when = "".join(ch for ch in headers.get_header("WARC-Refers-To-Date") if ch.isdigit())
            digest = headers.get_header("WARC-Payload-Digest")
            (original_entry,) = [
                e
                for e in by_key[(surt(target), when[:14])]
                if e["mime"] != "warc/revisit" and e["digest"] == digest
            ]
            original, body = _record_at(z, original_entry)
            assert original.rec_type == "response"
            assert original.rec_headers.get_header("WARC-Record-ID") == headers.get_header(
                "WARC-Refers-To"
            )
            assert original.rec_headers.get_header("WARC-Payload-Digest") == digest
            sent = resolve(SITE / "v1", "/" + page["url"].split("/", 3)[3]).read_bytes()
            assert body == sent and payload_digest(sent) == digest
            resolved += 1
    assert resolved == len(pages)
    assert validate(alone) == 0


def test_a_pack_whose_earlier_warc_was_deleted_still_builds_and_says_what_is_missing(
    unchanged, tmp_path
):
    archive = tmp_path / "warc"
    shutil.copytree(unchanged["archive"], archive)
    (first,) = archive.glob("*run00001.warc.gz")
    first.unlink()
    wacz = tmp_path / "run2.wacz"
    code, out, err = pack(unchanged["db"], 2, wacz, "--archive-dir", str(archive))
    assert code == 0, err
    pages = len(_pages(wacz)) - 1
    assert out == f"wrote {wacz}: {pages} pages, {pages} revisits, 0 earlier captures included\n"
    warnings = err.splitlines()
    assert len(warnings) == 21
    assert all(
        line.startswith("warning: not in the pack: http://")
        and f"its WARC file {first} is missing (deleted or moved?)" in line
        for line in warnings[:20]
    )
    assert warnings[20] == (
        f"warning: {pages} earlier capture(s) are not in the pack ({pages - 20} not listed); "
        "the pages of run 2 that revisit them will not replay from it"
    )
    assert validate(wacz) == 0
    with zipfile.ZipFile(wacz) as z:
        assert [n for n in z.namelist() if n.startswith("archive/")] == [
            f"archive/{next(archive.glob('*run00002.warc.gz')).name}"
        ]


def test_pack_writes_run_id_wacz_in_the_current_folder_by_default(unchanged, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["archive", "pack", "1", "--db", str(unchanged["db"])])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote run1.wacz: ") and (tmp_path / "run1.wacz").is_file()
    assert list(tmp_path.iterdir()) == [tmp_path / "run1.wacz"]  # no .part left behind
    shown = CliRunner().invoke(cli, ["archive", "pack", "--help"]).output
    assert "WACZ file (default: run<RUN_ID>.wacz here)." in " ".join(shown.split())
