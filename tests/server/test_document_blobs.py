"""The documents' bytes out of the database and their retention (docs/operations.md "Documents' bytes"), on the
run's store (PostgreSQL where it runs) and on a SQLite file: the same PDF from two devices kept once (one row, one
file), every reader (the 补打 fetch, the recovery's read-back) reading it through the blob folder, another center's
fetch the uniform 404; migration 0009 moving a store at 0008 that holds PDFs into the folder (again: nothing more)
and back down; the retention dropping only what a transferred month's archive carries and no stored event names;
and, on PostgreSQL, ``admin archive`` carrying the month's PDFs with ``admin documents-prune`` after the transfer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.sync import protocol
from server import migrate
from server.services import blobs, documents, partitions
from server.services.common import ServiceError, insert_rows
from server.store import blob_files
from server.store.db import create_store_engine
from server.store.models import Blob, Device, StoredEvent, utcnow
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push
from tests.serverkit import REPO, ServerThread, count

ISSUED = protocol.EventType.DOCUMENT_ISSUED.value
BEIJING = partitions.BEIJING


def _pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(params=["table", "folder"])
def blob_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path | None:
    """Where the server keeps the bytes: the table (no folder), or a blob folder."""
    return tmp_path / "blobs" if request.param == "folder" else None


@pytest.fixture
def server(store_url: str, blob_dir: Path | None) -> Iterator[ServerThread]:
    running = ServerThread(store_url, settings_overrides={"blob_dir": blob_dir})
    yield running
    running.stop()


def _issue(server: ServerThread, auth: dict[str, str], pdf: bytes, number: str, workstation: str) -> protocol.Event:
    event = wire.taken(number, workstation=workstation)
    doc = wire.document(event, pdf)
    put = requests.put(server.api + f"/documents/{doc.body.sha256}", data=pdf, headers=auth, timeout=5)
    assert put.status_code == 200, put.text
    assert outcomes(push(server, auth, event, doc)) == ["stored", "stored"]
    return doc


def _fetch(server: ServerThread, auth: dict[str, str], doc: protocol.Event) -> requests.Response:
    return requests.get(
        server.api + f"/documents/{doc.body.sha256}",
        params={"application": str(doc.application_id)},
        headers=auth,
        timeout=5,
    )


def test_one_pdf_from_two_devices_is_kept_once_and_every_reader_reads_it(
    server: ServerThread, blob_dir: Path | None
) -> None:
    first, second = enroll(server), enroll(server, workstation="004")
    elsewhere = enroll(server, center=OTHER)
    pdf = _pdf("受理回执 the same bytes from two windows")
    sha = _sha(pdf)
    mine = _issue(server, first, pdf, f"{CENTER}-003-20261123-0001", "003")
    theirs = _issue(server, second, pdf, f"{CENTER}-004-20261123-0001", "004")

    engine = server.engine()
    assert count(engine, "blobs") == 1
    with Session(engine) as session:
        row = session.get(Blob, sha)
        assert row is not None and row.size == len(pdf) and row.dropped_at is None
        assert (row.data is None) == (blob_dir is not None)
    if blob_dir is not None:
        files = [p for p in blob_dir.rglob("*") if p.is_file()]
        assert files == [blob_dir / sha[:2] / sha[2:4] / sha]
        assert files[0].read_bytes() == pdf

    # The 补打 fetch, from both windows of the center, each through its own application's record.
    for auth, doc in ((first, mine), (second, theirs), (first, theirs)):
        got = _fetch(server, auth, doc)
        assert got.status_code == 200 and got.content == pdf
    # The recovery's read-back of the workstation's own event.
    back = requests.get(server.api + f"/device/records/{mine.event_id}/document", headers=first, timeout=5)
    assert back.status_code == 200 and back.content == pdf
    # Another center: the uniform 404, as for a hash never stored.
    refused = _fetch(server, elsewhere, mine)
    unknown = requests.get(
        server.api + f"/documents/{_sha(b'never issued')}",
        params={"application": str(mine.application_id)},
        headers=first,
        timeout=5,
    )
    assert refused.status_code == unknown.status_code == 404
    assert refused.json() == unknown.json() and refused.json()["message"] == documents.NO_DOCUMENT


@pytest.mark.allow_warning_logs  # a damaged file is logged for the operator
def test_a_damaged_or_missing_file_answers_the_404_and_never_other_bytes(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "blobs"
    server = ServerThread(store_url, settings_overrides={"blob_dir": folder})
    try:
        auth = enroll(server)
        pdf = _pdf("通知书")
        doc = _issue(server, auth, pdf, f"{CENTER}-003-20261123-0002", "003")
        path = blob_files.path_of(folder, doc.body.sha256)
        path.write_bytes(pdf + b"tampered")
        assert _fetch(server, auth, doc).status_code == 404
        # Sent again by the workstation, the damaged file is replaced whole.
        put = requests.put(server.api + f"/documents/{doc.body.sha256}", data=pdf, headers=auth, timeout=5)
        assert put.status_code == 200
        assert _fetch(server, auth, doc).content == pdf
        path.unlink()
        assert _fetch(server, auth, doc).status_code == 404
    finally:
        server.stop()


@pytest.mark.allow_warning_logs  # the unwritable folder is logged for the operator
def test_a_folder_that_cannot_be_written_refuses_the_upload_with_a_sentence(store_url: str, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", "utf-8")
    server = ServerThread(store_url, settings_overrides={"blob_dir": blocked})
    try:
        auth = enroll(server)
        pdf = _pdf("收件凭证")
        put = requests.put(server.api + f"/documents/{_sha(pdf)}", data=pdf, headers=auth, timeout=5)
        assert put.status_code == 503
        assert put.json()["message"] == documents.NOT_WRITTEN
        assert count(server.engine(), "blobs") == 0  # no row pointing to nothing
    finally:
        server.stop()


@pytest.fixture(params=["run", "sqlite"])
def empty(request: pytest.FixtureRequest, store_factory: Any, tmp_path: Path) -> Iterator[Engine]:
    """An empty store: the run's (PostgreSQL where it runs), and a SQLite file."""
    url = store_factory.empty() if request.param == "run" else f"sqlite:///{tmp_path / 'server.db'}"
    engine = create_store_engine(url)
    yield engine
    engine.dispose()


