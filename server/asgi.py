"""The ASGI entry for uvicorn workers: the app built from the environment's settings (``YIMEN_SERVER_*``)."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from server.app import create_app
from server.settings import ServerSettings

#: Young objects allocated between two collections of the youngest generation (Python's default is 700).  A push of
#: 500 events allocates some 50,000 short-lived objects while it validates them; at 700 the collector ran ~70 times
#: a batch, and every tenth of those scanned the older generation, so the validation cost 3× its own work
#: (docs/performance.md "A push close to COPY": the collector's share).
GEN0_THRESHOLD = 50_000


def tune_collector() -> None:
    """What the server process keeps for good (modules, the app, its routes and models) is moved out of the
    collector's reach (``gc.freeze``), and the youngest generation is collected less often: the requests' objects
    are short-lived and freed by their reference counts, cycles among them wait a little longer."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, second, third)


def app_from_environment() -> FastAPI:
    app = create_app(ServerSettings())
    tune_collector()
    return app
