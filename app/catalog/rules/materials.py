"""The material checklist of a case: one line per material, per party for ``per_party`` materials.

:func:`required_materials` expands the item's materials for a case, ``required`` conditions evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.catalog.rules.case import RuleContext
from app.catalog.rules.conditions import condition_holds
from app.catalog.rules.fields import coerce_values, evaluate_fields
from app.catalog.schema import MATERIAL_FORM_ZH, Material, MaterialForm
from app.domain import PartyRole


@dataclass(frozen=True)
class MaterialNeed:
    """One line of a case's material checklist.

    Attributes:
        material: the catalog definition (name, form, count, standard).
        required: False for a material listed as optional (``required: false`` in the catalog).
        party_index: for a ``per_party`` material, which party brings it.
        party_name: that party's name.
    """

    material: Material
    required: bool = True
    party_index: int | None = None
    party_name: str | None = None

    @property
    def key(self) -> str:
        """The material key (not unique in a list when the material is per party)."""
        return self.material.key

    @property
    def name(self) -> str:
        """The material's Chinese name (without the party)."""
        return self.material.name.zh

    @property
    def form(self) -> MaterialForm:
        """原件/复印件/… as the stored value (a ``str``); :data:`MATERIAL_FORM_ZH` gives the Chinese."""
        return self.material.form

    @property
    def form_zh(self) -> str:
        """原件、复印件、原件和复印件 or 电子材料."""
        return MATERIAL_FORM_ZH[self.material.form]

    @property
    def count(self) -> int:
        """How many copies (份数)."""
        return self.material.count

    @property
    def standard(self) -> str:
        """The standard the material must meet, in Chinese (cited by the 补正 notice)."""
        return self.material.standard.zh

    def label_zh(self) -> str:
        """The Chinese line label, e.g. ``经济状况核对授权书（李四）``."""
        if self.party_name:
            return f"{self.material.name.zh}（{self.party_name}）"
        return self.material.name.zh


def required_materials(ctx: RuleContext) -> list[MaterialNeed]:
    """The material checklist for a case, in catalog order.

    A ``per_party`` material gives one line per party of that role (none when there is no such party); a material
    whose ``required`` condition does not hold is left out; ``required: false`` gives an optional line.  Conditions
    see the item's fields and the applicant's party fields; a per-party material's condition also sees its own
    party's fields.
    """
    item_values = coerce_values(ctx.item.fields, ctx.values)
    # A material of the case (no per_party) may depend on the applicant's own fields as well.
    case_values = dict(item_values)
    applicant_spec = ctx.item.party(PartyRole.APPLICANT)
    applicant = next((p for p in ctx.parties if p.role == PartyRole.APPLICANT.value), None)
    if applicant_spec is not None and applicant is not None:
        case_values.update(evaluate_fields(applicant_spec.fields, applicant.values, outer=item_values).values)
    needs: list[MaterialNeed] = []
    for m in ctx.item.materials:
        if m.per_party is None:
            need = _need(m, case_values)
            if need is not None:
                needs.append(MaterialNeed(m, need))
            continue
        spec = ctx.item.party(m.per_party)
        for i, party in enumerate(ctx.parties):
            if party.role != m.per_party.value:
                continue
            party_values = evaluate_fields(spec.fields, party.values, outer=item_values).values if spec else {}
            need = _need(m, {**item_values, **party_values})
            if need is not None:
                needs.append(MaterialNeed(m, need, i, party.name))
    return needs


def _need(m: Material, values: Mapping[str, object]) -> bool | None:
    """True (required), False (optional) or None (not needed for this case)."""
    if isinstance(m.required, bool):
        return m.required
    return True if condition_holds(m.required, values) else None
