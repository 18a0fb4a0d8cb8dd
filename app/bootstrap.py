"""The one place that opens the database and builds the services (ARCHITECTURE.md)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import integrity, pruning, retention
from app.catalog import registry
from app.catalog.registry import Catalog
from app.config import Deployment, load_deployment
from app.documents.model import DocumentSettings
from app.documents.service import DocumentService
from app.errors import StorageError
from app.housekeeping import Housekeeping
from app.i18n import Message
from app.intake.service import IntakeService
from app.ratings import RatingService
from app.reports.dayclose import DayCloseService
from app.reports.summary import ReportService, due_soon_from
from app.resources import resource_path
from app.security.accounts import AccountService
from app.security.vault import Vault, resolve_vault_dir
from app.store import Store
from app.sync.credentials import CredentialStore
from app.sync.service import SyncService
from app.workdays import CalendarYear, WorkCalendar, load_extra_years
from db import migrate
from db.models import Center, Workstation
from db.types import utcnow

log = logging.getLogger("yimen.bootstrap")


@dataclass
class Services:
    """Everything the front ends use, built over one open database."""

    deployment: Deployment
    db: Store
    catalog: Catalog
    calendar: WorkCalendar
    intake: IntakeService
    accounts: AccountService
    documents: DocumentService
    sync: SyncService
    vault: Vault
    ratings: RatingService
    reports: ReportService
    day_close: DayCloseService
    notes: list[Message] = field(default_factory=list)

    housekeeping: Housekeeping | None = None

    def close(self) -> None:
        if self.housekeeping is not None:
            self.housekeeping.stop()
        self.db.dispose()

    def start_housekeeping(self, **timing: float) -> Housekeeping:
        """Start the housekeeping thread of a running counter (the GUI): the daily backup and the hourly purge of
        closed cases past the retention period; stopped by :meth:`close`."""
        if self.housekeeping is None:
            self.housekeeping = Housekeeping(
                lambda: self.backup(only_if_due=True), purge=self.purge, prune=self.prune, **timing
            )
            self.housekeeping.start()
        return self.housekeeping

    def purge(self, *, dry_run: bool = False) -> retention.PurgeReport:
        """Purge the closed, acknowledged cases past ``privacy.retention_days`` (app/retention.py); ``dry_run``
        only counts them."""
        return retention.purge_closed(self.db, self.deployment, self.intake.clock(), dry_run=dry_run)

    def prune(self, *, dry_run: bool = False) -> pruning.PruneReport:
        """Clear the acknowledged payloads and PDFs past their retention, then give the space back
        (app/pruning.py); ``dry_run`` only counts them."""
        return pruning.prune(self.db, self.deployment, self.intake.clock(), dry_run=dry_run)

    def backup(self, *, only_if_due: bool = False) -> Path | None:
        """A verified, sealed backup of the store now (``only_if_due``: once a day); app/backups.py."""
        return integrity.backup_now(self.db, self.deployment, self.vault, only_if_due=only_if_due)


def build_calendar(folders: list[Path]) -> tuple[WorkCalendar, list[Message]]:
    """The working-day calendar: the library plus the years IT added as data (shipped or machine-wide)."""
    years: list[CalendarYear] = []
    problems: list[Message] = []
    for folder in folders:
        if folder.is_dir():
            found, errors = load_extra_years(folder)
            years.extend(found)
            problems.extend(e.message for e in errors)
    return WorkCalendar(years), problems


def catalog_folder() -> Path:
    return resource_path("catalog", "items")


def open_database(data_dir: Path, deployment: Deployment, vault: Vault) -> tuple[Store, migrate.MigrationReport]:
    """Open (and if needed create, encrypt or upgrade, after a backup) the workstation's database, refusing a
    store that is not the one this workstation had (app/integrity.py).

    Raises:
        StorageError: the data folder cannot be used (a file in its place, no permission, read-only, full), or
            the database file is damaged, locked or unreadable; the message names the folder and what to do.
        StoreRefusedError: the store was lost, emptied, replaced or rolled back; the message names the way back.
        VaultError: the machine vault cannot be read.
        SchemaTooNewError: the file was written by a newer Yimen.
    """
    db, report = integrity.open_store(data_dir, deployment, vault)
    if report.backup is not None:
        log.info(
            "database upgraded from %s to %s; backup at %s", report.from_revision, report.to_revision, report.backup
        )
    return db, report


def machine_vault(data_dir: Path, deployment: Deployment, *, move: bool = True) -> Vault:
    return Vault(resolve_vault_dir(data_dir, demo=deployment.is_demo, move=move))


def open_services(
    config_path: Path,
    data_dir: Path,
    *,
    catalog_dir: Path | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> Services:
    """Load the deployment, open the database, reconcile the catalog and build the services.

    Raises:
        ConfigError: the deployment file is missing or wrong.
        StorageError: the database cannot be opened or upgraded.
    """
    deployment = load_deployment(config_path)
    vault = machine_vault(data_dir, deployment)
    db, _ = open_database(data_dir, deployment, vault)
    try:
        with db.write() as session:
            register_workstation(session, deployment)
            catalog = registry.reconcile(session, catalog_dir or catalog_folder())
    except StorageError:
        db.dispose()
        raise
    calendar, calendar_problems = build_calendar([resource_path("calendar"), data_dir / "calendar"])
    for problem in catalog.problems:
        log.warning("catalog: %s", problem.render())
    intake = IntakeService(db, deployment, catalog, calendar, clock=clock)
    recomputed = intake.recompute_estimated_deadlines()
    if recomputed:
        log.info("recomputed %d estimated deadlines with the calendar data now available", recomputed)
    accounts = AccountService(
        db,
        workstation_code=deployment.workstation_code,
        max_failures=deployment.max_failed_logins,
        lockout_minutes=deployment.lockout_minutes,
        clock=clock,
    )
    document_settings = DocumentSettings.from_deployment(deployment)
    sync = SyncService(
        db,
        deployment,
        CredentialStore(vault),
        clock=clock,
        batch_size=deployment.sync_batch_size,
    )
    documents = DocumentService(
        db, deployment, intake, document_settings, clock=clock, fetch_original=sync.fetch_document
    )
    return Services(
        deployment=deployment,
        db=db,
        catalog=catalog,
        calendar=calendar,
        intake=intake,
        accounts=accounts,
        documents=documents,
        sync=sync,
        vault=vault,
        day_close=DayCloseService(db, deployment, accounts, sync.reconciliation, clock=clock),
        ratings=RatingService(db, deployment, catalog, calendar, clock=clock),
        reports=ReportService(
            db,
            deployment,
            item_name=catalog.item_name,
            due_soon_until=due_soon_from(calendar.add_workdays),
            center_figures=sync.center_figures,
            clock=clock,
        ),
        notes=[*catalog.problems, *calendar_problems, *document_settings.problems],
    )


def register_workstation(session: Session, deployment: Deployment) -> None:
    center = session.scalar(select(Center).where(Center.code == deployment.center_code))
    if center is None:
        center = Center(code=deployment.center_code)
        session.add(center)
    center.name = deployment.center_name
    center.short_name = deployment.center_short_name
    center.district = deployment.district
    session.flush()
    workstation = session.scalar(
        select(Workstation).where(Workstation.center_id == center.id, Workstation.code == deployment.workstation_code)
    )
    if workstation is None:
        workstation = Workstation(center_id=center.id, code=deployment.workstation_code)
        session.add(workstation)
    workstation.window_name = deployment.window_name
    session.flush()
