"""The ``when`` condition of a field and the ``required`` condition of a material, evaluated.

The condition language itself (``equals``, ``in``, ``truthy``) is :class:`app.catalog.schema.Condition`.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.catalog.schema import Condition


def _truthy(value: object) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str | list | tuple | set | frozenset):
        return len(value) > 0
    if isinstance(value, int):
        return value != 0
    return True


def _matches(value: object, expected: object) -> bool:
    if isinstance(value, tuple | list | set | frozenset):
        return expected in value
    if isinstance(value, bool) != isinstance(expected, bool):
        return False
    return value == expected


def condition_holds(cond: Condition, values: Mapping[str, object]) -> bool:
    """Evaluate a ``when`` condition against coerced values (a missing key is "no value")."""
    value = values.get(cond.field)
    if cond.truthy is not None:
        return _truthy(value) == cond.truthy
    if cond.equals is not None:
        return _matches(value, cond.equals)
    if cond.in_ is not None:
        return any(_matches(value, v) for v in cond.in_)
    return False
