"""The crawl's sockets (pipeline.crawl.network) against real servers on 127.0.0.1: kept-alive
connections reused, one the server closed while idle replaced, timeouts, refusals, large bodies
under flow control, TLS; and requests built without httpx's per-request merge equal to the ones
httpx builds."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import ssl
import threading
import time
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


def _tls_contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    return server_context, client_context


def test_proxies_from_the_environment_are_still_used(monkeypatch):
    """HTTP_PROXY reaches httpx's proxy mounts; the direct transport alone is ours."""

    async def go() -> tuple[list[bytes], list[bytes]]:
        seen: dict[str, list[bytes]] = {"proxy": [], "origin": []}

        def answer(name: str) -> Callable[..., Awaitable[None]]:
            async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                head = await reader.readuntil(b"\r\n\r\n")
                seen[name].append(head.split(b"\r\n", 1)[0])
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                await writer.drain()
                writer.close()

            return handle

        proxy = await asyncio.start_server(answer("proxy"), "127.0.0.1", 0)
        origin = await asyncio.start_server(answer("origin"), "127.0.0.2", 0)
        proxy_port = proxy.sockets[0].getsockname()[1]
        origin_port = origin.sockets[0].getsockname()[1]
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with CrawlClient(trust_env=True) as client:
            assert (await client.get(f"http://127.0.0.2:{origin_port}/page")).content == b"ok"
        proxy.close()
        origin.close()
        return seen["proxy"], seen["origin"]

    through_proxy, direct = asyncio.run(go())
    assert direct == [] and len(through_proxy) == 1
    assert re.fullmatch(rb"GET http://127\.0\.0\.2:\d+/page HTTP/1\.1", through_proxy[0])


def test_a_dead_first_address_does_not_use_up_the_connect_timeout(monkeypatch):
    """A host with two addresses, the first one silent (a full accept queue drops the SYNs),
    is reached at the second one at once: the addresses are raced, as anyio races them."""
    full = socket.socket()
    full.bind(("127.0.0.1", 0))
    full.listen(0)
    silent_port = full.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", silent_port))
        fillers.append(filler)

    async def go() -> float:
        await asyncio.sleep(0.2)
        async with serving() as server:
            port = int(server.url.rsplit(":", 1)[1])
            real = socket.getaddrinfo

            def two_addresses(host: object, *args: object, **kwargs: object) -> object:
                if host in ("dual.test", b"dual.test"):
                    return [
                        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", silent_port)),
                        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                    ]
                return real(host, *args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
            timeout = httpx.Timeout(5, connect=3)
            async with CrawlClient(trust_env=False, timeout=timeout) as client:
                started = time.monotonic()
                assert (await client.get(f"http://dual.test:{port}/x")).content == b"page /x"
                return time.monotonic() - started

    try:
        assert asyncio.run(go()) < 1.5
    finally:
        for filler in fillers:
            filler.close()
        full.close()


def test_closing_an_https_connection_does_not_wait_for_the_server_s_close_notify():
    server_context, client_context = _tls_contexts()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    gone = threading.Event()

    def silent_server() -> None:  # answers once, then never answers the client's close_notify
        raw, _ = listener.accept()
        tls = server_context.wrap_socket(raw, server_side=True)
        head = b""
        while b"\r\n\r\n" not in head:
            head += tls.recv(4096)
        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        below = socket.socket(fileno=os.dup(tls.fileno()))
        while True:
            try:
                if not below.recv(4096):
                    break
            except OSError:
                break
        gone.set()

    thread = threading.Thread(target=silent_server, daemon=True)
    thread.start()

    async def go() -> None:
        client = CrawlClient(verify=client_context, trust_env=False)
        port = listener.getsockname()[1]
        assert (await client.get(f"https://127.0.0.1:{port}/")).content == b"ok"
        await client.aclose()

    asyncio.run(go())
    try:
        assert gone.wait(3)  # the socket is closed at once, not after a 30 s TLS shutdown
    finally:
        listener.close()
