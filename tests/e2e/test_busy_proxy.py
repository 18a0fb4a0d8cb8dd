"""A busy proxy in front of the central server (docs/sync-protocol.md "When the server is busy"): Debian's nginx,
as a child process, with its own request limit on pushes (``limit_req``), answers 503 with its HTML page and no
``Retry-After``, or 429 with a page and ``Retry-After`` — no JSON body either way.  The real sync client turns both
into a wait (the default wait when none is named, the proxy's when it is), records nothing on the events, shows no
error, and once the proxy lets pushes through again every event is on the server once."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.errors import SyncBusyError
from app.sync.client import DEFAULT_RETRY_AFTER
from db.models import OutboxState
from tests.app.sync.synckit import Workstation
from tests.e2e.test_proxy_nginx import Nginx
from tests.serverkit import ServerThread, count, free_port, wait_until

pytestmark = pytest.mark.slow

PROXY_RETRY_AFTER = 2


def site(upstream: int, plain: int, polite: int) -> str:
    """Two fronts of one server: ``plain`` refuses a push beyond one per 3 s with nginx's own 503 page, ``polite``
    with a 429 page naming ``Retry-After``.  Everything else passes."""
    return f"""
limit_req_zone $binary_remote_addr zone=plain:1m rate=20r/m;
limit_req_zone $binary_remote_addr zone=polite:1m rate=20r/m;
upstream yimen {{ server 127.0.0.1:{upstream}; }}
server {{
    listen 127.0.0.1:{plain};
    access_log off;
    location = /api/v1/events {{ limit_req zone=plain; limit_req_status 503; proxy_pass http://yimen; }}
    location / {{ proxy_pass http://yimen; }}
}}
server {{
    listen 127.0.0.1:{polite};
    access_log off;
    location = /api/v1/events {{
        limit_req zone=polite; limit_req_status 429; error_page 429 = @busy; proxy_pass http://yimen;
    }}
    location @busy {{
        add_header Retry-After {PROXY_RETRY_AFTER} always;
        default_type text/html;
        return 429 "<html><body><h1>429 Too Many Requests</h1></body></html>";
    }}
    location / {{ proxy_pass http://yimen; }}
}}
"""


@pytest.fixture
def fronts(central: ServerThread, tmp_path: Path) -> Iterator[tuple[str, str]]:
    plain, polite = free_port(), free_port()
    nginx = Nginx(tmp_path / "nginx", site(central.port, plain, polite), plain)

    def answers() -> bool:
        assert nginx.proc.poll() is None, (nginx.folder / "stderr.log").read_text("utf-8")
        with contextlib.suppress(requests.RequestException):
            return all(requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).ok for port in (plain, polite))
        return False

    wait_until(answers, "nginx answers on both fronts", timeout=30)
    try:
        yield f"http://127.0.0.1:{plain}", f"http://127.0.0.1:{polite}"
    finally:
        nginx.stop()


def snapshot(station: Workstation) -> list[tuple[Any, ...]]:
    return [(e.id, e.state, e.attempts, e.last_error) for e in station.outbox()]


def test_a_proxy_s_503_and_429_pages_are_waits_and_everything_arrives_once(
    services_factory: Any, tmp_path: Path, central: ServerThread, fronts: tuple[str, str]
) -> None:
    plain, polite = fronts
    for code, front in (("003", plain), ("004", polite)):
        station = Workstation(services_factory, tmp_path / code, front, workstation=code)
        station.enroll(central.engine())
        station.take(1)
        assert station.sync.sync_once().push.sent >= 1  # the proxy's first push of the period passes
        station.take(1)
        before = snapshot(station)
        with pytest.raises(SyncBusyError) as busy:  # the next one, at once, is the proxy's page
            station.sync.sync_once()
        assert busy.value.retry_after == (DEFAULT_RETRY_AFTER if front == plain else PROXY_RETRY_AFTER)
        assert snapshot(station) == before  # nothing recorded on the events, nothing quarantined
        status = station.sync.status()
        assert status.last_error is None and status.busy_until is not None and status.quarantined == 0
        if front == polite:  # the worker's way: wait what the proxy named, plus jitter, until it passes
            wait = busy.value.retry_after
            for _ in range(10):
                time.sleep(wait)
                try:
                    station.sync.sync_once()
                    break
                except SyncBusyError as again:
                    wait = again.retry_after
            else:
                raise AssertionError("the proxy never let the push through")
            assert {e.state for e in station.outbox()} == {OutboxState.SENT.value}
            held = len(station.outbox())
            assert count(central.engine(), "events", "WHERE workstation_code = '004'") == held  # each once
            assert station.sync.status().busy_until is None
