"""The ASGI entry for uvicorn workers: the app built from the environment's settings (``YIMEN_SERVER_*``)."""

from __future__ import annotations

from fastapi import FastAPI

from server.app import create_app
from server.settings import ServerSettings


def app_from_environment() -> FastAPI:
    return create_app(ServerSettings())
