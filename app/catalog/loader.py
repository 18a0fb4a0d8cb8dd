"""Reading catalog files (one YAML file per item) into validated items, with the file, line and problem of every error.

The YAML text is composed to nodes first (PyYAML's ``SafeLoader``), so every node keeps its position; a pydantic
error location such as ``("fields", 3, "type")`` or a cross-check location from
:func:`app.catalog.schema.check_item` is walked down the node tree to the line of the offending value.  YAML
syntax errors carry their own position.  Every problem says what is expected.

A broken file never stops the counter: :func:`load_catalog_dir` returns the good items and the problems and never
raises; the caller (the catalog-version store) falls back to the last good version of an item whose file broke.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.catalog.schema import (
    CHOICE_VALUE_PATTERN,
    CODE_PATTERN,
    KEY_PATTERN,
    UNION_TAGS,
    Loc,
    ServiceItem,
    Status,
    canonical_json,
    check_item,
)
from app.errors import CatalogError
from app.i18n import Message, Translator, msg

log = logging.getLogger("yimen.catalog")

#: File name patterns of catalog files in a folder.
CATALOG_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CatalogProblem:
    """One problem in one catalog file.

    Attributes:
        path: the file as the caller named it.
        line: 1-based line, or None when the problem concerns the whole file (unreadable, not UTF-8 …).
        column: 1-based column, or None.
        message: what is wrong and what is expected.
        where: the position inside the item as YAML keys (``fields[3].type``), or empty.
    """

    path: str
    line: int | None
    column: int | None
    message: Message
    where: str = ""

    def as_message(self, translate: Translator | None = None) -> Message:
        """Return the whole sentence as a message: ``文件 PATH 第 N 行：MESSAGE（位置 WHERE）``."""
        problem = self.message.render(translate)
        if self.where:
            problem = (
                msg("catalog", "{problem}（位置 {where}）").bind(problem=problem, where=self.where).render(translate)
            )
        if self.line is None:
            return msg("catalog", "文件 {path}：{problem}").bind(path=self.path, problem=problem)
        return msg("catalog", "文件 {path} 第 {line} 行：{problem}").bind(
            path=self.path, line=self.line, problem=problem
        )

    def render(self, translate: Translator | None = None) -> str:
        """Return the sentence for people (translated when ``translate`` is given)."""
        return self.as_message(translate).render(translate)

    def __str__(self) -> str:
        return self.render()


class CatalogFileError(CatalogError):
    """A catalog file cannot be loaded; ``problems`` lists every problem found (at least one).

    A subclass of :class:`app.errors.CatalogError` (code ``"catalog"``), so callers may catch either.
    """

    def __init__(self, problems: Sequence[CatalogProblem]) -> None:
        first = problems[0]
        if len(problems) == 1:
            message = first.as_message()
        else:
            message = msg("catalog", "{problem}（另有 {more} 处问题）").bind(
                problem=first.render(), more=len(problems) - 1
            )
        super().__init__(message)
        self.problems: list[CatalogProblem] = list(problems)


@dataclass(frozen=True)
class LoadedItem:
    """A validated item with the file it came from and its identity.

    Attributes:
        item: the validated model.
        path: the file as the caller named it.
        canonical_json: canonical JSON of the model (sorted keys, no whitespace variance, not ASCII-escaped);
            what the database stores so that a record's item version stays readable after the file changes.
        sha256: hex SHA-256 of ``canonical_json``'s UTF-8 bytes: identifies the item version.
    """

    item: ServiceItem
    path: str
    canonical_json: str
    sha256: str

    @classmethod
    def from_item(cls, item: ServiceItem, *, path: str) -> LoadedItem:
        """Wrap an already validated item (e.g. one read back from the database)."""
        text = canonical_json(item)
        return cls(item, path, text, hashlib.sha256(text.encode("utf-8")).hexdigest())


@dataclass
class CatalogLoad:
    """The result of loading several files.

    Attributes:
        items: the good items by code.
        problems: every problem of every bad file, in file order.
        files: how many files were read.
    """

    items: dict[str, LoadedItem] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)
    files: int = 0


# ---------------------------------------------------------------------------------------------------- single file


def load_item_text(text: str, *, path: str) -> LoadedItem:
    """Parse and validate one catalog file's text.

    Args:
        text: the file's text.
        path: how to name the file in problems (and :attr:`LoadedItem.path`).

    Returns:
        The loaded item.

    Raises:
        CatalogFileError: (a :class:`~app.errors.CatalogError`) with ``.problems``, one per problem found.
    """
    item, problems = _parse(text, path)
    if item is None:
        raise CatalogFileError(problems)
    return LoadedItem.from_item(item, path=path)


def load_item_bytes(data: bytes, *, path: str) -> LoadedItem:
    """Like :func:`load_item_text`, for the raw bytes of a file (must be UTF-8; a BOM is allowed)."""
    text, problem = _decode(data, path)
    if problem is not None:
        raise CatalogFileError([problem])
    return load_item_text(text, path=path)


def _decode(data: bytes, path: str) -> tuple[str, CatalogProblem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return "", CatalogProblem(
            path,
            line,
            column,
            msg(
                "catalog", "文件不是 UTF-8 编码（第 {column} 列的字节 0x{byte} 无法识别）；请用 UTF-8 编码另存此文件"
            ).bind(column=column, byte=f"{data[exc.start]:02X}"),
        )


# libyaml's parser when PyYAML was built with it (Linux and Windows wheels are): about 5× faster at start-up.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader, except that an impossible date (``2025-02-30``) stays text.

    PyYAML raises a bare ``ValueError`` without a position for such a timestamp; kept as text, the model reports
    it at its line ("应为日期").
    """


