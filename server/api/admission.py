"""Admission control of pushes: at most K pushes (``POST /api/v1/events``) in flight per server process; beyond
them a push is answered at once, before its body is read, with 503, ``Retry-After`` and the ``server_busy`` error
body (docs/sync-protocol.md "When the server is busy", docs/operations.md "Admission control").

Why: when 200 counters push together, admitting all of them makes every request wait behind nearly all the others
(the p99 of a push was 6–12 s in the city-morning benchmark); admitting K keeps each admitted push fast and tells
the others when to come back.  Feed polls and every other endpoint pass untouched.

``Retry-After`` spreads the refused pushes over the time the admitted ones need: the process keeps an estimate of a
push's service time (a moving average of the admitted ones) and the moment promised to the last refused push; each
refusal is promised the next slot, ``service time ÷ K`` after the previous promise (or after now), so refused
counters come back one slot apart instead of all together.  The client waits at least ``Retry-After``, plus a
random jitter of up to half of it (app/sync/worker.py), so the answer is the promised delay shortened by the
average jitter; whole seconds, at least :data:`FLOOR`, at most :data:`CEILING`.

Optionally a refused push may first wait up to ``queue_wait`` seconds for a slot (at most K such waiters, first come
first served), for the case where a slot frees within a few milliseconds.

One event loop per process runs this middleware, so plain counters are enough; each uvicorn worker (process) limits
its own pushes.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable
from typing import Any

from app.sync.protocol import API_PREFIX
from server.api.errors import busy_response

#: The endpoint limited: the workstations' push.
PUSH_PATH = API_PREFIX + "/events"
#: Bounds of the ``Retry-After`` answered (seconds).
FLOOR = 1
CEILING = 60
#: The service time assumed before any push has been measured (seconds).
FIRST_ESTIMATE = 1.0
#: Weight of the latest push in the moving average of the service time.
SMOOTHING = 0.2
#: The workstations wait ``Retry-After`` plus up to this share of it, at random (app/sync/worker.py BUSY_JITTER): the
#: answer is the promised delay shortened by the average jitter, so that the refused arrive, on average, at the
#: moment promised to them.
CLIENT_JITTER = 0.5


class PushAdmission:
    """ASGI middleware admitting at most ``limit`` pushes at once.

    Attributes:
        in_flight: pushes admitted and not yet answered.
        service_time: the moving average of an admitted push's duration (seconds), from admission to the end of
            its answer.
        admitted: pushes admitted so far; refused: pushes answered 503 so far.
    """

    def __init__(
        self,
        app: Any,
        limit: int,
        *,
        queue_wait: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.limit = limit
        self.queue_wait = queue_wait
        self.clock = clock
        self.in_flight = 0
        self.service_time = FIRST_ESTIMATE
        self.admitted = 0
        self.refused = 0
        self._promised = 0.0  # the moment promised to the last refused push
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PUSH_PATH:
            await self.app(scope, receive, send)
            return
        if not await self._admit():
            self.refused += 1
            await busy_response(self.retry_after())(scope, receive, send)
            return
        self.admitted += 1
        started = self.clock()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._release(self.clock() - started)

        async def sending(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                release()

        try:
            await self.app(scope, receive, sending)
        finally:
            release()

    async def _admit(self) -> bool:
        if self.in_flight < self.limit:
            self.in_flight += 1
            return True
        if self.queue_wait <= 0 or len(self._waiters) >= self.limit:
            return False
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), self.queue_wait)
        except TimeoutError:
            if waiter.done():  # handed a slot just as the wait ran out: keep it
                return True
            waiter.cancel()
            return False
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        return True  # the slot was handed over by _release: in_flight already counts it

    def _release(self, took: float) -> None:
        self.service_time += SMOOTHING * (took - self.service_time)
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot goes to the first waiter, in_flight unchanged
                return
        self.in_flight -= 1

    def retry_after(self) -> int:
        """Seconds a refused push is told to wait: the next free slot of the promised schedule."""
        now = self.clock()
        spread = 1 + CLIENT_JITTER / 2
        self._promised = min(max(self._promised, now) + self.service_time / self.limit, now + CEILING * spread)
        return min(CEILING, max(FLOOR, round((self._promised - now) / spread)))
