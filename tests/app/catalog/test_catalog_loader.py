"""The loader: every problem with its file, line and a Chinese sentence that says what is expected."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.catalog.loader import (
    CatalogFileError,
    CatalogProblem,
    LoadedItem,
    load_catalog_dir,
    load_item_bytes,
    load_item_text,
    validate_paths,
)
from app.catalog.schema import ServiceItem
from app.errors import CatalogError
from app.i18n import msg

DATA = Path(__file__).resolve().parent / "data"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def problems_of(text: str) -> list[CatalogProblem]:
    with pytest.raises(CatalogFileError) as info:
        load_item_text(text, path="items/x.yaml")
    assert info.value.problems
    return info.value.problems


def only_problem(text: str) -> CatalogProblem:
    problems = problems_of(text)
    assert len(problems) == 1, [p.render() for p in problems]
    return problems[0]


# ---------------------------------------------------------------------------------------------------- good files


def test_valid_item_loads(valid_item: LoadedItem) -> None:
    item = valid_item.item
    assert item.code == "TS-TEST-001"
    assert item.version == 3
    assert valid_item.path == "valid_item.yaml"


def test_canonical_json_is_canonical_and_round_trips(valid_item: LoadedItem, valid_text: str) -> None:
    text = valid_item.canonical_json
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "测试事项" in text  # not ASCII-escaped
    assert valid_item.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    again = ServiceItem.from_canonical_json(text)
    assert again == valid_item.item
    assert again.canonical_json() == text
    # The same content with other formatting and comments has the same identity.
    reformatted = "# a comment\n" + valid_text.replace(
        "name: {zh: 测试事项, en: Test item}", "name:\n  zh: 测试事项\n  en: Test item"
    )
    assert load_item_text(reformatted, path="other.yaml").sha256 == valid_item.sha256
    # Any change of content changes it.
    assert load_item_text(valid_text.replace("version: 3", "version: 4"), path="v.yaml").sha256 != valid_item.sha256


def test_load_item_bytes_accepts_a_bom(valid_text: str, valid_item: LoadedItem) -> None:
    loaded = load_item_bytes(b"\xef\xbb\xbf" + valid_text.encode("utf-8"), path="bom.yaml")
    assert loaded.sha256 == valid_item.sha256


def test_model_validation_alone_runs_the_cross_checks(valid_item: LoadedItem) -> None:
    data = json.loads(valid_item.canonical_json)
    data["promised_days"] = 30
    with pytest.raises(ValueError, match="承诺时限"):
        ServiceItem.model_validate(data)


# ---------------------------------------------------------------------------------------------------- broken files


def test_yaml_syntax_error_has_its_line(valid_text: str) -> None:
    text = valid_text.replace("name: {zh: 测试事项, en: Test item}", "name: {zh: 测试事项, en: [Test item}")
    problem = only_problem(text)
    assert problem.line is not None
    assert problem.line >= line_of(text, "name: {zh: 测试事项")
    assert problem.render().startswith("文件 items/x.yaml 第 ")
    assert "YAML 语法错误" in problem.render()


def test_tab_indentation_is_explained() -> None:
    problem = only_problem("schema: 1\ncode: AB-CD\n\tversion: 1\n")
    assert problem.line == 3
    assert "Tab" in problem.message.render()


def test_unknown_field_type_names_the_expected_types(valid_text: str) -> None:
    text = valid_text.replace("    type: int\n", "    type: nmber\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "type: nmber")
    rendered = problem.render()
    assert f"第 {problem.line} 行" in rendered
    assert "字段类型“nmber”无效，应为 text、multiline、int" in rendered
    assert "fields[2].type" in rendered


def test_missing_required_key(valid_text: str) -> None:
    text = valid_text.replace("kind: application\n", "")
    problem = only_problem(text)
    assert "缺少必填的键“kind”" in problem.message.render()
    assert problem.line == line_of(text, "schema: 1")  # the top-level mapping starts after the comment line


def test_missing_key_in_a_list_entry_points_at_the_entry(valid_text: str) -> None:
    text = valid_text.replace("    standard: {zh: 2 寸照片, en: 2-inch photo}\n", "")
    problem = only_problem(text)
    assert "缺少必填的键“standard”" in problem.message.render()
    assert problem.line == line_of(text, "- key: photo")


def test_bad_when_reference(valid_text: str) -> None:
    text = valid_text.replace(
        "when: {field: kind_of_help, equals: expenditure}", "when: {field: kind_of_hepl, equals: x}"
    )
    problems = problems_of(text)
    assert problems[0].line == line_of(text, "kind_of_hepl")
    rendered = problems[0].render()
    assert "条件引用的字段“kind_of_hepl”不存在" in rendered
    assert "kind_of_help" in rendered  # what exists


def test_when_value_must_be_a_choice(valid_text: str) -> None:
    text = valid_text.replace(
        "when: {field: kind_of_help, equals: expenditure}", "when: {field: kind_of_help, equals: spending}"
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "equals: spending")
    assert "“spending”不是字段“kind_of_help”的选项，应为 emergency、expenditure 之一" in problem.render()


def test_when_must_refer_to_an_earlier_field(valid_text: str) -> None:
    text = valid_text.replace(
        "    constraints: {min: 1, max: 20}\n",
        "    constraints: {min: 1, max: 20}\n    when: {field: remark, truthy: true}\n",
    )
    problem = only_problem(text)
    assert "remark" in problem.render()
    assert problem.line == line_of(text, "when: {field: remark")


def test_condition_with_two_operators(valid_text: str) -> None:
    text = valid_text.replace(
        "required: {field: student, truthy: true}", "required: {field: student, truthy: true, equals: true}"
    )
    problem = only_problem(text)
    assert "equals、in、truthy 三者之一" in problem.render()


def test_promised_longer_than_legal(valid_text: str) -> None:
    text = valid_text.replace("promised_days: 10", "promised_days: 25")
    problem = only_problem(text)
    assert problem.line == line_of(text, "promised_days: 25")
    assert "承诺时限 25 个工作日超过法定时限 20 个工作日" in problem.render()


def test_application_needs_a_promised_time_limit(valid_text: str) -> None:
    text = valid_text.replace("promised_days: 10\n", "")
    problem = only_problem(text)
    assert "promised_days" in problem.render()
    assert "待确认" in problem.render()


def test_placeholder_time_limit_must_say_so(valid_text: str) -> None:
    text = valid_text.replace(
        "time_limit_source: 测试依据", "time_limit_source: 测试依据\ntime_limit_placeholder: true"
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "time_limit_source")
    assert "待确认" in problem.render()


def test_unknown_key_lists_the_allowed_keys(valid_text: str) -> None:
    text = valid_text.replace("    count: 2\n", "    cuont: 2\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "cuont")
    rendered = problem.render()
    assert "不认识的键“cuont”" in rendered
    assert "count" in rendered and "standard" in rendered


def test_unquoted_comma_in_braces_is_explained(valid_text: str) -> None:
    text = valid_text.replace(
        "{zh: 有效身份证原件, en: Valid ID card}", "{zh: 有效身份证原件, en: Valid ID card, original}"
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "Valid ID card, original")
    assert "加引号" in problem.render()


def test_yes_no_are_explained(valid_text: str) -> None:
    text = valid_text.replace("notes: 测试用事项。", "notes: no")
    problem = only_problem(text)
    assert "yes/no/on/off" in problem.render()


def test_duplicate_yaml_key(valid_text: str) -> None:
    text = valid_text.replace("version: 3\n", "version: 3\nversion: 4\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "version: 4")
    assert f"键“version”重复（第 {line_of(text, 'version: 3')} 行已有）" in problem.render()


def test_unknown_rule_name(valid_text: str) -> None:
    text = valid_text.replace("notes: 测试用事项。", "rules: [dibao_houshold]\nnotes: 测试用事项。")
    problem = only_problem(text)
    assert problem.line == line_of(text, "dibao_houshold")
    assert "规则“dibao_houshold”无效，应为 dibao_household" in problem.render()


def test_rule_needs_its_fields(valid_text: str) -> None:
    text = valid_text.replace("notes: 测试用事项。", "rules: [marriage_precheck]\nnotes: 测试用事项。")
    rendered = [p.render() for p in problems_of(text)]
    assert any("需要声明角色“spouse”" in r for r in rendered)
    assert any("business_type" in r for r in rendered)


def test_per_party_must_name_a_declared_role(valid_text: str) -> None:
    text = valid_text.replace("    per_party: agent\n", "    per_party: guardian\n")
    rendered = [p.render() for p in problems_of(text)]
    assert any("材料所属角色“guardian”没有在 parties 中声明" in r for r in rendered)
    assert any("至少是委托书" in r for r in rendered)  # the agent now has no material


def test_amounts_must_be_in_date_order(valid_text: str) -> None:
    text = valid_text.replace("effective_from: 2024-07-01", "effective_from: 2020-07-01")
    problem = only_problem(text)
    assert problem.line == line_of(text, "effective_from: 2020-07-01")
    assert "按时间先后排列" in problem.render()


def test_bad_code_pattern_is_explained(valid_text: str) -> None:
    text = valid_text.replace("code: TS-TEST-001", "code: ts-test-1")
    problem = only_problem(text)
    assert problem.line == line_of(text, "code:")
    assert "MZ-SHJZ-001" in problem.render()


def test_bad_date(valid_text: str) -> None:
    text = valid_text.replace("effective_from: 2025-01-01", "effective_from: 2025-02-30")
    problem = only_problem(text)
    assert problem.line == line_of(text, "effective_from: 2025-02-30")
    assert "YYYY-MM-DD" in problem.render()


def test_constraints_must_fit_the_type(valid_text: str) -> None:
    text = valid_text.replace(
        "    constraints: {min: 1, max: 20}\n", "    constraints: {min: 1, max: 20, max_length: 3}\n"
    )
    problem = only_problem(text)
    assert "max_length 只适用于 text、multiline、address 类型，不适用于 int" in problem.render()


def test_residence_needs_the_hukou_field(valid_text: str) -> None:
    text = valid_text.replace("      - key: hukou_shanghai\n", "      - key: hukou_elsewhere\n")
    problem = only_problem(text)
    assert "hukou_shanghai" in problem.render()


def test_every_problem_is_reported_at_once(valid_text: str) -> None:
    text = valid_text.replace("    type: int\n", "    type: nmber\n").replace("kind: application", "kind: applicaton")
    lines = sorted(p.line for p in problems_of(text) if p.line is not None)
    assert lines == sorted([line_of(text, "type: nmber"), line_of(text, "kind: applicaton")])


def test_empty_file() -> None:
    problem = only_problem("")
    assert problem.line == 1
    assert "文件是空的" in problem.render()
    assert "只有注释" in only_problem("# nothing here\n").render()


def test_top_level_must_be_a_mapping() -> None:
    assert "映射" in only_problem("- a\n- b\n").render()


def test_non_utf8_bytes_name_the_line() -> None:
    data = "schema: 1\ncode: TS-GBK-001\n# 中文注释\n".encode("gbk")
    with pytest.raises(CatalogFileError) as info:
        load_item_bytes(data, path="gbk.yaml")
    (problem,) = info.value.problems
    assert problem.line == 3
    assert problem.column == 3
    assert "UTF-8" in problem.render()


def test_catalog_error_carries_every_problem(valid_text: str) -> None:
    text = valid_text.replace("kind: application", "kind: x").replace("category: 社会救助", "category: 社保")
    with pytest.raises(CatalogError) as info:
        load_item_text(text, path="two.yaml")
    error = info.value
    assert isinstance(error, CatalogFileError)
    assert error.code == "catalog"
    assert len(error.problems) == 2
    assert str(error).startswith("文件 two.yaml 第 ")
    assert "另有 1 处问题" in str(error)


def test_problem_rendering_translates_both_parts() -> None:
    problem = CatalogProblem("a.yaml", 3, 1, msg("catalog", "坏"), "fields[0]")
    assert problem.render() == "文件 a.yaml 第 3 行：坏（位置 fields[0]）"
    assert str(CatalogProblem("a.yaml", None, None, msg("catalog", "坏"))) == "文件 a.yaml：坏"
    english = {"坏": "bad", "文件 {path} 第 {line} 行：{problem}": "{path} line {line}: {problem}"}
    translated = problem.render(lambda _context, text: english.get(text, text))
    assert translated.startswith("a.yaml line 3: bad")


# ---------------------------------------------------------------------------------------------------- folders


BROKEN = {
    # file: (text on the reported line, or None for line 1, part of the message)
    "bad_when.yaml": ("kind_of_hepl", "条件引用的字段“kind_of_hepl”不存在"),
    "dup_code.yaml": ("code: TS-TEST-001", "事项代码 TS-TEST-001 与文件"),
    "empty.yaml": (None, "文件是空的"),
    "gbk.yaml": ("code: TS-GBK-001", "不是 UTF-8 编码"),  # the first GBK byte is in the comment above it
    "missing_key.yaml": ("schema: 1", "缺少必填的键“kind”"),
    "promised_gt_legal.yaml": ("promised_days: 30", "承诺时限 30 个工作日超过法定时限 20 个工作日"),
    "syntax.yaml": ("version: 1", "YAML 语法错误"),
    "unknown_type.yaml": ("type: nmber", "字段类型“nmber”无效"),
}


def test_broken_folder_never_raises() -> None:
    folder = DATA / "broken"
    load = load_catalog_dir(folder)
    assert list(load.items) == ["TS-TEST-001"]  # good.yaml survives, with the higher version
    assert load.items["TS-TEST-001"].path.endswith("good.yaml")
    assert load.files == len(BROKEN) + 1
    by_file = {Path(p.path).name: p for p in load.problems}
    assert set(by_file) == set(BROKEN)
    assert len(load.problems) == len(BROKEN)
    for name, (marker, words) in BROKEN.items():
        problem = by_file[name]
        rendered = problem.render()
        assert rendered.startswith(f"文件 {folder / name} 第 "), rendered
        assert words in rendered, rendered
        if name == "gbk.yaml":
            assert problem.line == 2
        elif name == "syntax.yaml":
            # The unclosed [ is noticed where the next key starts.
            assert problem.line is not None and problem.line >= 3
        elif marker is None:
            assert problem.line == 1
        else:
            text = (folder / name).read_text(encoding="utf-8")
            assert problem.line == line_of(text, marker), rendered


def test_missing_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    load = load_catalog_dir(tmp_path / "nowhere")
    assert load.items == {}
    assert len(load.problems) == 1
    assert "无法读取事项目录" in load.problems[0].render()


def test_duplicate_code_keeps_the_higher_version(tmp_path: Path, valid_text: str) -> None:
    (tmp_path / "a.yaml").write_text(valid_text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(valid_text.replace("version: 3", "version: 2"), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(valid_text.replace("version: 3", "version: 5"), encoding="utf-8")
    load = load_catalog_dir(tmp_path)
    assert load.items["TS-TEST-001"].item.version == 5
    assert load.items["TS-TEST-001"].path.endswith("c.yaml")
    rejected = sorted(Path(p.path).name for p in load.problems)
    assert rejected == ["a.yaml", "b.yaml"]
    for problem in load.problems:
        assert problem.line == line_of(valid_text, "code:")
        assert "事项代码 TS-TEST-001 与文件" in problem.render()
        assert "c.yaml" in problem.render()


def test_duplicate_code_with_the_same_version_keeps_the_first_file(tmp_path: Path, valid_text: str) -> None:
    (tmp_path / "a.yaml").write_text(valid_text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(valid_text.replace("notes: 测试用事项。", "notes: 另一份。"), encoding="utf-8")
    load = load_catalog_dir(tmp_path)
    assert load.items["TS-TEST-001"].path.endswith("a.yaml")
    assert [Path(p.path).name for p in load.problems] == ["b.yaml"]


def test_validate_paths_reports_good_and_bad(tmp_path: Path, valid_text: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(valid_text, encoding="utf-8")
    lines, code = validate_paths([good])
    assert code == 0
    assert lines[0] == "✓ good.yaml：TS-TEST-001 测试事项 v3"
    assert lines[-1] == "共检查 1 个文件：1 个通过，0 个有问题"

    lines, code = validate_paths([DATA / "broken"])
    assert code == 1
    assert sum(line.startswith("✓ ") for line in lines) == 1
    assert any(line.startswith("✗ 文件 ") and "nmber" in line for line in lines)
    assert lines[-1] == f"共检查 {len(BROKEN) + 1} 个文件：1 个通过，{len(BROKEN)} 个有问题"


def test_validate_paths_missing_path(tmp_path: Path) -> None:
    lines, code = validate_paths([tmp_path / "missing.yaml"])
    assert code == 1
    assert lines[0] == f"✗ 路径不存在：{tmp_path / 'missing.yaml'}"


def test_validate_paths_empty_folder_fails(tmp_path: Path) -> None:
    lines, code = validate_paths([tmp_path])
    assert code == 1
    assert "没有找到事项文件" in lines[0]
