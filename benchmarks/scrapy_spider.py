"""The Scrapy comparison for crawl_speed.py: a spider doing the core of our crawl, nothing more.

Usage: python benchmarks/scrapy_spider.py BASE_URL CONCURRENCY   (prints one JSON line)

It starts at the project search, follows its query-string pagination and every project link
(Scrapy's duplicate filter canonicalizes URLs), obeys robots.txt, and extracts four fields of
each project page by their visible labels (title, status, period, funders). No validation,
no storage, no change detection, no archive: a lower bound on what our pipeline does per page.
Scrapy is not a dependency of the project; crawl_speed.py runs this only if it is installed.
"""

from __future__ import annotations

import json
import re
import sys
import time
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

PROJECT = re.compile(r"^/(?:projekte/[^/]+/?|service/projekte/detail/[^/]+/?)$")
LISTING = re.compile(r"^/service/projekte/?$")
LABELS = {
    "status": ("Projektstatus", "Status"),
    "period": ("Zeitraum", "Laufzeit", "Projektlaufzeit"),
    "funders": ("Gefördert durch", "Finanziert durch", "Förderung", "Fördermittelgeber"),
}


# Per field: its labels and an XPath test for a text node that starts with one of them.
FIELD_TESTS = {
    name: (labels, " or ".join(f"starts-with(normalize-space(.), '{label}')" for label in labels))
    for name, labels in LABELS.items()
}


class ProjectSpider(scrapy.Spider):
    name = "projects"

    def __init__(self, base_url: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.start_urls = [base_url.rstrip("/") + "/service/projekte/"]
        self.host = urlsplit(base_url).netloc
        self.projects = 0
        self.pages = 0

    def parse(self, response: scrapy.http.Response):  # type: ignore[override]
        self.pages += 1
        path = urlsplit(response.url).path
        if PROJECT.match(path):
            self.projects += 1
            yield self._fields(response)
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            parts = urlsplit(url)
            if parts.netloc == self.host and (
                PROJECT.match(parts.path) or LISTING.match(parts.path)
            ):
                yield scrapy.Request(url, callback=self.parse)

    def _fields(self, response: scrapy.http.Response) -> dict[str, object]:
        item: dict[str, object] = {"title": response.css("h1::text").get(default="").strip()}
        for name, (labels, test) in FIELD_TESTS.items():
            element = response.xpath(f"(//body//*[text()[{test}]])[1]")
            if not element:
                continue
            text = (element.xpath(f"text()[{test}]").get() or "").strip()
            label = next((label for label in labels if text.startswith(label)), "")
            value = text[len(label) :].lstrip(": ").strip()
            item[name] = value or (
                element.xpath("following::text()[normalize-space()][1]").get(default="").strip()
            )
        return item


def main() -> None:
    base_url, concurrency = sys.argv[1], int(sys.argv[2])
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "COOKIES_ENABLED": False,
            "RETRY_TIMES": 2,
            "USER_AGENT": "foundation-pipeline-benchmark (Scrapy comparison)",
        }
    )
    crawler = process.create_crawler(ProjectSpider)
    start = time.perf_counter()
    process.crawl(crawler, base_url=base_url)
    process.start()
    elapsed = time.perf_counter() - start
    spider = crawler.spider
    print(json.dumps({"seconds": elapsed, "pages": spider.pages, "projects": spider.projects}))


if __name__ == "__main__":
    main()
