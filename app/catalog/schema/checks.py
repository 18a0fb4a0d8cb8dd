"""The cross-field checks of an item: what the models alone cannot see.

Unique keys, ``when`` referring to an earlier field, a material's ``per_party`` naming a declared role, promised ≤
legal days, amounts in date order, what each named rule needs; a material's handling and e-licence flag fitting
its form; the legal basis fitting the item's nature (only a 行政许可 cites the 行政许可法) and naming where an
article comes from; 容缺受理 and 先行救助 naming the item's own required materials and a basis that can be found.
:func:`check_item` returns located :class:`ItemIssue` values so the loader can point at the YAML line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.catalog.schema.fields import Condition, FieldDef
from app.catalog.schema.rule_names import RULE_NEEDS, FieldNeed, RuleName, RuleNeeds
from app.catalog.schema.vocabulary import (
    CHOICE_TYPES,
    HUKOU_FIELD,
    PLACEHOLDER_MARK,
    RANGE_TYPES,
    TEXT_TYPES,
    Category,
    FieldType,
    FormLayout,
    Kind,
    LegalNature,
    MaterialForm,
    MaterialHandling,
    Status,
)
from app.domain import PartyRole
from app.i18n import Message, msg

if TYPE_CHECKING:
    from app.catalog.schema.item import AcceptWithMaterialsOwed, DatedAmount, LegalBasis, Material, ServiceItem

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ItemIssue:
    """A cross-field problem, located by YAML keys and list indexes (e.g. ``("fields", 3, "when", "field")``)."""

    loc: Loc
    message: Message = field(compare=False)


_Add = Callable[["ItemIssue"], None]


def _join(values: Any) -> str:
    return "、".join(str(v) for v in values)


def check_item(item: ServiceItem) -> list[ItemIssue]:
    """Return every cross-field problem of a model-valid item (empty when the item is consistent)."""
    issues: list[ItemIssue] = []
    add = issues.append

    if item.status is Status.ACTIVE and item.retired_from is not None:
        add(ItemIssue(("retired_from",), msg("catalog", "只有已退出（status: retired）的事项才能写退出日期")))
    if item.retired_from is not None and item.retired_from <= item.effective_from:
        add(
            ItemIssue(
                ("retired_from",), msg("catalog", "退出日期应晚于生效日期 {start}").bind(start=item.effective_from)
            )
        )

    if item.effective_from_placeholder and PLACEHOLDER_MARK not in (item.effective_from_source or ""):
        add(
            ItemIssue(
                ("effective_from_source",),
                msg(
                    "catalog",
                    "生效日期为暂定值（effective_from_placeholder: true）时，须在 effective_from_source 中写明“{mark}”",
                ).bind(mark=PLACEHOLDER_MARK),
            )
        )

    _check_time_limits(item, add)
    roles = _check_parties(item, add)
    _check_fields(item.fields, ("fields",), add)
    _check_materials(item, roles, add)
    _check_residence(item, add)
    _check_rules(item, add)
    _check_amounts(item, add)
    _check_legal_basis(item, add)
    for name in ("tolerated", "first_aid"):
        _check_owed_policy(item, name, add)
    for i, signer in enumerate(item.signatures):
        if signer not in roles:
            problem = msg("catalog", "签名人 {role} 不是本事项的当事人角色").bind(role=signer.value)
            add(ItemIssue(("signatures", i), problem))
        elif signer in item.signatures[:i]:
            add(ItemIssue(("signatures", i), msg("catalog", "签名人 {role} 重复").bind(role=signer.value)))
    if item.form_layout is FormLayout.SIDE_BY_SIDE and [p.max for p in item.parties[:2]] != [1, 1]:
        add(
            ItemIssue(
                ("form_layout",),
                msg("catalog", "申请表版式 side_by_side 要求前两个当事人角色各为 1 人（max: 1），如婚姻登记的双方"),
            )
        )
    return issues


def _check_time_limits(item: ServiceItem, add: _Add) -> None:
    promised, legal = item.promised_days, item.legal_days
    if promised is not None and legal is not None and promised > legal:
        add(
            ItemIssue(
                ("promised_days",),
                msg(
                    "catalog", "承诺时限 {promised} 个工作日超过法定时限 {legal} 个工作日，承诺时限不能长于法定时限"
                ).bind(promised=promised, legal=legal),
            )
        )
    if item.kind is Kind.APPLICATION:
        if promised is None:
            add(
                ItemIssue(
                    ("promised_days",),
                    msg(
                        "catalog",
                        "受理类事项必须写承诺时限 promised_days（工作日，用于计算承诺办结日）；"
                        "找不到依据时写暂定值，并在 time_limit_source 中写明“未找到上海公开依据，暂按…，待确认”",
                    ),
                )
            )
        if item.time_limit_source is None:
            add(
                ItemIssue(
                    ("time_limit_source",),
                    msg("catalog", "受理类事项必须写时限依据 time_limit_source（文号或网址；暂定值写明“待确认”）"),
                )
            )
    if item.kind is Kind.INQUIRY:
        for name in ("promised_days", "legal_days"):
            if getattr(item, name) is not None:
                add(
                    ItemIssue(
                        (name,),
                        msg(
                            "catalog",
                            "查询类事项（kind: inquiry）当场答复、出具答复单，不受理也不承诺办结日：请删除 {name}",
                        ).bind(name=name),
                    )
                )
    if item.time_limit_placeholder and (item.time_limit_source or "").find(PLACEHOLDER_MARK) < 0:
        add(
            ItemIssue(
                ("time_limit_source",),
                msg("catalog", "时限为暂定值（time_limit_placeholder: true）时，时限依据须写明“{mark}”").bind(
                    mark=PLACEHOLDER_MARK
                ),
            )
        )


def _check_parties(item: ServiceItem, add: _Add) -> set[PartyRole]:
    roles: set[PartyRole] = set()
    for i, party in enumerate(item.parties):
        if party.role in roles:
            add(ItemIssue(("parties", i, "role"), msg("catalog", "角色“{role}”重复声明").bind(role=party.role.value)))
        roles.add(party.role)
        if party.max is not None and party.min > party.max:
            add(
                ItemIssue(
                    ("parties", i, "min"),
                    msg("catalog", "最少人数 {min} 大于最多人数 {max}").bind(min=party.min, max=party.max),
                )
            )
        _check_fields(party.fields, ("parties", i, "fields"), add)
        clash = {f.key for f in party.fields} & {f.key for f in item.fields}
        for j, f in enumerate(party.fields):
            if f.key in clash:
                add(
                    ItemIssue(
                        ("parties", i, "fields", j, "key"),
                        msg("catalog", "当事人字段“{key}”与事项字段重名，请换一个键名").bind(key=f.key),
                    )
                )
    applicant = item.party(PartyRole.APPLICANT)
    if applicant is None:
        add(ItemIssue(("parties",), msg("catalog", "每个事项都要声明申请人（role: applicant），且 min 至少为 1")))
    elif applicant.min < 1:
        index = item.parties.index(applicant)
        add(ItemIssue(("parties", index, "min"), msg("catalog", "申请人的 min 至少为 1")))
    return roles


def _check_fields(fields: tuple[FieldDef, ...], where: Loc, add: _Add) -> set[str]:
    seen: dict[str, FieldDef] = {}
    for i, f in enumerate(fields):
        loc = (*where, i)
        if f.key in seen:
            add(ItemIssue((*loc, "key"), msg("catalog", "字段键名“{key}”重复").bind(key=f.key)))
        _check_constraints(f, loc, add)
        if f.when is not None:
            _check_condition(f.when, seen, (*loc, "when"), add, self_key=f.key)
        seen.setdefault(f.key, f)
    return set(seen)


def _check_constraints(f: FieldDef, loc: Loc, add: _Add) -> None:
    c = f.constraints
    cloc = (*loc, "constraints")
    kind = f.type.value
    if f.type in CHOICE_TYPES:
        if not c.choices:
            add(
                ItemIssue(
                    cloc, msg("catalog", "{type} 类型的字段必须在 constraints.choices 中列出选项").bind(type=kind)
                )
            )
        else:
            values = [ch.value for ch in c.choices]
            for j, v in enumerate(values):
                if v in values[:j]:
                    add(ItemIssue((*cloc, "choices", j, "value"), msg("catalog", "选项值“{value}”重复").bind(value=v)))
    elif c.choices is not None:
        add(ItemIssue((*cloc, "choices"), msg("catalog", "只有 choice、multichoice 类型的字段可以有选项（choices）")))
    if f.type not in RANGE_TYPES:
        for name in ("min", "max"):
            if getattr(c, name) is not None:
                add(
                    ItemIssue(
                        (*cloc, name),
                        msg("catalog", "{name} 只适用于 int、money、multichoice 类型，不适用于 {type}").bind(
                            name=name, type=kind
                        ),
                    )
                )
    if f.type not in TEXT_TYPES:
        for name in ("min_length", "max_length", "pattern"):
            if getattr(c, name) is not None:
                add(
                    ItemIssue(
                        (*cloc, name),
                        msg("catalog", "{name} 只适用于 text、multiline、address 类型，不适用于 {type}").bind(
                            name=name, type=kind
                        ),
                    )
                )
    if c.min is not None and c.max is not None and c.min > c.max:
        add(ItemIssue((*cloc, "min"), msg("catalog", "min {min} 大于 max {max}").bind(min=c.min, max=c.max)))
    if c.min_length is not None and c.max_length is not None and c.min_length > c.max_length:
        add(
            ItemIssue(
                (*cloc, "min_length"),
                msg("catalog", "min_length {min} 大于 max_length {max}").bind(min=c.min_length, max=c.max_length),
            )
        )
    if c.pattern is not None:
        try:
            re.compile(c.pattern)
        except re.error as exc:
            add(
                ItemIssue(
                    (*cloc, "pattern"),
                    msg("catalog", "正则表达式“{pattern}”无效：{error}").bind(pattern=c.pattern, error=str(exc)),
                )
            )


def _check_condition(
    cond: Condition, fields: Mapping[str, FieldDef], loc: Loc, add: _Add, *, self_key: str | None = None
) -> None:
    given = [name for name in ("equals", "in_", "truthy") if getattr(cond, name) is not None]
    if len(given) != 1:
        add(
            ItemIssue(
                loc,
                msg("catalog", "条件必须且只能写 equals、in、truthy 三者之一（现在写了 {count} 个）").bind(
                    count=len(given)
                ),
            )
        )
    if cond.field == self_key:
        add(ItemIssue((*loc, "field"), msg("catalog", "字段“{key}”的显示条件不能引用它自己").bind(key=cond.field)))
        return
    target = fields.get(cond.field)
    if target is None:
        add(
            ItemIssue(
                (*loc, "field"),
                msg("catalog", "条件引用的字段“{key}”不存在（须是在它之前声明的字段），可用：{known}").bind(
                    key=cond.field, known=_join(fields) or "（无）"
                ),
            )
        )
        return
    values: list[tuple[Loc, object]] = []
    if cond.equals is not None:
        values.append(((*loc, "equals"), cond.equals))
    for j, v in enumerate(cond.in_ or ()):
        values.append(((*loc, "in", j), v))
    for vloc, value in values:
        problem = _condition_value_problem(target, value)
        if problem is not None:
            add(ItemIssue(vloc, problem))


def _condition_value_problem(target: FieldDef, value: object) -> Message | None:
    if target.type in CHOICE_TYPES:
        choices = target.choice_values()
        if value not in choices:
            return msg(
                "catalog", "“{value}”不是字段“{key}”的选项，应为 {choices} 之一（YES/NO 之类的值要加引号）"
            ).bind(value=value, key=target.key, choices=_join(choices))
    elif target.type is FieldType.BOOL:
        if not isinstance(value, bool):
            return msg("catalog", "字段“{key}”是 bool 类型，条件值应为 true 或 false").bind(key=target.key)
    elif target.type in (FieldType.INT, FieldType.MONEY):
        if isinstance(value, bool) or not isinstance(value, int):
            return msg("catalog", "字段“{key}”是数值类型，条件值应为整数").bind(key=target.key)
    elif not isinstance(value, str):
        return msg("catalog", "字段“{key}”是文本类型，条件值应为文本（加引号）").bind(key=target.key)
    return None


def _check_materials(item: ServiceItem, roles: set[PartyRole], add: _Add) -> None:
    item_fields = {f.key: f for f in item.fields}
    seen: set[str] = set()
    for i, m in enumerate(item.materials):
        loc: Loc = ("materials", i)
        if m.key in seen:
            add(ItemIssue((*loc, "key"), msg("catalog", "材料键名“{key}”重复").bind(key=m.key)))
        seen.add(m.key)
        available: dict[str, FieldDef] = dict(item_fields)
        applicant = item.party(PartyRole.APPLICANT)
        if m.per_party is None and applicant is not None:
            # A material of the case may depend on the applicant's own fields (e.g. 婚姻状况).
            available.update({f.key: f for f in applicant.fields})
        if m.per_party is not None:
            party = item.party(m.per_party)
            if party is None:
                add(
                    ItemIssue(
                        (*loc, "per_party"),
                        msg("catalog", "材料所属角色“{role}”没有在 parties 中声明，已声明：{known}").bind(
                            role=m.per_party.value, known=_join(p.role.value for p in item.parties)
                        ),
                    )
                )
            else:
                available.update({f.key: f for f in party.fields})
        if isinstance(m.required, Condition):
            _check_condition(m.required, available, (*loc, "required"), add)
        _check_handling(m, loc, add)
        _check_printed_texts(m, loc, add)
    if PartyRole.AGENT in roles and not any(m.per_party is PartyRole.AGENT for m in item.materials):
        add(
            ItemIssue(
                ("materials",),
                msg("catalog", "声明了代理人（agent）的事项须有代理人带来的材料（per_party: agent），至少是委托书"),
            )
        )


def _check_residence(item: ServiceItem, add: _Add) -> None:
    if item.residence_required is None:
        return
    party = item.party(item.residence_party)
    if party is None:
        add(
            ItemIssue(
                ("residence_party",),
                msg("catalog", "户籍核对对象“{role}”没有在 parties 中声明").bind(role=item.residence_party.value),
            )
        )
        return
    hukou = next((f for f in party.fields if f.key == HUKOU_FIELD), None)
    if hukou is None or hukou.type is not FieldType.BOOL or not hukou.required:
        add(
            ItemIssue(
                ("parties", item.parties.index(party), "fields"),
                msg(
                    "catalog",
                    "要求本市户籍的事项，{role}须有必填的 bool 字段“{key}”"
                    "（户籍是窗口录入并核验的事实，不从身份证号推断）",
                ).bind(role=party.role.value, key=HUKOU_FIELD),
            )
        )


def _check_rules(item: ServiceItem, add: _Add) -> None:
    seen: set[RuleName] = set()
    for i, name in enumerate(item.rules):
        loc: Loc = ("rules", i)
        if name in seen:
            add(ItemIssue(loc, msg("catalog", "规则“{rule}”重复").bind(rule=name.value)))
            continue
        seen.add(name)
        needs = RULE_NEEDS.get(name, RuleNeeds())
        for role in sorted(needs.roles):
            if item.party(role) is None:
                add(
                    ItemIssue(
                        loc, msg("catalog", "规则“{rule}”需要声明角色“{role}”").bind(rule=name.value, role=role.value)
                    )
                )
        for need in needs.fields:
            _check_field_need(item, name, need, loc, add)
        names = {a.name for a in item.amounts}
        for amount in sorted(needs.amounts - names):
            add(ItemIssue(loc, msg("catalog", "规则“{rule}”需要金额“{amount}”").bind(rule=name.value, amount=amount)))
        if needs.age_bands and not any(a.age_min is not None for a in item.amounts):
            add(
                ItemIssue(
                    loc, msg("catalog", "规则“{rule}”需要按年龄段的金额（age_min/age_max）").bind(rule=name.value)
                )
            )


def _check_field_need(item: ServiceItem, rule: RuleName, need: FieldNeed, loc: Loc, add: _Add) -> None:
    if need.role is None:
        found = item.field(need.key)
    else:
        party = item.party(need.role)
        found = next((f for f in party.fields if f.key == need.key), None) if party else None
    owner = "事项" if need.role is None else need.role.value
    if found is None or found.type is not need.type:
        add(
            ItemIssue(
                loc,
                msg("catalog", "规则“{rule}”需要{owner}字段“{key}”，类型 {type}").bind(
                    rule=rule.value, owner=owner, key=need.key, type=need.type.value
                ),
            )
        )
        return
    if need.values is not None:
        unknown = [v for v in found.choice_values() if v not in need.values]
        if unknown:
            add(
                ItemIssue(
                    loc,
                    msg("catalog", "规则“{rule}”不认识字段“{key}”的选项 {unknown}，可用的选项值：{known}").bind(
                        rule=rule.value, key=need.key, unknown=_join(unknown), known=_join(sorted(need.values))
                    ),
                )
            )


def _check_amounts(item: ServiceItem, add: _Add) -> None:
    last: dict[str, DatedAmount] = {}
    for i, a in enumerate(item.amounts):
        loc: Loc = ("amounts", i)
        prev = last.get(a.name)
        if prev is not None:
            if a.effective_from <= prev.effective_from:
                add(
                    ItemIssue(
                        (*loc, "effective_from"),
                        msg(
                            "catalog", "金额“{name}”的生效日期须按时间先后排列且不重复：{date} 不晚于上一条的 {prev}"
                        ).bind(name=a.name, date=a.effective_from, prev=prev.effective_from),
                    )
                )
            if a.unit != prev.unit:
                add(
                    ItemIssue(
                        (*loc, "unit"),
                        msg("catalog", "金额“{name}”的单位前后不一致：{unit} 与 {prev}").bind(
                            name=a.name, unit=a.unit, prev=prev.unit
                        ),
                    )
                )
        last[a.name] = a
        if a.age_min is not None and a.age_max is not None and a.age_min > a.age_max:
            add(
                ItemIssue(
                    (*loc, "age_min"),
                    msg("catalog", "age_min {min} 大于 age_max {max}").bind(min=a.age_min, max=a.age_max),
                )
            )
        if a.age_max is not None and a.age_min is None:
            add(ItemIssue((*loc, "age_min"), msg("catalog", "写了 age_max 就要写 age_min")))


#: The catalog authors' marks: they belong in a material's ``note`` or the item's ``notes``, never in a text that is
#: printed for the citizen (a material's name and standard reach the receipt and the 补正 notice).
AUTHOR_MARKS = (PLACEHOLDER_MARK, "本地暂定", "未找到", "示例")


def _check_printed_texts(m: Material, loc: Loc, add: _Add) -> None:
    for key in ("name", "standard"):
        text = getattr(m, key).zh
        mark = next((mark for mark in AUTHOR_MARKS if mark in text), None)
        if mark is not None:
            add(
                ItemIssue(
                    (*loc, key, "zh"),
                    msg(
                        "catalog",
                        "材料的名称和标准会印在回执和补正通知书上，不能写“{mark}”之类的备注；"
                        "暂定、未找到的说明请写在材料的 note 中",
                    ).bind(mark=mark),
                )
            )


def _check_handling(m: Material, loc: Loc, add: _Add) -> None:
    """A copy is never handed back; an e-licence check replaces a certificate shown, not a paper the centre keeps."""
    if m.form is MaterialForm.COPY and m.handling in (MaterialHandling.RETURN, MaterialHandling.COPY):
        add(
            ItemIssue(
                (*loc, "handling"),
                msg(
                    "catalog",
                    "复印件（form: copy）由中心收取，handling 应为 keep 或不写；"
                    "原件核验后退还的材料请写 form: original",
                ),
            )
        )
    if not m.e_license:
        return
    if m.form is MaterialForm.ELECTRONIC:
        add(
            ItemIssue(
                (*loc, "e_license"),
                msg(
                    "catalog",
                    "电子材料（form: electronic）本身就是电子的，不必再标 e_license；"
                    "e_license 用于可电子证照核验、免交纸质的证照",
                ),
            )
        )
    elif m.form is MaterialForm.ORIGINAL and m.handled() is MaterialHandling.KEEP:
        add(
            ItemIssue(
                (*loc, "e_license"),
                msg(
                    "catalog",
                    "由中心收取的原件（如申请表、委托书、照片）不能用电子证照代替；"
                    "证照类材料请写 handling: return 或 copy 再标 e_license: true",
                ),
            )
        )


#: The law only a 行政许可 may cite (issue 13: benefits are 行政给付, not licences).
LICENSING_LAW = "行政许可法"


def _check_basis(basis: LegalBasis, item: ServiceItem, loc: Loc, add: _Add) -> None:
    if basis.article is not None and basis.doc_no is None and basis.url is None:
        add(
            ItemIssue(
                (*loc, "article"),
                msg(
                    "catalog",
                    "写了条款（article）的依据须写出处：文号 doc_no 或原文网址 url；找不到出处时不写条款，只写依据名称",
                ),
            )
        )
    if basis.verified and basis.url is None:
        add(
            ItemIssue(
                (*loc, "verified"),
                msg(
                    "catalog",
                    "已核实（verified: true）的依据须写所见官方原文的网址 url；"
                    "未见原文请写 verified: false 并在 note 中说明",
                ),
            )
        )
    if LICENSING_LAW in basis.title and item.nature is not LegalNature.LICENSING:
        nature = item.nature.value if item.nature is not None else "未写"
        add(
            ItemIssue(
                (*loc, "title"),
                msg(
                    "catalog",
                    "事项性质为“{nature}”，不能以《行政许可法》为依据（只有行政许可事项可以引用）；请写本事项自己的政策依据，"
                    "没有可引用的依据时留空（文书写“根据有关规定”）",
                ).bind(nature=nature),
            )
        )


def _check_legal_basis(item: ServiceItem, add: _Add) -> None:
    for i, basis in enumerate(item.legal_basis):
        _check_basis(basis, item, ("legal_basis", i), add)


_POLICY_ZH: Mapping[str, str] = {"tolerated": "容缺受理", "first_aid": "先行救助"}


def _check_owed_policy(item: ServiceItem, name: str, add: _Add) -> None:
    policy: AcceptWithMaterialsOwed | None = getattr(item, name)
    if policy is None:
        return
    what = _POLICY_ZH[name]
    if item.kind is not Kind.APPLICATION:
        add(
            ItemIssue(
                (name,),
                msg("catalog", "{what}只适用于受理类事项（kind: application）").bind(what=what),
            )
        )
    if name == "first_aid" and item.category is not Category.SOCIAL_ASSISTANCE:
        add(
            ItemIssue(
                (name,),
                msg("catalog", "先行救助只适用于社会救助类事项（如临时救助），本事项类别为“{category}”").bind(
                    category=item.category.value
                ),
            )
        )
    by_key = {m.key: m for m in item.materials}
    for j, key in enumerate(policy.materials):
        loc: Loc = (name, "materials", j)
        material = by_key.get(key)
        if key in policy.materials[:j]:
            add(ItemIssue(loc, msg("catalog", "材料“{key}”重复").bind(key=key)))
        elif material is None:
            add(
                ItemIssue(
                    loc,
                    msg("catalog", "{what}的材料“{key}”不在本事项的材料（materials）中，可用：{known}").bind(
                        what=what, key=key, known=_join(by_key) or "（无）"
                    ),
                )
            )
        elif material.required is False:
            add(
                ItemIssue(
                    loc,
                    msg("catalog", "材料“{key}”不是必需材料，缺少它本来就不影响受理，不必列入{what}").bind(
                        key=key, what=what
                    ),
                )
            )
    if policy.when is not None:
        _check_condition(policy.when, {f.key: f for f in item.fields}, (name, "when"), add)
    basis_loc: Loc = (name, "basis")
    if policy.basis.doc_no is None and policy.basis.url is None:
        add(
            ItemIssue(
                basis_loc,
                msg(
                    "catalog",
                    "{what}须有可查的依据：依据（basis）须写文号 doc_no 或网址 url，找不到依据的事项不开启{what}",
                ).bind(what=what),
            )
        )
    _check_basis(policy.basis, item, basis_loc, add)
