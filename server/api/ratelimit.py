"""A small token bucket per client address for the endpoints anyone can reach: enrollment and the progress page,
each with its own budget and its own buckets."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class RateLimiter:
    """``per_minute`` requests a minute per key, in bursts of up to as many.  Per process: behind a load balancer
    the balancer's own limit is the outer fence (docs/operations.md).

    Attributes:
        clock: monotonic seconds; the tests replace it to decide when tokens come back.
    """

    #: Buckets held at most; beyond it the full ones (which carry no state) are dropped first.
    MAX_KEYS = 100_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Take a token of ``key``'s bucket: 0.0 when one was there, else the seconds until one is back (and
        nothing is taken)."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if len(self._buckets) >= self.max_keys and key not in self._buckets:
                self._evict(now)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1, now)
            return 0.0

    def allow(self, key: str) -> bool:
        return self.acquire(key) == 0.0

    def _evict(self, now: float) -> None:
        """Make room without forgiving the clients being limited: a flood of new addresses must not empty their
        buckets.  The buckets holding the most tokens go first (a full one carries no state at all), down to a
        tenth of the room below the bound, so eviction runs rarely."""
        current = {k: min(self.burst, t + (now - last) * self.rate) for k, (t, last) in self._buckets.items()}
        keep = max(0, self.max_keys - max(1, self.max_keys // 10))
        for k in sorted(current, key=current.__getitem__, reverse=True)[: len(current) - keep]:
            del self._buckets[k]


@dataclass(frozen=True)
class RateLimits:
    """The budgets of the public endpoints: separate buckets, so a flood of one never locks out the other."""

    enroll: RateLimiter
    progress: RateLimiter


class RateLimitedError(Exception):
    """A request over its budget; ``retry_after``: whole seconds until the next one may pass (at least 1)."""

    def __init__(self, wait: float) -> None:
        super().__init__("rate limited")
        self.retry_after = max(1, math.ceil(wait))
