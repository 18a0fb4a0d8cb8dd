"""A case as the rules see it, and what they say back.

The intake layer passes what it knows (:class:`RuleContext`, one :class:`PartyFacts` per party) and gets
:class:`Problem` values back.  :class:`Form` is the case with every value coerced, as the named rules read it;
:data:`RuleCheck` is the signature of a named rule.

Severity: an ``"error"`` blocks acceptance (受理) — the intake layer still lets the clerk issue a 补正 or refusal
notice; a ``"warning"`` is something the clerk checks and may override.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from app.catalog.schema import ServiceItem
from app.domain import PartyRole
from app.i18n import Message

Severity = Literal["error", "warning"]

_EMPTY: Mapping[str, object] = MappingProxyType({})


@dataclass(frozen=True)
class PartyFacts:
    """What intake knows about one party of a case.

    Attributes:
        role: the role's value (``"applicant"``, ``"household_member"`` …).
        name: the person's name.
        id_number: the normalized ID number, if any.
        birth_date: from the ID number (or entered for documents without one).
        sex: ``"M"`` or ``"F"`` (from the ID number).
        disability_category: 1..7 from the 残疾人证号 (rules.md §2: 1 视力 … 5 智力, 6 精神, 7 多重).
        disability_grade: 1..4 from the 残疾人证号 (1 = most severe).
        values: the party-level field values (the member table's columns), raw or already coerced.
    """

    role: str
    name: str
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    disability_category: int | None = None
    disability_grade: int | None = None
    values: Mapping[str, object] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class RuleContext:
    """A case as the rules see it.

    Attributes:
        item: the item the case is taken under.
        values: the item-level field values, raw (as the widgets give them) or already coerced.
        parties: every party, in the order the clerk entered them (``party_index`` refers to this order).
        on: the date of the application (or of the pre-check).
    """

    item: ServiceItem
    values: Mapping[str, object]
    parties: Sequence[PartyFacts]
    on: date


@dataclass(frozen=True)
class Problem:
    """One problem of a case.

    Attributes:
        field: the field key it concerns (item-level, or party-level when ``party_index`` is set), or None.
        message: the sentence for the clerk.
        severity: ``"error"`` blocks acceptance; ``"warning"`` may be overridden by the clerk.
        party_index: the index in :attr:`RuleContext.parties` of the party concerned, or None.
    """

    field: str | None
    message: Message
    severity: Severity
    party_index: int | None = None


@dataclass
class Form:
    """Coerced values of the case, handed to the named rules."""

    ctx: RuleContext
    values: dict[str, object]
    party_values: list[dict[str, object]]

    def parties(self, role: PartyRole) -> list[tuple[int, PartyFacts]]:
        """The parties of ``role`` with their index in :attr:`RuleContext.parties`, in the order entered."""
        return [(i, p) for i, p in enumerate(self.ctx.parties) if p.role == role.value]

    def first(self, role: PartyRole) -> tuple[int, PartyFacts] | None:
        """The first party of ``role`` with its index, or None when there is none."""
        found = self.parties(role)
        return found[0] if found else None


#: A named rule: the case's coerced values in, its problems out.
RuleCheck = Callable[[Form], list[Problem]]
