"""Citizen ID numbers (公民身份号码) and disability certificate numbers (残疾人证号).

Modules:
    normalize: what was typed → the compact number (full-width digits, separators, zero-width characters).
    citizen_id: :func:`check_id` (GB 11643, 15 → 18 digits, 居住证 and 永居证 numbers), :func:`mask_id`.
    disability_cert: :func:`check_disability_cert`, the category and grade a 残疾人证号 carries.

The public names are importable from ``app.idnumber`` itself.
"""

from app.idnumber.citizen_id import IdCheck, IdKind, IdWarning, Sex, check_id, mask_id, upgrade_15
from app.idnumber.disability_cert import DisabilityCategory, DisabilityCertCheck, check_disability_cert, grade_label
from app.idnumber.normalize import normalize_id

__all__ = [
    "DisabilityCategory",
    "DisabilityCertCheck",
    "IdCheck",
    "IdKind",
    "IdWarning",
    "Sex",
    "check_disability_cert",
    "check_id",
    "grade_label",
    "mask_id",
    "normalize_id",
    "upgrade_15",
]
