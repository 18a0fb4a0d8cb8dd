"""``GET /api/v1/health``: the load balancer's check (200 when this process reaches the database)."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import ReadSessionDep
from server.services.stats import ping

router = APIRouter(tags=["health"])


@router.get("/health")
def health(session: ReadSessionDep) -> dict[str, str]:
    ping(session)
    return {"status": "ok"}
