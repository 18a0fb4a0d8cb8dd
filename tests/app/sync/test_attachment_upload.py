"""The materials' files upload (app/sync/attachments.py, server/services/attachments.py; docs/sync-protocol.md
"Attachments"), caused for real: a workstation's SQLCipher store, the real central server on 127.0.0.1 over
PostgreSQL, a TCP proxy that drops a connection after the server committed, a client process killed with SIGKILL
in the middle of a file; then the server's bytes are compared with the workstation's, byte for byte."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from sqlalchemy import text

from app.attachments import AttachmentLimits, AttachmentStore
from app.demo import sample_draft, sample_ticks
from app.domain import Decision
from app.errors import SyncRefusedError, SyncTransientError
from app.intake.model import DecisionInput
from app.sync import attachments as uploads
from app.sync.credentials import CredentialStore
from tests.app.sync.synckit import ITEM, Workstation
from tests.serverkit import FaultProxy, operator_token
from tests.storekit import connect_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


def noise_png(side: int) -> bytes:
    """An RGB PNG of random pixels (incompressible: ~3 bytes a pixel), kept byte for byte by the store."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG", compress_level=1)
    return out.getvalue()


def take_with_files(ws: Workstation, files: list[str]) -> Any:
    """A case whose first material line carries the files."""
    services = ws.services
    item = services.catalog.entry(ITEM).item
    draft = sample_draft(item, today=services.intake.clock().date())
    draft.materials = sample_ticks(services.intake.check(draft).materials, Decision.ACCEPT)
    draft.materials[0].attachments = tuple(files)
    return services.intake.decide(draft, DecisionInput(Decision.ACCEPT), ws.clerk)


def server_rows(central: Any, statement: str, **args: Any) -> list[Any]:
    with central.engine().connect() as conn:
        return list(conn.execute(text(statement), args).all())


def token(ws: Workstation) -> str:
    credential = CredentialStore(ws.services.vault).load()
    assert credential is not None
    return credential.token


KILLED_CLIENT = """
import sys
from pathlib import Path
from app.bootstrap import open_services
services = open_services(Path(sys.argv[1]), Path(sys.argv[2]))
services.sync.push_once()
print("finished")
"""


