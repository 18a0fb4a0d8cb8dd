"""What the routers get from FastAPI's dependency injection, as ``Annotated`` aliases: a database session (a write
transaction or a read-only one), the authenticated device or operator, the rate limits of the public endpoints
(per client address: :func:`client_address` is the one place that decides where a request comes from).

Everything comes from the :class:`Runtime` that ``create_app`` puts on ``app.state``; nothing is built at import.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.sync import protocol
from app.version import valid_version
from server.api.ratelimit import RateLimitedError, RateLimiter, RateLimits
from server.services.devices import authenticate_device, client_version_refusal, needs_seen, record_seen
from server.services.operators import authenticate_operator
from server.settings import ProxyNetwork, ServerSettings
from server.store.models import Device, Operator


@dataclass(frozen=True)
class Runtime:
    """What one server process holds: its settings, the engine and its two session factories, the rate limits and
    the proxies it believes."""

    settings: ServerSettings
    engine: Engine
    #: Write transactions (``BEGIN IMMEDIATE`` on SQLite).
    sessions: sessionmaker[Session]
    #: Read-only transactions: they take no write lock (the feed, authentication, the progress page).
    readers: sessionmaker[Session]
    rate_limits: RateLimits
    #: ``settings.trusted_proxies``, parsed once.
    trusted_proxies: tuple[ProxyNetwork, ...] = ()


def runtime(request: Request) -> Runtime:
    found = request.app.state.runtime
    assert isinstance(found, Runtime)
    return found


# ------------------------------------------------------------------------------------------------ sessions
# scope="function": the transaction ends (commits, or rolls back on an error) when the endpoint returns, before
# the answer is sent: a client never hears "stored" for something not yet committed.


def _write_session(request: Request) -> Iterator[Session]:
    with runtime(request).sessions.begin() as session:
        yield session


def _read_session(request: Request) -> Iterator[Session]:
    with runtime(request).readers.begin() as session:
        yield session


#: One write transaction for the request, committed before the answer is sent.
SessionDep = Annotated[Session, Depends(_write_session, scope="function")]
#: One read-only transaction for the request.
ReadSessionDep = Annotated[Session, Depends(_read_session, scope="function")]

# ------------------------------------------------------------------------------------------------ credentials

#: Devices and back-office operators authenticate with ``Authorization: Bearer <credential>``.
DEVICE_AUTH = HTTPBearer(auto_error=False, scheme_name="device", description="工位凭证（yimen enroll 取得）")
OPERATOR_AUTH = HTTPBearer(auto_error=False, scheme_name="operator", description="后台协同办理凭证")
Credentials = HTTPAuthorizationCredentials | None


def _bearer(credentials: Credentials) -> str | None:
    return credentials.credentials if credentials is not None else None


def _current_device(request: Request, credentials: Annotated[Credentials, Depends(DEVICE_AUTH)]) -> Device:
    # A short read-only transaction of its own: the device comes out detached, usable in any later session.
    held = runtime(request)
    with held.readers.begin() as session:
        found = authenticate_device(session, _bearer(credentials))
        session.expunge(found)
    # The version its workstation names is recorded on the device row, refused or not, so IT sees which counters
    # still run an old one; a short write of its own, only when something changed (docs/sync-protocol.md).
    reported = reported_version(request)
    if needs_seen(found, reported):
        with held.sessions.begin() as session:
            record_seen(session, found.id, reported)
    refusal = client_version_refusal(reported, held.settings.min_client_version)
    if refusal is not None:
        raise refusal
    return found


def _current_operator(request: Request, credentials: Annotated[Credentials, Depends(OPERATOR_AUTH)]) -> Operator:
    with runtime(request).readers.begin() as session:
        found = authenticate_operator(session, _bearer(credentials))
        session.expunge(found)
        return found


def reported_version(request: Request) -> str | None:
    """The version the workstation names in ``X-Yimen-Version``; None when it names none, or nothing readable."""
    return valid_version(request.headers.get(protocol.VERSION_HEADER))


def _client_version_checked(request: Request) -> None:
    refusal = client_version_refusal(reported_version(request), runtime(request).settings.min_client_version)
    if refusal is not None:
        raise refusal


#: For ``dependencies=[…]`` of enrollment: a workstation below the minimum client version is refused (426).
CLIENT_VERSION_CHECKED = Depends(_client_version_checked)

#: The enrolled, unrevoked workstation calling (401 without a credential, 403 when it was revoked, 426 when its
#: version is below the minimum: docs/sync-protocol.md "Client versions").
CurrentDevice = Annotated[Device, Depends(_current_device)]
#: The back-office operator calling (401 unless the credential is valid and unrevoked).
CurrentOperator = Annotated[Operator, Depends(_current_operator)]

# ------------------------------------------------------------------------------------------------ client address

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request: Request) -> str:
    """Where the request comes from: the TCP peer, unless the peer is one of the trusted proxies
    (``YIMEN_SERVER_TRUSTED_PROXIES``); then the right-most address of ``X-Forwarded-For`` that is not itself a
    trusted proxy.  Anyone can write the header: from any other peer it is ignored.

    (``yimen-server run`` starts uvicorn without its own proxy-header handling, so this is the one decision.)
    """
    peer = request.client.host if request.client else ""
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), runtime(request).trusted_proxies)


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[ProxyNetwork]) -> str:
    """The standard walk: start at the peer; while the address in hand is a trusted proxy, step to the next
    address leftwards in ``X-Forwarded-For`` (every header line, in order, comma-separated); the first address
    not trusted is the client.  An entry that is no address (``unknown``, garbage) ends the walk at the trusted
    hop that wrote it; when every hop is trusted, the left-most one is the client."""
    current = _address(peer)
    if current is None:
        return peer or "unknown"
    hops = [entry.strip() for line in forwarded_for for entry in line.split(",")]
    while hops and any(current in network for network in trusted):
        previous = _address(hops.pop())
        if previous is None:
            break
        current = previous
    return str(current)


def _address(text: str) -> Address | None:
    """An IP address as proxies write it: ``203.0.113.9``, ``203.0.113.9:4711``, ``2001:db8::1``,
    ``[2001:db8::1]:4711``; an IPv4-mapped IPv6 address is its IPv4 address.  None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def bucket_key(address: str) -> str:
    """The rate-limit bucket of an address: the address itself, or for IPv6 its /64 (one subscriber's network,
    whose addresses anyone on it can rotate through)."""
    found = _address(address)
    if isinstance(found, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{found}/64", strict=False))
    return address


# ------------------------------------------------------------------------------------------------ public endpoints


def _rate_limit(budget: Callable[[RateLimits], RateLimiter]) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        wait = budget(runtime(request).rate_limits).acquire(bucket_key(client_address(request)))
        if wait:
            raise RateLimitedError(wait)

    return check


#: For ``dependencies=[…]`` of enrollment (``POST /enroll…``): its own token bucket per client address (429 beyond).
ENROLL_RATE_LIMITED = Depends(_rate_limit(lambda limits: limits.enroll))
#: For ``dependencies=[…]`` of the progress page: its own token bucket per client address (429 beyond it).
PROGRESS_RATE_LIMITED = Depends(_rate_limit(lambda limits: limits.progress))
