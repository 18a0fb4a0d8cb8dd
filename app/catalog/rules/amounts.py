"""Dated amounts: the money figure of an item in force on a date, by name, unit or age band.

Money never lives in code: the figures and their dates are the item's ``amounts``.  The helpers of one item's
figures (护理补贴 by grade, 殡葬补贴 cap …) sit with that item's rule in :mod:`app.catalog.rules.eligibility`.
"""

from __future__ import annotations

from datetime import date

from app.catalog.schema import DatedAmount, ServiceItem


def amount_on(item: ServiceItem, name_or_unit: str, on: date) -> DatedAmount | None:
    """The dated amount in force on ``on``: the latest entry of the series with ``effective_from ≤ on``.

    ``name_or_unit`` is an amount ``name``; when no series has that name, a ``unit`` (e.g. ``元/具``) is accepted if
    exactly one series uses it.  None when nothing is in force yet or nothing matches.
    """
    series = [a for a in item.amounts if a.name == name_or_unit]
    if not series:
        names = {a.name for a in item.amounts if a.unit == name_or_unit}
        if len(names) != 1:
            return None
        series = [a for a in item.amounts if a.name in names]
    in_force = [a for a in series if a.effective_from <= on]
    return max(in_force, key=lambda a: a.effective_from) if in_force else None


def age_band_amount(item: ServiceItem, age: int, on: date) -> DatedAmount | None:
    """The amount of the age band (``age_min ≤ age ≤ age_max``) in force on ``on``, or None."""
    names = [
        a.name
        for a in item.amounts
        if a.age_min is not None and a.age_min <= age and (a.age_max is None or age <= a.age_max)
    ]
    for name in dict.fromkeys(names):
        amount = amount_on(item, name, on)
        if amount is not None and amount.age_min is not None and amount.age_min <= age:
            if amount.age_max is None or age <= amount.age_max:
                return amount
    return None
