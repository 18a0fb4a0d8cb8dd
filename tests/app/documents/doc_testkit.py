"""Helpers of the document tests: decisions taken through the real intake use cases, for any shipped item."""

from __future__ import annotations

from typing import Any

from app.demo import sample_defect_note, sample_draft
from app.intake.model import Decision, DecisionInput, DecisionResult, MaterialInput, MaterialStatus


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
    lines = services.intake.check(draft).materials
    ticks = [MaterialInput(line.key, MaterialStatus.RECEIVED, line.party_index) for line in lines]
    if decision is Decision.SUPPLEMENT:
        first = next(i for i, line in enumerate(lines) if line.required)
        ticks[first] = MaterialInput(lines[first].key, MaterialStatus.MISSING, lines[first].party_index)
        if len(lines) > first + 1:
            second = lines[first + 1]
            note = sample_defect_note(second)
            ticks[first + 1] = MaterialInput(second.key, MaterialStatus.DEFECTIVE, second.party_index, note)
    draft.materials = ticks
    if decision is Decision.REFUSE and reason is None:
        reason = "申请人户籍不在本市，已告知向户籍地街道申请。"
    return services.intake.decide(draft, DecisionInput(decision, reason), clerk)
