"""What the routers get from FastAPI's dependency injection, as ``Annotated`` aliases: a database session (a write
transaction or a read-only one), the authenticated device or operator, the rate limit of the public endpoints.

Everything comes from the :class:`Runtime` that ``create_app`` puts on ``app.state``; nothing is built at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.api.ratelimit import RateLimiter
from server.services.common import ServiceError
from server.services.devices import authenticate_device
from server.services.operators import authenticate_operator
from server.settings import ServerSettings
from server.store.models import Device, Operator


@dataclass(frozen=True)
class Runtime:
    """What one server process holds: its settings, the engine and its two session factories, the rate limiter."""

    settings: ServerSettings
    engine: Engine
    #: Write transactions (``BEGIN IMMEDIATE`` on SQLite).
    sessions: sessionmaker[Session]
    #: Read-only transactions: they take no write lock (the feed, authentication, the progress page).
    readers: sessionmaker[Session]
    rate_limiter: RateLimiter


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
    with runtime(request).readers.begin() as session:
        found = authenticate_device(session, _bearer(credentials))
        session.expunge(found)
        return found


def _current_operator(request: Request, credentials: Annotated[Credentials, Depends(OPERATOR_AUTH)]) -> Operator:
    with runtime(request).readers.begin() as session:
        found = authenticate_operator(session, _bearer(credentials))
        session.expunge(found)
        return found


#: The enrolled, unrevoked workstation calling (401 without a credential, 403 when it was revoked).
CurrentDevice = Annotated[Device, Depends(_current_device)]
#: The back-office operator calling (401 unless the credential is valid and unrevoked).
CurrentOperator = Annotated[Operator, Depends(_current_operator)]

# ------------------------------------------------------------------------------------------------ public endpoints


def _public_rate(request: Request) -> None:
    client = request.client.host if request.client else "?"
    if not runtime(request).rate_limiter.allow(client):
        raise ServiceError(429, "rate_limited", "请求过于频繁，请一分钟后再试。")


#: For ``dependencies=[…]`` of the endpoints anyone can reach: a token bucket per client address.
RATE_LIMITED = Depends(_public_rate)
