"""A server restored from a backup has lost what it acknowledged after the backup; the counters send it again
(docs/sync-protocol.md "Sending again after a server restore", docs/operations.md "After a point-in-time restore").

For real: a workstation syncs with a central server on 127.0.0.1 (PostgreSQL where it runs, else SQLite); the
server's store is copied (a PostgreSQL template copy, or the SQLite file: the backup), the workstation goes on and
syncs more, then the server is started again on the copy (the restore). The operator's ``yimen-server admin resend``
and the workstation's next sync bring every event back, each stored once, the PDFs with them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.errors import SyncError
from app.sync import protocol
from db.models import OutboxEntry
from server.cli import main as server_main
from server.services import backoffice
from tests.app.sync.synckit import Workstation
from tests.serverkit import ServerThread, count

pytestmark = pytest.mark.slow


def backup(store_factory: Any, url: str) -> str:
    """A copy of a stopped server's store, as a backup holds it: a PostgreSQL database made from it as a template,
    or the SQLite file copied."""
    if store_factory.admin:
        name = f"yimen_backup_{uuid.uuid4().hex[:12]}"
        store_factory._admin_exec(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(url).database}"')
        store_factory._made.append(name)
        return str(store_factory._url_for(name))
    source = Path(str(make_url(url).database))
    target = source.with_name(f"backup-{uuid.uuid4().hex[:8]}.db")
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def resend(store_url: str, since: dt.datetime, *more: str) -> str:
    """``yimen-server admin resend`` (in this process): what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = server_main(
            ["--database-url", store_url, "admin", "resend", "--since", since.isoformat(), "--reason", "恢复", *more]
        )
    assert code == 0
    return out.getvalue()


def held(server: ServerThread) -> list[str]:
    """The event ids the server holds, the audit heads aside (a native uuid on PostgreSQL, hex on SQLite)."""
    with server.engine().connect() as conn:
        rows = conn.execute(text("SELECT event_id, event_type FROM events")).all()
    return sorted(str(uuid.UUID(str(r[0]))) for r in rows if r[1] != protocol.EventType.AUDIT_HEAD.value)


def queued(ws: Workstation) -> list[str]:
    return sorted(str(e.id) for e in ws.outbox())


def test_a_restored_server_gets_back_what_it_lost_each_event_once_and_the_statuses_made_after_it(
    services_factory: Any, tmp_path: Path, store_factory: Any, store_url: str, clock: Any
) -> None:
    server = ServerThread(store_url)
    port = server.port
    ws = Workstation(services_factory, tmp_path / "ws003", server.url)
    ws.enroll(server.engine())
    early = ws.take(3)
    ws.services.documents.heal()  # the receipts and forms, with their document.issued events
    assert ws.sync.sync_once().push.quarantined == 0
    with Session(server.engine()) as session, session.begin():
        backoffice.transition(
            session, acceptance_no=early[0].acceptance_no, to=protocol.ServerStatus.REVIEWING, note="", by="后台"
        )
    ws.sync.sync_once()
    server.stop()
    saved = backup(store_factory, store_url)  # the backup: T, on the workstation's clock below
    backed_up = clock.now
    kept = queued(ws)

    clock.advance(minutes=30)
    server = ServerThread(store_url, port=port)
    late = ws.take(2)
    ws.services.documents.heal()
    with Session(server.engine()) as session, session.begin():  # more feed than the backup holds
        for result in early:
            backoffice.transition(
                session, acceptance_no=result.acceptance_no, to=protocol.ServerStatus.RETURNED, note="", by="后台"
            )
    ws.sync.sync_once()
    assert held(server) == queued(ws) and ws.sync.status().pending == 0
    assert ws.application(early[1].acceptance_no).server_status == "returned"
    server.stop()

    # The disk fails. The server is restored from the backup, the operator asks for everything since T minus a
    # margin, then starts it; meanwhile the workstation, offline, takes one more case.
    clock.advance(minutes=30)
    offline = ws.take(1)
    assert ws.sync.status().pending > 0
    out = resend(saved, backed_up - dt.timedelta(minutes=10))
    assert "已登记重发请求 1" in out
    server = ServerThread(saved, port=port)
    assert held(server) == kept  # the restore lost the late cases
    with Session(server.engine()) as session, session.begin():  # the back office after the restore
        backoffice.transition(
            session, acceptance_no=early[1].acceptance_no, to=protocol.ServerStatus.REVIEWING, note="", by="后台"
        )

    report = ws.sync.sync_once()
    lost = set(queued(ws)) - set(kept)
    # Everything acknowledged since the moment goes again: the offline case too, pushed first in this very round.
    assert (report.pull.resent, report.pull.unsendable) == (len(queued(ws)), 0)
    assert report.push.quarantined == 0
    # Every event once: the lost ones stored again, the kept ones answered duplicate; the PDFs with them.
    assert held(server) == queued(ws) and lost <= set(held(server))
    assert all(e.state == "sent" for e in ws.outbox())
    for result in [*early, *late, *offline]:
        assert ws.application(result.acceptance_no).sync_state == "synced"
    with ws.services.db.read() as session:
        local = {row[0] for row in session.execute(text("SELECT lower(hex(sha256)) FROM documents"))}
    with server.engine().connect() as conn:
        remote = {row[0] for row in conn.execute(text("SELECT sha256 FROM blobs"))}
    assert local == remote
    assert count(server.engine(), "resend_done") == 1
    # The restored server held an older audit head: the workstation's, further on, is taken (it only grows).
    assert ws.sync.status().audit_head_refused is None
    with server.engine().connect() as conn:
        server_head = conn.execute(text("SELECT seq FROM audit_heads")).scalar_one()
    assert ws.sync.acknowledged_head() is not None and server_head == ws.sync.acknowledged_head()[0]
    # The back office's change made after the restore came down although the workstation's cursor had been past
    # the restored feed's numbers; the restored feed is what the workstation shows.
    assert ws.application(early[1].acceptance_no).server_status == "reviewing"

    # The next rounds do not send anything again.
    again = ws.sync.sync_once()
    assert (again.pull.resent, again.push.sent) == (0, 0)
    assert held(server) == queued(ws)
    server.stop()


