"""The rate limits of the public endpoints: the token bucket, where a request comes from (X-Forwarded-For only
from a trusted proxy), separate budgets for enrollment and the progress page, and the 429 answers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import pytest

from server.api.deps import bucket_key, forwarded_client
from server.api.ratelimit import RateLimitedError, RateLimiter
from server.settings import ServerSettings
from tests.server.apikit import CENTER, Clock
from tests.server.httpkit import Answer, call
from tests.serverkit import ServerProcess, ServerThread


def test_the_rate_limiter_refills_at_its_rate_and_per_key() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another address has its own bucket
    clock.now += 19.9  # 3 a minute: one token every 20 s
    assert not limiter.allow("a")
    clock.now += 0.2
    assert limiter.allow("a") and not limiter.allow("a")
    clock.now += 3600  # never more than the burst
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_a_flood_of_new_addresses_does_not_forgive_the_limited_one() -> None:
    # The buckets are bounded; making room must never drop the bucket of a client being limited.
    clock = Clock()
    limiter = RateLimiter(2, clock=clock, max_keys=50)
    assert [limiter.allow("attacker") for _ in range(3)] == [True, True, False]
    for n in range(500):  # many fresh addresses, each with a bucket left partly used
        assert limiter.allow(f"flood-{n}")
        clock.now += 0.01
    assert not limiter.allow("attacker")
    assert len(limiter._buckets) <= 50


def test_acquire_says_how_long_until_the_next_token() -> None:
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)  # one token every 30 s
    assert [limiter.acquire("a"), limiter.acquire("a")] == [0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(30.0)
    clock.now += 20
    assert limiter.acquire("a") == pytest.approx(10.0)
    assert RateLimitedError(0.2).retry_after == 1 and RateLimitedError(10.01).retry_after == 11


# ------------------------------------------------------------------------------------------------ client address

PROXIES = (ip_network("10.0.0.0/24"), ip_network("192.0.2.7/32"), ip_network("2001:db8:ffff::/48"))


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # No trusted peer: the header is anyone's to write, and ignored.
        ("198.51.100.1", ["203.0.113.9"], "198.51.100.1"),
        ("198.51.100.1", [], "198.51.100.1"),
        # A trusted peer: the right-most address that is not itself a trusted proxy.
        ("10.0.0.5", ["203.0.113.9"], "203.0.113.9"),
        ("10.0.0.5", ["1.1.1.1, 203.0.113.9"], "203.0.113.9"),  # what the client wrote on the left is not believed
        ("10.0.0.5", ["1.1.1.1, 203.0.113.9, 192.0.2.7"], "203.0.113.9"),  # a chain of trusted proxies
        ("10.0.0.5", ["1.1.1.1", "203.0.113.9", "10.0.0.9"], "203.0.113.9"),  # several header lines, in order
        ("10.0.0.5", ["203.0.113.9:4711"], "203.0.113.9"),
        ("10.0.0.5", ["[2001:db8::1]:4711"], "2001:db8::1"),
        ("10.0.0.5", ["::ffff:203.0.113.9"], "203.0.113.9"),
        ("2001:db8:ffff::2", ["203.0.113.9"], "203.0.113.9"),
        ("::ffff:10.0.0.5", ["203.0.113.9"], "203.0.113.9"),
        # A trusted peer without the header, or one that wrote no address: the last trusted hop is the client.
        ("10.0.0.5", [], "10.0.0.5"),
        ("10.0.0.5", ["unknown"], "10.0.0.5"),
        ("10.0.0.5", ["203.0.113.9, garbage, 192.0.2.7"], "192.0.2.7"),
        ("10.0.0.5", [""], "10.0.0.5"),
        # Every hop trusted: the left-most.
        ("10.0.0.5", ["10.0.0.1, 192.0.2.7"], "10.0.0.1"),
    ],
)
def test_the_client_is_the_rightmost_address_not_a_trusted_proxy(peer: str, forwarded: list[str], client: str) -> None:
    assert forwarded_client(peer, forwarded, PROXIES) == client


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert forwarded_client("10.0.0.5", ["203.0.113.9"], ()) == "10.0.0.5"


def test_an_ipv6_client_is_limited_by_its_64() -> None:
    assert bucket_key("2001:db8:1:2:aaaa::1") == bucket_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert bucket_key("2001:db8:1:3::1") != bucket_key("2001:db8:1:2::1")
    assert bucket_key("203.0.113.9") == "203.0.113.9"


def test_trusted_proxies_are_read_as_a_list_of_addresses_and_ranges() -> None:
    settings = ServerSettings(trusted_proxies="10.0.0.5, 10.1.0.7/24  2001:db8::/32")
    assert settings.proxy_networks() == (
        ip_network("10.0.0.5/32"),
        ip_network("10.1.0.0/24"),
        ip_network("2001:db8::/32"),
    )
    assert ServerSettings().proxy_networks() == ()
    with pytest.raises(ValueError, match="10.0.0.x"):
        ServerSettings(trusted_proxies="10.0.0.1, 10.0.0.x")


def test_the_older_single_budget_sets_both_unless_they_are_set() -> None:
    both = ServerSettings(public_rate_per_minute=5)
    assert (both.enroll_rate_per_minute, both.progress_rate_per_minute) == (5, 5)
    one = ServerSettings(public_rate_per_minute=5, enroll_rate_per_minute=2)
    assert (one.enroll_rate_per_minute, one.progress_rate_per_minute) == (2, 5)


# ------------------------------------------------------------------------------------------------ over HTTP
# The test server listens on 127.0.0.1; the whole of 127.0.0.0/8 is this machine, so the tests connect from other
# loopback addresses to be different clients and proxies.

ENROLL = {"code": "AAAA-BBBB-CCCC-DDDD", "center_code": CENTER, "workstation_code": "003"}
CLIENT = "127.0.0.2"
PROXY = "127.0.0.3"
PAGE = "/q/310104003-003-20261123-0001?c=ABCDEF"


@contextlib.contextmanager
def limited_server(store_url: str, **overrides: Any) -> Iterator[tuple[ServerThread, Clock]]:
    """A server whose budgets are 2 a minute (unless ``overrides`` say otherwise), on a clock that moves only when
    the test moves it."""
    settings = {"enroll_rate_per_minute": 2, "progress_rate_per_minute": 2, **overrides}
    server = ServerThread(store_url, settings_overrides=settings)
    clock = Clock()
    server.app.state.runtime.rate_limits.enroll.clock = clock
    server.app.state.runtime.rate_limits.progress.clock = clock
    try:
        yield server, clock
    finally:
        server.stop()


def page(server: ServerThread, source: str = CLIENT, forwarded: str | None = None) -> Answer:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return call(server.port, "GET", PAGE, source=source, headers=headers)


def attempt(server: ServerThread, accept: str | None = None) -> Answer:
    headers = {"Accept": accept} if accept is not None else {}
    return call(server.port, "POST", "/api/v1/enroll", source=CLIENT, headers=headers, body=ENROLL)


def test_a_forged_forwarded_for_from_an_unlisted_peer_is_ignored(store_url: str) -> None:
    with limited_server(store_url) as (server, _clock):
        assert [page(server).status, page(server).status] == [404, 404]
        for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3, 203.0.113.4"):
            assert page(server, forwarded=forged).status == 429, forged
        # The same holds when the server trusts proxies, just not this peer.
    with limited_server(store_url, trusted_proxies=PROXY) as (server, _clock):
        assert [page(server).status, page(server).status] == [404, 404]
        assert page(server, forwarded="203.0.113.1").status == 429


def test_the_forwarded_for_of_a_listed_proxy_names_the_client(store_url: str) -> None:
    with limited_server(store_url, trusted_proxies=f"10.9.9.9, {PROXY}/32") as (server, _clock):
        # Two citizens behind the proxy: each has the budget of their own address.
        assert [page(server, PROXY, "203.0.113.1").status for _ in range(3)] == [404, 404, 429]
        assert [page(server, PROXY, "203.0.113.2").status for _ in range(3)] == [404, 404, 429]
        # What the first one writes on the left of the proxy's entry changes nothing.
        assert page(server, PROXY, "198.51.100.5, 203.0.113.1").status == 429
        # The proxy's own requests (no header) are a third client; a direct client is yet another.
        assert page(server, PROXY).status == 404
        assert page(server, CLIENT).status == 404


def test_enrollment_and_the_progress_page_have_separate_budgets(store_url: str) -> None:
    with limited_server(store_url, enroll_rate_per_minute=2, progress_rate_per_minute=3) as (server, clock):
        assert [attempt(server).status for _ in range(3)] == [403, 403, 429]
        assert [page(server).status for _ in range(4)] == [404, 404, 404, 429]  # its own 3, untouched by enroll
        assert attempt(server).status == 429
        clock.now += 20  # one progress token back (3 a minute), no enrollment token yet (2 a minute: 30 s)
        assert [page(server).status, attempt(server).status] == [404, 429]
        clock.now += 10
        assert attempt(server).status == 403


def test_a_browser_gets_a_chinese_page_and_a_program_the_json_error_both_with_retry_after(store_url: str) -> None:
    with limited_server(store_url) as (server, clock):
        page(server), page(server)
        refused = page(server)
        assert refused.status == 429 and refused.content_type.startswith("text/html")
        assert "请求过于频繁" in refused.text and "30 秒后再试" in refused.text
        assert refused.headers["retry-after"] == "30"
        clock.now += 15
        assert page(server).headers["retry-after"] == "15"

        attempt(server), attempt(server)
        program = attempt(server)
        assert program.status == 429 and program.content_type.startswith("application/json")
        assert program.json() == {"code": "rate_limited", "message": "请求过于频繁，请稍后再试。"}
        assert program.headers["retry-after"] == "30"  # its own bucket, emptied just now
        browser = attempt(server, accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        assert browser.status == 429 and browser.content_type.startswith("text/html")
        assert "请求过于频繁" in browser.text and browser.headers["retry-after"] == "30"


def test_yimen_server_run_leaves_the_client_address_to_the_app(store_url: str, tmp_path: Path) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; ``yimen-server run`` must not let it, or a
    forged header from this very machine would get a fresh budget.  (A real process: no clock to move, so a
    budget of 1 a minute, and the second request follows the first at once.)"""
    process = ServerProcess(store_url, tmp_path)
    environment = process.env
    process.env = lambda: {**environment(), "YIMEN_SERVER_PROGRESS_RATE_PER_MINUTE": "1"}  # type: ignore[method-assign]
    process.start()
    try:
        assert call(process.port, "GET", PAGE).status == 404
        assert call(process.port, "GET", PAGE, headers={"X-Forwarded-For": "203.0.113.1"}).status == 429
    finally:
        process.stop()
