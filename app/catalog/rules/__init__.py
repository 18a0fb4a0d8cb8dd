"""Field value validation, form validation and the named cross-field rules of the catalog.

Everything here is pure: the intake layer passes what it knows (:class:`RuleContext`) and gets problems back.

* :func:`validate_value` (:mod:`.values`) coerces what a widget gives (a line edit's text, a spin box's int, a
  date) into the stored value of a field type and checks the field's constraints.  It never raises.
* :func:`validate_form` (:mod:`.form`) checks a whole case: required fields (respecting ``when``, :mod:`.fields`,
  :mod:`.conditions`), constraints, how many parties of each role, the 户籍 requirement, then every rule the item
  names.
* :func:`required_materials` (:mod:`.materials`) expands the item's materials for a case: one line per party for
  ``per_party`` materials, ``when`` conditions evaluated.
* :func:`amount_on` (:mod:`.amounts`) and the amount helpers pick the dated money value in force from the item's
  data: money never lives in code.
* The named rules (:class:`~app.catalog.schema.RuleName`): one module each in :mod:`.eligibility`, registered in
  :mod:`.registration`.  :mod:`.case` holds the types they share, :mod:`.dates` ages in full years (周岁).

Severity: an ``"error"`` blocks acceptance (受理) — the intake layer still lets the clerk issue a 补正 or refusal
notice; a ``"warning"`` is something the clerk checks and may override.

Every public name is importable from ``app.catalog.rules`` itself.
"""

from app.catalog.rules.amounts import age_band_amount, amount_on
from app.catalog.rules.case import Form, PartyFacts, Problem, RuleCheck, RuleContext, Severity
from app.catalog.rules.conditions import condition_holds
from app.catalog.rules.dates import age_on, date_reaching_age, format_date
from app.catalog.rules.eligibility.basic_funeral_subsidy import funeral_subsidy_cap
from app.catalog.rules.eligibility.disability_living_subsidy_group import living_subsidy_amount
from app.catalog.rules.eligibility.elderly_allowance import elderly_allowance_amount
from app.catalog.rules.eligibility.marriage_precheck import MARRIAGE_AGE
from app.catalog.rules.eligibility.nursing_subsidy_grade import nursing_subsidy_amount
from app.catalog.rules.fields import coerce_values, visible_fields
from app.catalog.rules.form import validate_form
from app.catalog.rules.materials import MaterialNeed, required_materials
from app.catalog.rules.registration import rule_doc
from app.catalog.rules.values import validate_value

__all__ = [
    "MARRIAGE_AGE",
    "Form",
    "MaterialNeed",
    "PartyFacts",
    "Problem",
    "RuleCheck",
    "RuleContext",
    "Severity",
    "age_band_amount",
    "age_on",
    "amount_on",
    "coerce_values",
    "condition_holds",
    "date_reaching_age",
    "elderly_allowance_amount",
    "format_date",
    "funeral_subsidy_cap",
    "living_subsidy_amount",
    "nursing_subsidy_amount",
    "required_materials",
    "rule_doc",
    "validate_form",
    "validate_value",
    "visible_fields",
]