def _timestamp(loader: yaml.SafeLoader, node: Node) -> object:
    assert isinstance(node, ScalarNode)  # the resolver tags only scalars as timestamps
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _parse(text: str, path: str) -> tuple[ServiceItem | None, list[CatalogProblem]]:
    """Return the item or the problems (never both)."""
    if not text.strip():
        return None, [
            CatalogProblem(path, 1, 1, msg("catalog", "文件是空的；应是一个事项的 YAML 定义（从 schema: 1 开始）"))
        ]
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, [
                CatalogProblem(path, 1, 1, msg("catalog", "文件只有注释，没有内容；应是一个事项的 YAML 定义"))
            ]
        problems = [_problem_at(path, node, message) for node, message in _duplicate_keys(root)]
        if problems:
            return None, problems
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(path, exc)]
    except yaml.YAMLError as exc:  # unmarked errors (rare: e.g. a reader error without position)
        return None, [CatalogProblem(path, None, None, msg("catalog", "YAML 格式错误：{detail}").bind(detail=str(exc)))]
    finally:
        loader.dispose()

    if not isinstance(data, dict):
        return None, [
            _problem_at(
                path, root, msg("catalog", "文件的顶层应是“键: 值”的映射（从 schema: 1 开始），而不是列表或单个值")
            )
        ]
    try:
        item = ServiceItem.model_validate(data, context={"cross_checks": False})
    except pydantic.ValidationError as exc:
        return None, _validation_problems(path, root, exc)
    issues = check_item(item)
    if issues:
        return None, [_problem_at(path, _node_at(root, issue.loc)[0], issue.message, loc=issue.loc) for issue in issues]
    return item, []


# ---------------------------------------------------------------------------------------------------- YAML positions

_SYNTAX_HINTS: tuple[tuple[str, Message], ...] = (
    # Needles match both PyYAML's pure-Python wording and libyaml's (CSafeLoader).
    ("found character '\\t'", msg("catalog", "不能用 Tab 缩进，请改用空格")),
    ("found a tab character", msg("catalog", "不能用 Tab 缩进，请改用空格")),
    (
        "mapping values are not allowed",
        msg("catalog", "此处不能出现“键: 值”：检查上一行的缩进和冒号，值中含冒号时请加引号"),
    ),
    ("could not find expected ':'", msg("catalog", "缺少冒号“:”，或缩进不一致")),
    ("did not find expected key", msg("catalog", "缩进不一致，或列表项“-”与键混在同一层")),
    ("found undefined alias", msg("catalog", "引用了未定义的锚点（*别名）")),
    ("found unexpected end of stream", msg("catalog", "文件意外结束：引号或括号没有闭合")),
    ("expected a single document", msg("catalog", "一个文件只能有一个事项（不要用 --- 分隔多个文档）")),
)


