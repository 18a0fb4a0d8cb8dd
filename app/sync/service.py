"""Sync use cases: enroll, push the outbox, pull the feed, report where things stand (docs/sync-protocol.md).

Pushing sends the outbox rows' stored bytes, in ``seq`` order, in bounded batches, and records each event's
answer in one local transaction.  A rejection or conflict quarantines that event with the server's reason; the
later events of the same application are held back, every other application's go on.  Network errors, timeouts,
5xx and garbage answers leave everything pending: the whole batch is sent again later, and the server's
"duplicate" answer makes that harmless.  Pulling applies one feed page per local transaction and advances the
cursor in that same transaction, so a page is applied exactly once however often it is fetched.

Every push also carries the audit chain's head (``audit.head``: its latest position and HMAC), built when the batch
is sent and never queued; when nothing waits, a push of the head alone goes whenever the head moved since the
server last accepted one.  The server refuses a head that goes backwards; the refusal is recorded for the status
line and ``yimen audit verify`` and holds nothing else (docs/sync-protocol.md "Audit heads").
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from sqlalchemy import String, Text, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from app.catalog import registry
from app.config import Deployment
from app.domain import SyncState
from app.errors import (
    CredentialStoreError,
    DeviceRevokedError,
    NotEnrolledError,
    SyncBusyError,
    SyncError,
    SyncRefusedError,
    SyncTransientError,
    ValidationError,
    YimenError,
)
from app.i18n import Message, msg
from app.security import audit
from app.security.permissions import Actor, Permission, require
from app.sync import attachments, protocol
from app.sync.credentials import Credential, CredentialStore
from app.sync.stored_message import dump_message, load_message
from app.version import UpdateNotice, update_notice, version
from db.engine import Database
from db.models import Application, DocumentRecord, OutboxEntry, OutboxState, SyncMeta, User
from db.types import UTCDateTime, utcnow

if TYPE_CHECKING:  # requests is imported when sync first runs, not at every start-up (docs/performance.md)
    from app.sync.client import ClientSettings, SyncClient

log = logging.getLogger("yimen.sync")

BATCH_SIZE = 500
#: The most payload bytes in one push: half the server's default body limit (16 MB, 413 beyond), so a batch of large
#: events (signatures with their strokes and PNG) goes in several requests instead of being refused for ever.
BATCH_BYTES = 8 * 1024 * 1024
PULL_PAGE = 500
PULL_PAGES_PER_SYNC = 20
#: Beyond this, the clerk and the supervisor are warned: receipt dates come from the workstation's clock.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)

META_CURSOR = "pull_cursor"
META_LAST_SUCCESS = "last_success_at"
META_LAST_ATTEMPT = "last_attempt_at"
META_LAST_ERROR = "last_error"
META_CLOCK_OFFSET = "clock_offset_seconds"
META_REVOKED = "revoked"
#: ``"{seq}:{mac}"`` of the last audit head the server accepted, and the server's reason for the last one refused.
META_AUDIT_HEAD_ACKED = "audit_head_acked"
META_AUDIT_HEAD_REFUSED = "audit_head_refused"
#: The client versions the server last published (docs/sync-protocol.md "Client versions"); absent: none.
META_CLIENT_MIN = "client_version_min"
META_CLIENT_LATEST = "client_version_latest"
#: Until when the server asked this workstation to wait (it answered busy: docs/sync-protocol.md "When the server is
#: busy"); absent when the last round went through.
META_BUSY_UNTIL = "busy_until"
#: Sending again after a server restore (docs/sync-protocol.md): the resend requests this store has put back in its
#: queue (JSON list of ids, the latest few), the one still to name done on the next feed call, and how many events
#: acknowledged since a request's moment could not be sent again (their bytes or PDF already pruned).
META_RESEND_DONE = "resend_done"
META_RESEND_ACK = "resend_ack"
META_RESEND_UNSENDABLE = "resend_unsendable"
#: Events put back in the queue per local transaction (a save waits at most for one of them).
RESEND_CHUNK = 500


@dataclass(frozen=True)
class _Queued:
    id: uuid.UUID
    seq: int
    application_id: uuid.UUID | None
    event_type: str
    payload: bytes
    sha256: str


@dataclass(frozen=True)
class _Head:
    """The audit chain's head as one push carries it."""

    seq: int
    mac: str
    pushed: protocol.FramedEvent


@dataclass(frozen=True)
class PushReport:
    sent: int = 0  # stored or already had
    quarantined: int = 0
    held: int = 0
    batches: int = 0

    def __add__(self, other: PushReport) -> PushReport:
        return PushReport(
            self.sent + other.sent,
            self.quarantined + other.quarantined,
            self.held + other.held,
            self.batches + other.batches,
        )


@dataclass(frozen=True)
class PullReport:
    applied: int = 0
    pages: int = 0
    cursor: int = 0
    #: A resend request (server restored): events put back in the queue, and those that could not be.
    resent: int = 0
    unsendable: int = 0


@dataclass(frozen=True)
class SyncReport:
    push: PushReport
    pull: PullReport
    clock_offset: dt.timedelta | None


