"""Site profiles: files validated with clear errors, found in folders, passed to the parser, and
one site's vocabulary never changing another site's records."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from pipeline.errors import ProfileError
from pipeline.extract.vocabulary import lexicon_for
from pipeline.parse import parse_page
from pipeline.profiles import BUILTIN, SiteProfile, discover, generic_profile, load_profile
from pipeline.profiles.loader import BUILTIN_DIR
from tests.spi import SPI
from tests.test_golden import MANIFEST, PAGES, result_json

URL_ONLY = """\
id = "example-stiftung"
name = "Example Stiftung"
origin = "https://www.example-stiftung.de/"
start_paths = ["/", "/projekte/"]
project_paths = ['^/projekte/[a-z0-9-]+/?$']
listing_paths = ['^/$', '^/projekte/?$']
"""


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_profile_with_only_url_keys_works(tmp_path):
    profile = load_profile(write(tmp_path, URL_ONLY))
    assert profile.origin == "https://www.example-stiftung.de"
    assert profile.hosts == frozenset({"example-stiftung.de"})
    assert profile.is_project_path("/projekte/abc/")
    assert not profile.is_project_path("/news/abc/")
    assert (profile.country, profile.default_lang, profile.sitemap_paths) == (
        "DE",
        "de",
        ("/sitemap.xml",),
    )
    assert profile.vocabulary.empty


@pytest.mark.parametrize(
    ("extra", "key", "expected"),
    [
        ('projct_paths = ["x"]', "projct_paths", "unknown key"),
        ('[vocabulary]\nperiode = ["Laufzeit"]', "vocabulary.periode", "unknown key"),
        ('listing_paths = ["^/(unclosed"]', "listing_paths[0]", "not a valid regular expression"),
        ('country = "XX"', "country", "not a known country; expected one of AT, CH, DE"),
        ("host_aliases = 5", "host_aliases", "valid tuple"),
        ('start_paths = ["projekte/"]', "start_paths[0]", "is not a path on the site"),
        ('default_lang = "deutsch"', "default_lang", "should match pattern"),
        ('[vocabulary]\nstatus_words.done = ["x"]', "vocabulary.status_words.done", "unknown key"),
    ],
)
def test_bad_profiles_fail_with_the_file_the_key_and_what_is_expected(
    tmp_path, extra, key, expected
):
    name = extra.split(" ")[0]
    kept = [line for line in URL_ONLY.splitlines() if not line.startswith(name + " ")]
    path = write(tmp_path, "\n".join(kept) + "\n" + extra + "\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: key `{key}`: "), message
    assert expected in message


def test_missing_keys_and_unreadable_files(tmp_path):
    path = write(tmp_path, 'id = "x"\nname = "X"\n')
    with pytest.raises(ProfileError, match=r"key `origin`: required key is missing"):
        load_profile(path)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "Stiftung Grün"'.encode("latin-1"))
    with pytest.raises(ProfileError, match="is not UTF-8 text"):
        load_profile(latin)
    with pytest.raises(ProfileError, match="is not valid TOML"):
        load_profile(write(tmp_path, "id = ", "broken.toml"))
    with pytest.raises(ProfileError, match="cannot read the profile"):
        load_profile(tmp_path / "missing.toml")
    with pytest.raises(ProfileError, match="is a directory"):
        load_profile(tmp_path)


def test_catalog_built_in_then_folder_then_files(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    write(folder, URL_ONLY, "example.toml")
    found = discover(folder)
    assert found.ids == ["example-stiftung", "stiftung-spi"]
    assert found.found["stiftung-spi"].source == BUILTIN
    assert found.found["example-stiftung"].source == str(folder / "example.toml")
    assert found.for_url("http://example-stiftung.de/projekte/a").id == "example-stiftung"
    assert found.for_url("https://unknown.example/x").id == "unknown.example"
    with pytest.raises(ProfileError, match="unknown site 'nope'; known sites: example-stiftung"):
        found.get("nope")
    write(folder, URL_ONLY.replace("Example Stiftung", "Twin"), "twin.toml")
    with pytest.raises(ProfileError, match="both define site 'example-stiftung'"):
        discover(folder)
    with pytest.raises(ProfileError, match="does not exist"):
        discover(tmp_path / "absent")


def test_the_builtin_profile_is_a_file_in_the_package():
    assert [p.name for p in BUILTIN_DIR.glob("*.toml")] == ["stiftung-spi.toml"]
    assert SPI.ignored == {
        *{"chash", "no_cache", "type", "sid", "ref"},
        *{"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "yclid", "igshid"},
        *{"sessionid", "phpsessid", "jsessionid"},
    }


def test_a_profile_crosses_to_worker_processes_whole():
    copy = pickle.loads(pickle.dumps(SPI))
    assert copy == SPI
    assert copy.is_project_path("/projekte/x/") and copy.hosts == SPI.hosts


def test_what_a_profile_computes_once_is_no_part_of_it():
    """Hosts, patterns and the fingerprint are computed on first use and kept: a profile that
    has computed them equals, dumps and hashes as one that has not."""
    fresh, used = (SiteProfile.model_validate(SPI.model_dump()) for _ in range(2))
    assert used.hosts == {"stiftung-spi.de"} and used.is_project_path("/projekte/x/")
    assert not used.keep_param("cHash") and used.lang_for_path("/en/x") == "en"
    assert used.fingerprint == SPI.fingerprint
    assert used == fresh and hash(used) == hash(fresh)
    assert used.model_dump() == fresh.model_dump() == SPI.model_dump()
    assert used.model_dump_json() == fresh.model_dump_json()


def test_an_unknown_host_parses_with_a_generic_profile():
    html = (PAGES / "spi-aktionsraum-mitte.html").read_bytes()
    url = "https://www.unknown.example/projekte/aktionsraummitte/?cHash=1"
    result = parse_page(html, url, generic_profile(url))
    assert result.record is not None
    assert result.record.site == "unknown.example"
    # TYPO3's cHash is only ignored where a profile says so
    assert result.record.project_id == "unknown.example/projekte/aktionsraummitte?cHash=1"


def variant(**changes: object) -> SiteProfile:
    return SiteProfile.model_validate({**SPI.model_dump(), **changes})


NOISY = variant(
    id="noisy",
    origin="https://www.noisy.example",
    host_aliases=(),
    vocabulary={
        "period": ["Ort"],
        "funders": ["Kontakt"],
        "contact": ["Gefördert"],
        "status_words": {"completed": ["laufend"]},
        "chrome_lines": ["Schwerpunkte"],
        "chrome_tokens": ["frame"],
        "closed_notices": ["Das Projekt"],
        "title_stopwords": ["partnerschaft"],
    },
)


def test_one_sites_vocabulary_never_changes_another_sites_records():
    """The SPI golden corpus parses byte-identically whether or not a profile with words that
    would change it (had they leaked) has been compiled and used."""
    noisy = lexicon_for(NOISY)
    assert noisy is not lexicon_for(SPI)
    changed = 0
    for name, url in sorted(MANIFEST.items()):
        html = (PAGES / name).read_bytes()
        expected = json.loads((PAGES / name.replace(".html", ".json")).read_text("utf-8"))
        other = result_json(
            parse_page(html, url.replace("stiftung-spi.de", "noisy.example"), NOISY)
        )
        assert result_json(parse_page(html, url, SPI)) == expected, name
        changed += other["record"] != expected["record"] and other["kind"] == expected["kind"]
    assert changed >= 3  # the noisy words do change what its own site's pages give


def test_the_fingerprint_follows_what_shapes_a_record():
    assert SPI.fingerprint == variant(name="Renamed").fingerprint
    assert SPI.fingerprint != NOISY.fingerprint
    assert SPI.fingerprint != variant(country="AT").fingerprint
