"""A list of fields as the form shows them: ``when`` evaluated in order, values coerced, required fields.

A field whose ``when`` fails is hidden, and its value ignored (None); ``required`` applies only to shown fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from app.catalog.rules.conditions import condition_holds
from app.catalog.rules.values import validate_value
from app.catalog.schema import FieldDef, FieldType
from app.i18n import Message, msg

_EMPTY: Mapping[str, object] = MappingProxyType({})


@dataclass
class EvaluatedFields:
    """The fields of one list, evaluated: coerced values (None when hidden), the shown keys, the problems."""

    values: dict[str, object] = field(default_factory=dict)
    visible: set[str] = field(default_factory=set)
    problems: list[tuple[str, Message]] = field(default_factory=list)


def evaluate_fields(
    fields: Sequence[FieldDef], raw: Mapping[str, object], *, outer: Mapping[str, object] = _EMPTY
) -> EvaluatedFields:
    """Coerce fields in order; a field whose ``when`` fails is hidden and its value ignored (None)."""
    out = EvaluatedFields()
    for f in fields:
        env = {**outer, **out.values} if outer else out.values
        if f.when is not None and not condition_holds(f.when, env):
            out.values[f.key] = None
            continue
        out.visible.add(f.key)
        value, problem = validate_value(f, raw.get(f.key))
        if problem is not None:
            out.problems.append((f.key, problem))
        elif value is None and f.required:
            out.problems.append((f.key, _required_message(f)))
        out.values[f.key] = value
    return out


def _required_message(f: FieldDef) -> Message:
    if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
        return msg("catalog", "请选择“{label}”").bind(label=f.label)
    if f.type is FieldType.BOOL:
        return msg("catalog", "请选择“{label}”（是或否）").bind(label=f.label)
    return msg("catalog", "请填写“{label}”").bind(label=f.label)


def coerce_values(fields: Sequence[FieldDef], values: Mapping[str, object]) -> dict[str, object]:
    """Return every field's coerced value (None when empty, invalid or hidden by its ``when``)."""
    return evaluate_fields(fields, values).values


def visible_fields(fields: Sequence[FieldDef], values: Mapping[str, object]) -> list[FieldDef]:
    """The fields shown for these values (``when`` evaluated in declaration order)."""
    shown = evaluate_fields(fields, values).visible
    return [f for f in fields if f.key in shown]