@dataclass(frozen=True)
class QueueRow:
    event_id: uuid.UUID
    seq: int
    event_type: str
    acceptance_no: str | None
    state: str
    attempts: int
    #: Why the event waits, in Chinese; screens render :attr:`last_error_message` in the reader's language.
    last_error: str | None
    created_at: dt.datetime
    last_error_message: Message | None = None


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    enrolled: bool
    revoked: bool
    pending: int
    quarantined: int
    last_success_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    #: The last failure in Chinese (the command line, logs); screens render :attr:`last_error_message` instead.
    last_error: str | None
    clock_offset: dt.timedelta | None
    warnings: list[Message] = field(default_factory=list)
    #: The server's reason for refusing this workstation's last audit head (None: accepted, or none sent yet).
    audit_head_refused: str | None = None
    #: The last failure as a message, to render in the reader's language (a plain text stored by an earlier
    #: version reads back as that text).
    last_error_message: Message | None = None
    #: Events the server asked to have sent again (it was restored) whose bytes were already pruned here: for IT.
    resend_unsendable: int = 0
    #: The client versions the server last published (None: it published none, or was never reached).
    client_version_min: str | None = None
    client_version_latest: str | None = None
    #: The server was busy at the last round and asked to wait until then (None: it was not); no error.
    busy_until: dt.datetime | None = None

    @property
    def update(self) -> UpdateNotice | None:
        """The update the published versions make due for this build (None: none due)."""
        return update_notice(version(), minimum=self.client_version_min, latest=self.client_version_latest)

    @property
    def clock_off(self) -> bool:
        return self.clock_offset is not None and abs(self.clock_offset) > CLOCK_TOLERANCE


def _set_meta(session: Session, key: str, value: str | None) -> None:
    row = session.get(SyncMeta, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SyncMeta(key=key, value=value))
    else:
        row.value = value


def _meta(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(SyncMeta))}


def _held_back(session: Session) -> set[uuid.UUID]:
    return {
        app_id
        for app_id in session.scalars(
            select(OutboxEntry.application_id)
            .where(OutboxEntry.state == OutboxState.QUARANTINED.value, OutboxEntry.application_id.is_not(None))
            .distinct()
        )
        if app_id is not None
    }