def _syntax_problem(path: str, exc: yaml.MarkedYAMLError) -> CatalogProblem:
    mark = exc.problem_mark or exc.context_mark
    detail = " ".join(part for part in (exc.context, exc.problem) if part)
    hint = next((hint for needle, hint in _SYNTAX_HINTS if needle in detail), None)
    if hint is None:
        message = msg("catalog", "YAML 语法错误（{detail}）").bind(detail=detail or str(exc))
    else:
        message = msg("catalog", "YAML 语法错误：{hint}（{detail}）").bind(hint=hint.render(), detail=detail)
    if mark is None:
        return CatalogProblem(path, None, None, message)
    return CatalogProblem(path, mark.line + 1, mark.column + 1, message)


def _duplicate_keys(node: Node) -> Iterator[tuple[Node, Message]]:
    """Yield every repeated key (PyYAML would silently keep the last one)."""
    if isinstance(node, MappingNode):
        seen: dict[object, Node] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    first = seen[key_node.value]
                    yield (
                        key_node,
                        msg("catalog", "键“{key}”重复（第 {first} 行已有）；同一层的键只能出现一次").bind(
                            key=key_node.value, first=first.start_mark.line + 1
                        ),
                    )
                else:
                    seen[key_node.value] = key_node
            yield from _duplicate_keys(value_node)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            yield from _duplicate_keys(child)


def _node_at(root: Node, loc: Loc) -> tuple[Node, bool]:
    """Walk ``loc`` down from ``root``; return the deepest node reached and whether the whole path was found.

    For a key that is present the value node is returned, except for a key reported as not allowed (the caller
    passes its location; see :func:`_key_node_at`).  Union tags pydantic adds to locations are skipped.
    """
    node = root
    for part in loc:
        if isinstance(part, int):
            if isinstance(node, SequenceNode) and 0 <= part < len(node.value):
                node = node.value[part]
                continue
            return node, False
        if isinstance(node, MappingNode):
            value = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part), None)
            if value is not None:
                node = value
                continue
        if part in UNION_TAGS:
            continue
        return node, False
    return node, True


def _key_node_at(root: Node, loc: Loc) -> Node:
    """Return the key node for the last element of ``loc`` (where an unknown key is written)."""
    parent, _ = _node_at(root, loc[:-1])
    if isinstance(parent, MappingNode):
        for key_node, _value in parent.value:
            if isinstance(key_node, ScalarNode) and key_node.value == loc[-1]:
                return key_node
    return parent


def _problem_at(path: str, node: Node, message: Message, *, loc: Loc = ()) -> CatalogProblem:
    return CatalogProblem(path, node.start_mark.line + 1, node.start_mark.column + 1, message, _loc_text(loc))


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in UNION_TAGS:
            out += f".{part}" if out else part
    return out


# ---------------------------------------------------------------------------------------------------- pydantic errors

#: Chinese names of YAML keys, for messages ("字段类型“nmber”无效…").
_KEY_NAMES: Mapping[str, str] = {
    "schema": "格式版本 schema",
    "code": "事项代码",
    "version": "版本号",
    "status": "状态",
    "effective_from": "生效日期",
    "retired_from": "退出日期",
    "name": "名称",
    "short_name": "简称",
    "category": "类别",
    "department": "部门",
    "co_departments": "协办部门",
    "kind": "事项类型",
    "citywide": "全市通办",
    "residence_required": "户籍要求",
    "residence_party": "户籍核对对象",
    "promised_days": "承诺时限",
    "legal_days": "法定时限",
    "time_limit_source": "时限依据",
    "time_limit_placeholder": "时限是否暂定",
    "parties": "当事人",
    "role": "角色",
    "min": "最小值",
    "max": "最大值",
    "label": "标签",
    "fields": "字段",
    "key": "键名",
    "type": "字段类型",
    "required": "是否必需",
    "constraints": "约束",
    "min_length": "最少字数",
    "max_length": "最多字数",
    "pattern": "格式（正则表达式）",
    "choices": "选项",
    "value": "选项值",
    "help": "说明",
    "when": "显示条件",
    "field": "条件字段",
    "equals": "条件值 equals",
    "in": "条件值 in",
    "truthy": "条件 truthy",
    "materials": "材料",
    "form": "材料形式",
    "count": "份数",
    "standard": "材料标准",
    "per_party": "材料所属角色",
    "note": "说明",
    "rules": "规则",
    "amounts": "金额",
    "fen": "金额（分）",
    "unit": "单位",
    "source": "依据",
    "age_min": "起始年龄",
    "age_max": "截止年龄",
    "sources": "依据来源",
    "title": "标题",
    "url": "网址",
    "doc_no": "文号",
    "third_party": "是否第三方来源",
    "notes": "备注",
    "effective_from_source": "生效日期依据",
    "effective_from_placeholder": "生效日期是否暂定",
    "handling": "材料处理方式",
    "e_license": "可电子证照核验",
    "nature": "事项性质",
    "legal_basis": "政策依据",
    "article": "条款",
    "verified": "是否已核实原文",
    "review_body": "复议机关",
    "court": "人民法院",
    "tolerated": "容缺受理",
    "first_aid": "先行救助",
    "days": "补齐期限（工作日）",
    "basis": "依据",
    "zh": "中文",
    "en": "英文",
}