def _to(engine: Engine, revision: str, *, down: bool = False, blob_dir: Path | None = None) -> None:
    with engine.begin() as conn:
        config = migrate._config(conn, blob_dir)
        (command.downgrade if down else command.upgrade)(config, revision)


def test_0009_moves_the_pdfs_of_a_store_at_0008_into_the_folder_once(empty: Engine, tmp_path: Path) -> None:
    _to(empty, "0008")
    pdfs = [_pdf(f"回执 {n}") for n in range(250)]  # more than one batch of the migration
    at = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
    with empty.begin() as conn:
        for pdf in pdfs:
            conn.execute(
                text("INSERT INTO blobs (sha256, size, center_code, received_at, data) VALUES (:s, :n, :c, :at, :d)"),
                {"s": _sha(pdf), "n": len(pdf), "c": CENTER, "at": at, "d": pdf},
            )
    folder = tmp_path / "blobs"
    blob_files.write(folder, _sha(pdfs[0]), pdfs[0])  # a file already there (a migration that stopped): kept
    migrate.upgrade(empty, blob_dir=folder)

    assert count(empty, "blobs") == 250 and count(empty, "blobs", "WHERE data IS NOT NULL") == 0
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert len(files) == 250 and all(_sha(p.read_bytes()) == p.name for p in files)
    with Session(empty, info=documents.session_info(folder)) as session:
        assert all(documents.read_blob(session, _sha(pdf)) == pdf for pdf in pdfs[::50])
    # Down again: the bytes come back into the table from the folder.
    _to(empty, "0008", down=True, blob_dir=folder)
    with empty.connect() as conn:
        back = dict(conn.execute(text("SELECT sha256, data FROM blobs")).all())
    assert {sha: bytes(data) for sha, data in back.items()} == {_sha(pdf): pdf for pdf in pdfs}
    # Up again over the files still there: the same files, the rows cleared, nothing stored twice.
    migrate.upgrade(empty, blob_dir=folder)
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == files
    assert count(empty, "blobs", "WHERE data IS NOT NULL") == 0


def test_0009_without_a_folder_keeps_the_bytes_in_the_table(empty: Engine) -> None:
    _to(empty, "0008")
    pdf = _pdf("留在表中")
    with empty.begin() as conn:
        conn.execute(
            text("INSERT INTO blobs (sha256, size, center_code, received_at, data) VALUES (:s, :n, :c, :at, :d)"),
            {"s": _sha(pdf), "n": len(pdf), "c": CENTER, "at": utcnow(), "d": pdf},
        )
    migrate.upgrade(empty)
    with Session(empty) as session:
        assert documents.read_blob(session, _sha(pdf)) == pdf


def _event(sha256: str, received_at: dt.datetime) -> dict[str, Any]:
    body = {"type": ISSUED, "body": {"sha256": sha256}}
    return {
        "event_id": uuid.uuid4(),
        "sha256": "b" * 64,
        "center_code": CENTER,
        "workstation_code": "003",
        "application_id": uuid.uuid4(),
        "event_type": ISSUED,
        "schema_version": 1,
        "occurred_at": received_at,
        "received_at": received_at,
        "device_id": uuid.uuid4(),
        "payload": json.dumps(body).encode(),
        "position": 0,
    }


