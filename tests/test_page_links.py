"""Links of a page as the crawler and the onboarding sample follow them: absolute, relative
ones against the page's <base href> when it has one (Contao writes one and relative links)."""

from __future__ import annotations

import pytest

from pipeline.crawl.links import page_hrefs, page_links, resolve_links

PAGE = "https://www.example.org/grants/2024/river-school.html"


@pytest.mark.parametrize(
    ("html", "links"),
    [
        (  # no base: relative to the page itself
            '<a href="other.html">x</a><a href="/de/">y</a>',
            ["https://www.example.org/grants/2024/other.html", "https://www.example.org/de/"],
        ),
        (  # a base at the site's root, as Contao writes it
            '<head><base href="https://www.example.org/"></head>'
            '<a href="grants/2022/old.html">x</a><a href="#top">top</a>',
            ["https://www.example.org/grants/2022/old.html"],
        ),
        (  # a relative base is relative to the page
            '<base href="../"><a href="2023/a.html">x</a>',
            ["https://www.example.org/grants/2023/a.html"],
        ),
        (  # an empty base changes nothing; mail, phone and script links are no links
            '<base href=""><a href="b.html">b</a><a href="mailto:x@example.org">m</a>'
            '<a href="tel:+4940123">t</a><a href="javascript:void(0)">j</a>',
            ["https://www.example.org/grants/2024/b.html"],
        ),
        (  # the first base counts; an image map's area too
            '<base href="/a/"><base href="/b/"><map><area href="c.html"></map>',
            ["https://www.example.org/a/c.html"],
        ),
    ],
)
def test_links_are_absolute_and_relative_to_the_base(html, links):
    assert page_links(html, PAGE) == links


def test_the_hrefs_as_written_stay_available_for_phone_links():
    hrefs, base = page_hrefs('<base href="/x/"><a href="tel:+4940123">call</a><a href="y">y</a>')
    assert (hrefs, base) == (["tel:+4940123", "y"], "/x/")
    assert resolve_links(hrefs, base, PAGE) == ["https://www.example.org/x/y"]


def test_a_project_page_s_links_are_followed_against_its_base():
    from pipeline.crawl.analyze import AnalysisJob, analyze
    from pipeline.crawl.scope import Scope
    from pipeline.profiles.model import generic_profile

    scope = Scope(generic_profile("https://www.example.org/"))
    html = (
        b'<html><head><base href="https://www.example.org/"></head><body><main>'
        b'<h1>River school</h1><p><a href="grants/2022/old-school.html">Old school</a></p>'
        b"</main></body></html>"
    )
    job = AnalysisJob("project", PAGE, PAGE, html, "text/html", 1 << 20)
    found = {f.target.site_url for f in analyze(scope, job).found}
    assert "https://www.example.org/grants/2022/old-school.html" in found
    assert not any("/grants/2024/grants/" in url for url in found)
