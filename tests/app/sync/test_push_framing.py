"""The workstation's choice of push framing (docs/sync-protocol.md "Push framing, version 2"): version 2 to a server
that names it, version 1 to one that does not, and back to version 1 — the same batch sent again, every event stored
once — when a server answers a version-2 body 415 (version 2 turned off) or 422 (an instance of an earlier
version, which reads every body as JSON).  Real workstations, a real server, and between them a real HTTP relay on
127.0.0.1 that records the pushes' Content-Type and can play the earlier server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from app.sync import client as sync_client
from app.sync import protocol
from tests.app.sync.synckit import Workstation
from tests.serverkit import ServerThread, count, running

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class Relay:
    """Forwards every request to the server and records each push's Content-Type.  ``old``: plays a server of the
    previous version behind the same address as a newer one — a version-2 body reaches the server as JSON (so it
    answers 422 like an earlier server would), while the answers still name version 2 (another instance did)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.old = False
        self.pushes: list[str] = []
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP | {"host"}}
                if self.path.endswith("/events") and self.command == "POST":
                    relay.pushes.append(headers.get("Content-Type", ""))
                    if relay.old and headers.get("Content-Type") == protocol.PUSH_V2_MEDIA_TYPE:
                        headers["Content-Type"] = "application/json"
                answer = requests.request(
                    self.command, relay.target + self.path, data=body, headers=headers, timeout=30
                )
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in _HOP:
                        self.send_header(key, value)
                if relay.old:
                    self.send_header(protocol.PUSH_FRAMING_HEADER, protocol.PUSH_FRAMING_V2)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def do_GET(self) -> None:  # noqa: N802 (http.server's names)
                self._forward()

            def do_POST(self) -> None:  # noqa: N802
                self._forward()

            def do_PUT(self) -> None:  # noqa: N802
                self._forward()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def relayed(central: Any) -> Iterator[Relay]:
    relay = Relay(central.url)
    yield relay
    relay.close()


def _synced_once(ws: Workstation, central: Any) -> None:
    outbox = ws.outbox()
    assert all(e.state == "sent" for e in outbox)
    assert count(central.engine(), "events") == len(outbox)


def test_a_workstation_pushes_v2_once_the_server_names_it_and_every_event_is_stored_once(
    services_factory: Any, tmp_path: Path, central: Any, relayed: Relay
) -> None:
    sync_client._FRAMINGS.clear()
    ws = Workstation(services_factory, tmp_path / "ws003", relayed.url)
    ws.enroll(central.engine())  # an answer of this server: it names version 2
    ws.take(3)
    ws.sync.batch_size = 2
    report = ws.sync.sync_once()
    assert report.push.sent == len(ws.outbox()) and report.push.batches >= 2
    _synced_once(ws, central)
    # Each round's client starts from what the previous answers said: every push went in version 2.
    assert relayed.pushes and set(relayed.pushes) == {protocol.PUSH_V2_MEDIA_TYPE}


def test_behind_an_earlier_server_the_batch_goes_again_in_v1_and_is_stored_once(
    services_factory: Any, tmp_path: Path, central: Any, relayed: Relay
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws003", relayed.url)
    ws.enroll(central.engine())
    ws.take(3)
    relayed.old = True
    report = ws.sync.sync_once()
    assert report.push.sent == len(ws.outbox()) and report.push.quarantined == 0
    _synced_once(ws, central)
    # Each push tried version 2 (the answers named it), was refused 422, and went again in version 1.
    assert relayed.pushes[:2] == [protocol.PUSH_V2_MEDIA_TYPE, "application/json"]
    assert relayed.pushes.count("application/json") == relayed.pushes.count(protocol.PUSH_V2_MEDIA_TYPE)


def test_a_server_with_v2_turned_off_is_pushed_v1_after_its_415(
    services_factory: Any, tmp_path: Path, store_url: str
) -> None:
    with running(ServerThread(store_url)) as new:
        ws = Workstation(services_factory, tmp_path / "ws003", new.url)
        ws.enroll(new.engine())
        ws.take(2)
        ws.sync.sync_once()
        assert sync_client._FRAMINGS[new.api] == "2"  # learned from this server
    # The same address now served by a server with version 2 off (the upgrade rolled back, say).
    ws.take(2)
    with running(ServerThread(store_url, port=new.port, settings_overrides={"push_framing_v2": False})) as old:
        report = ws.sync.sync_once()
        assert report.push.sent == 2 and report.push.quarantined == 0
        _synced_once(ws, old)
    assert sync_client._FRAMINGS[new.api] is None  # version 1 from now on
