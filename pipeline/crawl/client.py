"""The crawl's HTTP client: httpx's, reading cookies only from answers that set one.

httpx hands every response to its cookie jar, which first wraps request and response in
urllib compatibility objects (parsing the URL again): about 4 % of the CPU of a re-crawl whose
answers are all 304s, though almost no answer carries ``Set-Cookie``. Cookies that are set are
kept and sent as before.
"""

from __future__ import annotations

from typing import Any

import httpx


class _SetCookieOnly(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class CrawlClient(httpx.AsyncClient):
    """:class:`httpx.AsyncClient` whose cookie jar skips answers without ``Set-Cookie``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._jar = _SetCookieOnly(kwargs.get("cookies"))

    @property
    def cookies(self) -> httpx.Cookies:
        return self._jar

    @cookies.setter
    def cookies(self, cookies: httpx._types.CookieTypes) -> None:
        self._jar = _SetCookieOnly(cookies)