_PATTERN_HINTS: Mapping[str, Message] = {
    CODE_PATTERN: msg(
        "catalog",
        "事项代码应形如 MZ-SHJZ-001：2–4 个大写字母（部门），再接 1–3 段“-”加 2–6 个大写字母或数字",
    ),
    KEY_PATTERN: msg(
        "catalog", "键名只能用小写英文字母、数字和下划线，以字母开头，最多 40 个字符（字段键名会成为界面控件名）"
    ),
    CHOICE_VALUE_PATTERN: msg("catalog", "选项值只能用小写英文字母、数字和下划线，最多 40 个字符（中文写在 zh 中）"),
}


def _key_name(loc: Loc) -> str:
    """The Chinese name of the key at the end of ``loc`` (list indexes and union tags skipped)."""
    for part in reversed(loc):
        if isinstance(part, str) and part not in UNION_TAGS:
            if part == "type" and "fields" not in loc:
                return "类型"
            if part == "rules" or (len(loc) >= 2 and loc[-2] == "rules"):
                return "规则"
            return _KEY_NAMES.get(part, f"“{part}”")
    return "文件"


def _expected_list(ctx: Mapping[str, Any] | None) -> str:
    expected = str((ctx or {}).get("expected", ""))
    values = re.findall(r"'([^']*)'", expected) or re.findall(r"\b(\w+)\b", expected)
    return "、".join(values)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if value is None:
        return "空值"
    return type(value).__name__


