"""The crawl's HTTP client: httpx's, with two costs of a cheap answer taken out.

- httpx hands every response to its cookie jar, which first wraps request and response in
  urllib compatibility objects (parsing the URL again): about 4 % of the CPU of a re-crawl whose
  answers are all 304s, though almost no answer carries ``Set-Cookie``. The jar now reads only
  answers that set a cookie; cookies that are set are kept and sent as before.
- httpx's transport sends through httpcore's connection pool on anyio's sockets; the pool here
  is the same httpcore pool on :mod:`pipeline.crawl.network`'s asyncio backend (about a fifth
  less CPU per request). Proxies from the environment keep httpx's own transports.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
import httpx

from pipeline.crawl.network import AsyncioBackend


class CrawlTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP transport whose httpcore pool runs on :class:`AsyncioBackend`."""

    def __init__(
        self,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits | None = None,
        trust_env: bool = True,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        context = httpx.create_ssl_context(verify=verify, trust_env=trust_env)
        super().__init__(verify=context, limits=limits, trust_env=trust_env)
        # The same pool httpx makes (see httpx.AsyncHTTPTransport), on the asyncio backend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=AsyncioBackend(),
        )


class _SetCookieOnly(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class CrawlClient(httpx.AsyncClient):
    """:class:`httpx.AsyncClient` whose cookie jar skips answers without ``Set-Cookie``."""

    def __init__(self, **kwargs: Any) -> None:
        custom = kwargs.get("transport") is not None
        trust_env = kwargs.get("trust_env", True)
        if not custom and not isinstance(kwargs.get("verify", True), ssl.SSLContext):
            # one SSL context (loading the CA bundle costs ~20 ms) for httpx's transports
            # and for ours
            kwargs["verify"] = httpx.create_ssl_context(
                verify=kwargs.get("verify", True), trust_env=trust_env
            )
        # httpx builds its own transports first, the proxies of the environment among them
        # (it mounts those only when no transport is passed); then the direct one is replaced.
        super().__init__(**kwargs)
        if not custom:
            self._transport = CrawlTransport(
                verify=kwargs["verify"], limits=kwargs.get("limits"), trust_env=trust_env
            )
        self._jar = _SetCookieOnly(kwargs.get("cookies"))

    @property
    def cookies(self) -> httpx.Cookies:
        return self._jar

    @cookies.setter
    def cookies(self, cookies: httpx._types.CookieTypes) -> None:
        self._jar = _SetCookieOnly(cookies)
