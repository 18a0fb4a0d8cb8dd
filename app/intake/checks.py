"""Checking a draft before anything is stored: the parties, the form, the material checklist, open duplicates,
and whether the draft allows the decision the clerk chose (行政许可法 Art. 32).

:meth:`DraftChecker.check` is what the counter calls while the clerk types; :meth:`DraftChecker.require` is the
core's verdict on a decision.  A refusal is a :class:`~app.intake.model.DraftRejectedError` that carries the
:class:`~app.intake.model.Issue` behind it and the whole :class:`~app.intake.model.DraftCheck`, so the counter
never checks twice or compares message texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from app import idnumber, limits, people
from app.catalog import rules as catalog_rules
from app.catalog.registry import Catalog, CatalogEntry
from app.catalog.rules import coerce_values, condition_holds
from app.catalog.schema import ServiceItem
from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import NotAllowedError, NotFoundError, ValidationError
from app.i18n import Bilingual, Message, msg
from app.intake.model import (
    ApplicationDraft,
    ApplicationSummary,
    CheckedParty,
    DecisionInput,
    DraftCheck,
    DraftRejectedError,
    Issue,
    MaterialInput,
    MaterialLine,
    PartyInput,
    Refusal,
    RefusalGround,
)
from app.localtime import local_date
from app.texts import text_problem

MIN_REASON_LENGTH = 4
IDENTITY_FIELDS = ("name", "id_number", "phone")
# Parties whose identity document the notice or the receipt names: their number is required.
ID_REQUIRED = (PartyRole.APPLICANT, PartyRole.AGENT, PartyRole.GUARDIAN, PartyRole.SPOUSE)

OpenCases = Callable[[str, str], list[ApplicationSummary]]


class DraftChecker:
    """Checks drafts against the catalog on the day the clock says.

    Args:
        open_cases: ``(normalized ID number, item code)`` → a few open applications of that applicant and item.
    """

    def __init__(self, catalog: Catalog, clock: Callable[[], dt.datetime], open_cases: OpenCases) -> None:
        self.catalog = catalog
        self.clock = clock
        self.open_cases = open_cases

    def entry(self, code: str, *, for_new: bool) -> CatalogEntry:
        entry = self.catalog.entry(code)
        if entry is None:
            raise NotFoundError(msg("intake", "找不到事项“{code}”，请重新选择事项。").bind(code=code))
        if for_new and not entry.active:
            raise NotAllowedError(
                msg("intake", "事项“{name}”已退出，不能再受理新的申请。").bind(name=entry.item.name),
            )
        return entry

    def check(self, draft: ApplicationDraft, entry: CatalogEntry | None = None) -> DraftCheck:
        """Validate a draft without saving: problems beside fields, the material checklist, duplicates."""
        entry = entry or self.entry(draft.item_code, for_new=True)
        today = local_date(self.clock())
        issues, checked = _check_parties(draft.parties, today)
        facts = [
            catalog_rules.PartyFacts(
                role=party.role.value,
                name=party.name,
                id_number=party.id_number,
                birth_date=party.birth_date,
                sex=party.sex,
                disability_category=None,
                disability_grade=None,
                values=given.values,
            )
            for party, given in zip(checked, draft.parties, strict=True)
        ]
        ctx = catalog_rules.RuleContext(item=entry.item, values=draft.values, parties=facts, on=today)
        for problem in catalog_rules.validate_form(ctx):
            issues.append(
                Issue(problem.message, problem.severity, field=problem.field, party_index=problem.party_index)
            )
        issues.extend(_typed_text_issues(draft))
        lines = _material_lines(ctx, draft.parties)
        applicant = next((p for p in checked if p.role is PartyRole.APPLICANT), None)
        duplicates = (
            self.open_cases(applicant.id_number, entry.code) if applicant is not None and applicant.id_number else []
        )
        return DraftCheck(issues, lines, duplicates, checked)

    def require(
        self, draft: ApplicationDraft, decision: DecisionInput, checked: DraftCheck, entry: CatalogEntry | None = None
    ) -> None:
        """Raise :class:`DraftRejectedError` unless the draft allows ``decision``."""

        def reject(refusal: Refusal, issue: Issue, message: Message | None = None) -> DraftRejectedError:
            return DraftRejectedError(message or issue.message, refusal=refusal, issue=issue, check=checked)

        item = (entry or self.entry(draft.item_code, for_new=True)).item

        # Who the parties are must be right for every decision (a notice names them); the rest of the form must be
        # complete only to accept.
        identity_errors = [
            i
            for i in checked.errors
            if i.field == "applicant" or (i.party_index is not None and i.field in IDENTITY_FIELDS)
        ]
        if identity_errors:
            raise reject(Refusal.ISSUE, identity_errors[0])
        # What the clerk typed beside the form (notes, the queue ticket) must fit whatever the decision, and every
        # tick must say something possible (a reason for a defective material, 电子证照 only where there is one).
        for issue in _typed_text_issues(draft) + tick_problems(checked.materials, draft.materials, item=item):
            raise reject(Refusal.MATERIALS if issue.field == "materials" else Refusal.ISSUE, issue)
        missing = missing_required(checked.materials, draft.materials)
        kind = decision.decision
        if kind.accepts:
            if kind is not Decision.ACCEPT:
                owed_problem = owed_policy_problem(item, kind, draft.values, missing, decision)
                if owed_problem is not None:
                    raise reject(Refusal.MATERIALS, owed_problem)
            if checked.errors:
                # The parties come first on the screen, so their problems are named first.
                first = min(checked.errors, key=lambda i: (i.party_index is None, i.party_index or 0))
                raise reject(Refusal.ISSUE, first)
            if checked.warnings and not draft.acknowledged_warnings:
                warning = checked.warnings[0]
                raise reject(
                    Refusal.UNCONFIRMED_WARNING,
                    warning,
                    msg("intake", "有需要确认的提示：{text}。请核实后勾选“已核实”再受理。").bind(text=warning.message),
                )
            if missing and kind is Decision.ACCEPT:
                raise reject(
                    Refusal.MATERIALS,
                    Issue(
                        msg(
                            "intake",
                            "材料不齐，不能受理：缺少“{name}”。请选择“一次性补正告知”，列出全部缺少的材料。",
                        ).bind(name=material_name(missing[0], item)),
                        field="materials",
                        party_index=missing[0].party_index,
                        material_key=missing[0].key,
                    ),
                )
        elif kind is Decision.SUPPLEMENT:
            if not missing:
                raise reject(
                    Refusal.MATERIALS,
                    Issue(
                        msg("intake", "没有标记为缺少或不合格的必需材料，无需补正；材料齐全请直接受理。"),
                        field="materials",
                    ),
                )
        elif kind is Decision.REFUSE:
            problem = refusal_reason_problem(decision)
            if problem is not None:
                raise reject(Refusal.REFUSAL_REASON, Issue(problem, field="refusal_reason"))
            detail = refusal_detail_problem(decision)
            if detail is not None:
                raise reject(Refusal.REFUSAL_REASON, detail)
        if checked.duplicates and not draft.acknowledged_duplicate:
            raise reject(
                Refusal.DUPLICATE,
                Issue(
                    msg("intake", "该申请人已有同一事项的在办申请（{no}），请核实后确认继续。").bind(
                        no=checked.duplicates[0].acceptance_no
                    ),
                    field="duplicate",
                ),
            )


def refusal_reason_problem(decision: DecisionInput) -> Message | None:
    """不予受理 must say why (at least four characters, within what a notice holds); None when the decision is fine."""
    if decision.decision is not Decision.REFUSE:
        return None
    reason = (decision.reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        return msg("intake", "不予受理必须写明理由（至少 {n} 个字）。").bind(n=MIN_REASON_LENGTH)
    return text_problem(reason)


def refusal_detail_problem(decision: DecisionInput) -> Issue | None:
    """A refusal's ground must be one the notice knows; one as not competent names where the matter belongs
    (行政许可法 Art. 32(1)(2)); the basis and the office are text a notice can print."""
    ground = decision.ground
    if ground is not None and ground not in {g.value for g in RefusalGround}:
        return Issue(msg("intake", "请从列表中选择不予受理的理由类别。"), field="refusal_ground")
    office = (decision.competent_office or "").strip()
    if ground == RefusalGround.NOT_COMPETENT.value and not office:
        return Issue(
            msg("intake", "不属于本机关职权范围的，请写明应向哪个机关申请（告知书要写明有权机关）。"),
            field="competent_office",
        )
    for text, where in ((office, "competent_office"), ((decision.basis or "").strip(), "refusal_basis")):
        problem = text_problem(text)
        if problem is not None:
            return Issue(problem, field=where)
    return None


def owed_policy_problem(
    item: ServiceItem,
    kind: Decision,
    values: Mapping[str, object],
    missing: Sequence[MaterialLine],
    decision: DecisionInput,
) -> Issue | None:
    """容缺受理 / 先行救助 only where the item declares it (with its ``when``), only with that policy's materials
    missing, and with at least one missing (otherwise it is a plain 受理); 先行救助 says why help comes first."""
    policy = item.tolerated if kind is Decision.TOLERATED else item.first_aid
    what = msg("decisions", "容缺受理") if kind is Decision.TOLERATED else msg("decisions", "先行救助")
    if policy is None:
        return Issue(
            msg("intake", "本事项没有开启{what}，请选择受理、一次性补正告知或不予受理。").bind(what=what),
            field="decision",
        )
    if policy.when is not None:
        coerced = coerce_values(item.fields, values)
        if not condition_holds(policy.when, coerced):
            return Issue(msg("intake", "本申请的情形不适用{what}，请按材料情况受理或一次性补正告知。").bind(what=what))
    if not missing:
        return Issue(msg("intake", "材料已齐全，请直接受理。"), field="materials")
    allowed = set(policy.materials)
    for line in missing:
        if line.key not in allowed:
            return Issue(
                msg("intake", "“{name}”不能{what}，须当场提交；缺少它时请选择一次性补正告知。").bind(
                    name=material_name(line, item), what=what
                ),
                field="materials",
                party_index=line.party_index,
                material_key=line.key,
            )
    if kind is Decision.FIRST_AID:
        reason = (decision.basis or "").strip()
        if len(reason) < MIN_REASON_LENGTH:
            return Issue(
                msg("intake", "先行救助必须写明理由（至少 {n} 个字），如火灾、事故等急难情形。").bind(
                    n=MIN_REASON_LENGTH
                ),
                field="first_aid_reason",
            )
        problem = text_problem(reason)
        if problem is not None:
            return Issue(problem, field="first_aid_reason")
    return None


def material_note_problems(ticks: Sequence[MaterialInput]) -> list[Issue]:
    """A note on a material (why it is defective) must fit the notice and the record."""
    issues = []
    for tick in ticks:
        problem = text_problem((tick.note or "").strip())
        if problem is not None:
            issues.append(Issue(problem, field="materials", party_index=tick.party_index, material_key=tick.key))
    return issues


def tick_problems(
    lines: Sequence[MaterialLine], ticks: Sequence[MaterialInput], *, item: ServiceItem | None
) -> list[Issue]:
    """What a tick cannot say, whatever the decision: "not needed" for a line the case requires, a defective
    material without the reason (every notice and record names it), 电子证照核验 of a material the electronic
    licence library does not hold, a count of copies outside 1…the limit, or a count on a material of which nothing
    is kept.

    A required line (``required: true``, or its condition holds for this case) sent as
    :attr:`MaterialStatus.NOT_NEEDED` is refused, not stored: stored, it would drop out of the missing materials, so
    a 补正 notice (which must list everything missing at once, 行政许可法 Art. 32) or a return visit would pass it
    over.  It is refused rather than turned into 缺少 because no legitimate caller sends it (the counter's checklist
    never offers "not needed"; an optional line not brought is simply not ticked), so it is a caller's mistake to
    name.  Optional lines may still be not needed.  ``item`` gives the material names messages bind (see
    :func:`material_name`)."""
    by_key = {(line.key, line.party_index): line for line in lines}
    issues = []
    for tick in ticks:
        line = by_key.get((tick.key, tick.party_index))

        def where(message: Message, tick: MaterialInput = tick) -> Issue:
            return Issue(message, field="materials", party_index=tick.party_index, material_key=tick.key)

        if tick.status is MaterialStatus.NOT_NEEDED and line is not None and line.required:
            needed = msg("intake", "“{name}”是本申请必需的材料，不能标为“不需要”：请核验后勾选，或标为缺少、不合格。")
            issues.append(where(needed.bind(name=material_name(line, item))))
        elif tick.status is MaterialStatus.DEFECTIVE and not (tick.note and tick.note.strip()):
            issues.append(where(msg("intake", "请写明不合格材料的问题，告知书和记录要逐项说明原因。")))
        elif tick.status is MaterialStatus.E_VERIFIED and line is not None and not line.e_license:
            online = msg("intake", "“{name}”不能通过电子证照核验，请核验原件或收取复印件。")
            issues.append(where(online.bind(name=material_name(line, item))))
        elif tick.count is not None:
            if not 1 <= tick.count <= limits.MATERIAL_COUNT_MAX:
                issues.append(where(msg("intake", "收取份数应在 1 到 {n} 之间。").bind(n=limits.MATERIAL_COUNT_MAX)))
            elif not tick.status.kept:
                issues.append(where(msg("intake", "只有收取的材料才填写份数，请去掉份数。")))
    return issues


def material_name(line: MaterialLine, item: ServiceItem | None) -> Bilingual | str:
    """The material's name as a message binds it: the catalog's bilingual name (the core renders its Chinese, the
    UI the screen's language, so an English screen never shows a Chinese name inside English); the line's own
    Chinese name only where the item does not list the material (none given, or a key no longer in it).  The
    counter finds the line a message concerns by the issue's ``material_key`` and ``party_index``, never by the name
    inside the text."""
    material = next((m for m in item.materials if m.key == line.key), None) if item is not None else None
    return material.name if material is not None else line.name


def stored_status(line: MaterialLine | None, status: MaterialStatus) -> MaterialStatus:
    """What a tick records: a plain present tick (:attr:`MaterialStatus.RECEIVED`) becomes what the counter does
    with that material (keep → 原件收取, return → 原件核验（已退还）, copy → 复印件收取); every other status as
    the clerk chose it."""
    if status is not MaterialStatus.RECEIVED or line is None:
        return status
    return _HANDLED[line.handling]


_HANDLED = {
    "keep": MaterialStatus.RECEIVED,
    "return": MaterialStatus.ORIGINAL_CHECKED,
    "copy": MaterialStatus.COPY_KEPT,
}


def _typed_text_issues(draft: ApplicationDraft) -> list[Issue]:
    issues = material_note_problems(draft.materials)
    problem = text_problem((draft.queue_ticket or "").strip(), maximum=limits.QUEUE_TICKET_MAX, one_line=True)
    if problem is not None:
        issues.append(Issue(problem, field="queue_ticket"))
    return issues


def require_refusal_reason(decision: DecisionInput) -> None:
    problem = refusal_reason_problem(decision)
    if problem is not None:
        raise ValidationError(problem, field="refusal_reason")


def missing_required(lines: Sequence[MaterialLine], ticks: Sequence[MaterialInput]) -> list[MaterialLine]:
    """The required lines the clerk did not tick as present (kept, checked or verified electronically)."""
    by_key = {(t.key, t.party_index): t for t in ticks}
    missing = []
    for line in lines:
        if not line.required:
            continue
        tick = by_key.get((line.key, line.party_index))
        if tick is None or not tick.status.present:
            missing.append(line)
    return missing


def _check_parties(parties: Sequence[PartyInput], today: dt.date) -> tuple[list[Issue], list[CheckedParty]]:
    issues: list[Issue] = []
    checked: list[CheckedParty] = []
    seen_ids: dict[str, int] = {}
    if not any(p.role == PartyRole.APPLICANT for p in parties):
        issues.append(Issue(msg("intake", "请填写申请人。"), field="applicant"))
    for index, party in enumerate(parties):
        name = party.name
        try:
            name = people.validate_name(party.name)
        except ValidationError as exc:
            issues.append(Issue(exc.message, field="name", party_index=index))
        normalized: str | None = None
        kind: str | None = None
        birth: dt.date | None = None
        sex: str | None = None
        if party.id_number and party.id_number.strip():
            check = idnumber.check_id(party.id_number, today=today)
            if not check.valid:
                assert check.error is not None
                issues.append(Issue(check.error, field="id_number", party_index=index))
            else:
                normalized, birth = check.normalized, check.birth_date
                kind = check.kind.value if check.kind else None
                sex = check.sex.value if check.sex else None
                if check.warnings and not party.confirmed_id:
                    for warning in check.warnings:
                        issues.append(Issue(warning, "warning", field="id_number", party_index=index))
                if normalized in seen_ids:
                    issues.append(
                        Issue(
                            msg("intake", "身份证号与第 {n} 位当事人重复。").bind(n=seen_ids[normalized] + 1),
                            field="id_number",
                            party_index=index,
                        )
                    )
                seen_ids.setdefault(normalized, index)
        elif party.role in ID_REQUIRED:
            issues.append(Issue(msg("intake", "请填写证件号码。"), field="id_number", party_index=index))
        phone: str | None = None
        if party.phone and party.phone.strip():
            try:
                phone = people.validate_phone(party.phone)
            except ValidationError as exc:
                issues.append(Issue(exc.message, field="phone", party_index=index))
        checked.append(CheckedParty(party.role, name, phone, normalized, kind, sex, birth))
    return issues, checked


def _material_lines(ctx: catalog_rules.RuleContext, parties: Sequence[PartyInput]) -> list[MaterialLine]:
    lines = []
    for need in catalog_rules.required_materials(ctx):
        material = need.material
        lines.append(
            MaterialLine(
                key=material.key,
                name=material.name.zh,
                form=material.form.value,
                count=material.count,
                required=need.required,
                standard=material.standard.zh,
                party_index=need.party_index,
                party_name=parties[need.party_index].name if need.party_index is not None else None,
                unit=material.unit.value,
                handling=material.handled().value,
                e_license=material.e_license,
            )
        )
    return lines
