"""The named rule ``elderly_allowance``: 老年综合津贴, aged 65 or over.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.ELDERLY_ALLOWANCE]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from datetime import date

from app.catalog.rules.amounts import age_band_amount
from app.catalog.rules.case import Form, Problem, Severity
from app.catalog.rules.dates import age_on
from app.catalog.rules.eligibility.common import missing_birth, under_age
from app.catalog.schema import DatedAmount, ServiceItem
from app.domain import PartyRole
from app.i18n import msg


def check(form: Form) -> list[Problem]:
    """老年综合津贴: Shanghai 户籍 (``residence_required``) and aged 65 or over.

    Source: items §10 (ecns 2016; shanghaidaily; b2b-team repost).  Since 2023-05 the allowance is 免申即享
    (granted without application), so the counter handles corrections, card changes and exceptions
    (``request_type``).  Under 65 is an error.  Inquiries are the inquiry item MZ-YLFW-004 now; version 1 of
    MZ-YLFW-001 had an ``inquiry`` request type, and a record taken under it (checked again with its own version)
    gets a warning there, not an error.
    """
    found = form.first(PartyRole.APPLICANT)
    if found is None:
        return []
    index, party = found
    if party.birth_date is None:
        return [missing_birth(index, party, msg("catalog", "老年综合津贴"))]
    severity: Severity = "warning" if form.values.get("request_type") == "inquiry" else "error"
    under = under_age(
        index, party, 65, form.ctx.on, msg("catalog", "老年综合津贴发给年满 65 周岁的本市户籍老人"), severity
    )
    return [under] if under is not None else []


def elderly_allowance_amount(item: ServiceItem, birth_date: date, on: date) -> DatedAmount | None:
    """老年综合津贴: the monthly amount of the age band on ``on`` (items §10: 65–69 75 … 100+ 600 元/月)."""
    return age_band_amount(item, age_on(birth_date, on), on)
