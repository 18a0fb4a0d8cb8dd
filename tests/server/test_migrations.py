"""The server store's migrations: the migrated schema equals the models (on the test PostgreSQL and on a SQLite file,
whichever the run uses, and on SQLite always), and 0002 keeps what 0001 held working (devices enrolled before it
count as confirmed) and, going back down, leaves nothing open that 0001 could not hold back."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.sync import protocol
from server import migrate
from server.services import devices
from server.services.common import ServiceError, token_hash
from server.store.db import create_store_engine
from server.store.models import Base

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def _to(engine: Engine, revision: str, down: bool = False) -> None:
    with engine.begin() as conn:
        config = migrate._config(conn)
        (command.downgrade if down else command.upgrade)(config, revision)


@pytest.fixture(params=["run", "sqlite"])
def empty(request: pytest.FixtureRequest, store_factory: Any, tmp_path: Path) -> Iterator[Engine]:
    """An empty store: the run's (PostgreSQL where it runs), and a SQLite file."""
    url = store_factory.empty() if request.param == "run" else f"sqlite:///{tmp_path / 'server.db'}"
    engine = create_store_engine(url)
    yield engine
    engine.dispose()


def test_migrated_schema_equals_the_models(empty: Engine) -> None:
    before, after = migrate.upgrade(empty)
    assert before is None and after == migrate.head_revision()
    with empty.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_0002_keeps_earlier_devices_working_and_a_downgrade_closes_what_0001_cannot_hold(empty: Engine) -> None:
    _to(empty, "0001")
    device_id = uuid.uuid4()
    with empty.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO devices (id, token_hash, center_code, workstation_code, hostname, enrolled_at) "
                "VALUES (:id, :hash, '310104003', '003', 'old', :at)"
            ),
            {
                "id": device_id if empty.dialect.name == "postgresql" else device_id.hex,
                "hash": token_hash("ymd_old"),
                "at": NOW,
            },
        )
    migrate.upgrade(empty)
    with Session(empty) as session, session.begin():
        assert devices.authenticate_device(session, "ymd_old").confirmed_at == NOW
        code = devices.create_enrollment_code(session, center_code="310104003", workstation_code="004", hours=1)
        pending = devices.claim(
            session, protocol.EnrollRequest(code=code, center_code="310104003", workstation_code="004")
        )
        newer = devices.create_enrollment_code(session, center_code="310104003", workstation_code="005", hours=1)
        devices.create_enrollment_code(session, center_code="310104003", workstation_code="005", hours=1)
    _to(empty, "0001", down=True)
    with empty.connect() as conn:
        revoked = dict(conn.execute(text("SELECT hostname, revoked_at IS NOT NULL FROM devices")).all())
        used = {row[0] for row in conn.execute(text("SELECT code_hash FROM enrollment_codes WHERE used_at IS NULL"))}
    assert revoked == {"old": False, "": True}  # the pending credential may not come alive
    assert token_hash(devices.normalize_code(newer)) not in used  # nor may a revoked code be claimed
    assert token_hash(devices.normalize_code(code)) in used
    migrate.upgrade(empty)
    with Session(empty) as session, session.begin():
        with pytest.raises(ServiceError) as refused:
            devices.authenticate_device(session, pending.token)
        assert refused.value.code == "device_revoked"