def _keep(engine: Engine, folder: Path | None, *pdfs: bytes) -> None:
    device = Device(id=uuid.uuid4(), center_code=CENTER, workstation_code="003")
    with Session(engine, info=documents.session_info(folder)) as session, session.begin():
        for pdf in pdfs:
            assert documents.store_blob(session, device, _sha(pdf), pdf)


def test_the_retention_drops_only_what_a_transferred_archive_carries_and_no_event_names(
    store_url: str, blob_dir: Path | None
) -> None:
    engine = create_store_engine(store_url)
    try:
        archived, named, untransferred, never = (_pdf(w) for w in ("归档已移交", "仍被引用", "未移交", "未归档"))
        _keep(engine, blob_dir, archived, named, untransferred, never)
        with Session(engine) as session, session.begin():
            insert_rows(session, StoredEvent.__table__, [_event(_sha(named), utcnow())])
        with engine.begin() as conn:  # as admin archive marks them
            for pdf, month in ((archived, "2024-01"), (named, "2024-01"), (untransferred, "2024-02")):
                conn.execute(
                    text("UPDATE blobs SET archived_month = :m WHERE sha256 = :s"), {"m": month, "s": _sha(pdf)}
                )
        with Session(engine) as session, session.begin():
            assert blobs.confirm_transfer(session, dt.date(2024, 1, 1), "档案馆接收单 2024-017")
            assert not blobs.confirm_transfer(session, dt.date(2024, 1, 1), "again")  # recorded once
            with pytest.raises(ServiceError) as too_recent:
                blobs.confirm_transfer(session, partitions.month_of(utcnow()), "this month")
            assert too_recent.value.code == "too_recent"

        dry = blobs.prune(engine, blob_dir=blob_dir, dry_run=True)
        assert (dry.eligible, dry.kept_referenced, dry.dropped, dry.bytes) == (2, 1, 1, len(archived))
        assert count(engine, "blobs", "WHERE dropped_at IS NOT NULL") == 0
        done = blobs.prune(engine, blob_dir=blob_dir)
        assert (done.eligible, done.kept_referenced, done.dropped) == (2, 1, 1)
        with Session(engine, info=documents.session_info(blob_dir)) as session:
            gone = session.get(Blob, _sha(archived))
            assert gone is not None and gone.dropped_at is not None and gone.data is None
            assert documents.read_blob(session, _sha(archived)) is None
            for kept in (named, untransferred, never):
                assert documents.read_blob(session, _sha(kept)) == kept
        if blob_dir is not None:
            assert not blob_files.path_of(blob_dir, _sha(archived)).exists()
        assert blobs.prune(engine, blob_dir=blob_dir).dropped == 0  # nothing more
        # The workstation sends the dropped PDF again: kept again.
        _keep(engine, blob_dir, archived)
        with Session(engine, info=documents.session_info(blob_dir)) as session:
            assert documents.read_blob(session, _sha(archived)) == archived
    finally:
        engine.dispose()


