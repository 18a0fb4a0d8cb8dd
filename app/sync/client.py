"""The HTTP side of sync: one ``requests.Session``, a timeout on every call, TLS verification on (a deployment CA
bundle accepted), proxies from the deployment file.  Every answer is parsed with the protocol's models; anything
else (a garbage body, a 5xx, a timeout, a cut connection) is a :class:`SyncTransientError`, retried by the caller.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pydantic
import requests
from pydantic import BaseModel

from app.errors import (
    ClientTooOldError,
    DeviceRevokedError,
    RecordsWindowClosedError,
    SyncBusyError,
    SyncError,
    SyncRefusedError,
    SyncTransientError,
)
from app.i18n import msg
from app.sync import protocol
from app.sync.attachments import UploadState
from app.version import valid_version, version

T = TypeVar("T", bound=BaseModel)

#: The push framing each server address last named (SyncClient.push_framing), for this process's next client.
_FRAMINGS: dict[str, str | None] = {}

#: (connect, read) seconds.  A batch of 200 events is answered in well under a second by a healthy server.
DEFAULT_TIMEOUT = (5.0, 30.0)
#: A busy server or proxy: 503 (our admission control, a proxy with no instance free) and 429 (a rate limit).
BUSY_STATUSES = frozenset({429, 503})
#: Seconds waited when a busy answer names no (readable) ``Retry-After``, and the most a ``Retry-After`` is believed.
DEFAULT_RETRY_AFTER = 10.0
MAX_RETRY_AFTER = 600.0


@dataclass(frozen=True)
class Answer:
    status: int
    server_date: dt.datetime | None
    body: bytes  # parsed by the caller with the protocol's model (pydantic's JSON parser)


@dataclass(frozen=True)
class ClientSettings:
    server_url: str
    ca_bundle: str = ""
    proxy: str = ""
    timeout: tuple[float, float] = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class PublishedVersions:
    """The client versions the server's last answer named (docs/sync-protocol.md "Client versions"): None where it
    named none (or an unreadable one)."""

    minimum: str | None
    latest: str | None


class SyncClient:
    def __init__(
        self,
        settings: ClientSettings,
        token: str | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.base = settings.server_url.rstrip("/") + protocol.API_PREFIX
        self.session = requests.Session()
        # Every request names this build's version: the server records it per device and may refuse it.
        self.session.headers["User-Agent"] = f"yimen-workstation/{version()}"
        self.session.headers[protocol.VERSION_HEADER] = version()
        self.session.verify = settings.ca_bundle or True
        # The deployment file is the one source of proxies and trust: environment variables (HTTPS_PROXY,
        # REQUESTS_CA_BUNDLE, …) would otherwise silently override the deployment's CA bundle.
        self.session.trust_env = False
        if settings.proxy:
            self.session.proxies = {"http": settings.proxy, "https": settings.proxy}
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.last_server_date: dt.datetime | None = None
        self.last_local_date: dt.datetime | None = None
        #: What the last answer of the server said of client versions (None before any answer).
        self.published: PublishedVersions | None = None
        #: The push framing the server's last answer named (``"2"``), or None: version 1.  Remembered per server
        #: address for this process's next client, so that a new round's first push need not learn it again.
        self.push_framing: str | None = _FRAMINGS.get(self.base)

    def close(self) -> None:
        self.session.close()

    # -------------------------------------------------------------------------------------------- calls

    def enroll(self, request: protocol.EnrollRequest) -> protocol.EnrollResponse:
        """One-phase enrollment (servers and workstations of earlier versions): the credential is in force at once."""
        return self._parse(self._call("POST", "/enroll", json=request.model_dump(mode="json")), protocol.EnrollResponse)

    def claim_enrollment(self, request: protocol.EnrollRequest) -> protocol.PendingEnrollment:
        """Two-phase enrollment, phase one: a pending credential for the code (which stays unused)."""
        answer = self._call("POST", "/enrollments", json=request.model_dump(mode="json"))
        return self._parse(answer, protocol.PendingEnrollment)

    def confirm_enrollment(self, *, numbers: bool = False) -> protocol.EnrollConfirmation:
        """Phase two, with the pending credential this client was made with, once it is saved; ``numbers``: with
        what the server holds of this workstation code's numbers (a server of an earlier version ignores it)."""
        params = {"numbers": "true"} if numbers else None
        return self._parse(self._call("POST", "/enrollments/confirm", params=params), protocol.EnrollConfirmation)

    def push(self, events: Sequence[protocol.FramedEvent | protocol.PushedEvent]) -> protocol.PushResponse:
        """Push a batch of outbox rows (their stored bytes and SHA-256), in framing version 2 when the server named
        it on an answer, else in version 1 (docs/sync-protocol.md "Push framing, version 2").  A server that
        answers a version-2 body 415 (version 2 turned off) or 422 (an instance of an earlier version behind the
        same address, which reads every body as JSON) gets the same batch again in version 1 — harmless, the
        server answers by event id — and version 1 from then on, until an answer names version 2 again.  Events
        given as version 1's :class:`~app.sync.protocol.PushedEvent` (payload as text) are sent as their UTF-8."""
        rows = [e if isinstance(e, protocol.FramedEvent) else protocol.framed(e) for e in events]
        if self.push_framing == protocol.PUSH_FRAMING_V2:
            body = protocol.frame_events(rows)
            try:
                answer = self._call("POST", "/events", data=body, headers={"Content-Type": protocol.PUSH_V2_MEDIA_TYPE})
            except SyncRefusedError as exc:
                if exc.status not in (415, 422):
                    raise
                self.push_framing = _FRAMINGS[self.base] = None
            else:
                return self._parse(answer, protocol.PushResponse)
        # Version 1: the events are the outbox's own rows, serialized without validating them again (the server
        # does); each payload travels as JSON text.
        pushed = [
            protocol.PushedEvent.model_construct(
                event_id=e.event_id, sha256=e.sha256, payload=e.payload.decode("utf-8", "surrogatepass")
            )
            for e in rows
        ]
        body = protocol.PushRequest.model_construct(events=pushed).model_dump_json().encode("utf-8")
        answer = self._call("POST", "/events", data=body, headers={"Content-Type": "application/json"})
        return self._parse(answer, protocol.PushResponse)

    def audit_head(self) -> protocol.AuditHeadHeld:
        """The audit chain head the server holds for this workstation (docs/sync-protocol.md "Audit heads")."""
        return self._parse(self._call("GET", "/device/audit-head"), protocol.AuditHeadHeld)

    def records(self, cursor: str, limit: int) -> protocol.RecordsPage:
        """A page of this workstation's own events as the server stores them (docs/sync-protocol.md "Recovery")."""
        answer = self._call("GET", "/device/records", params={"cursor": cursor, "limit": limit})
        return self._parse(answer, protocol.RecordsPage)

    def record_document(self, event_id: uuid.UUID) -> bytes:
        """The PDF a ``document.issued`` event of this workstation names."""
        return self._call("GET", f"/device/records/{event_id}/document").body

    def fetch_document(self, sha256: str, application_id: uuid.UUID | str) -> bytes:
        """The PDF ``sha256`` of an application of this workstation's center (docs/sync-protocol.md "Documents read
        back"): the bytes as the server answered them; the caller checks them against the SHA-256 it stored."""
        answer = self._call("GET", f"/documents/{sha256}", params={"application": str(application_id)})
        return answer.body

    def reset_audit_head(self, seq: int, mac: str) -> protocol.AuditHeadHeld:
        """A recovered store's new audit chain replaces this device's head on the server (once per credential)."""
        body = protocol.AuditHeadReset(reason="store.recovered", seq=seq, mac=mac).model_dump(mode="json")
        return self._parse(self._call("POST", "/device/audit-head/reset", json=body), protocol.AuditHeadHeld)

    def center_figures(self, first: dt.date, last: dt.date) -> protocol.CenterFigures:
        """The figures of this workstation's own center for the days ``first`` … ``last`` (at most 31), computed
        by the server, with each workstation's last push and close (docs/supervisor.md "The wire")."""
        params = {"first": first.isoformat(), "last": last.isoformat()}
        return self._parse(self._call("GET", "/center/figures", params=params), protocol.CenterFigures)

    def reconciliation(self, day: dt.date) -> protocol.Reconciliation:
        """What the server holds of this workstation's applications numbered on ``day``, and the day's close."""
        answer = self._call("GET", "/device/reconciliation", params={"day": day.isoformat()})
        return self._parse(answer, protocol.Reconciliation)

    def put_document(self, sha256: str, data: bytes) -> None:
        self._call("PUT", f"/documents/{sha256}", data=data, headers={"Content-Type": "application/octet-stream"})

    def attachment_state(self, sha256: str, application_id: uuid.UUID) -> UploadState:
        """What the server holds of a case's material file (docs/sync-protocol.md "Attachments")."""
        answer = self._call("GET", f"/attachments/{sha256}/upload", params={"application": str(application_id)})
        return self._parse(answer, UploadState)

    def put_attachment_chunk(
        self, sha256: str, application_id: uuid.UUID, *, size: int, media_type: str, offset: int, data: bytes
    ) -> UploadState:
        """The chunk of a case's material file at ``offset``; what the server holds afterwards."""
        params = {"application": str(application_id), "size": size, "type": media_type, "offset": offset}
        answer = self._call(
            "PUT",
            f"/attachments/{sha256}/upload",
            params=params,
            data=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        return self._parse(answer, UploadState)

    def fetch_attachment(self, sha256: str, application_id: uuid.UUID) -> bytes:
        """A material file of a case of this workstation's center, as the server holds it."""
        return self._call("GET", f"/attachments/{sha256}", params={"application": str(application_id)}).body

    def pull(self, cursor: int, limit: int, *, resend_done: int | None = None) -> protocol.PullResponse:
        """A feed page, with the resend request this device has not done yet (docs/sync-protocol.md "Sending again
        after a server restore"; a server of an earlier version ignores the parameters); ``resend_done``: the
        request whose events this workstation has put back in its queue."""
        params: dict[str, int | str] = {"cursor": cursor, "limit": limit, "resend": "true"}
        if resend_done is not None:
            params["resend_done"] = resend_done
        answer = self._call("GET", "/feed", params=params)
        return self._parse(answer, protocol.PullResponse)

    # -------------------------------------------------------------------------------------------- plumbing

    def _call(self, method: str, path: str, **kwargs: Any) -> Answer:
        try:
            response = self.session.request(
                method, self.base + path, timeout=self.settings.timeout, verify=self.session.verify, **kwargs
            )
        except requests.exceptions.SSLError:
            raise SyncTransientError(
                msg(
                    "sync", "与中心服务器的加密连接校验失败（证书不受信任或已过期）。请信息员检查服务器证书和 CA 设置。"
                )
            ) from None
        except requests.exceptions.Timeout:
            raise SyncTransientError(msg("sync", "中心服务器响应超时，稍后自动重试。")) from None
        except requests.exceptions.RequestException:
            raise SyncTransientError(
                msg("sync", "无法连接中心服务器（网络中断或服务器未运行），稍后自动重试。")
            ) from None
        server_date = _parse_date(response.headers.get("Date"))
        if server_date is not None:
            self.last_server_date = server_date
            self.last_local_date = self.clock()
        self.push_framing = _FRAMINGS[self.base] = response.headers.get(protocol.PUSH_FRAMING_HEADER)  # push(): v2?
        self.published = PublishedVersions(
            minimum=valid_version(response.headers.get(protocol.MIN_CLIENT_VERSION_HEADER)),
            latest=valid_version(response.headers.get(protocol.LATEST_CLIENT_VERSION_HEADER)),
        )
        if response.status_code in BUSY_STATUSES:
            # Whatever the body (our JSON, a proxy's page, nothing): nothing was processed, come back later.
            wait = retry_after(response.headers.get("Retry-After"), server_date or self.clock())
            busy = msg("sync", "中心服务器繁忙，{seconds} 秒后自动重试（记录都保存在本机）。")
            raise SyncBusyError(busy.bind(seconds=math.ceil(wait)), wait)
        if response.status_code >= 500:
            raise SyncTransientError(
                msg("sync", "中心服务器暂时出错（HTTP {status}），稍后自动重试。").bind(status=response.status_code)
            )
        body: Any = None
        if response.status_code >= 400 and response.content:
            try:
                body = response.json()
            except ValueError:
                raise SyncTransientError.unreadable() from None
        code = body.get("code") if isinstance(body, dict) else None
        if response.status_code == protocol.CLIENT_TOO_OLD_STATUS and code == protocol.CLIENT_TOO_OLD:
            raise ClientTooOldError(
                msg(
                    "sync",
                    "本工位程序版本 {current} 过旧，中心服务器要求至少 {minimum}，同步已暂停（记录都保存在本机，"
                    "不会丢失）。请联系信息员安装新版本。",
                ).bind(current=version(), minimum=self.published.minimum or "?")
            )
        if response.status_code in (401, 403):
            code = body.get("code") if isinstance(body, dict) else None
            text = body.get("message") if isinstance(body, dict) else None
            if code == RecordsWindowClosedError.code:  # not a revocation: the credential is fine for syncing
                raise RecordsWindowClosedError(
                    msg("sync", "中心服务器不提供本工位的记录：{reason}").bind(reason=text or ""), response.status_code
                )
            if code == "device_revoked" or response.status_code == 403 and not path.startswith("/enroll"):
                raise DeviceRevokedError(
                    msg("sync", "本工位的凭证已被中心服务器吊销，同步已停止。请联系信息员重新注册本工位。")
                )
            raise SyncError(msg("sync", "中心服务器拒绝了本工位：{reason}").bind(reason=text or response.status_code))
        if response.status_code >= 400:
            text = body.get("message") if isinstance(body, dict) else None
            raise SyncRefusedError(
                msg("sync", "中心服务器拒绝了请求（HTTP {status}）：{reason}").bind(
                    status=response.status_code, reason=text or ""
                ),
                response.status_code,
            )
        return Answer(response.status_code, server_date, response.content)

    @staticmethod
    def _parse(answer: Answer, model: type[T]) -> T:
        try:
            return model.model_validate_json(answer.body)
        except pydantic.ValidationError:
            raise SyncTransientError.unreadable() from None

    def clock_offset(self) -> dt.timedelta | None:
        """Server time minus this workstation's time, from the last answer's ``Date`` header (1 s resolution)."""
        if self.last_server_date is None or self.last_local_date is None:
            return None
        return self.last_server_date - self.last_local_date


def retry_after(value: str | None, now: dt.datetime) -> float:
    """Seconds a busy answer asks to wait: ``Retry-After`` as seconds or as an HTTP-date (``now``: the answer's own
    ``Date`` when it has one, so that this machine's clock does not matter); absent or unreadable:
    :data:`DEFAULT_RETRY_AFTER`; at least 1 s, at most :data:`MAX_RETRY_AFTER`."""
    seconds: float | None = None
    text = (value or "").strip()
    if text.isdigit():
        seconds = float(text)
    elif text:
        when = _parse_date(text)
        if when is not None:
            seconds = (when - now).total_seconds()
    if seconds is None:
        seconds = DEFAULT_RETRY_AFTER
    return min(MAX_RETRY_AFTER, max(1.0, seconds))


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
