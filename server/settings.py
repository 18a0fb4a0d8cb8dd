"""Server settings, from the environment (``YIMEN_SERVER_*``) or a ``.env``-style file, with pydantic-settings."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.version import is_older, parse_version

#: An address range of proxies whose ``X-Forwarded-For`` the server believes.
ProxyNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ServerSettings(BaseSettings):
    """Everything the server is configured with; no secret lives here (device credentials are hashed in the
    database, and the database URL's password belongs in PostgreSQL's own ``.pgpass`` or the service manager)."""

    model_config = SettingsConfigDict(env_prefix="YIMEN_SERVER_", env_file=None, extra="forbid")

    #: ``postgresql+psycopg://user@host/db`` in production; a SQLite file for a one-box demo.
    database_url: str = "sqlite:///yimen-server.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8600, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    log_level: str = "info"
    #: Hours an enrollment code stays valid.
    enrollment_code_hours: int = Field(default=72, ge=1, le=24 * 30)
    #: Hours after its enrollment was confirmed during which a device may read its workstation's records back
    #: (``GET /device/records``, docs/sync-protocol.md "Recovery"), and only until it resets its audit head.
    records_window_hours: int = Field(default=24, ge=1, le=24 * 30)
    #: Requests per minute and client address to enrollment (``POST /api/v1/enroll…``).
    enroll_rate_per_minute: int = Field(default=10, ge=1)
    #: Requests per minute and client address to the citizen's progress page (``GET /q/…``).
    progress_rate_per_minute: int = Field(default=30, ge=1)
    #: The older single budget of both: when given, it is the value of each of the two above that is not set.
    public_rate_per_minute: int | None = Field(default=None, ge=1)
    #: The reverse proxies and load balancers whose ``X-Forwarded-For`` is believed: addresses or CIDR ranges,
    #: separated by commas or spaces (``10.0.0.5, 10.1.0.0/24``).  Empty (the default): the TCP peer is the client
    #: and the header is ignored.  Kept as text so that ``yimen-server run`` hands it on to its workers unchanged.
    trusted_proxies: str = ""
    #: Largest request body accepted (bytes); a push of MAX_BATCH_EVENTS events stays well below it.
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    #: Database connections per server process.
    pool_size: int = Field(default=10, ge=1, le=200)
    #: Pushes (``POST /api/v1/events``) in flight at once per server process; beyond them a push is answered 503
    #: with ``Retry-After`` before its body is read (server/api/admission.py).  Keep it below ``pool_size``, which
    #: the feed and the other endpoints share (docs/operations.md "Admission control").
    max_concurrent_pushes: int = Field(default=1, ge=1, le=200)
    #: Milliseconds a push beyond the limit may wait for a slot before it is refused (0: refused at once).
    push_queue_wait_ms: int = Field(default=0, ge=0, le=10_000)
    #: Workstations older than this version (``0.2.0``) are refused (426 ``client_too_old``), and so are those that
    #: name no version; None (the default): every version is served (docs/sync-protocol.md "Client versions").
    min_client_version: str | None = None
    #: The version IT rolls out: published to the workstations, whose windows tell IT and the supervisor that an
    #: update is due.  None (the default): none published.
    latest_client_version: str | None = None
    #: Whether pushes in framing version 2 are read (docs/sync-protocol.md "Push framing, version 2"); off, the
    #: server answers them 415 and names no framing, and workstations push in version 1 as before.
    push_framing_v2: bool = True
    #: A folder for the issued documents' PDFs, out of the database (docs/operations.md "Documents' bytes"): on
    #: storage every server machine mounts (one folder for the city).  None (the default): the bytes stay in the
    #: table ``blobs``.
    blob_dir: Path | None = None

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_list(cls, value: str) -> str:
        return ", ".join(str(network) for network in _networks(value))

    @field_validator("min_client_version", "latest_client_version")
    @classmethod
    def _release_version(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            parse_version(value)
        except ValueError:
            raise ValueError(f"不是发布版本号（如 0.2.0）：{value!r}") from None
        return value.strip()

    @model_validator(mode="after")
    def _latest_not_below_minimum(self) -> Self:
        minimum, latest = self.min_client_version, self.latest_client_version
        if minimum is not None and latest is not None and is_older(latest, minimum):
            raise ValueError(f"最新版本 {latest} 低于最低版本 {minimum}：请改正其中之一")
        return self

    @model_validator(mode="after")
    def _older_public_rate(self) -> Self:
        if self.public_rate_per_minute is not None:
            for name in ("enroll_rate_per_minute", "progress_rate_per_minute"):
                if name not in self.model_fields_set:
                    setattr(self, name, self.public_rate_per_minute)
        return self

    def proxy_networks(self) -> tuple[ProxyNetwork, ...]:
        """:attr:`trusted_proxies` as address ranges (a single address is a /32 or /128)."""
        return _networks(self.trusted_proxies)


def _networks(text: str) -> tuple[ProxyNetwork, ...]:
    """Addresses or CIDR ranges separated by commas or white space; host bits set in a range are tolerated
    (``10.0.0.5/24`` is ``10.0.0.0/24``).  A malformed entry raises ValueError, naming it."""
    found = []
    for entry in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"不是 IP 地址或地址段：{entry!r}") from None
    return tuple(found)
