"""A full disk, for real: every use case that writes ends in the clerk's message, never a crash, and loses nothing.

The data folder sits on a small tmpfs that the test fills to the last byte (CI runs as root, so mounting works).
Where mounting is not allowed the store is capped with SQLite's ``max_page_count`` instead, which fails only the
writes that need a new page: a new application does, so that one is asserted strictly in both modes.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.errors import StorageError, StorageFullError
from app.intake.model import Decision, DecisionInput
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user
from tests.reliability.diskkit import fill, tmpfs
from tests.storekit import connect_store


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(connect_store(path)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def full_disk_services(tmp_path: Path, services_factory: Callable[..., Any]) -> Iterator[tuple[Any, bool]]:
    with tmpfs(tmp_path / "disk", "24m") as mounted:
        yield services_factory(data_dir=tmp_path / "disk" / "data"), mounted


def test_every_write_on_a_full_disk_is_a_storage_message_and_loses_nothing(
    full_disk_services: tuple[Any, bool],
) -> None:
    services, mounted = full_disk_services
    clerk = add_user(services)
    supervisor = add_user(services, "zhangmin", supervisor=True)
    kept = take(services, clerk, "MZ-SHJZ-002")
    waiting = take(services, clerk, "MZ-SHJZ-002", Decision.SUPPLEMENT)
    services.documents.issue(kept, clerk)
    quarantined = _rows(services.db.path, "SELECT id FROM outbox ORDER BY seq DESC LIMIT 1")[0][0]
    with contextlib.closing(connect_store(services.db.path)) as conn:
        conn.execute("UPDATE outbox SET state = 'quarantined' WHERE id = ?", (quarantined,))
        conn.commit()
    before = _rows(services.db.path, "SELECT acceptance_no, state FROM applications ORDER BY acceptance_no")
    events_before = _rows(services.db.path, "SELECT count(*) FROM outbox")

    # Every page the next write needs must be new: the WAL is emptied, then the disk (or the page budget) filled.
    with contextlib.closing(connect_store(services.db.path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if mounted:
        filler = fill(services.db.path.parent.parent)
    else:

        def cap(dbapi_connection: Any, _record: Any) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(services.db.engine, "connect", cap)
        services.db.engine.dispose()

    approver = supervisor
    attempts: dict[str, Callable[[], object]] = {
        "decide": lambda: take(services, clerk, "MZ-SHJZ-002"),
        "correct": lambda: services.intake.correct(
            kept.acceptance_no,
            values=dict(kept.values, situation="更正后的说明。"),
            reason="申请人说明有误",
            approver=approver,
            user=clerk,
        ),
        "void": lambda: services.intake.void(
            kept.acceptance_no, reason="重复录入的申请", approver=approver, user=clerk
        ),
        "supplement_return": lambda: services.intake.supplement_return(
            waiting.acceptance_no, [], DecisionInput(Decision.REFUSE, "申请人放弃补正，不予受理。"), clerk
        ),
        "login": lambda: services.accounts.login("wangli", "wrong-password-1"),
        "reprint": lambda: services.documents.record_handout(
            services.documents.documents(kept.acceptance_no)[0].id, clerk, action="print", reprint=False
        ),
        "sync_retry": lambda: services.sync.retry_quarantined([uuid.UUID(bytes=quarantined)], by=clerk),
    }
    outcomes: dict[str, str] = {}
    for name, attempt in attempts.items():
        try:
            attempt()
            outcomes[name] = "stored"
        except StorageError as exc:
            assert isinstance(exc, StorageFullError), (name, exc)
            assert "磁盘空间已满" in exc.message.render(), name
            outcomes[name] = "full"
    if mounted:
        assert outcomes == dict.fromkeys(attempts, "full")
    else:
        assert outcomes["decide"] == "full"

    # Nothing committed before is lost, nothing half-written is kept; with space again every action works.
    if mounted:
        filler.unlink()
    else:
        event.remove(services.db.engine, "connect", cap)
        services.db.engine.dispose()
    assert _rows(services.db.path, "PRAGMA integrity_check") == [("ok",)]
    full = {name for name, outcome in outcomes.items() if outcome == "full"}
    if {"decide", "correct", "void", "supplement_return"} <= full:
        assert _rows(services.db.path, "SELECT acceptance_no, state FROM applications ORDER BY acceptance_no") == before
        assert _rows(services.db.path, "SELECT count(*) FROM outbox") == events_before
    again = take(services, clerk, "MZ-SHJZ-002")
    assert again.acceptance_no not in {row[0] for row in before}
    assert services.intake.load(kept.acceptance_no).acceptance_no == kept.acceptance_no
