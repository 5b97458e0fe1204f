"""Path shapes (pipeline/onboard/shapes.py): which segments generalize, and the regexes."""

from __future__ import annotations

import re

import pytest

from pipeline.onboard.shapes import ANY_SEGMENT, SLUG, Shape, Token, segments, shapes

WORDPRESS = [
    "/",
    "/foerderprojekte/",
    "/foerderprojekte/lesepaten/",
    "/foerderprojekte/repair-schule/",
    "/foerderprojekte/page/2/",
    "/foerderprojekte/page/3/",
    "/impressum/",
    "/2024/05/14/fachforum/",
    "/2023/11/20/jahresbericht-2022/",
]
DRUPAL = [
    "/de",
    "/de/projekte",
    "/de/projekte/2019",
    "/de/projekte/2019/bergschule",
    "/de/projekte/2024/stadtgruen-luzern",
    "/de/aktuelles/2023/jahresbericht",
    "/en/projects/2023/pont-du-lac",
    "/node/201",
    "/node/612",
]
PADDED = ["/bereich-1/", "/bereich-1/seite-0/", "/bereich-2/seite-11/", "/bereich-10/seite-3/"]
TYPO3 = [
    "/projekte/aktionsraummitte/",
    "/projekte/Buergerhaushalt_2020/",
    "/service/projekte/",
    "/service/projekte/detail/pfd-spandau",
    "/geschaeftsbereiche/soziale-dienste/",
    "/geschaeftsbereiche/soziale-dienste/standort-potsdam/",
    "/geschaeftsbereiche/jugendhilfe/",
]

CASES = [
    # (paths, path, label, regex)
    (WORDPRESS, "/", "/", "^/$"),
    (WORDPRESS, "/foerderprojekte/", "/foerderprojekte", "^/foerderprojekte/?$"),
    (
        WORDPRESS,
        "/foerderprojekte/lesepaten/",
        "/foerderprojekte/{slug}",
        f"^/foerderprojekte/{SLUG}/?$",
    ),
    (
        WORDPRESS,
        "/foerderprojekte/page/3/",
        "/foerderprojekte/page/{number}",
        r"^/foerderprojekte/page/\d+/?$",
    ),
    (WORDPRESS, "/impressum/", "/{slug}", f"^/{SLUG}/?$"),
    (
        WORDPRESS,
        "/2023/11/20/jahresbericht-2022/",
        "/{number}/{number}/{number}/{slug}",
        rf"^/\d+/\d+/\d+/{SLUG}/?$",
    ),
    (DRUPAL, "/de/projekte", "/de/projekte", "^/de/projekte/?$"),
    (DRUPAL, "/de/projekte/2019", "/de/projekte/{number}", r"^/de/projekte/\d+/?$"),
    (
        DRUPAL,
        "/de/projekte/2024/stadtgruen-luzern",
        "/de/projekte/{number}/{slug}",
        rf"^/de/projekte/\d+/{SLUG}/?$",
    ),
    (
        DRUPAL,
        "/de/aktuelles/2023/jahresbericht",
        "/de/aktuelles/{number}/{slug}",
        rf"^/de/aktuelles/\d+/{SLUG}/?$",
    ),
    (DRUPAL, "/node/612", "/node/{number}", r"^/node/\d+/?$"),
    (PADDED, "/bereich-1/", "/bereich-{n}", r"^/bereich-\d+/?$"),
    (PADDED, "/bereich-10/seite-3/", "/bereich-{n}/{slug}", rf"^/bereich-\d+/{SLUG}/?$"),
    (
        TYPO3,
        "/projekte/Buergerhaushalt_2020/",
        "/projekte/{slug}",
        f"^/projekte/{ANY_SEGMENT}/?$",
    ),
    (TYPO3, "/service/projekte/", "/service/projekte", "^/service/projekte/?$"),
    (
        TYPO3,
        "/service/projekte/detail/pfd-spandau",
        "/service/projekte/detail/{slug}",
        f"^/service/projekte/detail/{SLUG}/?$",
    ),
    (
        TYPO3,
        "/geschaeftsbereiche/jugendhilfe/",
        "/geschaeftsbereiche/{slug}",
        f"^/geschaeftsbereiche/{SLUG}/?$",
    ),
    (
        TYPO3,
        "/geschaeftsbereiche/soziale-dienste/standort-potsdam/",
        "/geschaeftsbereiche/soziale-dienste/{slug}",
        f"^/geschaeftsbereiche/soziale-dienste/{SLUG}/?$",
    ),
]


@pytest.mark.parametrize(("paths", "path", "label", "regex"), CASES)
def test_shape_of_a_path(paths, path, label, regex):
    shape = shapes(paths)[path]
    assert (shape.label(), shape.regex()) == (label, regex)
    assert re.search(regex, path)


@pytest.mark.parametrize("paths", [WORDPRESS, DRUPAL, PADDED, TYPO3])
def test_every_path_has_a_shape_that_matches_it(paths):
    found = shapes(paths)
    assert set(found) == set(paths)
    for path, shape in found.items():
        assert re.search(shape.regex(), path), path
        assert re.search(shape.regex(shape.tokens[-1].siblings if shape.tokens else ()), path)


SEGMENTS = [
    ("/", ()),
    ("/a/b/", ("a", "b")),
    ("/a//b", ("a", "b")),
    ("/a/b?page=2", ("a", "b")),
]


@pytest.mark.parametrize(("path", "expected"), SEGMENTS)
def test_segments(path, expected):
    assert segments(path) == expected


EXCLUDED = [
    # (excluded names, path, matches)
    (("page",), "/foerderprojekte/lesepaten/", True),
    (("page",), "/foerderprojekte/page/", False),
    (("page",), "/foerderprojekte/pages-of-history/", True),
    (("page", "feed"), "/foerderprojekte/feed", False),
    ((), "/foerderprojekte/page", True),
]


@pytest.mark.parametrize(("names", "path", "matches"), EXCLUDED)
def test_a_slug_can_exclude_the_hubs_beside_it(names, path, matches):
    shape = Shape((Token("fixed", "foerderprojekte"), Token("slug", SLUG)))
    assert bool(re.search(shape.regex(names), path)) is matches


def test_a_slug_knows_the_hub_segments_beside_it():
    shape = shapes(WORDPRESS)["/foerderprojekte/lesepaten/"]
    assert shape.tokens[-1].siblings == ("page",)
    assert shape.parent.concrete and shape.parent.path == "/foerderprojekte"


def test_segments_are_kept_as_written_in_the_regex_but_escaped():
    shape = shapes(["/über.uns/a/", "/über.uns/b/"])["/über.uns/a/"]
    assert shape.regex() == rf"^/über\.uns/{SLUG}/?$"
    assert not re.search(shape.regex(), "/überXuns/a/")