def _message_for(error: Mapping[str, Any]) -> Message:
    """Translate one pydantic error into a Chinese sentence that says what is expected."""
    kind: str = error["type"]
    loc: Loc = tuple(error["loc"])
    ctx: Mapping[str, Any] | None = error.get("ctx")
    value = error.get("input")
    what = _key_name(loc)
    if kind == "missing":
        return msg("catalog", "缺少必填的键“{key}”（{what}）").bind(key=_loc_text(loc[-1:]) or "?", what=what)
    if kind == "extra_forbidden":
        return msg("catalog", "不认识的键“{key}”（拼写错误？）；此处可用的键：{known}").bind(
            key=loc[-1] if loc else "?", known=_allowed_keys(loc[:-1]) or "（见 resources/catalog/README.md）"
        )
    if kind in ("enum", "literal_error"):
        return msg("catalog", "{what}“{value}”无效，应为 {expected} 之一").bind(
            what=what, value=_show(value), expected=_expected_list(ctx)
        )
    if kind == "string_type":
        if isinstance(value, bool):
            return msg(
                "catalog", "{what}应为文本，这里被读成了真假值 {value}（YAML 会把 yes/no/on/off 读成真假值，请加引号）"
            ).bind(what=what, value=str(value).lower())
        return msg("catalog", "{what}应为文本，这里是{type}").bind(what=what, type=_type_name(value))
    if kind == "string_pattern_mismatch":
        pattern = str((ctx or {}).get("pattern", ""))
        hint = _PATTERN_HINTS.get(pattern)
        if hint is not None:
            return msg("catalog", "“{value}”格式不对：{hint}").bind(value=_show(value), hint=hint.render())
        return msg("catalog", "{what}“{value}”格式不对，应符合 {pattern}").bind(
            what=what, value=_show(value), pattern=pattern
        )
    if kind == "string_too_short":
        return msg("catalog", "{what}不能为空").bind(what=what)
    if kind == "string_too_long":
        return msg("catalog", "{what}太长，最多 {max} 个字符").bind(what=what, max=(ctx or {}).get("max_length"))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return msg("catalog", "{what}应为整数，这里是“{value}”").bind(what=what, value=_show(value))
    if kind in ("bool_type", "bool_parsing"):
        return msg("catalog", "{what}应为 true 或 false，这里是“{value}”").bind(what=what, value=_show(value))
    if kind.startswith("date") or kind.startswith("datetime"):
        return msg("catalog", "{what}应为日期，格式 YYYY-MM-DD（如 2025-07-01），这里是“{value}”").bind(
            what=what, value=_show(value)
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = (ctx or {}).get("ge", (ctx or {}).get("gt", (ctx or {}).get("le", (ctx or {}).get("lt"))))
        relation = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        return msg("catalog", "{what}应 {relation} {bound}，这里是 {value}").bind(
            what=what, relation=relation, bound=bound, value=_show(value)
        )
    if kind in ("too_short", "too_long"):
        size = (ctx or {}).get("min_length" if kind == "too_short" else "max_length")
        if kind == "too_short":
            return msg("catalog", "{what}至少要有 {size} 项").bind(what=what, size=size)
        return msg("catalog", "{what}最多 {size} 项").bind(what=what, size=size)
    if kind in ("list_type", "tuple_type"):
        return msg("catalog", "{what}应为列表（每项以“- ”开头），这里是{type}").bind(what=what, type=_type_name(value))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return msg("catalog", "{what}应为“键: 值”的映射，这里是{type}").bind(what=what, type=_type_name(value))
    if kind == "union_tag_invalid":
        return msg("catalog", "{what}的值无效").bind(what=what)
    return msg("catalog", "{what}的值无效：{detail}").bind(what=what, detail=str(error.get("msg", kind)))


def _allowed_keys(loc: Loc) -> str:
    """The keys allowed in the mapping at ``loc`` (walking the models' annotations)."""
    model: Any = ServiceItem
    for part in loc:
        if isinstance(part, int) or part in UNION_TAGS:
            continue
        info = _field_by_key(model, part)
        if info is None:
            return ""
        model = _inner_model(info.annotation)
        if model is None:
            return ""
    return "、".join(f.alias or name for name, f in model.model_fields.items())


def _field_by_key(model: Any, key: str) -> Any:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside ``X``, ``X | None``, ``tuple[X, ...]``, ``Annotated[...]`` …, or None."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def _validation_problems(path: str, root: Node, exc: pydantic.ValidationError) -> list[CatalogProblem]:
    problems: list[CatalogProblem] = []
    seen_nodes: set[int] = set()
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            node = _key_node_at(root, loc)
            parent, _ = _node_at(root, loc[:-1])
            if isinstance(parent, MappingNode) and parent.flow_style:
                message = msg(
                    "catalog",
                    '不认识的键“{key}”：花括号 {{…}} 里的英文逗号会把值拆开，含逗号的值请加引号，如 en: "a, b"',
                ).bind(key=loc[-1])
                problems.append(_problem_at(path, node, message, loc=loc))
                continue
        else:
            node, found = _node_at(root, loc)
            # A union reports one error per alternative for the same value: keep the first.
            if found and id(node) in seen_nodes:
                continue
            seen_nodes.add(id(node))
        problems.append(_problem_at(path, node, _message_for(error), loc=loc))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


# ---------------------------------------------------------------------------------------------------- folders


def catalog_files(folder: Path) -> list[Path]:
    """The catalog files directly in ``folder``, sorted by name (hidden files skipped)."""
    return sorted(
        p for p in folder.iterdir() if p.suffix in CATALOG_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def load_catalog_dir(folder: Path) -> CatalogLoad:
    """Load every ``*.yaml``/``*.yml`` file directly in ``folder``.  Never raises for a bad file or folder.

    A file that cannot be read, is not UTF-8, is empty, is not valid YAML or does not validate contributes its
    problems and no item.  When two files carry the same ``code``, the one with the higher ``version`` is kept
    (on a tie, the first by file name) and the other is reported.

    Args:
        folder: e.g. ``resource_path("catalog", "items")``.

    Returns:
        The good items by code and every problem.
    """
    try:
        files = catalog_files(folder)
    except OSError as exc:
        return CatalogLoad(
            problems=[
                CatalogProblem(
                    str(folder),
                    None,
                    None,
                    msg("catalog", "无法读取事项目录：{error}").bind(error=exc.strerror or str(exc)),
                )
            ]
        )
    return load_catalog_files(files)


def load_catalog_files(files: Iterable[Path]) -> CatalogLoad:
    """Load the given files as one catalog (duplicate codes across them are reported).  Never raises."""
    result = CatalogLoad()
    by_code: dict[str, list[LoadedItem]] = {}
    for file in files:
        result.files += 1
        path = str(file)
        try:
            data = file.read_bytes()
        except OSError as exc:
            result.problems.append(
                CatalogProblem(
                    path, None, None, msg("catalog", "无法读取文件：{error}").bind(error=exc.strerror or str(exc))
                )
            )
            continue
        try:
            loaded = load_item_bytes(data, path=path)
        except CatalogFileError as exc:
            result.problems.extend(exc.problems)
            continue
        except Exception:  # a bug must not stop the counter: log it, report the file, go on
            log.exception("unexpected error loading catalog file %s", path)
            result.problems.append(
                CatalogProblem(path, None, None, msg("catalog", "读取时发生内部错误，已记入日志；请通知信息员"))
            )
            continue
        by_code.setdefault(loaded.item.code, []).append(loaded)
    for code, candidates in by_code.items():
        # The highest version wins; on a tie, the first file by name (max() keeps the first maximum).
        winner = max(candidates, key=lambda li: li.item.version)
        result.items[code] = winner
        for loser in candidates:
            if loser is winner:
                continue
            result.problems.append(
                CatalogProblem(
                    loser.path,
                    _code_line(loser),
                    None,
                    msg(
                        "catalog",
                        "事项代码 {code} 与文件 {other} 重复（代码必须唯一）；"
                        "已采用 {other} 中的 v{version}，本文件未载入",
                    ).bind(code=code, other=winner.path, version=winner.item.version),
                )
            )
    return result


def _code_line(loaded: LoadedItem) -> int:
    """The line of ``code:`` in a file that loaded (for duplicate-code problems)."""
    try:
        data = Path(loaded.path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    for number, text in enumerate(data.splitlines(), start=1):
        if re.match(r"^code\s*:", text):
            return number
    return 1


# ---------------------------------------------------------------------------------------------------- the CLI side


def validate_paths(paths: Sequence[Path]) -> tuple[list[str], int]:
    """Check catalog files and folders for ``yimen catalog validate PATH…``.

    Folders contribute their ``*.yaml``/``*.yml`` files; everything given is checked as one catalog, so a
    duplicate ``code`` across the files is reported.

    Args:
        paths: files and/or folders.

    Returns:
        The lines to print (Chinese: ``✓ 文件名：代码 名称 v版本`` for a good file, ``✗ …`` for each problem, then
        a summary) and the exit code: 0 when every file is good, 1 otherwise.
    """
    lines: list[str] = []
    files: list[Path] = []
    missing = 0
    for path in paths:
        if path.is_dir():
            try:
                files.extend(catalog_files(path))
            except OSError as exc:
                missing += 1
                lines.append(
                    "✗ " + msg("catalog", "无法读取目录 {path}：{error}").bind(path=str(path), error=str(exc)).render()
                )
        elif path.exists():
            files.append(path)
        else:
            missing += 1
            lines.append("✗ " + msg("catalog", "路径不存在：{path}").bind(path=str(path)).render())
    if not files and not missing:
        lines.append("✗ " + msg("catalog", "没有找到事项文件（*.yaml、*.yml）").render())
    load = load_catalog_files(files)
    by_path = {li.path: li for li in load.items.values()}
    bad_files: set[str] = set()
    problems_by_path: dict[str, list[CatalogProblem]] = {}
    for problem in load.problems:
        problems_by_path.setdefault(problem.path, []).append(problem)
        bad_files.add(problem.path)
    for file in files:
        name = str(file)
        loaded = by_path.get(name)
        if loaded is not None and name not in bad_files:
            item = loaded.item
            retired = "（已退出）" if item.status is Status.RETIRED else ""
            lines.append(
                "✓ "
                + msg("catalog", "{file}：{code} {name} v{version}{retired}")
                .bind(file=file.name, code=item.code, name=item.name.zh, version=item.version, retired=retired)
                .render()
            )
        for problem in problems_by_path.pop(name, []):
            lines.append("✗ " + problem.render())
    for leftover in problems_by_path.values():
        lines.extend("✗ " + p.render() for p in leftover)
    good = len(files) - len(bad_files)
    lines.append(
        msg("catalog", "共检查 {total} 个文件：{good} 个通过，{bad} 个有问题")
        .bind(total=len(files), good=good, bad=len(bad_files))
        .render()
    )
    return lines, 0 if not bad_files and not missing and files else 1
