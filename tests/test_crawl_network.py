"""The crawl's sockets (pipeline.crawl.network) against real servers on 127.0.0.1: kept-alive
connections reused, one the server closed while idle replaced, timeouts, refusals, large bodies
under flow control, TLS; and requests built without httpx's per-request merge equal to the ones
httpx builds."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import pytest
import trustme

from pipeline.crawl import CrawlSettings
from pipeline.crawl.client import CrawlClient
from pipeline.crawl.fetcher import Fetcher
from pipeline.crawl.network import AsyncioBackend
from pipeline.crawl.politeness import HostGate
from pipeline.crawl.scope import Scope
from pipeline.fixture_server import FixtureSite, Reply
from pipeline.model import PageState
from pipeline.model.pages import PARSER_VERSION
from pipeline.profiles.model import generic_profile
from tests.crawl_support import SITE
from tests.spi import SPI

BIG = bytes(range(256)) * (5 * 4096)  # 5 MiB


@dataclass
class Server:
    url: str
    connections: int = 0
    requests: list[str] = field(default_factory=list)


Handler = Callable[[str, asyncio.StreamWriter], Awaitable[bool]]


async def _answer(path: str, writer: asyncio.StreamWriter) -> bool:
    """Write the answer to ``path``; False closes the connection afterwards."""
    if path == "/slow":
        await asyncio.sleep(2)
    body = BIG if path == "/big" else f"page {path}".encode()
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    await writer.drain()
    return path != "/close"  # the server hangs up without saying so in a header


@asynccontextmanager
async def serving(tls: ssl.SSLContext | None = None) -> AsyncIterator[Server]:
    server_state = Server("")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server_state.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                server_state.requests.append(path)
                if not await _answer(path, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    server_state.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        yield server_state
    finally:
        server.close()
        await server.wait_closed()


def test_requests_share_one_kept_alive_connection():
    async def go() -> Server:
        async with serving() as server, CrawlClient() as client:
            for n in range(20):
                response = await client.get(f"{server.url}/p{n}")
                assert (response.status_code, response.content) == (200, f"page /p{n}".encode())
            return server

    server = asyncio.run(go())
    assert server.connections == 1 and len(server.requests) == 20


def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed():
    async def go() -> Server:
        async with serving() as server, CrawlClient() as client:
            for _ in range(3):
                assert (await client.get(f"{server.url}/close")).status_code == 200
                await asyncio.sleep(0.05)  # the server's FIN arrives while the connection idles
            assert (await client.get(f"{server.url}/after")).content == b"page /after"
            return server

    server = asyncio.run(go())
    assert server.connections == 4


def test_a_read_timeout_is_httpx_s_read_timeout():
    async def go() -> None:
        async with serving() as server, CrawlClient(timeout=httpx.Timeout(0.2)) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(f"{server.url}/slow")

    asyncio.run(go())


def test_a_refused_connection_is_httpx_s_connect_error():
    async def go() -> None:
        async with serving() as server:
            url = server.url
        async with CrawlClient() as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(url + "/gone")

    asyncio.run(go())


def test_a_large_body_streams_intact_and_a_slow_reader_stops_the_socket_reads():
    waiting: list[int] = []

    async def go() -> list[bytes]:
        async with (
            serving() as server,
            CrawlClient() as client,
            client.stream("GET", f"{server.url}/big") as response,
        ):
            chunks = []
            async for chunk in response.aiter_raw():
                if not chunks:  # the server has sent it all; we take our time
                    await asyncio.sleep(0.3)
                    stream = response.extensions["network_stream"]
                    waiting.append(len(stream._protocol.buffer))
                chunks.append(chunk)
            return chunks

    chunks = asyncio.run(go())
    assert b"".join(chunks) == BIG
    assert 0 < waiting[0] <= (1 << 20) + (256 << 10)  # not the whole 5 MiB in memory


def test_https_works_with_a_trusted_certificate_and_fails_clearly_without():
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)

    async def go() -> None:
        async with serving(server_context) as server:
            async with CrawlClient(verify=client_context) as client:
                response = await client.get(f"{server.url}/secure")
                assert response.content == b"page /secure"
                assert response.extensions["network_stream"].get_extra_info("ssl_object")
            async with CrawlClient() as client:
                with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                    await client.get(f"{server.url}/secure")

    asyncio.run(go())


def test_the_crawl_client_sends_through_the_asyncio_backend(monkeypatch):
    opened: list[tuple[str, int]] = []
    real = AsyncioBackend.connect_tcp

    async def counting(self: AsyncioBackend, host: str, port: int, **kwargs: object) -> object:
        opened.append((host, port))
        return await real(self, host, port, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(AsyncioBackend, "connect_tcp", counting)

    async def go() -> None:
        async with serving() as server, CrawlClient() as client:
            await client.get(f"{server.url}/one")

    asyncio.run(go())
    assert [host for host, _ in opened] == ["127.0.0.1"]


def _fetcher(client: httpx.AsyncClient) -> Fetcher:
    settings = CrawlSettings()
    return Fetcher(client, settings, Scope(SPI), HostGate(1, 0.0))


@pytest.mark.parametrize(
    "validators",
    [[], [(b"If-None-Match", b'"abc"'), (b"If-Modified-Since", b"Mon, 01 Jan 2024 00:00:00 GMT")]],
)
def test_a_request_built_directly_equals_the_one_httpx_builds(validators):
    client = httpx.AsyncClient()
    fetcher = _fetcher(client)
    url = "http://127.0.0.1:8080/de/projekte/a/?x=1&y=%C3%BC"
    ours = fetcher._build(url, validators)
    settings = CrawlSettings()
    httpx_own = client.build_request(
        "GET",
        url,
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Encoding": "gzip, deflate",
            **{k.decode(): v.decode() for k, v in validators},
        },
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout, pool=None),
    )
    assert ours.headers.raw == httpx_own.headers.raw
    assert (ours.url, ours.method, ours.extensions) == (
        httpx_own.url,
        httpx_own.method,
        httpx_own.extensions,
    )


def test_validators_are_sent_only_for_a_page_parsed_by_this_parser_and_profile():
    fetcher = _fetcher(httpx.AsyncClient())

    def state(fingerprint: str | None, parser_version: int = PARSER_VERSION) -> PageState:
        return PageState(
            '"e1"',
            "Mon, 01 Jan 2024 00:00:00 GMT",
            "hash",
            (),
            True,
            None,
            parser_version=parser_version,
            profile_fingerprint=fingerprint,
        )

    fresh = state(SPI.fingerprint)
    assert fetcher._headers(fresh) == [
        (b"If-None-Match", b'"e1"'),
        (b"If-Modified-Since", b"Mon, 01 Jan 2024 00:00:00 GMT"),
    ]
    assert fetcher._headers(state("another profile")) == []
    assert fetcher._headers(state(SPI.fingerprint, PARSER_VERSION - 1)) == []
    assert fetcher._headers(None) == []


def test_a_fetcher_sends_back_a_cookie_the_site_set():
    with FixtureSite(SITE / "v1") as site:
        site.override("/set/", lambda r: Reply(200, b"<p>ok</p>", {"Set-Cookie": "s=1; Path=/"}))
        site.override("/plain/", lambda r: Reply(200, b"<p>ok</p>"))
        profile = generic_profile(site.url)
        scope = Scope(profile)

        async def go() -> None:
            async with CrawlClient() as client:
                fetcher = Fetcher(client, CrawlSettings(), scope, HostGate(1, 0.0))
                for path in ("/set/", "/plain/", "/plain/"):
                    target = scope.target(site.url + path)
                    assert target is not None
                    assert (await fetcher.fetch(target)).status == 200

        asyncio.run(go())
        sent = [r.headers.get("cookie") for r in site.requests if r.path == "/plain/"]
    assert sent == ["s=1", "s=1"]
