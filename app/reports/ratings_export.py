"""The period's ratings (好差评) and the follow-up of each 差评, as CSV and JSON (docs/ratings-export.md).

The city's 好差评 system's own import format was not found, so this is ours, made to map easily: one record per
rating with stable English field names, the codes of app.domain (``very_satisfied`` …) next to their Chinese names
(``非常满意`` …), times in ISO 8601 with the +08:00 offset, and each 差评's follow-up steps in order.  The phone
number a named 差评 left is masked (``138****5678``) unless ``full_phones``, which needs
:attr:`Permission.FULL_ID_EXPORT` (the supervisor's) and is audited without the numbers.  Every export is audited
(``report.ratings_exported``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from app.localtime import SHANGHAI
from app.reports.exports import audit_export
from app.reports.report import (
    LEVEL_ZH,
    MEASURE_ZH,
    OCCASION_ZH,
    REASON_ZH,
    STEP_ZH,
    VERIFICATION_ZH,
    follow_up_state_text,
)
from app.security.permissions import Actor, Permission, allows, require
from db.models import Rating, RatingFollowUp, User

FORMAT = "yimen.ratings/1"
Format = Literal["csv", "json"]

RATING_FIELDS = (
    "rating_id",
    "acceptance_no",
    "item_code",
    "item_name",
    "occasion",
    "occasion_name",
    "level",
    "level_name",
    "stars",
    "bad",
    "reasons",
    "reason_names",
    "comment",
    "named",
    "phone",
    "rated_at",
    "clerk",
    "clerk_name",
    "contact_due",
    "rectify_due",
    "follow_up_state",
    "follow_up_state_name",
    "closed_at",
)
STEP_FIELDS = (
    "rating_id",
    "acceptance_no",
    "seq",
    "step",
    "step_name",
    "at",
    "by",
    "by_name",
    "reached",
    "verification",
    "verification_name",
    "measure",
    "measure_name",
    "note",
)


@dataclass(frozen=True)
class RatingsExport:
    first: dt.date
    last: dt.date
    generated_at: dt.datetime
    center_code: str
    center_name: str
    workstation_code: str
    full_phones: bool
    ratings: list[dict[str, Any]]

    def as_json(self) -> bytes:
        body = {
            "format": FORMAT,
            "center_code": self.center_code,
            "center_name": self.center_name,
            "workstation_code": self.workstation_code,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "generated_at": _iso(self.generated_at),
            "phones": "full" if self.full_phones else "masked",
            "count": len(self.ratings),
            "ratings": self.ratings,
        }
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def as_csv(self) -> bytes:
        """Two tables one under the other (UTF-8 with BOM): 【评价】 one line per rating, 【回访整改】 one line per
        follow-up step; list fields joined with ``;`` (codes) and ``、`` (names), booleans as ``true``/``false``."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["【评价】"])
        writer.writerow(RATING_FIELDS)
        for r in self.ratings:
            writer.writerow([_csv_value(field, r[field]) for field in RATING_FIELDS])
        writer.writerow([])
        writer.writerow(["【回访整改】"])
        writer.writerow(STEP_FIELDS)
        for r in self.ratings:
            for seq, step in enumerate(r["follow_ups"], 1):
                row = {"rating_id": r["rating_id"], "acceptance_no": r["acceptance_no"], "seq": seq, **step}
                writer.writerow([_csv_value(field, row[field]) for field in STEP_FIELDS])
        return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _csv_value(field: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ("、" if field.endswith("_names") else ";").join(str(v) for v in value)
    return str(value)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds") if moment is not None else None


def _zh(table: dict[Any, str], code: str | None) -> str | None:
    if code is None:
        return None
    for key, name in table.items():
        if key == code:
            return name
    return code


def ratings_export(
    services: Any, by: Actor, first: dt.date, last: dt.date, *, full_phones: bool = False
) -> RatingsExport:
    """The ratings recorded from ``first`` to ``last`` (Shanghai days), and the older 差评 with a follow-up step
    taken in the period, each with all its follow-up steps: everyone's for an account with ALL_FIGURES, one's own
    for OWN_FIGURES (``services.ratings.ratings_between`` decides).  Not
    audited: :func:`export_ratings` is.

    Raises:
        NotAllowedError: ``by`` may see no figures, or asks for full phone numbers without FULL_ID_EXPORT.
        ValidationError: ``last`` before ``first``.
    """
    if not allows(by.role, Permission.ALL_FIGURES):
        require(by, Permission.OWN_FIGURES)
    if full_phones:
        require(by, Permission.FULL_ID_EXPORT)
    views = services.ratings.ratings_between(by, first, last, followed_up=True)
    ids = [v.id for v in views]
    with services.db.read_connection() as conn:
        steps = (
            conn.execute(
                select(
                    RatingFollowUp.rating_id,
                    RatingFollowUp.step,
                    RatingFollowUp.at,
                    RatingFollowUp.reached,
                    RatingFollowUp.verification,
                    RatingFollowUp.measure,
                    RatingFollowUp.note,
                    User.username,
                    User.display_name,
                )
                .join(User, User.id == RatingFollowUp.by_id)
                .where(RatingFollowUp.rating_id.in_(ids))
                .order_by(RatingFollowUp.at, RatingFollowUp.id)
            ).all()
            if ids
            else []
        )
        phones = (
            {r.id: r.phone for r in conn.execute(select(Rating.id, Rating.phone).where(Rating.id.in_(ids)))}
            if ids and full_phones
            else {}
        )
    by_rating: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for s in steps:
        by_rating.setdefault(s.rating_id, []).append(
            {
                "step": s.step,
                "step_name": _zh(STEP_ZH, s.step),
                "at": _iso(s.at),
                "by": s.username,
                "by_name": s.display_name,
                "reached": s.reached,
                "verification": s.verification,
                "verification_name": _zh(VERIFICATION_ZH, s.verification),
                "measure": s.measure,
                "measure_name": _zh(MEASURE_ZH, s.measure),
                "note": s.note or "",
            }
        )
    records = [_record(v, by_rating.get(v.id, []), phones.get(v.id) if full_phones else None) for v in views]
    d = services.deployment
    return RatingsExport(
        first=first,
        last=last,
        generated_at=services.intake.clock(),
        center_code=d.center_code,
        center_name=d.center_name,
        workstation_code=d.workstation_code,
        full_phones=full_phones,
        ratings=records,
    )


def _record(view: Any, steps: Sequence[dict[str, Any]], phone: str | None) -> dict[str, Any]:
    level = view.level
    bad = bool(level.is_bad)
    state = None
    if bad:
        state = "closed" if view.closed_at is not None else "contacted" if view.contacted else "open"
    return {
        "rating_id": str(view.id),
        "acceptance_no": view.acceptance_no,
        "item_code": view.item_code,
        "item_name": view.item_name,
        "occasion": view.occasion.value,
        "occasion_name": OCCASION_ZH.get(view.occasion, view.occasion.value),
        "level": level.value,
        "level_name": LEVEL_ZH.get(level, level.value),
        "stars": level.stars,
        "bad": bad,
        "reasons": [r.value for r in view.reasons],
        "reason_names": [REASON_ZH.get(r, r.value) for r in view.reasons],
        "comment": view.comment,
        "named": view.named,
        "phone": phone if phone is not None else view.phone_masked,
        "rated_at": _iso(view.rated_at),
        "clerk": view.clerk,
        "clerk_name": view.clerk_name,
        "contact_due": view.contact_due.isoformat() if view.contact_due else None,
        "rectify_due": view.rectify_due.isoformat() if view.rectify_due else None,
        "follow_up_state": state,
        "follow_up_state_name": follow_up_state_text(state, view.named) if state else None,
        "closed_at": _iso(view.closed_at),
        "follow_ups": list(steps),
    }


def export_ratings(
    services: Any,
    by: Actor,
    first: dt.date,
    last: dt.date,
    fmt: Format,
    *,
    full_phones: bool = False,
    via: str = "window",
    os_account: str | None = None,
) -> tuple[bytes, RatingsExport]:
    """The export's bytes in ``fmt`` and the export itself, audited (``report.ratings_exported``; the number of
    ratings and whether the phones are full, never a number)."""
    export = ratings_export(services, by, first, last, full_phones=full_phones)
    data = export.as_json() if fmt == "json" else export.as_csv()
    audit_export(
        services,
        by,
        "report.ratings_exported",
        {
            "format": fmt,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "ratings": len(export.ratings),
            "full_phones": full_phones,
        },
        via=via,
        os_account=os_account,
    )
    return data, export
