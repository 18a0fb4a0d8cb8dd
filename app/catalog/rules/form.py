"""A whole case checked: fields, party counts, the 户籍 requirement, then every named rule the item names.

:func:`validate_form` is what the intake layer calls before acceptance (受理).
"""

from __future__ import annotations

from app.catalog.rules.case import Form, Problem, RuleContext
from app.catalog.rules.fields import evaluate_fields
from app.catalog.rules.registration import RULES
from app.catalog.schema import HUKOU_FIELD, ROLE_EN, ROLE_ZH, LocalText, PartySpec, Residence
from app.domain import PartyRole
from app.i18n import msg


def role_text(role: str, spec: PartySpec | None = None) -> LocalText | str:
    """The name of a role in this item in both languages (the item's own label, e.g. 丧事承办人, else the role's
    usual name), bound into messages as it is so the English screen shows English; an unknown role as it is."""
    if spec is not None and spec.label is not None:
        return spec.label
    try:
        known = PartyRole(role)
    except ValueError:
        return role
    return LocalText(zh=ROLE_ZH[known], en=ROLE_EN[known])


def _form(ctx: RuleContext) -> tuple[Form, list[Problem]]:
    problems: list[Problem] = []
    item_eval = evaluate_fields(ctx.item.fields, ctx.values)
    problems.extend(Problem(key, m, "error") for key, m in item_eval.problems)
    party_values: list[dict[str, object]] = []
    for i, party in enumerate(ctx.parties):
        spec = ctx.item.party(party.role) if party.role in set(PartyRole) else None
        if spec is None:
            party_values.append({})
            continue
        ev = evaluate_fields(spec.fields, party.values, outer=item_eval.values)
        problems.extend(Problem(key, m, "error", i) for key, m in ev.problems)
        party_values.append(ev.values)
    return Form(ctx, item_eval.values, party_values), problems


def _party_counts(ctx: RuleContext) -> list[Problem]:
    problems: list[Problem] = []
    declared = {p.role.value for p in ctx.item.parties}
    for i, party in enumerate(ctx.parties):
        if party.role not in declared:
            problems.append(
                Problem(
                    None,
                    msg("catalog", "本事项不需要{role}（{name}），请删除").bind(
                        role=role_text(party.role), name=party.name
                    ),
                    "error",
                    i,
                )
            )
    for spec in ctx.item.parties:
        count = sum(1 for p in ctx.parties if p.role == spec.role.value)
        role = role_text(spec.role.value, spec)
        if count < spec.min:
            problems.append(
                Problem(
                    None,
                    msg("catalog", "需要至少 {min} 名{role}，现在有 {count} 名").bind(
                        min=spec.min, role=role, count=count
                    ),
                    "error",
                )
            )
        if spec.max is not None and count > spec.max:
            problems.append(
                Problem(
                    None,
                    msg("catalog", "最多 {max} 名{role}，现在有 {count} 名").bind(max=spec.max, role=role, count=count),
                    "error",
                )
            )
    return problems


def _residence(form: Form) -> list[Problem]:
    """The 户籍 requirement: an entered, checked fact (never derived from the ID number's region code)."""
    item = form.ctx.item
    if item.residence_required is not Residence.SHANGHAI_HUKOU:
        return []
    problems: list[Problem] = []
    spec = item.party(item.residence_party)
    role = role_text(item.residence_party.value, spec)
    for i, party in form.parties(item.residence_party):
        if form.party_values[i].get(HUKOU_FIELD) is False:
            problems.append(
                Problem(
                    HUKOU_FIELD,
                    msg("catalog", "{role}{name}不是本市户籍：“{item}”要求本市户籍").bind(
                        role=role, name=party.name, item=item.name
                    ),
                    "error",
                    i,
                )
            )
    return problems


def validate_form(ctx: RuleContext) -> list[Problem]:
    """Check a case: fields (``when``, required, constraints), party counts, 户籍, then every named rule.

    Returns:
        The problems; an empty list means the case may be accepted.
    """
    form, problems = _form(ctx)
    problems.extend(_party_counts(ctx))
    problems.extend(_residence(form))
    for name in ctx.item.rules:
        problems.extend(RULES[name](form))
    return problems