def test_a_20_mb_set_survives_a_cut_and_a_killed_client_and_is_byte_identical_on_the_server(
    services_factory: Any, tmp_path: Path, central: Any
) -> None:
    proxy = FaultProxy(central.port)
    try:
        ws = Workstation(services_factory, tmp_path / "ws", proxy.url)
        ws.enroll(central.engine())
        store = AttachmentStore(ws.services.db, AttachmentLimits(max_bytes=8 * 1024 * 1024))
        kept = [store.add(noise_png(1500)) for _ in range(4)]  # 6.4 MiB each: 7 chunks
        total = sum(k.size for k in kept)
        assert total > 20_000_000 and all(k.media_type == "image/png" for k in kept)
        result = take_with_files(ws, [k.sha256 for k in kept])
        added = [e for e in ws.outbox() if e.event_type == "attachment.added"]
        assert len(added) == 4
        chunks = [-(-k.size // uploads.CHUNK_BYTES) for k in kept]

        # 1. A cut: the push uploads the files its attachment.added events name first.  The proxy passes the state
        #    and five chunks, then forwards the sixth and drops the connection after the server committed it (the
        #    workstation never hears the answer).
        proxy.hold_after(6)
        failed: list[BaseException] = []

        def run() -> None:
            try:
                ws.service(timeout=(2.0, 30.0)).push_once()
            except BaseException as exc:
                failed.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        proxy.wait_until(lambda p: p.held >= 1, "the seventh request is held")
        proxy.mode = "cut_after_commit"
        proxy.let_through(1)
        proxy.wait_until(lambda p: p.forwarded >= 7, "the seventh request reached the server")
        thread.join(60)
        assert len(failed) == 1 and isinstance(failed[0], SyncTransientError)
        first = kept[0]
        received = server_rows(central, "SELECT received, completed_at FROM attachment_uploads")
        assert received == [(6 * uploads.CHUNK_BYTES, None)]  # the sixth chunk is there, unheard of
        assert chunks[0] == 7
        assert uploads.pending(ws.services.db)[0].sha256 == first.sha256
        assert all(e.state == "pending" for e in ws.outbox())  # nothing pushed: the files go first

        # 2. A client process killed with SIGKILL in the middle of the second file.
        proxy.mode = "pass"
        # The state and the first file's last chunk, the state and two chunks of the second: the next is held.
        proxy.hold_after(2 + 3)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_CLIENT, str(ws.config), str(ws.data_dir)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            proxy.wait_until(lambda p: p.held >= 1, "the killed client's request is held", timeout=120)
            os.kill(child.pid, signal.SIGKILL)
            out, err = child.communicate(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
        assert child.returncode == -signal.SIGKILL and b"finished" not in out, err.decode(errors="replace")[-2000:]
        state = dict(
            (sha, (rec, done is not None))
            for sha, rec, done in server_rows(central, "SELECT sha256, received, completed_at FROM attachment_uploads")
        )
        assert state[first.sha256] == (first.size, True)
        assert 0 < state[kept[1].sha256][0] < kept[1].size and not state[kept[1].sha256][1]
        proxy.release()

        # 3. A new process (here: a new service on the same store) goes on from where the server stands, then
        #    pushes the events, which the server takes now that it holds the files.
        resumed = ws.sync._client()
        try:
            report = uploads.upload_pending(ws.services.db, resumed, ws.services.intake.clock)
        finally:
            resumed.close()
        assert report.files == 3 and report.refused == 0
        assert report.bytes_sent <= total - first.size - uploads.CHUNK_BYTES
        assert uploads.pending(ws.services.db) == []
        assert ws.service().push_once().sent == len(ws.outbox())
        stored = server_rows(central, "SELECT count(*) FROM events WHERE event_type = 'attachment.added'")
        assert stored == [(4,)]
        rows = server_rows(central, "SELECT sha256, received, completed_at FROM attachment_uploads ORDER BY id")
        assert sorted(r[0] for r in rows) == sorted(k.sha256 for k in kept)
        assert all(r[2] is not None for r in rows)
        client = ws.sync._client()
        try:
            for k in kept:
                served = client.fetch_attachment(k.sha256, result.application_id)
                assert served == store.read(k.sha256)  # byte-identical
        finally:
            client.close()
        # The chunks kept on the server are the file, byte for byte, and each byte is kept once.
        held = server_rows(
            central,
            "SELECT u.sha256, string_agg(c.data, ''::bytea ORDER BY c.\"offset\") FROM attachment_chunks c "
            "JOIN attachment_uploads u ON u.id = c.upload_id GROUP BY u.sha256",
        )
        assert {sha: bytes(data) for sha, data in held} == {k.sha256: store.read(k.sha256) for k in kept}

        # A second run sends nothing: the server holds everything.
        assert ws.service().upload_attachments().bytes_sent == 0

        # 4. A device of another center hears the same 404 as for an unknown file.
        other = Workstation(services_factory, tmp_path / "other", central.url, center="310104005", workstation="001")
        other.enroll(central.engine())
        other_client = other.sync._client()
        try:
            for sha in (first.sha256, "0" * 64):
                with pytest.raises(SyncRefusedError) as refused:
                    other_client.fetch_attachment(sha, result.application_id)
                assert refused.value.status == 404
            # Its state of the file is its own (nothing): it would have to send the bytes itself.
            assert other_client.attachment_state(first.sha256, result.application_id).received == 0
        finally:
            other_client.close()

        # 5. The back office of the center reads the case's files; an operator of another center does not.
        own = operator_token(central.engine(), "bo-own", ("310104003",))
        stranger = operator_token(central.engine(), "bo-other", ("310104005",))
        url = f"{central.api}/backoffice/applications/{result.acceptance_no}/attachments"
        listed = requests.get(url, headers={"Authorization": f"Bearer {own}"}, timeout=30)
        assert listed.status_code == 200
        assert sorted(f["sha256"] for f in listed.json()) == sorted(k.sha256 for k in kept)
        one = requests.get(f"{url}/{kept[2].sha256}", headers={"Authorization": f"Bearer {own}"}, timeout=30)
        assert one.status_code == 200 and one.content == store.read(kept[2].sha256)
        assert one.headers["content-type"] == "image/png"
        for path in (url, f"{url}/{kept[2].sha256}"):
            answer = requests.get(path, headers={"Authorization": f"Bearer {stranger}"}, timeout=30)
            assert answer.status_code == 404
    finally:
        proxy.close()


def test_the_server_refuses_a_wrong_hash_a_changed_size_and_a_case_over_its_quota(
    services_factory: Any, tmp_path: Path, central: Any
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    case = ws.take(1)[0]
    base = f"{central.api}/attachments"
    auth = {"Authorization": f"Bearer {token(ws)}", "Content-Type": "application/octet-stream"}
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()

    def put(name: str, body: bytes, *, size: int, offset: int = 0, kind: str = "application/pdf") -> Any:
        params = {"application": str(case.application_id), "size": size, "type": kind, "offset": offset}
        return requests.put(f"{base}/{name}/upload", params=params, data=body, headers=auth, timeout=30)

    # Other bytes under this SHA-256: refused whole, thrown away, the upload starts again from 0.
    wrong = os.urandom(300_000)
    assert put(sha, wrong[:200_000], size=300_000).status_code == 200
    refused = put(sha, wrong[200_000:], size=300_000, offset=200_000)
    assert refused.status_code == 422 and refused.json()["code"] == "digest_mismatch"
    assert "SHA-256 不符" in refused.json()["message"]
    state = requests.get(f"{base}/{sha}/upload", params={"application": str(case.application_id)}, headers=auth)
    assert state.json() == {"received": 0, "size": 300_000, "complete": False}
    # A different size declared for the same file, a chunk past its size, a chunk at the wrong offset.
    assert put(sha, data[:1000], size=400_000).status_code == 409
    assert put(sha, data + b"x", size=300_000).json()["code"] == "attachment_too_long"
    assert put(sha, data[1000:2000], size=300_000, offset=1000).json()["code"] == "attachment_offset"
    # The right bytes: complete; sent again, the same answer and nothing stored twice.
    assert put(sha, data, size=300_000).json() == {"received": 300_000, "size": 300_000, "complete": True}
    assert put(sha, data, size=300_000).json()["complete"] is True
    kept = "SELECT sum(length(c.data)) FROM attachment_chunks c JOIN attachment_uploads u ON u.id = c.upload_id"
    assert server_rows(central, kept + " WHERE u.sha256 = :s", s=sha) == [(300_000,)]
    # A type that is no material file; a case over its quota.
    assert put("1" * 64, b"x", size=1, kind="text/html").status_code == 422
    big = 49 * 1024 * 1024
    for n in range(4):
        assert put(f"{n + 2}" * 64, b"x", size=big).status_code == 200
    over = put("7" * 64, b"x", size=big)
    assert over.status_code == 413 and over.json()["code"] == "attachment_quota"


@pytest.mark.allow_warning_logs  # "1 event(s) quarantined by the server": the point of the test
def test_the_server_refuses_an_attachment_added_whose_file_it_does_not_hold(
    services_factory: Any, tmp_path: Path, central: Any
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    store = AttachmentStore(ws.services.db)
    photo = store.add(noise_png(200))
    case = take_with_files(ws, [photo.sha256])
    # The workstation wrongly believes the server holds the file (a store restored from an old backup, say).
    conn = connect_store(ws.services.db.path)
    try:
        conn.execute("UPDATE attachment_blobs SET uploaded_at = created_at")
        conn.commit()
    finally:
        conn.close()
    ws.service().push_once()
    added = [e for e in ws.outbox() if e.event_type == "attachment.added"]
    assert [e.state for e in added] == ["quarantined"] and "材料文件未上传" in (added[0].last_error or "")
    assert ws.application(case.acceptance_no).sync_state == "rejected"
    assert server_rows(central, "SELECT count(*) FROM events WHERE event_type = 'attachment.added'") == [(0,)]