def _admin(store_url: str, folder: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"YIMEN_SERVER_DATABASE_URL": store_url, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    if folder is not None:
        env["YIMEN_SERVER_BLOB_DIR"] = str(folder)
    return subprocess.run(
        [sys.executable, "-m", "server", "admin", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_admin_archive_carries_the_months_pdfs_and_prune_follows_the_transfer(store_url: str, tmp_path: Path) -> None:
    engine = create_store_engine(store_url)
    folder, archive = tmp_path / "blobs", tmp_path / "archive"
    archive.mkdir()
    try:
        old, again = _pdf("2024 年 1 月的回执"), _pdf("1 月出具、本月又被引用")
        _keep(engine, folder, old, again)
        january = dt.datetime(2024, 1, 10, 9, 0, tzinfo=BEIJING)
        with Session(engine) as session, session.begin():
            rows = [_event(_sha(old), january), _event(_sha(again), january), _event(_sha(again), utcnow())]
            insert_rows(session, StoredEvent.__table__, rows)
        if engine.dialect.name != "postgresql":  # the one-box demo archives nothing: nothing is dropped
            refused = _admin(store_url, folder, "archive", "--before", "2024-02", "--to", str(archive))
            assert refused.returncode == 1 and refused.stderr.strip() == partitions.NOT_PARTITIONED
            assert _admin(store_url, folder, "documents-transferred", "2024-01", "--reference", "R").returncode == 0
            pruned = _admin(store_url, folder, "documents-prune")
            assert pruned.returncode == 0 and json.loads(pruned.stdout)["dropped"] == 0
            return
        partitions.ensure(engine)
        done = _admin(store_url, folder, "archive", "--before", "2024-02", "--to", str(archive))
        assert done.returncode == 0, done.stderr
        carried = archive / "documents-2024-01"
        assert sorted(p.name for p in carried.iterdir()) == sorted(f"{_sha(p)}.pdf" for p in (old, again))
        assert (carried / f"{_sha(old)}.pdf").read_bytes() == old
        manifest = json.loads((archive / "events-2024-01.json").read_text("utf-8"))
        assert manifest["documents"] == {"folder": "documents-2024-01", "count": 2, "missing": []}
        # Before the transfer: nothing leaves.
        before = _admin(store_url, folder, "documents-prune")
        assert before.returncode == 0 and json.loads(before.stdout)["dropped"] == 0
        confirmed = _admin(store_url, folder, "documents-transferred", "2024-01", "--reference", "档案馆接收单 017")
        assert confirmed.returncode == 0 and "已记录 2024-01 的移交" in confirmed.stdout
        dry = _admin(store_url, folder, "documents-prune", "--dry-run")
        assert json.loads(dry.stdout) == {"eligible": 2, "kept_referenced": 1, "dropped": 1, "bytes": len(old)}
        pruned = _admin(store_url, folder, "documents-prune")
        assert json.loads(pruned.stdout)["dropped"] == 1
        assert not blob_files.path_of(folder, _sha(old)).exists()
        assert blob_files.read(folder, _sha(again)) == again  # an event still attached names it
        with Session(engine) as session:
            dropped = session.scalars(select(Blob.sha256).where(Blob.dropped_at.is_not(None))).all()
        assert dropped == [_sha(old)]
    finally:
        engine.dispose()


def test_admin_documents_move_empties_the_table_batch_by_batch_while_both_places_read(
    store_url: str, tmp_path: Path
) -> None:
    """A store too large to move inside migration 0009: migrated without a folder, then moved by the command while
    the instances serve (each batch committed; a PDF reads the same from either place)."""
    engine = create_store_engine(store_url)
    folder = tmp_path / "blobs"
    try:
        pdfs = [_pdf(f"留在表中的回执 {n}") for n in range(120)]
        _keep(engine, None, *pdfs)
        refused = _admin(store_url, None, "documents-move")
        assert refused.returncode == 1 and "未设置 YIMEN_SERVER_BLOB_DIR" in refused.stderr
        with Session(engine) as session:  # what an instance with the folder set reads before the move
            session.info.update(documents.session_info(folder))
            assert documents.read_blob(session, _sha(pdfs[0])) == pdfs[0]
        moved = _admin(store_url, folder, "documents-move")
        assert moved.returncode == 0, moved.stderr
        assert moved.stdout.startswith("已把 120 份文书移入")
        assert count(engine, "blobs", "WHERE data IS NOT NULL") == 0
        with Session(engine, info=documents.session_info(folder)) as session:
            assert all(documents.read_blob(session, _sha(pdf)) == pdf for pdf in pdfs)
        again = _admin(store_url, folder, "documents-move")
        assert again.returncode == 0 and again.stdout.startswith("已把 0 份文书移入")
    finally:
        engine.dispose()


def test_an_event_naming_a_dropped_pdf_waits_for_the_pdf_and_the_upload_brings_it_back(
    server: ServerThread, blob_dir: Path | None
) -> None:
    auth = enroll(server)
    pdf = _pdf("补正告知书 dropped by the retention, then sent again")
    sha = _sha(pdf)
    _issue(server, auth, pdf, f"{CENTER}-003-20261123-0001", "003")
    engine = server.engine()
    with Session(engine) as session:
        session.execute(Blob.__table__.update().where(Blob.sha256 == sha).values(data=None, dropped_at=utcnow()))
        session.commit()
    if blob_dir is not None:
        (blob_dir / sha[:2] / sha[2:4] / sha).unlink()

    # The same PDF named by a later case's document: refused until its bytes are on the server again.
    later = wire.taken(f"{CENTER}-003-20261124-0001", workstation="003")
    doc = wire.document(later, pdf)
    assert outcomes(push(server, auth, later)) == ["stored"]
    assert outcomes(push(server, auth, doc)) == ["rejected"]
    put = requests.put(server.api + f"/documents/{sha}", data=pdf, headers=auth, timeout=5)
    assert put.status_code == 200, put.text
    with Session(engine) as session:
        row = session.get(Blob, sha)
        assert row is not None and row.dropped_at is None
    again = wire.document(later, pdf)
    assert outcomes(push(server, auth, again)) == ["stored"]
    got = _fetch(server, auth, again)
    assert got.status_code == 200 and got.content == pdf
