"""Helpers of the document tests: decisions taken through the real intake use cases, for any shipped item."""

from __future__ import annotations

from typing import Any

from app.demo import sample_draft, sample_ticks
from app.domain import MaterialStatus
from app.intake.model import Decision, DecisionInput, DecisionResult, MaterialInput


def take(
    services: Any,
    clerk: Any,
    code: str,
    decision: Decision = Decision.ACCEPT,
    *,
    reason: str | None = None,
    people: dict[Any, tuple[str, str]] | None = None,
) -> DecisionResult:
    """Take a complete sample case of item ``code`` and decide it (a 补正 leaves the first material missing)."""
    item = services.catalog.entry(code).item
    today = services.intake.clock().date()
    draft = sample_draft(item, today=today, people=people)
    draft.materials = sample_ticks(services.intake.check(draft).materials, decision)
    if decision is Decision.REFUSE and reason is None:
        reason = "申请人户籍不在本市，已告知向户籍地街道申请。"
    return services.intake.decide(draft, DecisionInput(decision, reason), clerk)


def bring_missing(services: Any, number: str) -> list[MaterialInput]:
    """The required materials still missing or defective of ``number``, now brought (a 补正's return visit)."""
    loaded = services.intake.load(number)
    return [
        MaterialInput(m.key, MaterialStatus.RECEIVED, m.party_index)
        for m in loaded.materials
        if m.required and m.status in ("missing", "defective")
    ]
