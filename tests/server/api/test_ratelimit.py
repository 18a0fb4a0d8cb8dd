"""The token bucket of the public endpoints."""

from __future__ import annotations

from server.api.ratelimit import RateLimiter
from tests.server.apikit import Clock


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
