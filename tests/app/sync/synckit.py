"""Workstations for the sync tests: a real database, enrolled with a real central server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.sync.credentials import CredentialStore
from app.sync.service import SyncService
from db.models import Application, OutboxEntry
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user, write_deployment
from tests.serverkit import enrollment_code

CENTER = "310104003"
ITEM = "MZ-SHJZ-002"  # 临时救助: one applicant, a few materials


class Workstation:
    def __init__(
        self,
        services_factory: Callable[..., Any],
        folder: Path,
        server_url: str,
        *,
        center: str = CENTER,
        workstation: str = "003",
        mode: str = "demo",
        ca_bundle: str = "",
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.config = write_deployment(
            folder, mode=mode, workstation=workstation, center=center, server_url=server_url, ca_bundle=ca_bundle
        )
        self.data_dir = folder / "data"
        self.services = services_factory(config=self.config, data_dir=self.data_dir)
        self.clerk = add_user(self.services)
        self.supervisor = add_user(self.services, "zhangmin", supervisor=True)
        self.center = center
        self.code = workstation

    @property
    def sync(self) -> SyncService:
        return self.services.sync  # type: ignore[no-any-return]

    def enroll(self, engine: Any, url: str | None = None) -> None:
        self.sync.enroll(enrollment_code(engine, self.center, self.code), url)

    def service(self, **kwargs: Any) -> SyncService:
        """Another SyncService on the same database (a short timeout, say)."""
        return SyncService(self.services.db, self.services.deployment, CredentialStore(self.services.vault), **kwargs)

    def take(self, n: int = 1, code: str = ITEM, **kwargs: Any) -> list[Any]:
        return [take(self.services, self.clerk, code, **kwargs) for _ in range(n)]

    def outbox(self) -> list[OutboxEntry]:
        with self.services.db.read() as session:
            rows = list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
            session.expunge_all()
            return rows

    def application(self, number: str) -> Application:
        with self.services.db.read() as session:
            app = session.scalar(select(Application).where(Application.acceptance_no == number))
            assert app is not None
            session.expunge(app)
            return app