class SyncService:
    """Sync for one workstation database.  Thread-safe in the sense that matters: every call opens its own
    database sessions and HTTP session, so the background worker and ``yimen sync --once`` may both run."""

    def __init__(
        self,
        db: Database,
        deployment: Deployment,
        credentials: CredentialStore,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        batch_size: int = BATCH_SIZE,
        timeout: tuple[float, float] | None = None,
    ) -> None:
        self.db = db
        self.deployment = deployment
        self.credentials = credentials
        self.clock = clock
        self.batch_size = batch_size
        self.timeout = timeout

    # -------------------------------------------------------------------------------------------- enrollment

    def _check_url(self, url: str) -> str:
        url = url.strip().rstrip("/")
        if not url.startswith(("https://", "http://")):
            raise ValidationError(msg("sync", "服务器地址“{url}”无效，应以 https:// 开头。").bind(url=url))
        if url.startswith("http://") and not self.deployment.is_demo:
            raise ValidationError(
                msg("sync", "服务器地址“{url}”未加密（http），只能用于演示模式。请使用 https:// 地址。").bind(url=url)
            )
        return url

    def _client_settings(self, url: str) -> ClientSettings:
        from app.sync.client import ClientSettings

        settings = ClientSettings(
            server_url=url, ca_bundle=self.deployment.server_ca_bundle, proxy=self.deployment.server_proxy
        )
        return dataclasses.replace(settings, timeout=self.timeout) if self.timeout is not None else settings

    def enroll(self, code: str, server_url: str | None = None) -> Credential:
        """Enroll this workstation with a one-time code, in two phases (docs/sync-protocol.md): the server issues a
        pending credential, it is saved in the OS keyring, and only then confirmed with the server, which then uses
        up the code and revokes the old credential.  A keyring that refuses leaves everything as it was: the old
        credential still in force, the code usable again."""
        from app.sync.client import SyncClient

        url = self._check_url(server_url or self.deployment.server_url)
        client = SyncClient(self._client_settings(url), clock=self.clock)
        try:
            answer = client.claim_enrollment(
                protocol.EnrollRequest(
                    code=code.strip(),
                    center_code=self.deployment.center_code,
                    workstation_code=self.deployment.workstation_code,
                    hostname=socket.gethostname()[:100],
                )
            )
        except SyncRefusedError as exc:
            if exc.status == 422:
                raise ValidationError(msg("sync", "注册码格式不对。请核对信息员给出的注册码。")) from None
            raise
        finally:
            client.close()
        pending = Credential(
            server_url=url,
            device_id=str(answer.device_id),
            token=answer.token,
            center_code=answer.center_code,
            workstation_code=answer.workstation_code,
            confirmed=False,
        )
        self.credentials.save(pending)  # a refusal (CredentialStoreError) changes nothing, here or on the server
        try:
            return self._confirm(pending)
        except SyncTransientError as exc:
            raise SyncTransientError(
                msg("sync", "新凭证已保存，但尚未向中心服务器确认（{reason}）。下次同步时自动确认。").bind(
                    reason=exc.message
                )
            ) from None

    def _confirm(self, credential: Credential) -> Credential:
        """Phase two: confirm a saved pending credential (asking again is harmless), then mark it confirmed.

        The answer says how many applications the server holds of this workstation code and the highest numbering
        series in their 受理编号: a store that has issued no number yet — a new disk, the vault lost with the old
        one — continues above it (app/integrity.py ``continue_above``), so no number printed before is issued again.
        """
        from app.sync.client import SyncClient

        url = self._check_url(credential.server_url or self.deployment.server_url)
        client = SyncClient(self._client_settings(url), token=credential.token, clock=self.clock)
        try:
            answer = client.confirm_enrollment(numbers=True)
        finally:
            client.close()
        confirmed = dataclasses.replace(credential, confirmed=True)
        try:
            self.credentials.save(confirmed)
        except CredentialStoreError:
            # The credential is in force on the server whatever the saved flag says; the next sync confirms it
            # again (the server answers the same) and tries to save the flag again.
            log.info("enrollment confirmed; the keyring refused to record that, the next sync confirms again")
        with self.db.write() as session:
            _set_meta(session, META_REVOKED, None)
            _set_meta(session, META_LAST_ERROR, None)
            audit.record(
                session,
                action="sync.enrolled",
                entity_type="workstation",
                entity_id=self.deployment.workstation_code,
                workstation_code=self.deployment.workstation_code,
                user_id=None,
                details={"device_id": credential.device_id, "server": url},
            )
        if answer.numbers is not None and answer.numbers.applications > 0:
            self._continue_numbering(answer.numbers)
        return confirmed

    def _continue_numbering(self, numbers: protocol.WorkstationNumbers) -> None:
        from app import integrity
        from app.store import Store

        if not isinstance(self.db, Store):
            return
        series = integrity.continue_above(self.db, self.credentials.vault, seen=numbers.highest_series)
        if series is not None:
            log.info(
                "the server holds %d application(s) of this workstation code, up to numbering series %d: "
                "this store has no numbers yet and continues in series %d",
                numbers.applications,
                numbers.highest_series,
                series,
            )

    def _client(self) -> SyncClient:
        credential = self.credentials.load()
        if credential is None:
            raise NotEnrolledError(
                msg("sync", "本工位尚未在中心服务器注册，无法同步。请信息员执行 yimen enroll 注册本工位。")
            )
        if (credential.center_code, credential.workstation_code) != (
            self.deployment.center_code,
            self.deployment.workstation_code,
        ):
            raise NotEnrolledError(
                msg("sync", "本机保存的工位凭证属于其他中心或工位，无法同步。请信息员重新注册本工位。")
            )
        if not credential.confirmed:  # an enrollment whose confirmation did not get through: finish it first
            try:
                credential = self._confirm(credential)
            except DeviceRevokedError as exc:
                self._record_failure(exc.message, revoked=True)
                raise
            except SyncError as exc:
                self._record_failure(exc.message)
                raise
        from app.sync.client import SyncClient

        # The credential is valid on the server it was issued by.
        url = self._check_url(credential.server_url or self.deployment.server_url)
        return SyncClient(self._client_settings(url), token=credential.token, clock=self.clock)

    # -------------------------------------------------------------------------------------------- one round

    def sync_once(self) -> SyncReport:
        """One push of everything pending (in batches) and one pull; raises SyncError when either fails."""
        client = self._client()
        try:
            return self._round(client)
        finally:
            self._remember_versions(client)
            client.close()

    def _remember_versions(self, client: SyncClient) -> None:
        """Keep what the server's last answer published of client versions (nothing when none came back)."""
        published = client.published
        if published is None:
            return
        try:
            with self.db.write() as session:
                _set_meta(session, META_CLIENT_MIN, published.minimum)
                _set_meta(session, META_CLIENT_LATEST, published.latest)
        except YimenError:  # the store is busy or full: the round's own outcome matters more; the next round tries
            log.info("the published client versions could not be recorded this round")

    def _round(self, client: SyncClient) -> SyncReport:
        self._mark_attempt()
        try:
            pushed = self._push_all(client)
            # The materials' files, apart from the events, resumed where the server stands (docs/sync-protocol.md).
            self.upload_attachments(client)
            pulled = self._pull(client)
            if pulled.resent:  # a restored server asked for them: they go now, not a round later
                pushed = pushed + self._push_all(client)
        except DeviceRevokedError as exc:
            self._record_failure(exc.message, revoked=True)
            self.credentials.forget()  # IT may re-enroll from the command line while this process runs
            raise
        except SyncBusyError as exc:
            self._record_busy(exc)
            raise
        except SyncError as exc:
            self._record_failure(exc.message)
            raise
        offset = client.clock_offset()
        with self.db.write() as session:
            _set_meta(session, META_LAST_SUCCESS, self.clock().isoformat())
            _set_meta(session, META_LAST_ERROR, None)
            _set_meta(session, META_BUSY_UNTIL, None)
            if offset is not None:
                _set_meta(session, META_CLOCK_OFFSET, str(int(offset.total_seconds())))
        return SyncReport(pushed, pulled, offset)

    def upload_attachments(self, client: SyncClient | None = None) -> attachments.UploadReport:
        """Send the materials' files the server does not hold yet (app/sync/attachments.py)."""
        if client is not None:
            return attachments.upload_pending(self.db, client, self.clock)
        own = self._client()
        try:
            return attachments.upload_pending(self.db, own, self.clock)
        finally:
            own.close()

    def push_once(self) -> PushReport:
        client = self._client()
        try:
            return self._push_all(client)
        finally:
            client.close()

    def pull_once(self) -> PullReport:
        client = self._client()
        try:
            return self._pull(client)
        finally:
            client.close()

    def _mark_attempt(self) -> None:
        with self.db.write() as session:
            _set_meta(session, META_LAST_ATTEMPT, self.clock().isoformat())

    def _record_busy(self, exc: SyncBusyError) -> None:
        """The server answered, busy: no failure to show (the last one is over), only until when it asked to wait."""
        until = self.clock() + dt.timedelta(seconds=exc.retry_after)
        with self.db.write() as session:
            _set_meta(session, META_LAST_ERROR, None)
            _set_meta(session, META_BUSY_UNTIL, until.isoformat())

    def _record_failure(self, message: Message, *, revoked: bool = False) -> None:
        with self.db.write() as session:
            # Kept as the message's code and arguments, rendered in the reader's language (stored_message.py).
            _set_meta(session, META_LAST_ERROR, dump_message(message))
            _set_meta(session, META_BUSY_UNTIL, None)
            if revoked:
                _set_meta(session, META_REVOKED, "1")

    # -------------------------------------------------------------------------------------------- push

    def _next_batch(self, busy: list[_Queued] | None = None) -> list[_Queued]:
        """The next pending events in ``seq`` order, at most ``batch_size`` and :data:`BATCH_BYTES` of payloads,
        without the applications that have a quarantined event and, while a batch is in flight, without its events
        and its applications (their later events wait for its answer, so an application's events never race each
        other)."""
        busy = busy or []
        with self.db.read() as session:
            skip_apps = _held_back(session) | {e.application_id for e in busy if e.application_id is not None}
            # The candidates in order, each with its size as it travels: ``length`` of a blob is read from its row's
            # header, not its bytes, so nothing is read of the events the byte budget then leaves for later.
            candidates = (
                select(OutboxEntry.seq, (func.length(OutboxEntry.payload) + _FRAMING_LINE).label("size"))
                .where(OutboxEntry.state == OutboxState.PENDING.value)
                # Only a sent event's bytes are ever pruned (app/pruning.py); a pending one always has them.
                .where(OutboxEntry.payload.is_not(None))
                .order_by(OutboxEntry.seq)
                # The audit head rides in the same request (docs/sync-protocol.md "Audit heads"): one slot kept.
                .limit(min(self.batch_size, protocol.MAX_BATCH_EVENTS - 1))
            )
            # The lists as JSON arrays (``json_each``): one statement text whatever their length, where bound
            # lists made SQLite parse a new statement of up to a thousand placeholders for every batch.
            if busy:
                candidates = candidates.where(_NOT_BUSY.bindparams(busy=json.dumps([e.seq for e in busy])))
            if skip_apps:
                candidates = candidates.where(_NOT_HELD.bindparams(held=_id_array(skip_apps)))
            sized = candidates.subquery()
            running = select(
                sized.c.seq,
                func.sum(sized.c.size).over(order_by=sized.c.seq).label("upto"),
                func.row_number().over(order_by=sized.c.seq).label("position"),
            ).subquery()
            query = (
                select(
                    OutboxEntry.id,
                    OutboxEntry.seq,
                    OutboxEntry.application_id,
                    OutboxEntry.event_type,
                    OutboxEntry.payload,
                    OutboxEntry.sha256,
                )
                .join(running, running.c.seq == OutboxEntry.seq)
                # Within the byte budget, and at least one event whatever its size (one event is at most
                # protocol.MAX_PAYLOAD_CHARS, within any body limit).
                .where((running.c.upto <= BATCH_BYTES) | (running.c.position == 1))
            )
            # Put in order here: an ORDER BY would have SQLite copy every payload into a sorter first.
            rows = sorted(session.execute(query), key=lambda r: r[1])
            return [_Queued(r[0], r[1], r[2], r[3], cast(bytes, r[4]), r[5]) for r in rows]

    def _push_all(self, client: SyncClient) -> PushReport:
        """Push everything pending, two batches deep: while the server stores one batch, the answers of the
        previous one are recorded and the next one is read (the client's SQLite work and the server's overlap)."""
        from concurrent.futures import Future, ThreadPoolExecutor

        total = PushReport()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="yimen-push") as pool:
            flight: tuple[list[_Queued], _Head | None, Future[protocol.PushResponse]] | None = None
            stalled = False
            while True:
                batch = [] if stalled else self._next_batch(flight[0] if flight else None)
                head = self._head() if batch else None
                following = (batch, head, pool.submit(self._send, client, batch, head)) if batch else None
                if flight is not None:
                    try:
                        answer = flight[2].result()
                    except SyncError:
                        if following is not None:  # let it finish and keep what it achieved
                            with contextlib.suppress(SyncError):
                                total = total + self._record(following[0], following[2].result(), following[1])
                        raise
                    report = self._record(flight[0], answer, flight[1])
                    total = total + report
                    # Nothing settled (all held by the server): stop once the batch in flight is back.
                    stalled = stalled or (report.sent == 0 and report.quarantined == 0)
                if following is None:
                    break
                flight = following
        if total.batches == 0:
            self._push_head(client)
        return total

    def _head(self) -> _Head | None:
        """The audit chain's head as a protocol event (built for this push, never queued), or None when empty."""
        with self.db.read() as session:
            found = audit.head(session)
        if found is None:
            return None
        seq, mac = found
        event = protocol.new_event(
            occurred_at=self.clock(),
            center_code=self.deployment.center_code,
            workstation_code=self.deployment.workstation_code,
            application_id=protocol.NO_APPLICATION,
            body=protocol.AuditHead(seq=seq, mac=mac),
        )
        payload = protocol.serialize(event)
        pushed = protocol.FramedEvent(event.event_id, protocol.digest(payload), payload)
        return _Head(seq, mac, pushed)

    def _push_head(self, client: SyncClient) -> None:
        """Nothing waited: push the head alone when it moved since the server last accepted one (or was refused)."""
        head = self._head()
        if head is None:
            return
        with self.db.read() as session:
            meta = _meta(session)
        if meta.get(META_AUDIT_HEAD_ACKED) == f"{head.seq}:{head.mac}" and META_AUDIT_HEAD_REFUSED not in meta:
            return
        answer = client.push([head.pushed])
        with self.db.write() as session:
            self._record_head(session, head, {r.event_id: r for r in answer.results})

    def acknowledged_head(self) -> tuple[int, str] | None:
        """The last audit head the server accepted, as this store recorded it (None before the first)."""
        with self.db.read() as session:
            value = _meta(session).get(META_AUDIT_HEAD_ACKED, "")
        seq, _, mac = value.partition(":")
        return (int(seq), mac) if seq.isdigit() and mac else None

    def server_audit_head(self) -> protocol.AuditHeadHeld:
        """The audit head the server holds for this workstation.

        Raises:
            NotEnrolledError: the workstation is not enrolled.
            SyncError: the server cannot be reached or refused (revoked, …).
        """
        client = self._client()
        try:
            return client.audit_head()
        finally:
            client.close()

    def reconciliation(self, day: dt.date) -> protocol.Reconciliation:
        """The server's side of ``day`` for this workstation (the 日结's reconciliation, app/reports/dayclose.py).

        Raises:
            NotEnrolledError: the workstation is not enrolled.
            SyncError: the server cannot be reached or refused (revoked, …).
        """
        client = self._client()
        try:
            return client.reconciliation(day)
        finally:
            client.close()

    def center_figures(self, first: dt.date, last: dt.date) -> protocol.CenterFigures:
        """The center's figures of a period from the server (the supervisor's figures, app/reports/summary.py).

        Raises:
            NotEnrolledError: the workstation is not enrolled.
            SyncError: the server cannot be reached or refused (revoked, …).
        """
        client = self._client()
        try:
            return client.center_figures(first, last)
        finally:
            client.close()

    def fetch_document(self, sha256: str, application_id: uuid.UUID | str) -> bytes:
        """An issued document's PDF from the server, for a 补打 after the retention (docs/documents.md); unchecked:
        the documents service compares it with the SHA-256 it stored.

        Raises:
            NotEnrolledError: the workstation is not enrolled.
            SyncError: the server cannot be reached, refused (revoked, …) or does not hold it (404).
        """
        client = self._client()
        try:
            return client.fetch_document(sha256, application_id)
        finally:
            client.close()

    def _send(self, client: SyncClient, batch: list[_Queued], head: _Head | None = None) -> protocol.PushResponse:
        try:
            self._upload_documents(client, batch)
            if any(e.event_type == protocol.EventType.ATTACHMENT_ADDED.value for e in batch):
                # The server refuses an attachment.added until it holds the file whole (app/sync/attachments.py).
                attachments.upload_pending(self.db, client, self.clock)
            # The outbox's stored bytes, as they are (the client frames them, docs/sync-protocol.md "Push").
            events = [protocol.FramedEvent(e.id, e.sha256, e.payload) for e in batch]
            return client.push([*events, head.pushed] if head is not None else events)
        except SyncBusyError:
            raise  # not read by the server: nothing to note on the events, the batch simply goes again
        except (SyncTransientError, SyncRefusedError) as exc:
            note = _stored_error(exc.message)
            with self.db.write() as session:
                _settle(session, [e.id for e in batch], OutboxState.PENDING, note)
            raise

    def _upload_documents(self, client: SyncClient, batch: Iterable[_Queued]) -> None:
        # The PDF is found by the document's id (its primary key), which the event names beside the SHA-256: a
        # look-up by the SHA-256 itself has no index and read every document row of the store (years of them).
        wanted: dict[str, uuid.UUID] = {}
        for entry in batch:
            if entry.event_type == protocol.EventType.DOCUMENT_ISSUED.value:
                body = json.loads(entry.payload)["body"]
                wanted.setdefault(body["sha256"], uuid.UUID(body["document_id"]))
        if not wanted:
            return
        with self.db.read() as session:
            for sha, document_id in wanted.items():
                pdf = session.scalar(select(DocumentRecord.pdf).where(DocumentRecord.id == document_id))
                if pdf is not None and hashlib.sha256(pdf).hexdigest() == sha:
                    client.put_document(sha, pdf)
                else:
                    log.error("document %s… of an outbox event is missing locally", sha[:12])

    def _record(self, batch: list[_Queued], answer: protocol.PushResponse, head: _Head | None = None) -> PushReport:
        """Record a batch's answers (and its audit head's) in one local transaction."""
        results = {r.event_id: r for r in answer.results}
        now = self.clock()
        sent_ids: list[uuid.UUID] = []
        waiting: dict[str | None, list[uuid.UUID]] = {}  # kept pending, by the note recorded
        refused: dict[str, list[uuid.UUID]] = {}  # quarantined, by the reason recorded
        for entry in batch:
            result = results.get(entry.id)
            if result is None:
                waiting.setdefault("服务器未答复此事件，稍后重发", []).append(entry.id)
            elif result.outcome in (protocol.Outcome.STORED, protocol.Outcome.DUPLICATE):
                sent_ids.append(entry.id)
            elif result.outcome is protocol.Outcome.HELD:
                waiting.setdefault(result.reason, []).append(entry.id)
            else:
                kind = "内容冲突" if result.outcome is protocol.Outcome.CONFLICT else "被拒收"
                refused.setdefault(f"{kind}：{result.reason or ''}"[:500], []).append(entry.id)
        with self.db.write() as session:
            _settle(session, sent_ids, OutboxState.SENT, None, now)
            for note, ids in waiting.items():
                _settle(session, ids, OutboxState.PENDING, note)
            for reason, ids in refused.items():
                _settle(session, ids, OutboxState.QUARANTINED, reason)
            _refresh_sync_states(session, {e.application_id for e in batch if e.application_id is not None})
            if head is not None:
                self._record_head(session, head, results)
        sent = len(sent_ids)
        quarantined = sum(len(ids) for ids in refused.values())
        held = sum(len(ids) for ids in waiting.values())
        if quarantined:
            log.warning("%d event(s) quarantined by the server", quarantined)
        return PushReport(sent, quarantined, held, 1)

    def _record_head(self, session: Session, head: _Head, results: dict[uuid.UUID, protocol.EventResult]) -> None:
        """The server's answer to the audit head: accepted (remembered), or refused (its reason kept for the status
        line and ``yimen audit verify``; nothing else waits on it)."""
        result = results.get(head.pushed.event_id)
        if result is None:
            return  # not answered: sent again with the next push
        if result.outcome in (protocol.Outcome.STORED, protocol.Outcome.DUPLICATE):
            _set_meta(session, META_AUDIT_HEAD_ACKED, f"{head.seq}:{head.mac}")
            _set_meta(session, META_AUDIT_HEAD_REFUSED, None)
            return
        _set_meta(session, META_AUDIT_HEAD_REFUSED, (result.reason or result.outcome.value)[:500])
        log.warning("the server refused this workstation's audit chain head (position %d)", head.seq)

    # -------------------------------------------------------------------------------------------- pull

    def _pull(self, client: SyncClient) -> PullReport:
        applied = pages = resent = unsendable = 0
        with self.db.read() as session:
            cursor = int(_meta(session).get(META_CURSOR, "0"))
        for _ in range(PULL_PAGES_PER_SYNC):
            with self.db.read() as session:
                ack = _meta(session).get(META_RESEND_ACK)
            page = client.pull(cursor, PULL_PAGE, resend_done=int(ack) if ack else None)
            seqs = [e.seq for e in page.entries]
            # Strictly after the cursor, ascending, and the new cursor is the last entry (or unchanged when empty).
            if (
                seqs != sorted(set(seqs))
                or page.cursor != (seqs[-1] if seqs else cursor)
                or (seqs and seqs[0] <= cursor)
            ):
                raise SyncTransientError.unreadable()
            with self.db.write() as session:
                stored = int(_meta(session).get(META_CURSOR, "0"))
                if stored == cursor:  # another sync did not apply this page meanwhile
                    for entry in page.entries:
                        applied += self._apply(session, entry)
                    _set_meta(session, META_CURSOR, str(page.cursor))
                cursor = max(stored, page.cursor)
                if ack and _meta(session).get(META_RESEND_ACK) == ack:  # the server has recorded it
                    _set_meta(session, META_RESEND_ACK, None)
            pages += 1
            if page.resend is not None and str(page.resend.id) != ack:
                done = self._resend(page.resend)
                resent, unsendable = resent + done[0], unsendable + done[1]
                continue  # the next call names it done
            if not page.more:
                break
        return PullReport(applied, pages, cursor, resent, unsendable)

    def _resend(self, request: protocol.ResendAsk) -> tuple[int, int]:
        """A restored server asks for everything acknowledged since ``request.since`` again (docs/sync-protocol.md
        "Sending again after a server restore"): put those events back in the queue, once per request, and name it
        done on the next feed call.  Returns (events put back, events whose bytes were already pruned)."""
        with self.db.read() as session:
            done = json.loads(_meta(session).get(META_RESEND_DONE, "[]"))
        if request.id in done:  # put back before; naming it done did not get through
            requeued = lost = 0
        else:
            requeued, lost = self._requeue_since(request.since)
            log.info(
                "resend request %d: %d event(s) acknowledged since %s put back in the queue, %d no longer here",
                request.id,
                requeued,
                request.since.isoformat(),
                lost,
            )
        with self.db.write() as session:
            meta = _meta(session)
            done = json.loads(meta.get(META_RESEND_DONE, "[]"))
            if request.id not in done:
                _set_meta(session, META_RESEND_DONE, json.dumps([*done, request.id][-20:]))
            _set_meta(session, META_RESEND_ACK, str(request.id))
            if lost:
                _set_meta(session, META_RESEND_UNSENDABLE, str(int(meta.get(META_RESEND_UNSENDABLE, "0")) + lost))
        if lost:
            log.warning(
                "resend request %d: %d event(s) acknowledged since %s cannot be sent again: their bytes or PDF were "
                "pruned here (yimen sync --status shows resend_unsendable)",
                request.id,
                lost,
                request.since.isoformat(),
            )
        return requeued, lost

    def _requeue_since(self, since: dt.datetime) -> tuple[int, int]:
        """Every event acknowledged at or after ``since`` back to pending, :data:`RESEND_CHUNK` per transaction in
        ``seq`` order (the push sends them in that order, so an application's events still go in order; a push
        meanwhile sends the earlier ones first).  An event whose bytes were pruned, or a ``document.issued`` whose
        PDF was, cannot be sent again: counted, left as it is.  Quarantined events go back too: a refusal met while
        the server lacked what it lost (a change of an application it no longer had) is answered again."""
        sent = OutboxEntry.state == OutboxState.SENT.value
        with self.db.read() as session:  # where to start, without holding the write lock over the whole outbox
            after = session.scalar(select(func.min(OutboxEntry.seq)).where(sent, OutboxEntry.sent_at >= since))
        requeued = lost = 0
        if after is None:
            return 0, 0
        after -= 1
        while True:
            with self.db.write() as session:
                rows = session.execute(
                    select(
                        OutboxEntry.id,
                        OutboxEntry.seq,
                        OutboxEntry.application_id,
                        OutboxEntry.event_type,
                        OutboxEntry.payload.is_(None),
                    )
                    .where(sent, OutboxEntry.sent_at >= since, OutboxEntry.seq > after)
                    .order_by(OutboxEntry.seq)
                    .limit(RESEND_CHUNK)
                ).all()
                if not rows:
                    break
                after = rows[-1][1]
                back = [
                    r[0]
                    for r in rows
                    if not r[4] and (r[3] != protocol.EventType.DOCUMENT_ISSUED.value or _pdf_kept(session, r[0]))
                ]
                lost += len(rows) - len(back)
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.id.in_(back), sent)
                    .values(state=OutboxState.PENDING.value, sent_at=None, last_error=None)
                    .execution_options(synchronize_session=False)
                )
                _refresh_sync_states(session, {r[2] for r in rows if r[2] is not None and r[0] in set(back)})
                requeued += len(back)
        if requeued:
            with self.db.write() as session:
                quarantined = OutboxEntry.state == OutboxState.QUARANTINED.value
                apps = set(session.scalars(select(OutboxEntry.application_id).where(quarantined)))
                session.execute(
                    update(OutboxEntry)
                    .where(quarantined)
                    .values(state=OutboxState.PENDING.value)
                    .execution_options(synchronize_session=False)
                )
                _refresh_sync_states(session, {a for a in apps if a is not None})
        return requeued, lost

    def _apply(self, session: Session, entry: protocol.FeedEntry) -> int:
        change = entry.change
        if isinstance(change, protocol.StatusChange):
            result = session.execute(
                update(Application)
                .where(
                    Application.id == change.application_id,
                    (Application.server_seq.is_(None)) | (Application.server_seq < entry.seq),
                )
                .values(
                    server_status=change.status.value,
                    server_status_at=change.changed_at,
                    server_note=change.note or None,
                    server_seq=entry.seq,
                )
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
        if isinstance(change, protocol.AccountChange):
            user = session.scalar(select(User).where(User.username == change.username))
            if user is None or user.active == change.active:
                return 0
            user.active = change.active
            audit.record(
                session,
                action="account.enabled" if change.active else "account.disabled",
                entity_type="user",
                entity_id=user.id,
                workstation_code=self.deployment.workstation_code,
                user_id=None,
                details={"by": "central server"},
            )
            return 1
        problem = registry.store_published(session, change.canonical_json, change.sha256)
        if problem is not None:
            log.warning("catalog from the server: %s", problem.render())
            return 0
        return 1

    # -------------------------------------------------------------------------------------------- the panel

    def status(self) -> SyncStatus:
        with self.db.read() as session:
            meta = _meta(session)
            counts = dict(
                session.execute(
                    select(OutboxEntry.state, func.count())
                    .where(OutboxEntry.state != OutboxState.SENT.value)
                    .group_by(OutboxEntry.state)
                ).all()
            )
        try:
            enrolled = self.credentials.load() is not None
        except CredentialStoreError:  # reported by sync itself; the status line must still show
            enrolled = False
        offset = int(meta[META_CLOCK_OFFSET]) if META_CLOCK_OFFSET in meta else None
        last_error = load_message(meta[META_LAST_ERROR]) if meta.get(META_LAST_ERROR) else None
        status = SyncStatus(
            configured=bool(self.deployment.server_url) or enrolled,
            enrolled=enrolled,
            revoked=meta.get(META_REVOKED) == "1",
            pending=int(counts.get(OutboxState.PENDING.value, 0)),
            quarantined=int(counts.get(OutboxState.QUARANTINED.value, 0)),
            last_success_at=_when(meta.get(META_LAST_SUCCESS)),
            last_attempt_at=_when(meta.get(META_LAST_ATTEMPT)),
            last_error=last_error.render() if last_error is not None else None,
            last_error_message=last_error,
            clock_offset=dt.timedelta(seconds=offset) if offset is not None else None,
            audit_head_refused=meta.get(META_AUDIT_HEAD_REFUSED),
            resend_unsendable=int(meta.get(META_RESEND_UNSENDABLE, "0")),
            client_version_min=meta.get(META_CLIENT_MIN),
            client_version_latest=meta.get(META_CLIENT_LATEST),
            busy_until=_when(meta.get(META_BUSY_UNTIL)),
        )
        if status.audit_head_refused:
            status.warnings.append(
                msg("sync", "中心服务器拒收了本工位的审计链位置：{reason}").bind(reason=status.audit_head_refused)
            )
        if status.clock_off and status.clock_offset is not None:
            minutes = round(status.clock_offset.total_seconds() / 60)
            status.warnings.append(
                msg(
                    "sync",
                    "本机时钟与中心服务器相差约 {minutes} 分钟，回执上的日期时间可能不准。请信息员校准本机时间。",
                ).bind(minutes=abs(minutes))
            )
        return status

    def queue(self, limit: int = 500) -> list[QueueRow]:
        with self.db.read() as session:
            rows = session.execute(
                select(OutboxEntry, Application.acceptance_no)
                .outerjoin(Application, Application.id == OutboxEntry.application_id)
                .where(OutboxEntry.state != OutboxState.SENT.value)
                .order_by(OutboxEntry.state.desc(), OutboxEntry.seq)
                .limit(limit)
            ).all()
            queued = []
            for e, no in rows:
                error = load_message(e.last_error) if e.last_error else None
                rendered = error.render() if error is not None else None
                queued.append(
                    QueueRow(e.id, e.seq, e.event_type, no, e.state, e.attempts, rendered, e.created_at, error)
                )
            return queued

    def retry_quarantined(self, event_ids: Iterable[uuid.UUID] | None = None, *, by: Actor) -> int:
        """Put quarantined events back in the queue (after IT fixed the cause, or a server upgrade)."""
        require(by, Permission.SYNC)
        with self.db.write() as session:
            chosen = OutboxEntry.state == OutboxState.QUARANTINED.value
            if event_ids is not None:
                chosen = chosen & OutboxEntry.id.in_(list(event_ids))
            apps = set(session.scalars(select(OutboxEntry.application_id).where(chosen)))
            result = session.execute(
                update(OutboxEntry)
                .where(chosen)
                .values(state=OutboxState.PENDING.value)
                .execution_options(synchronize_session=False)
            )
            _refresh_sync_states(session, {a for a in apps if a is not None})
            return int(result.rowcount)  # type: ignore[attr-defined]


def _pdf_kept(session: Session, event_id: uuid.UUID) -> bool:
    """Whether the PDF a ``document.issued`` outbox event names is still here (a pruned one cannot be uploaded)."""
    payload = session.scalar(select(OutboxEntry.payload).where(OutboxEntry.id == event_id))
    if payload is None:
        return False
    sha = json.loads(payload)["body"]["sha256"]
    found = session.scalar(
        select(DocumentRecord.id).where(DocumentRecord.sha256 == sha, DocumentRecord.pdf.is_not(None)).limit(1)
    )
    return found is not None


#: Pending outbox rows' answer: their state (``pending`` again when held or not answered), the note recorded, when
#: they were sent; nothing changes for a row another sync settled meanwhile.  The ids are a JSON array
#: (:func:`_id_array`): one statement for any number of them.  SQLite looks each id up by the primary key
#: (``json_each`` feeds the ``IN``); the ``+`` keeps it from choosing the state index instead, which would scan every
#: pending or sent row (tests/app/sync/test_push_batches.py).
_SETTLE = text(
    "UPDATE outbox SET state = :state, last_error = :note, sent_at = coalesce(:sent, sent_at), "
    "attempts = attempts + 1 WHERE id IN (SELECT unhex(value) FROM json_each(:ids)) AND +state = 'pending'"
).bindparams(bindparam("sent", type_=UTCDateTime), bindparam("note", type_=Text), bindparam("state", type_=String))


def _settle(
    session: Session, ids: list[uuid.UUID], state: OutboxState, note: str | None, sent_at: dt.datetime | None = None
) -> None:
    """Record the same answer for the pending events ``ids`` (nothing when there are none)."""
    if ids:
        params = {"ids": _id_array(ids), "state": state.value, "note": note, "sent": sent_at}
        session.connection().execute(_SETTLE, params)


#: What a version-2 push adds to each event (its header line and line feed), at most.
_FRAMING_LINE = 128

_NOT_BUSY = text("outbox.seq NOT IN (SELECT value FROM json_each(:busy))")
_NOT_HELD = text(
    "(outbox.application_id IS NULL OR outbox.application_id NOT IN (SELECT unhex(value) FROM json_each(:held)))"
)


def _id_array(ids: Iterable[uuid.UUID]) -> str:
    """Ids as a JSON array of 32 hex digits each; the statements read each back as the 16 bytes the store holds
    (``unhex``, db.types.UUIDBytes)."""
    return json.dumps([i.hex for i in ids])


def _stored_error(message: Message) -> str:
    """An outbox row's ``last_error`` for a failure of ours: the message's code and arguments when they fit the
    column's 500 characters, else its Chinese (a server's refusal reason is stored as the server's text)."""
    stored = dump_message(message)
    return stored if len(stored) <= 500 else message.render()[:500]


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _chunks(items: list[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _refresh_sync_states(session: Session, app_ids: set[uuid.UUID]) -> None:
    """Each application shows its own sync state: rejected (with the reason) if any of its events is
    quarantined, synced when none is waiting, pending otherwise.  Set-based: a batch of 200 events costs a few
    statements, not a few hundred."""
    if not app_ids:
        return
    ids = list(app_ids)
    rejected: dict[uuid.UUID, str | None] = {}
    pending: set[uuid.UUID] = set()
    for chunk in _chunks(ids):
        rows = session.execute(
            select(OutboxEntry.application_id, OutboxEntry.state, OutboxEntry.last_error)
            .where(OutboxEntry.application_id.in_(chunk), OutboxEntry.state != OutboxState.SENT.value)
            .order_by(OutboxEntry.seq)
        ).all()
        for app_id, state, error in rows:
            if app_id is None:
                continue
            if state == OutboxState.QUARANTINED.value:
                rejected.setdefault(app_id, error)
            else:
                pending.add(app_id)
    pending -= set(rejected)
    synced = [a for a in ids if a not in rejected and a not in pending]
    for state, group in ((SyncState.SYNCED.value, synced), (SyncState.PENDING.value, list(pending))):
        for chunk in _chunks(group):
            session.execute(
                update(Application)
                .where(
                    Application.id.in_(chunk), (Application.sync_state != state) | Application.sync_error.is_not(None)
                )
                .values(sync_state=state, sync_error=None)
                .execution_options(synchronize_session=False)
            )
    for app_id, error in rejected.items():
        session.execute(
            update(Application)
            .where(Application.id == app_id)
            .values(sync_state=SyncState.REJECTED.value, sync_error=error)
            .execution_options(synchronize_session=False)
        )
