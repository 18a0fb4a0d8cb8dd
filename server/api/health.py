"""``GET /api/v1/health``: the load balancer's check (200 when this process reaches the database)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from server.api.deps import ReadSessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(session: ReadSessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
