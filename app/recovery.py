"""``yimen recover --from-server``: rebuild a lost or damaged store from what this workstation synced
(docs/sync-protocol.md "Recovery", docs/operations.md).

1. The device credential must be in the machine vault (an enrolled workstation), and the server must answer with the
   first page of this workstation's records, before anything in the data folder changes.  The server reads records
   back only within a day (its ``records_window_hours``) of a confirmed enrollment and before the audit head reset:
   the documented way is ``--code`` with a fresh one-time code from the operator, which enrolls first; without one,
   a refusal says that a code is needed.
2. :func:`app.integrity.recover` refuses while a usable store with history is in place (unless ``force``) and builds
   the new store beside the data folder's, through the same migrations as every store.
3. Into it: the workstation and the catalog as at every start; every page of this workstation's events applied by
   :class:`app.sync.rebuild.Rebuilder` (the PDFs fetched one by one, each checked against its SHA-256), marked as
   already on the server (nothing is pushed again); the new numbering series, above the marker's and the recovered
   numbers' highest; the new audit chain, starting with ``store.recovered``; then the feed from its start, as every
   sync pulls it (the back office's statuses, catalog versions, accounts); then the materials' files of the cases
   kept, fetched back one by one and checked against their SHA-256 (one that does not come is counted and said, the
   recovery goes on: the server holds it).
4. The server replaces this device's audit head with the new chain's (once per credential, kept on the server).
5. Only then is the present store moved aside and the new one put in place, in its series, and opened as every start
   opens it.  Until step 4 succeeds nothing in the data folder has changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import integrity, retention
from app.catalog import registry
from app.config import Deployment
from app.errors import NotEnrolledError, RecordsWindowClosedError, SyncError, SyncRefusedError, ValidationError
from app.i18n import Message, msg
from app.security import audit
from app.security.vault import Vault
from app.sync import protocol
from app.sync.client import ClientSettings, SyncClient
from app.sync.credentials import Credential, CredentialStore
from app.sync.rebuild import Rebuilder, Rebuilt, fetch_attachments
from app.sync.service import META_AUDIT_HEAD_ACKED, PULL_PAGES_PER_SYNC, SyncService
from db.models import SyncMeta
from db.types import utcnow

log = logging.getLogger("yimen.recovery")

PAGE = 200
#: However long the feed, a recovery pulls at most this many rounds of it (each ``PULL_PAGES_PER_SYNC`` pages).
MAX_PULL_ROUNDS = 10_000


@dataclass(frozen=True)
class RecoveryReport:
    series: int
    replaced: Path | None
    rebuilt: Rebuilt
    present: integrity.PresentStore | None


def recover_from_server(
    data_dir: Path,
    deployment: Deployment,
    vault: Vault,
    *,
    force: bool = False,
    code: str | None = None,
    catalog_dir: Path | None = None,
    timeout: tuple[float, float] | None = None,
    now: Callable[[], dt.datetime] = utcnow,
) -> RecoveryReport:
    """Rebuild this workstation's store from the server (see the module's description).

    ``code``: enroll the workstation first with this one-time code (the usual way: the server reads records back only
    soon after a fresh enrollment; and the credential may be lost with the vault, or revoked): ``yimen enroll``
    cannot, since it opens the store, and the store is what is lost.

    Raises:
        NotEnrolledError: no device credential of this center and workstation in the vault.
        SyncError: the server cannot be reached or refused (revoked; :class:`RecordsWindowClosedError` when the
            enrollment is not recent or this credential already recovered once); nothing in the data folder changed.
        StoreRefusedError: a usable store with history is in place and ``force`` is not given; no series is left.
        StorageError: the records cannot be rebuilt (the message says why); nothing in the data folder changed.
    """
    credentials = CredentialStore(vault)
    if code is not None:
        _enroll(credentials, deployment, code, timeout)
    credential = _credential(credentials, deployment)
    client = SyncClient(_settings(deployment, credential.server_url, timeout), token=credential.token)
    try:
        if not credential.confirmed:  # an enrollment whose confirmation did not get through: finish it first
            client.confirm_enrollment()
            credential = dataclasses.replace(credential, confirmed=True)
            credentials.save(credential)
        try:
            first = client.records("", PAGE)
        except SyncError as exc:
            sentence = msg("recovery", "未能从中心服务器取回本工位的记录：{reason} 本机数据未做任何改动。")
            if isinstance(exc, RecordsWindowClosedError) and code is None:
                # The server reads records back only soon after a fresh enrollment: the recovery needs a code.
                sentence = msg(
                    "recovery",
                    "从中心服务器恢复需要一次性注册码。{reason} 本机数据未做任何改动。",
                )
            raise _unchanged(exc, sentence) from None
        rebuilt: list[Rebuilt] = []

        def rebuild(recovery: integrity.Recovery) -> None:
            rebuilt.append(_rebuild(recovery, deployment, credentials, credential, client, first, catalog_dir, now))

        try:
            report = integrity.recover(data_dir, deployment, vault, rebuild, force=force)
        except SyncError as exc:  # raised by the rebuild, before anything in the data folder changed
            raise _unchanged(exc, msg("recovery", "恢复未完成：{reason} 本机数据未做任何改动。")) from None
    finally:
        client.close()
    log.info(
        "recovered %d application(s), %d event(s), %d document(s) from the server; series %d",
        rebuilt[0].applications,
        rebuilt[0].events,
        rebuilt[0].documents,
        report.series,
    )
    return RecoveryReport(report.series, report.replaced, rebuilt[0], report.present)


def _credential(credentials: CredentialStore, deployment: Deployment) -> Credential:
    credential = credentials.load()
    if credential is None:
        raise NotEnrolledError(
            msg(
                "recovery",
                "本工位尚未在中心服务器注册（{where}中没有工位凭证），无法从服务器恢复。请信息员向中心服务器的运维人员"
                "申请本工位的一次性注册码，再执行 yimen recover --from-server --code 注册码。本机数据未做任何改动。",
            ).bind(where=credentials.where())
        )
    if (credential.center_code, credential.workstation_code) != (deployment.center_code, deployment.workstation_code):
        raise NotEnrolledError(
            msg(
                "recovery",
                "本机保存的工位凭证属于中心 {center} 的 {ws} 号工位，与部署设置不符，无法恢复。请信息员重新注册本工位。"
                "本机数据未做任何改动。",
            ).bind(center=credential.center_code, ws=credential.workstation_code)
        )
    return credential


def _enroll(
    credentials: CredentialStore, deployment: Deployment, code: str, timeout: tuple[float, float] | None
) -> None:
    """Phase one of the two-phase enrollment (docs/sync-protocol.md), without a store: the pending credential is
    saved in the vault and confirmed like any saved, unconfirmed one before the records are read."""
    client = SyncClient(_settings(deployment, "", timeout))
    try:
        answer = client.claim_enrollment(
            protocol.EnrollRequest(
                code=code.strip(),
                center_code=deployment.center_code,
                workstation_code=deployment.workstation_code,
                hostname=socket.gethostname()[:100],
            )
        )
    except SyncRefusedError as exc:
        if exc.status == 422:
            raise ValidationError(msg("recovery", "注册码格式不对。请核对信息员给出的注册码。")) from None
        raise
    finally:
        client.close()
    credentials.save(
        Credential(
            server_url=client.settings.server_url,
            device_id=str(answer.device_id),
            token=answer.token,
            center_code=answer.center_code,
            workstation_code=answer.workstation_code,
            confirmed=False,
        )
    )
    log.info("enrolled with a one-time code for the recovery (to be confirmed)")


def _settings(deployment: Deployment, server_url: str, timeout: tuple[float, float] | None) -> ClientSettings:
    url = (server_url or deployment.server_url).strip().rstrip("/")
    if not url.startswith("https://") and not (url.startswith("http://") and deployment.is_demo):
        raise ValidationError(
            msg("recovery", "服务器地址“{url}”无效：应以 https:// 开头（http 只能用于演示模式）。").bind(url=url)
        )
    settings = ClientSettings(
        server_url=url,
        ca_bundle=deployment.server_ca_bundle,
        proxy=deployment.server_proxy,
    )
    return dataclasses.replace(settings, timeout=timeout) if timeout is not None else settings


def _rebuild(
    recovery: integrity.Recovery,
    deployment: Deployment,
    credentials: CredentialStore,
    credential: Credential,
    client: SyncClient,
    first: protocol.RecordsPage,
    catalog_dir: Path | None,
    now: Callable[[], dt.datetime],
) -> Rebuilt:
    from app.bootstrap import catalog_folder, register_workstation

    db = recovery.db
    with db.write() as session:
        register_workstation(session, deployment)
        registry.reconcile(session, catalog_dir or catalog_folder())
    rebuilder = Rebuilder(deployment, client.record_document)
    page = first
    while True:
        with db.write() as session:
            rebuilder.apply_page(session, page)
        if not page.more:
            break
        page = client.records(page.cursor, PAGE)
    rebuilt = rebuilder.finish()
    series = recovery.next_series(rebuilt.highest_series)
    with db.write() as session:
        identity = integrity.read_identity(session)
        assert identity is not None
        rebuilder.audit(
            session,
            store_id=identity.store_id,
            series=series,
            details={"replaced": recovery.present is not None, "device": credential.device_id},
        )
    # The back office's statuses, catalog versions and account changes: the feed from its start, as every sync.
    sync = SyncService(db, deployment, credentials)
    for _ in range(MAX_PULL_ROUNDS):
        if sync.pull_once().pages < PULL_PAGES_PER_SYNC:
            break
    # What the workstation had purged after the retention period does not come back with its personal data.
    rebuilt.purged = retention.purge_closed(db, deployment, now()).count
    # The materials' files of the cases kept (after the purge: none fetched for a case it removed).
    fetch_attachments(db, client.fetch_attachment, rebuilt)
    with db.read() as session:
        head = audit.head(session)
    assert head is not None  # store.recovered at least
    held = client.reset_audit_head(*head)
    with db.write() as session:
        session.merge(SyncMeta(key=META_AUDIT_HEAD_ACKED, value=f"{held.seq}:{held.mac}"))
    return rebuilt


def _unchanged(exc: SyncError, sentence: Message) -> SyncError:
    """The server's refusal, said as a recovery's, of the same kind (the CLI and the tests tell them apart)."""
    message = sentence.bind(reason=exc.message)
    if isinstance(exc, SyncRefusedError):
        return type(exc)(message, exc.status)
    return type(exc)(message)
