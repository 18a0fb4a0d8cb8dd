"""Client versions against a real central server (docs/sync-protocol.md "Client versions"): every request of a
workstation names its version and the device row records it; the server publishes its minimum and latest client
versions and the workstation keeps them; a workstation below the minimum is refused as a whole with the reason, its
outbox untouched, and syncs everything once the minimum allows it; a request without a version is served without a
minimum and refused with one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pydantic
import pytest
import requests
from sqlalchemy import text

from app.errors import ClientTooOldError
from app.sync import protocol
from app.version import version
from tests.app.sync.synckit import Workstation
from tests.serverkit import ServerThread, count, enrollment_code, server_admin_lines

pytestmark = pytest.mark.slow


def device_row(server: ServerThread) -> tuple[str | None, Any]:
    with server.engine().connect() as conn:
        row = conn.execute(text("SELECT client_version, last_seen_at FROM devices WHERE confirmed_at IS NOT NULL"))
        found = row.one()
    return found[0], found[1]


def token_of(ws: Workstation) -> str:
    credential = ws.sync.credentials.load()
    assert credential is not None
    return credential.token


def started(store_url: str, port: int | None = None, **settings: Any) -> ServerThread:
    """A server over ``store_url`` with ``settings`` (on ``port``: the same address as a server stopped before)."""
    if port is None:
        return ServerThread(store_url, settings_overrides=settings)
    return ServerThread(store_url, settings_overrides=settings, port=port)


def test_without_settings_every_version_is_served_and_the_device_row_records_it(
    services_factory: Any, tmp_path: Path, central: ServerThread
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    ws.take(1)
    ws.sync.sync_once()
    assert device_row(central)[0] == version()
    assert device_row(central)[1] is not None
    status = ws.sync.status()
    assert (status.client_version_min, status.client_version_latest, status.update) == (None, None, None)

    # An earlier workstation names no version: served while no minimum is set, and recorded as unknown.
    answer = requests.get(central.api + "/device", headers={"Authorization": f"Bearer {token_of(ws)}"}, timeout=5)
    assert answer.status_code == 200
    assert protocol.MIN_CLIENT_VERSION_HEADER not in answer.headers
    assert protocol.LATEST_CLIENT_VERSION_HEADER not in answer.headers
    assert device_row(central)[0] is None


def test_the_user_agent_and_the_version_header_name_this_build(
    services_factory: Any, tmp_path: Path, central: ServerThread
) -> None:
    from app.sync.client import ClientSettings, SyncClient

    client = SyncClient(ClientSettings(server_url=central.url))
    try:
        assert client.session.headers["User-Agent"] == f"yimen-workstation/{version()}"
        assert client.session.headers[protocol.VERSION_HEADER] == version()
    finally:
        client.close()


def test_a_workstation_below_the_minimum_is_refused_with_both_versions_and_its_outbox_untouched(
    services_factory: Any, tmp_path: Path, store_url: str
) -> None:
    first = started(store_url)
    ws = Workstation(services_factory, tmp_path / "ws", first.url)
    try:
        ws.enroll(first.engine())
    finally:
        first.stop()
    ws.take(2)
    before = [(e.id, e.state, e.attempts, e.last_error, e.sha256) for e in ws.outbox()]
    assert len(before) >= 2

    # IT sets a minimum above this version and restarts the server.
    strict = started(store_url, first.port, min_client_version="99.0", latest_client_version="99.1")
    service = ws.sync
    try:
        with pytest.raises(ClientTooOldError) as refused:
            service.sync_once()
        text_ = refused.value.message.render()
        assert version() in text_ and "99.0" in text_ and "信息员" in text_ and "新版本" in text_
        # Nothing left the outbox, nothing of it was touched, nothing reached the server.
        assert [(e.id, e.state, e.attempts, e.last_error, e.sha256) for e in ws.outbox()] == before
        assert count(strict.engine(), "events") == 0
        # The device row says which version was refused; the workstation keeps what the server published.
        assert device_row(strict)[0] == version()
        status = service.status()
        assert (status.client_version_min, status.client_version_latest) == ("99.0", "99.1")
        assert status.update is not None and status.update.required and status.update.version == "99.1"
        assert status.last_error is not None and "99.0" in status.last_error

        # The refusal on the wire: 426 with the project's error body, the published versions beside it.
        token = {"Authorization": f"Bearer {token_of(ws)}"}
        for headers in ({**token, protocol.VERSION_HEADER: "0.0.9"}, token, {**token, protocol.VERSION_HEADER: "x"}):
            answer = requests.get(strict.api + "/feed", headers=headers, timeout=5)
            assert answer.status_code == 426, headers
            body = protocol.ErrorBody.model_validate(answer.json())
            assert body.code == "client_too_old" and "99.0" in body.message and "信息员" in body.message
            assert answer.headers[protocol.MIN_CLIENT_VERSION_HEADER] == "99.0"
            assert answer.headers[protocol.LATEST_CLIENT_VERSION_HEADER] == "99.1"
        assert (
            "0.0.9"
            in requests.get(
                strict.api + "/feed", headers={**token, protocol.VERSION_HEADER: "0.0.9"}, timeout=5
            ).json()["message"]
        )
        # Enrollment too: an old workstation is not enrolled only to be refused at its first sync.
        code = enrollment_code(strict.engine(), ws.center, "004")
        enroll = {"code": code, "center_code": ws.center, "workstation_code": "004"}
        answer = requests.post(strict.api + "/enrollments", json=enroll, timeout=5)
        assert answer.status_code == 426 and answer.json()["code"] == "client_too_old"
        answer = requests.post(
            strict.api + "/enrollments", json=enroll, headers={protocol.VERSION_HEADER: "99.0.0"}, timeout=5
        )
        assert answer.status_code == 200
    finally:
        strict.stop()

    # IT lowers the minimum to this version (or installs it): everything waiting is synced, once.
    current = started(store_url, first.port, min_client_version=version(), latest_client_version=version())
    try:
        report = service.sync_once()
        assert report.push.sent == len(before)
        assert count(current.engine(), "events") >= 2
        assert all(e.state == "sent" for e in ws.outbox())
        status = service.status()
        assert (status.client_version_min, status.client_version_latest, status.update) == (version(), version(), None)
        assert status.last_error is None
    finally:
        current.stop()


def test_a_newer_version_published_reaches_the_workstation_and_makes_an_update_due(
    services_factory: Any, tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server = started(store_url, latest_client_version="99.2.0")
    try:
        ws = Workstation(services_factory, tmp_path / "ws", server.url)
        ws.enroll(server.engine())
        ws.take(1)
        assert ws.sync.sync_once().push.sent >= 1  # no minimum: served
        status = ws.sync.status()
        assert (status.client_version_min, status.client_version_latest) == (None, "99.2.0")
        assert status.update is not None and not status.update.required and status.update.version == "99.2.0"
        # IT's scripts read it from the command line.
        from app.cli import main

        capsys.readouterr()
        assert main(["sync", "--status", "--config", str(ws.config), "--data-dir", str(ws.data_dir)]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert {k: shown[k] for k in ("version", "client_version_min", "client_version_latest", "update_due")} == {
            "version": version(),
            "client_version_min": None,
            "client_version_latest": "99.2.0",
            "update_due": {"required": False, "version": "99.2.0"},
        }
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("settings", "wrong"),
    [
        ({"min_client_version": "1.0rc1"}, "1.0rc1"),
        ({"latest_client_version": "latest"}, "latest"),
        ({"min_client_version": "0.3", "latest_client_version": "0.2.9"}, "0.2.9"),
    ],
)
def test_server_settings_refuse_versions_that_are_no_release_or_a_latest_below_the_minimum(
    settings: dict[str, str], wrong: str
) -> None:
    from server.settings import ServerSettings

    with pytest.raises(pydantic.ValidationError) as refused:
        ServerSettings(**settings)  # type: ignore[arg-type]
    assert wrong in str(refused.value)


def test_server_settings_read_the_versions_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from server.settings import ServerSettings

    monkeypatch.setenv("YIMEN_SERVER_MIN_CLIENT_VERSION", " 0.2.0 ")
    monkeypatch.setenv("YIMEN_SERVER_LATEST_CLIENT_VERSION", "")
    settings = ServerSettings()
    assert (settings.min_client_version, settings.latest_client_version) == ("0.2.0", None)


def admin_devices(store_url: str, *args: str) -> list[dict[str, Any]]:
    return server_admin_lines(store_url, "devices", *args)


def test_it_lists_which_version_each_counter_runs(
    services_factory: Any, tmp_path: Path, central: ServerThread, store_url: str
) -> None:
    new = Workstation(services_factory, tmp_path / "ws3", central.url)
    new.enroll(central.engine())
    new.sync.sync_once()
    old = Workstation(services_factory, tmp_path / "ws4", central.url, workstation="004")
    old.enroll(central.engine())
    # Workstation 004 runs an earlier version: its requests name none.
    answer = requests.get(central.api + "/device", headers={"Authorization": f"Bearer {token_of(old)}"}, timeout=5)
    assert answer.status_code == 200

    rows = admin_devices(store_url)
    assert [(r["workstation_code"], r["client_version"]) for r in rows] == [("003", version()), ("004", None)]
    assert all(r["last_seen_at"] and r["center_code"] == new.center for r in rows)
    assert set(rows[0]) == {
        "center_code",
        "workstation_code",
        "client_version",
        "last_seen_at",
        "enrolled_at",
    }
    assert [r["workstation_code"] for r in admin_devices(store_url, "--below", "99.0")] == ["003", "004"]
    assert [r["workstation_code"] for r in admin_devices(store_url, "--below", version())] == ["004"]
