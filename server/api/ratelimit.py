"""A small token bucket per client address for the endpoints anyone can reach (enrollment, progress page)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """``per_minute`` requests a minute per key, in bursts of up to as many.  Per process: behind a load balancer
    the balancer's own limit is the outer fence (docs/operations.md).

    Attributes:
        clock: monotonic seconds; the tests replace it to decide when tokens come back.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True
