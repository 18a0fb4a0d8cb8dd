"""Server settings, from the environment (``YIMEN_SERVER_*``) or a ``.env``-style file, with pydantic-settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    #: Requests per minute and client address to the unauthenticated endpoints (enrollment, progress page).
    public_rate_per_minute: int = Field(default=30, ge=1)
    #: Largest request body accepted (bytes); a push of MAX_BATCH_EVENTS events stays well below it.
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    #: Database connections per server process.
    pool_size: int = Field(default=10, ge=1, le=200)
