"""Two-phase enrollment at the workstation, against a real central server: a machine vault that refuses to save the
new credential (a read-only mount) strands nothing (the old credential keeps working, the code can be used again),
and a confirmation whose answer was lost is finished by the next sync."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from app.errors import CredentialStoreError, SyncError, SyncTransientError
from tests.app.sync.synckit import Workstation
from tests.reliability.diskkit import read_only
from tests.serverkit import FaultProxy, count, enrollment_code

pytestmark = pytest.mark.slow


def stored(vault: Path) -> dict[str, Any]:
    return dict(json.loads((vault / "device-credential.json").read_text("utf-8")))


def device_answer(central: Any, token: str) -> int:
    return requests.get(central.api + "/device", headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code


def test_a_vault_that_refuses_the_new_credential_leaves_the_old_one_working_and_the_code_usable(
    services_factory: Any, tmp_path: Path, central: Any, machine_vault: Path
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    old = stored(machine_vault)
    code = enrollment_code(central.engine(), ws.center, ws.code)

    with read_only(machine_vault), pytest.raises(CredentialStoreError) as refused:
        ws.sync.enroll(code)
    assert "无法写入本机密钥文件夹" in refused.value.message.render()
    ws.sync.credentials.forget()
    assert ws.sync.credentials.load().token == old["token"]  # type: ignore[union-attr]
    ws.take(1)
    assert ws.sync.sync_once().push.sent == 1  # the old credential still works
    assert device_answer(central, old["token"]) == 200

    # IT fixes the vault folder and runs yimen enroll again, with the same code
    credential = ws.sync.enroll(code)
    assert credential.confirmed and stored(machine_vault) == {**credential.__dict__}
    assert credential.token != old["token"]
    assert device_answer(central, old["token"]) == 403  # revoked only now
    ws.take(1)
    assert ws.sync.sync_once().push.sent == 1
    assert count(central.engine(), "events") == 2
    with pytest.raises(SyncError):  # and the code is used up
        ws.sync.enroll(code)


def test_a_confirmation_whose_answer_was_lost_is_finished_by_the_next_sync(
    services_factory: Any, tmp_path: Path, central: Any, machine_vault: Path
) -> None:
    proxy = FaultProxy(central.port)
    try:
        ws = Workstation(services_factory, tmp_path / "ws", proxy.url)
        code = enrollment_code(central.engine(), ws.center, ws.code)
        proxy.hold_after(1)  # the claim goes through; the confirmation waits at the proxy
        failures: list[BaseException] = []

        def enroll() -> None:
            try:
                ws.sync.enroll(code)
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                failures.append(exc)

        worker = threading.Thread(target=enroll)
        worker.start()
        proxy.wait_until(lambda p: p.held == 1, "the confirmation is held")
        assert stored(machine_vault)["confirmed"] is False  # saved before it was confirmed
        proxy.mode = "cut_after_commit"  # the server confirms; its answer never arrives
        proxy.release()
        worker.join(30)
        assert len(failures) == 1 and isinstance(failures[0], SyncTransientError)
        assert "下次同步时自动确认" in failures[0].message.render()
        with central.engine().connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM devices WHERE confirmed_at IS NOT NULL")).scalar_one() == 1
        proxy.mode = "pass"
        ws.take(1)
        assert ws.sync.sync_once().push.sent == 1  # confirmed again (the same answer), then pushed
        assert stored(machine_vault)["confirmed"] is True
    finally:
        proxy.close()


def test_an_unconfirmed_credential_that_expired_says_to_enroll_again(
    services_factory: Any, tmp_path: Path, central: Any, machine_vault: Path
) -> None:
    from app.sync.credentials import Credential

    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    code = enrollment_code(central.engine(), ws.center, ws.code)
    answer = requests.post(
        central.api + "/enrollments",
        json={"code": code, "center_code": ws.center, "workstation_code": ws.code},
        timeout=5,
    ).json()
    with central.engine().begin() as conn:
        conn.execute(text("UPDATE devices SET pending_until = enrolled_at"))
    ws.sync.credentials.save(
        Credential(central.url, answer["device_id"], answer["token"], ws.center, ws.code, confirmed=False)
    )
    with pytest.raises(SyncError) as refused:
        ws.sync.sync_once()
    assert "未在时限内确认" in refused.value.message.render()
    assert ws.sync.status().last_error == refused.value.message.render()
    ws.sync.enroll(code)  # the code was never used up
    assert ws.sync.sync_once().push.sent == 0
