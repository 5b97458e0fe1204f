"""How `sites init` judges shapes and guesses the other keys, on small sites served by
``httpx.MockTransport`` (real requests and responses, no server): one case per rule."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from pipeline.crawl import CrawlSettings
from pipeline.errors import InputError
from pipeline.onboard import Proposal, SampleSettings, propose_profile
from pipeline.onboard.propose import page_verdict, site_id
from pipeline.onboard.sample import Visit

FAST = SampleSettings(crawl=CrawlSettings(delay=0.0, backoff=0.01, retries=0))
NAV = '<nav><a href="/">Start</a> <a href="/projekte/">P</a> <a href="/impressum/">I</a></nav>'


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def page(title: str, body: str, head: str = "", lang: str = "de") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>{head}</head>'
        f"<body><header>{NAV}</header><main><h1>{title}</h1>{body}</main></body></html>"
    )


def project(title: str, extra: str = "") -> str:
    return page(
        title,
        "<p>Ein Projekt für die Nachbarschaft mit vielen Angeboten.</p>"
        "<p><strong>Laufzeit:</strong> 01.03.2023 – 28.02.2025</p>"
        f"<p><strong>Gefördert von:</strong> Beispielstiftung</p>{extra}",
    )


def contact_only(title: str) -> str:
    return page(
        title,
        "<p>Ein Angebot in der Stadt.</p><h2>Kontakt</h2>"
        "<p>Erika Muster<br>Musterweg 1<br>1010 Wien<br>Telefon: "
        '<a href="tel:+4311234567">+43 1 1234567</a></p>',
    )


def links(*paths: str) -> str:
    return "<ul>" + "".join(f'<li><a href="{p}">{p}</a></li>' for p in paths) + "</ul>"


Site = dict[str, str | tuple[int, dict[str, str]]]
HTML = {"Content-Type": "text/html; charset=utf-8"}


def serve(site: Site) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode().split("?")[0]
        found = site.get(path, site.get(path.rstrip("/") + "/"))
        # A stream, as from the network: the fetcher reads bodies raw, with a size cap.
        if found is None:
            return httpx.Response(404, headers=HTML, stream=httpx.ByteStream(b"not found"))
        if isinstance(found, tuple):
            status, headers = found
            return httpx.Response(status, headers=headers, stream=httpx.ByteStream(b""))
        kind = {"Content-Type": "application/xml"} if path.endswith(".xml") else HTML
        return httpx.Response(200, headers=kind, stream=httpx.ByteStream(found.encode()))

    return handler


def propose(site: Site, url: str = "https://www.beispiel.org/", **kw: str) -> Proposal:
    return propose_profile(url, FAST, transport=httpx.MockTransport(serve(site)), **kw)


SLUGS = ["garten-kalk", "lesepaten", "repair-cafe", "chor-bruehl", "theater-hof"]


def test_projects_beside_an_imprint_exclude_it_by_name():
    site: Site = {"/": page("Beispielstiftung", links(*(f"/{s}/" for s in SLUGS)))}
    site |= {f"/{s}/": project(s.title()) for s in SLUGS}
    site["/impressum/"] = page("Impressum", "<p>Angaben gemäß § 5 TMG.</p>")
    proposal = propose(site)
    profile = proposal.profile
    assert [r for r, _ in proposal.decision.project_paths] == [
        "^/(?!impressum/?$)[a-z0-9][a-z0-9-]*/?$"
    ]
    assert all(profile.is_project_path(f"/{s}/") for s in SLUGS)
    assert not profile.is_project_path("/impressum/")
    assert profile.is_listing_path("/") and profile.start_paths == ("/",)
    assert proposal.notes[0].message == (
        "/{slug}: taken as project pages, but 1 of 6 sampled gave no period, funders or status "
        "(those the parser found no project on are excluded by name)"
    )
    assert proposal.notes[0].examples == ("https://www.beispiel.org/impressum",)


def test_pages_with_a_contact_alone_are_projects_when_paginated_listings_link_them():
    slugs = [f"angebot-{c}" for c in "abcdefgh"]
    site: Site = {
        "/": page("Verein", links("/projekte/")),
        "/projekte/": page("Projekte", links(*(f"/projekte/{s}/" for s in slugs[:4]))),
        "/projekte/page/2/": page("Projekte 2", links(*(f"/projekte/{s}/" for s in slugs[4:]))),
        "/ueber-uns/": contact_only("Über uns"),
    }
    site["/projekte/"] = str(site["/projekte/"]) + '<a href="/projekte/page/2/">2</a>'
    site |= {f"/projekte/{s}/": contact_only(s.title()) for s in slugs}
    proposal = propose(site)
    profile = proposal.profile
    assert all(profile.is_project_path(f"/projekte/{s}/") for s in slugs)
    assert not profile.is_project_path("/projekte/page/2/")
    assert not profile.is_project_path("/ueber-uns/")
    assert profile.is_listing_path("/projekte/page/2/")
    assert "/projekte/{slug}: taken as project pages for how listings link them" in [
        n.message for n in proposal.notes
    ]
    # a .org domain: the country is read from the phone numbers and postcodes
    assert profile.country == "AT"
    assert "country AT from the pages' phone numbers and postcodes" in [
        n.message for n in proposal.notes
    ]


def test_a_mirror_names_its_origin_by_its_canonical_link_and_typo3_by_chash():
    canonical = '<link rel="canonical" href="https://www.stiftung-x.de/">'
    paths = [f"/projekte/{s}/?cHash=ab{i}" for i, s in enumerate(SLUGS)]
    site: Site = {
        "/": page("Start | Stiftung X", links(*paths, "/en/"), head=canonical),
        "/en/": page("Home | Stiftung X", links(*paths[:2]), lang="en"),
    }
    site |= {f"/projekte/{s}/": project(s.title()) for s in SLUGS}
    proposal = propose(site, "https://staging.example.net/")
    profile = proposal.profile
    assert profile.origin == "https://www.stiftung-x.de"
    assert profile.id == "stiftung-x" and profile.name == "Stiftung X"
    assert proposal.base_url == "https://staging.example.net"
    assert profile.ignored_params == ("cHash", "no_cache", "type")
    assert profile.english_paths == ("^/en(?:/|$)",) and profile.default_lang == "de"
    assert profile.start_paths == ("/", "/en/")
    assert profile.host_aliases == ("stiftung-x.de",) and profile.country == "DE"
    assert (
        "fetched from https://staging.example.net; the site's origin https://www.stiftung-x.de "
        "comes from the home page's canonical link: crawl with --base-url "
        "https://staging.example.net"
    ) in [n.message for n in proposal.notes]


def test_wordpress_sitemaps_and_a_redirecting_home():
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>https://www.wp-stiftung.de/p/{s}/</loc></url>" for s in SLUGS)
        + "</urlset>"
    )
    site: Site = {
        "/": (301, {"Location": "https://www.wp-stiftung.de/start/"}),
        "/start/": page("WP", '<link rel="stylesheet" href="/wp-content/themes/x.css">'),
        "/wp-sitemap.xml": sitemap,
    }
    site |= {f"/p/{s}/": project(s.title()) for s in SLUGS}
    proposal = propose(site, "https://wp-stiftung.de/")
    profile = proposal.profile
    assert profile.origin == "https://www.wp-stiftung.de" and proposal.base_url is None
    assert profile.sitemap_paths == ("/wp-sitemap.xml",)
    assert profile.ignored_params == ("replytocom",)
    assert profile.start_paths == ("/start/",) and profile.is_listing_path("/start/")
    assert "no robots.txt: everything is allowed" in [n.message for n in proposal.notes]


def test_not_an_http_url():
    with pytest.raises(InputError, match=re.escape("'ftp://x.de/' is not an http(s) URL")):
        propose({}, "ftp://x.de/")


VERDICTS = [
    # (parser kind, facts, verdict)
    ("project", ("period", "contact"), "project"),
    ("project", ("funders",), "project"),
    ("project", ("status",), "project"),
    ("project", ("contact",), "weak"),
    ("invalid", (), "weak"),
    ("not_project", (), "other"),
]


@pytest.mark.parametrize(("kind", "facts", "verdict"), VERDICTS)
def test_page_verdict(kind, facts, verdict):
    assert page_verdict(Visit("k", "fetched", 200, kind=kind, facts=facts)) == verdict


def test_no_verdict_without_a_page():
    assert page_verdict(Visit("k", "gone", 404)) is None
    assert page_verdict(Visit("k", "redirect", 301, final_key="j")) is None


SITE_IDS = [
    ("https://www.stiftung-lichtenweide.de", "stiftung-lichtenweide"),
    ("https://farnegg-stiftung.ch", "farnegg-stiftung"),
    ("http://127.0.0.1:8080", "127.0.0.1"),
    ("https://projekte.example.co.uk", "projekte.example.co"),
]


@pytest.mark.parametrize(("origin", "expected"), SITE_IDS)
def test_site_id(origin, expected):
    assert site_id(origin) == expected


def test_a_listings_later_pages_beside_the_project_slugs_are_never_project_pages():
    slugs = [f"angebot-{c}" for c in "abcdefgh"]
    site: Site = {
        "/": page("Verein", links("/projekte/")),
        "/projekte/": page("Projekte", links(*(f"/projekte/{s}" for s in slugs[:4]))),
        "/projekte/seite-2": page("Projekte 2", links(*(f"/projekte/{s}" for s in slugs[4:]))),
    }
    site["/projekte/"] = str(site["/projekte/"]) + '<a href="/projekte/seite-2">2</a>'
    site |= {f"/projekte/{s}": project(s.title()) for s in slugs}
    profile = propose(site).profile
    assert all(profile.is_project_path(f"/projekte/{s}") for s in slugs)
    assert not profile.is_project_path("/projekte/seite-2")
    assert not profile.is_project_path("/projekte/seite-3")  # met by a later crawl