@pytest.mark.allow_warning_logs
def test_a_request_for_another_center_asks_nothing_and_a_pruned_payload_is_counted_not_sent(
    services_factory: Any, tmp_path: Path, central: Any, store_url: str, clock: Any, capsys: Any
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws003", central.url)
    ws.enroll(central.engine())
    ws.take(2)
    ws.sync.sync_once()
    sent = len(held(central))

    resend(store_url, clock.now - dt.timedelta(hours=1), "--center", "310104004")
    other = ws.sync.sync_once()
    assert (other.pull.resent, other.push.sent) == (0, 0)  # another center's request

    # One acknowledged event's bytes were pruned here (app/pruning.py): it cannot be sent again.
    first = ws.outbox()[0]
    with ws.services.db.write() as session:
        row = session.get(OutboxEntry, first.id)
        assert row is not None
        row.payload, row.payload_pruned_at = None, clock.now
    resend(store_url, clock.now - dt.timedelta(hours=1))
    # IT's `yimen sync --once` says what happened.
    from app.cli import main

    where = ["--config", str(ws.config), "--data-dir", str(ws.data_dir)]
    capsys.readouterr()
    assert main(["sync", "--once", *where]) == 0
    said = capsys.readouterr().out
    assert f"上传 {sent - 1} 个事件，隔离 0 个" in said  # each answered duplicate
    assert f"中心服务器恢复后要求重新上传：{sent - 1} 个事件已放回队列，1 个已在本机清理、无法重传。" in said
    assert len(held(central)) == sent
    status = ws.sync.status()
    assert status.resend_unsendable == 1 and status.pending == 0 and status.last_error is None
    assert all("上传" not in w.text for w in status.warnings)  # nothing for the clerk (only the test clock's warning)
    assert ws.sync.sync_once().pull.resent == 0
    assert main(["sync", "--status", *where]) == 0
    assert json.loads(capsys.readouterr().out)["resend_unsendable"] == 1


@pytest.mark.allow_warning_logs
def test_a_workstation_enrolled_after_the_restore_point_enrolls_again_and_sends_everything(
    services_factory: Any, tmp_path: Path, store_factory: Any, store_url: str, clock: Any
) -> None:
    """The backup predates the workstation's enrollment: the restored server does not know its credential. IT
    enrolls it again (a code from the restored server) and the new device is asked like any other."""
    server = ServerThread(store_url)
    port = server.port
    server.stop()
    saved = backup(store_factory, store_url)  # taken before the workstation was enrolled
    backed_up = clock.now
    server = ServerThread(store_url, port=port)
    ws = Workstation(services_factory, tmp_path / "ws003", server.url)
    ws.enroll(server.engine())
    ws.take(2)
    ws.sync.sync_once()
    server.stop()

    resend(saved, backed_up - dt.timedelta(hours=1))
    server = ServerThread(saved, port=port)
    with pytest.raises(SyncError):
        ws.sync.sync_once()  # the restored server does not know this credential
    assert held(server) == []
    ws.enroll(server.engine())
    report = ws.sync.sync_once()
    assert report.pull.resent == len(ws.outbox()) and report.push.quarantined == 0
    assert held(server) == queued(ws)
    assert count(server.engine(), "resend_done") == 1
    server.stop()
