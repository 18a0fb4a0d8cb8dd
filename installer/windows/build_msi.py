"""Build the client's MSI from ``installer/windows/yimen.wxs`` (docs/installing-windows.md).

    python -m installer.windows.build_msi --out DIR [--payload DIR] [--version N.N.N]

On Windows (WiX Toolset v3.14 on the PATH) it builds the real MSI from the PyInstaller bundle (``--payload
dist/yimen``) with ``candle`` and ``light``.  Elsewhere it checks the authoring with msitools: ``wixl`` builds the MSI
from the bundle or, without ``--payload``, from a small stand-in folder shaped like it, the constructs wixl drops are
written into the tables with ``msibuild`` (``wixl_gaps``/``patch``), and ``msiinfo`` reads the tables back
(``check``).  Both toolsets read the same ``.wxs`` and the same harvested file list (``harvest``).

Output: ``DIR/yimen-<version>-x64.msi`` (around the stand-in: ``yimen-<version>-x64-stand-in.msi``, never
shipped).  Refusals are one Chinese sentence on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

WXS = Path(__file__).with_name("yimen.wxs")
NS = "http://schemas.microsoft.com/wix/2006/wi"
W = f"{{{NS}}}"
#: The product family's UpgradeCode: the same in every version (the .wxs says it; tests/installer/test_msi.py checks).
UPGRADE_CODE = "{8C3D5F0E-2B6A-4E1D-9A47-5D2C61B0F3A8}"
#: Simplified Chinese (GBK): the database's code page for its Chinese texts.
CODEPAGE = 936
#: Component GUIDs of the harvested bundle: uuid5 of this namespace and the file's path in the bundle, so the same
#: file keeps its component from build to build and toolset to toolset.
BUNDLE_NAMESPACE = uuid.UUID("2D7A6C1B-9E34-4F0A-8B52-6C3E1D9F0A47")
#: Files the .wxs refers to by id: the windowed app (the shortcut) and its console twin (the enrollment action).
FILE_IDS = {"yimen.exe": "YimenExe", "yimen-cli.exe": "YimenCliExe"}
#: The ID-card reader's bridges for 32- and 64-bit vendor DLLs (app/idcard/bridge.c, compiled with MinGW-w64 by
#: installer/build_bridge.py; the spec puts them into _internal): a payload without them is no complete bundle.
BRIDGES = ("_internal/yimen-idcard-bridge32.exe", "_internal/yimen-idcard-bridge64.exe")
#: Where RemoveExistingProducts goes for each MajorUpgrade/@Schedule this installer may use.
SCHEDULES = {"afterInstallInitialize": "InstallInitialize", "afterInstallValidate": "InstallValidate"}
#: The name's mark of an MSI built around the stand-in payload (``make installers`` off Windows).
STAND_IN_SUFFIX = "-stand-in"
MOVE_FILES_SEQUENCE = 3800  # the standard place of MoveFiles: after RemoveFiles, before InstallFiles (4000)
# Component attribute bits (https://learn.microsoft.com/windows/win32/msi/component-table).
PERMANENT = 0x10
NEVER_OVERWRITE = 0x80
# CustomAction type bit (https://learn.microsoft.com/windows/win32/msi/custom-action-hidden-target-option).
HIDE_TARGET = 0x2000


class BuildError(Exception):
    """A refusal: one Chinese sentence saying what is wrong and what to do."""


# ------------------------------------------------------------------------------------------------ the version
def msi_version(text: str) -> str:
    """``text`` as a ProductVersion (major.minor.build, at most 255.255.65535: Windows Installer compares only
    these three fields, https://learn.microsoft.com/windows/win32/msi/productversion)."""
    parts = text.strip().split(".")
    limits = (255, 255, 65535)
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise BuildError(f"版本号“{text}”不能用作 MSI 的产品版本：应为 N.N.N 形式的三段数字，请检查 pyproject.toml。")
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    if any(n > limit for n, limit in zip(numbers, limits, strict=True)):
        raise BuildError(f"版本号“{text}”超出 MSI 的范围（最大 255.255.65535），请改用更小的版本号。")
    return ".".join(str(n) for n in numbers)


# ------------------------------------------------------------------------------------------------ the payload
def stand_in_payload(folder: Path) -> Path:
    """A small folder shaped like the PyInstaller bundle (docs/installing-windows.md "The bundle")."""
    files = {
        "yimen.exe": "stand-in for the windowed client\n",
        "yimen-cli.exe": "stand-in for the console client\n",
        "_internal/python311.dll": "stand-in\n",
        "_internal/base_library.zip": "stand-in\n",
        "_internal/PySide6/Qt6Core.dll": "stand-in\n",
        "_internal/PySide6/plugins/platforms/qwindows.dll": "stand-in\n",
        # The document camera's component (the MSI's Camera feature): Qt Multimedia, its plugin, FFmpeg.
        "_internal/PySide6/QtMultimedia.pyd": "stand-in\n",
        "_internal/PySide6/Qt6Multimedia.dll": "stand-in\n",
        "_internal/PySide6/avcodec-61.dll": "stand-in\n",
        "_internal/PySide6/plugins/multimedia/ffmpegmediaplugin.dll": "stand-in\n",
        "_internal/resources/fonts/YimenSerif-Regular.ttf": "stand-in\n",
        "_internal/resources/catalog/README.txt": "stand-in\n",
        "_internal/db/migrations/env.py": "# stand-in\n",
        **dict.fromkeys(BRIDGES, "stand-in\n"),
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _ident(prefix: str, relative: str) -> str:
    return prefix + hashlib.sha1(relative.encode("utf-8")).hexdigest()[:24].upper()


def harvest(payload: Path, *, ascii_only: bool) -> str:
    """The bundle as a WiX fragment: ComponentGroup ``Bundle`` below INSTALLDIR, one component per file (its key
    path), deterministic ids and GUIDs; the document camera's files (installer/bundle.py ``camera_part``) in the
    ComponentGroup ``Camera`` of the optional feature of that name.  ``Source`` is relative to
    ``$(var.BundleDir)``."""
    from installer.bundle import camera_part

    missing = [name for name in (*FILE_IDS, *BRIDGES) if not (payload / name).is_file()]
    if missing:
        raise BuildError(
            f"{payload} 不是客户端的目录包：缺少 {'、'.join(missing)}，请先用 pyinstaller installer/yimen.spec 构建。"
        )
    files = sorted(p.relative_to(payload).as_posix() for p in payload.rglob("*") if p.is_file())
    if ascii_only:
        odd = [name for name in files if not name.isascii()]
        if odd:
            raise BuildError(f"目录包中的文件名“{odd[0]}”含非 ASCII 字符，wixl 无法写入，请改名后再构建。")
    root = ET.Element(f"{W}Wix")
    fragment = ET.SubElement(root, f"{W}Fragment")
    top = ET.SubElement(fragment, f"{W}DirectoryRef", Id="INSTALLDIR")
    folders: dict[str, tuple[str, ET.Element]] = {"": ("INSTALLDIR", top)}
    group = ET.SubElement(fragment, f"{W}ComponentGroup", Id="Bundle")
    camera = ET.SubElement(fragment, f"{W}ComponentGroup", Id="Camera")
    for name in files:
        parent = ""
        for part in name.split("/")[:-1]:
            here = f"{parent}/{part}" if parent else part
            if here not in folders:
                element = ET.SubElement(folders[parent][1], f"{W}Directory", Id=_ident("D", here), Name=part)
                folders[here] = (element.get("Id", ""), element)
            parent = here
        # Components inside their folder (wixl reads no Component/@Directory), referenced by the group.
        component = ET.SubElement(
            folders[parent][1],
            f"{W}Component",
            Id=_ident("C", name),
            Guid=str(uuid.uuid5(BUNDLE_NAMESPACE, name)).upper(),
            Win64="yes",
        )
        ET.SubElement(
            component,
            f"{W}File",
            Id=FILE_IDS.get(name, _ident("F", name)),
            Source=f"$(var.BundleDir)/{name}",
            KeyPath="yes",
        )
        owner = camera if camera_part(name) else group
        ET.SubElement(owner, f"{W}ComponentRef", Id=component.get("Id", ""))
    ET.register_namespace("", NS)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ------------------------------------------------------------------------------------------------ wixl's gaps
@dataclass
class Gaps:
    """What the .wxs says that wixl 0.101 drops, to be written into its MSI by :func:`patch`."""

    component_bits: dict[str, int] = field(default_factory=dict)  # component → Permanent/NeverOverwrite bits
    schedule: str | None = None  # MajorUpgrade/@Schedule
    move_files: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # id, component, source, dest…
    lock_permissions: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, directory, table, SDDL
    resolve_source: tuple[str, str] | None = None  # (after, condition)
    hide_target: list[str] = field(default_factory=list)  # custom actions
    hidden: list[str] = field(default_factory=list)  # properties for MsiHiddenProperties
    secure: list[str] = field(default_factory=list)  # properties for SecureCustomProperties
    texts: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # table, column, key column, key, text
    summary: tuple[str, str, str] | None = None  # subject, author, template (x64;languages)


def _component_of(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> ET.Element:
    while element.tag != f"{W}Component":
        element = parents[element]
    return element


def wixl_gaps(source: Path | None = None) -> tuple[Gaps, str]:
    """The gaps of ``source`` (default :data:`WXS`) and the source without the elements wixl cannot read (it stops
    at them)."""
    source = WXS if source is None else source
    tree = ET.parse(source)
    root = tree.getroot()
    parents = {child: parent for parent in root.iter() for child in parent}
    gaps = Gaps()
    product = root.find(f"{W}Product")
    if product is None:
        raise BuildError(f"{source} 中没有 Product 元素。")
    for component in root.iter(f"{W}Component"):
        bits = (PERMANENT if component.get("Permanent") == "yes" else 0) | (
            NEVER_OVERWRITE if component.get("NeverOverwrite") == "yes" else 0
        )
        if bits:
            gaps.component_bits[component.get("Id", "")] = bits
    upgrade = product.find(f"{W}MajorUpgrade")
    if upgrade is not None:
        gaps.schedule = upgrade.get("Schedule", "afterInstallValidate")
        if gaps.schedule not in SCHEDULES:
            raise BuildError(f"MajorUpgrade 的 Schedule“{gaps.schedule}”不受支持，请用 {' 或 '.join(SCHEDULES)}。")
        if upgrade.get("DowngradeErrorMessage"):
            message = upgrade.get("DowngradeErrorMessage", "")
            gaps.texts.append(("LaunchCondition", "Description", "Condition", "NOT WIX_DOWNGRADE_DETECTED", message))
    for copy in list(root.iter(f"{W}CopyFile")):
        component = _component_of(copy, parents)
        gaps.move_files.append(
            (
                copy.get("Id", ""),
                component.get("Id", ""),
                copy.get("SourceProperty", ""),
                copy.get("DestinationDirectory", ""),
                copy.get("DestinationName", ""),
            )
        )
        parents[copy].remove(copy)
    for permission in list(root.iter(f"{W}PermissionEx")):
        holder = parents[permission]
        if holder.tag != f"{W}CreateFolder":
            raise BuildError("PermissionEx 只支持写在 CreateFolder 中。")
        component = _component_of(holder, parents)
        directory = holder.get("Directory") or parents[component].get("Id") or ""
        key = f"{component.get('Id')}Acl"
        gaps.lock_permissions.append((key, directory, "CreateFolder", permission.get("Sddl", "")))
        holder.remove(permission)
    for resolve in list(root.iter(f"{W}ResolveSource")):
        gaps.resolve_source = (resolve.get("After", "CostInitialize"), (resolve.text or "").strip())
        parents[resolve].remove(resolve)
    for action in root.iter(f"{W}CustomAction"):
        if action.get("HideTarget") == "yes":
            gaps.hide_target.append(action.get("Id", ""))
    for prop in root.iter(f"{W}Property"):
        if prop.get("Hidden") == "yes":
            gaps.hidden.append(prop.get("Id", ""))
        if prop.get("Secure") == "yes":
            gaps.secure.append(prop.get("Id", ""))
    gaps.texts.append(("Property", "Value", "Property", "ProductName", product.get("Name", "")))
    package = product.find(f"{W}Package")
    if package is not None:
        gaps.summary = (
            package.get("Description", product.get("Name", "")),
            package.get("Manufacturer", product.get("Manufacturer", "")),
            f"{package.get('Platform', 'x64')};{package.get('Languages', '0')}",
        )
    for condition in product.findall(f"{W}Condition"):
        gaps.texts.append(
            (
                "LaunchCondition",
                "Description",
                "Condition",
                (condition.text or "").strip(),
                condition.get("Message", ""),
            )
        )
    for feature in root.iter(f"{W}Feature"):
        if feature.get("Title"):
            gaps.texts.append(("Feature", "Title", "Feature", feature.get("Id", ""), feature.get("Title", "")))
    for shortcut in root.iter(f"{W}Shortcut"):
        gaps.texts.append(("Shortcut", "Name", "Shortcut", shortcut.get("Id", ""), _filename(shortcut)))
    _refuse_unmapped_texts(root, gaps)
    ET.register_namespace("", NS)
    return gaps, ET.tostring(root, encoding="unicode")


def _filename(shortcut: ET.Element) -> str:
    """A Filename column value: ``SHORT|long`` (https://learn.microsoft.com/windows/win32/msi/filename)."""
    name = shortcut.get("Name", "")
    if name.isascii() and len(name) <= 8:
        return name
    return f"{_ident('S', name)[:6]}~1|{name}"


# Attributes whose non-ASCII text :func:`wixl_gaps` writes back (any other one would be lost silently).
_MAPPED_TEXTS = {
    ("Product", "Name"),
    ("Package", "Description"),
    ("MajorUpgrade", "DowngradeErrorMessage"),
    ("Condition", "Message"),
    ("Feature", "Title"),
    ("Shortcut", "Name"),
}


def _refuse_unmapped_texts(root: ET.Element, gaps: Gaps) -> None:
    for element in root.iter():
        tag = element.tag.removeprefix(W)
        for attribute, value in element.attrib.items():
            if not value.isascii() and (tag, attribute) not in _MAPPED_TEXTS:
                raise BuildError(
                    f"yimen.wxs 中 {tag}/@{attribute} 含中文，wixl 会把它写成空串：请在 build_msi.py 中补上它的写回。"
                )


# ------------------------------------------------------------------------------------------------ msitools
def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None and name in {"candle", "light"}:
        raise BuildError(f"找不到 {name}：请安装 WiX Toolset v3.14，并把它的 bin 目录加入 PATH。")
    if found is None:
        package = "wixl" if name == "wixl" else "msitools"
        raise BuildError(f"找不到 {name}：请安装 Debian 软件包 {package}（make deps 会安装）。")
    return found


def _run(command: Sequence[str], cwd: Path | None = None) -> str:
    done = subprocess.run(list(command), capture_output=True, text=True, check=False, cwd=cwd)
    # wixl reports some authoring faults as GLib criticals and still exits 0 with a broken MSI.
    faults = [line for line in done.stderr.splitlines() if "CRITICAL" in line or "ERROR" in line]
    if done.returncode != 0 or faults:
        detail = faults or (done.stderr or done.stdout).strip().splitlines()
        raise BuildError(f"{Path(command[0]).name} 失败（{detail[-1] if detail else done.returncode}），MSI 未生成。")
    _refuse_unknown_drops(done.stderr)
    return done.stdout


#: Attributes wixl 0.101 warns it ignores ("object class 'WixlWixX' has no property named 'Y'") that :func:`patch`
#: writes back, or whose WiX v3 meaning is wixl's default anyway (AllowSameVersionUpgrades="no").
HANDLED_DROPS = {
    ("Package", "Platform"),
    ("MajorUpgrade", "Schedule"),
    ("MajorUpgrade", "AllowSameVersionUpgrades"),
    ("Property", "Secure"),
    ("Property", "Hidden"),
    ("Component", "Permanent"),
    ("Component", "NeverOverwrite"),
}
_DROPPED = re.compile(r"object class 'WixlWix(\w+)' has no property named '(\w+)'")


def _refuse_unknown_drops(stderr: str) -> None:
    for element, attribute in _DROPPED.findall(stderr):
        if (element, attribute) not in HANDLED_DROPS:
            raise BuildError(
                f"wixl 忽略了 yimen.wxs 中的 {element}/@{attribute}：请在 build_msi.py 中补上它的写回，或不再使用它。"
            )


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """The rows of table ``name`` as msiinfo exports them (an absent table: no rows)."""
    done = subprocess.run(
        [_tool("msiinfo"), "export", str(msi), name], capture_output=True, check=False, encoding="utf-8"
    )
    if done.returncode != 0:
        return []
    lines = done.stdout.replace("\r\n", "\n").split("\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:] if line]


def _idt(path: Path, columns: list[tuple[str, str]], key: str, rows: Sequence[Sequence[str]], name: str) -> Path:
    """An .idt file (https://learn.microsoft.com/windows/win32/msi/archive-file-format) for msibuild -i."""
    text = "\t".join(c for c, _ in columns) + "\r\n" + "\t".join(t for _, t in columns) + "\r\n"
    text += f"{name}\t{key}\r\n" + "".join("\t".join(row) + "\r\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _quote(text: str) -> str:
    if "'" in text:
        raise BuildError(f"文字“{text}”含单引号，无法写入 MSI 的表，请改用中文引号。")
    return f"'{text}'"


def patch(msi: Path, gaps: Gaps, work: Path) -> None:
    """Write ``gaps`` into ``msi`` with msibuild: the code page first, so the Chinese texts are stored in GBK."""
    msibuild = _tool("msibuild")
    (work / "codepage.idt").write_text(f"\r\n\r\n{CODEPAGE}\t_ForceCodepage\r\n", encoding="ascii")
    _run([msibuild, str(msi), "-i", str(work / "codepage.idt")])
    queries: list[str] = []
    components = {row["Component"]: int(row["Attributes"]) for row in table(msi, "Component")}
    for component, bits in gaps.component_bits.items():
        queries.append(
            f"UPDATE `Component` SET `Attributes` = {components[component] | bits} WHERE `Component` = '{component}'"
        )
    sequence = {row["Action"]: int(row["Sequence"]) for row in table(msi, "InstallExecuteSequence")}
    if gaps.schedule is not None:
        removal = sequence[SCHEDULES[gaps.schedule]] + 1
        queries.append(
            f"UPDATE `InstallExecuteSequence` SET `Sequence` = {removal} WHERE `Action` = 'RemoveExistingProducts'"
        )
    if gaps.resolve_source is not None:
        after, condition = gaps.resolve_source
        queries.append(
            "INSERT INTO `InstallExecuteSequence` (`Action`, `Condition`, `Sequence`) VALUES "
            f"('ResolveSource', {_quote(condition)}, {sequence[after] + 50})"
        )
    if gaps.move_files and "MoveFiles" not in sequence:
        queries.append(
            f"INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) VALUES ('MoveFiles', {MOVE_FILES_SEQUENCE})"
        )
    actions = {row["Action"]: int(row["Type"]) for row in table(msi, "CustomAction")}
    for action in gaps.hide_target:
        queries.append(
            f"UPDATE `CustomAction` SET `Type` = {actions[action] | HIDE_TARGET} WHERE `Action` = '{action}'"
        )
    properties = {row["Property"]: row["Value"] for row in table(msi, "Property")}
    for name, values in (("MsiHiddenProperties", gaps.hidden), ("SecureCustomProperties", gaps.secure)):
        merged = sorted({*filter(None, properties.get(name, "").split(";")), *values})
        if not merged:
            continue
        verb = (
            f"UPDATE `Property` SET `Value` = '{';'.join(merged)}' WHERE `Property` = '{name}'"
            if name in properties
            else f"INSERT INTO `Property` (`Property`, `Value`) VALUES ('{name}', '{';'.join(merged)}')"
        )
        queries.append(verb)
    for table_name, column, key_column, key, text in gaps.texts:
        queries.append(f"UPDATE `{table_name}` SET `{column}` = {_quote(text)} WHERE `{key_column}` = {_quote(key)}")
    for query in queries:
        _run([msibuild, str(msi), "-q", query])
    if gaps.move_files:
        columns = [
            ("FileKey", "s72"),
            ("Component_", "s72"),
            ("SourceName", "L255"),
            ("DestName", "L255"),
            ("SourceFolder", "S72"),
            ("DestFolder", "s72"),
            ("Options", "i2"),
        ]
        rows = [(key, comp, "", dest_name, source, dest, "0") for key, comp, source, dest, dest_name in gaps.move_files]
        _run([msibuild, str(msi), "-i", str(_idt(work / "MoveFile.idt", columns, "FileKey", rows, "MoveFile"))])
    if gaps.summary is not None:
        # wixl writes the template's language as 1033 whatever Package/@Languages says.
        info = _run([_tool("msiinfo"), "suminfo", str(msi)])
        package_code = next(
            (line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Revision number")), ""
        )
        _run([msibuild, str(msi), "-s", *gaps.summary, package_code])
    if gaps.lock_permissions:
        columns = [
            ("MsiLockPermissionsEx", "s72"),
            ("LockObject", "s72"),
            ("Table", "s32"),
            ("SDDLText", "s0"),
            ("Condition", "S255"),
        ]
        locks = [(key, obj, tbl, sddl, "") for key, obj, tbl, sddl in gaps.lock_permissions]
        idt = _idt(work / "MsiLockPermissionsEx.idt", columns, "MsiLockPermissionsEx", locks, "MsiLockPermissionsEx")
        _run([msibuild, str(msi), "-i", str(idt)])


# ------------------------------------------------------------------------------------------------ the check
def check(msi: Path, gaps: Gaps | None = None) -> list[str]:
    """What the MSI's tables get wrong against the .wxs (empty: the authoring holds).  Used after every build."""
    gaps = wixl_gaps()[0] if gaps is None else gaps
    problems: list[str] = []
    properties = {row["Property"]: row["Value"] for row in table(msi, "Property")}
    if properties.get("UpgradeCode", "").upper() != UPGRADE_CODE:
        problems.append(f"UpgradeCode 应为 {UPGRADE_CODE}，实为 {properties.get('UpgradeCode')}")
    if properties.get("ALLUSERS") != "1":
        problems.append("ALLUSERS 不是 1（应按计算机安装）")
    components = {row["Component"]: int(row["Attributes"]) for row in table(msi, "Component")}
    for component, bits in gaps.component_bits.items():
        if components.get(component, 0) & bits != bits:
            problems.append(f"组件 {component} 缺少 Permanent/NeverOverwrite 标志")
    sequence = {row["Action"]: int(row["Sequence"]) for row in table(msi, "InstallExecuteSequence")}
    if gaps.schedule is not None:
        anchor = sequence.get(SCHEDULES[gaps.schedule], -1)
        following = [s for s in sequence.values() if s > anchor]
        if sequence.get("RemoveExistingProducts") != anchor + 1 or min(following, default=0) != anchor + 1:
            problems.append(f"RemoveExistingProducts 不在 {SCHEDULES[gaps.schedule]} 之后")
    moves = {row["FileKey"] for row in table(msi, "MoveFile")}
    problems += [f"MoveFile 表缺少 {key}" for key, *_ in gaps.move_files if key not in moves]
    locks = {row["MsiLockPermissionsEx"] for row in table(msi, "MsiLockPermissionsEx")}
    problems += [f"MsiLockPermissionsEx 表缺少 {key}" for key, *_ in gaps.lock_permissions if key not in locks]
    hidden = set(properties.get("MsiHiddenProperties", "").split(";"))
    problems += [f"{name} 不在 MsiHiddenProperties 中" for name in gaps.hidden if name not in hidden]
    registry = " ".join(row.get("Value", "") for row in table(msi, "Registry"))
    problems += [f"{name} 被写入了注册表" for name in gaps.hidden if f"[{name}]" in registry]
    for table_name, column, key_column, key, text in gaps.texts:
        rows = [row for row in table(msi, table_name) if row.get(key_column) == key]
        if not rows or rows[0].get(column) != text:
            problems.append(f"{table_name}.{column}（{key}）的文字没有写入")
    return problems


# ------------------------------------------------------------------------------------------------ the builds
def build_with_wixl(out: Path, payload: Path | None, version: str) -> Path:
    """The MSI from wixl, patched and checked (the authoring check of ``make installers`` off Windows)."""
    wixl = _tool("wixl")
    out.mkdir(parents=True, exist_ok=True)
    # A stand-in MSI is named so that nobody ships it by mistake.
    msi = out / f"yimen-{version}-x64{'' if payload is not None else STAND_IN_SUFFIX}.msi"
    with tempfile.TemporaryDirectory(prefix="yimen-msi-") as scratch:
        work = Path(scratch)
        bundle = payload if payload is not None else stand_in_payload(work / "payload")
        gaps, source = wixl_gaps()
        (work / "yimen.wxs").write_text(source, encoding="utf-8")
        (work / "bundle.wxs").write_text(harvest(bundle, ascii_only=True), encoding="utf-8")
        msi.unlink(missing_ok=True)
        _run(
            [
                wixl,
                "--arch",
                "x64",
                "-D",
                f"Version={version}",
                # wixl takes no absolute File/@Source: it runs in the bundle folder.
                "-D",
                "BundleDir=.",
                "-o",
                str(msi.resolve()),
                str(work / "yimen.wxs"),
                str(work / "bundle.wxs"),
            ],
            cwd=bundle,
        )
        patch(msi, gaps, work)
        problems = check(msi, gaps)
    if problems:
        raise BuildError(f"{msi.name} 的表与 yimen.wxs 不符：{'；'.join(problems)}。")
    return msi


def build_with_wix3(out: Path, payload: Path, version: str) -> Path:  # pragma: no cover - Windows only
    """The MSI from WiX Toolset v3.14 (candle, light) on Windows: it reads every construct of the .wxs itself."""
    candle, light = _tool("candle"), _tool("light")
    out.mkdir(parents=True, exist_ok=True)
    msi = out / f"yimen-{version}-x64.msi"
    work = out / "msi-obj"
    work.mkdir(exist_ok=True)
    (work / "bundle.wxs").write_text(harvest(payload, ascii_only=False), encoding="utf-8")
    defines = [f"-dVersion={version}", f"-dBundleDir={payload.resolve()}"]
    _run([candle, "-nologo", "-arch", "x64", *defines, "-out", f"{work}\\", str(WXS), str(work / "bundle.wxs")])
    _run(
        [light, "-nologo", "-cultures:zh-CN", "-out", str(msi), str(work / "yimen.wixobj"), str(work / "bundle.wixobj")]
    )
    return msi


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m installer.windows.build_msi", description="构建客户端的 Windows 安装包（MSI）"
    )
    parser.add_argument("--out", required=True, type=Path, help="MSI 的输出目录")
    parser.add_argument("--payload", type=Path, help="PyInstaller 目录包（dist/yimen）；不给则用替身检查编写")
    parser.add_argument("--version", help="产品版本（默认取 pyproject.toml 的版本）")
    args = parser.parse_args(argv)
    try:
        if args.version is None:
            from app.version import version as project_version

            args.version = project_version()
        version = msi_version(args.version)
        if sys.platform == "win32":  # pragma: no cover - Windows only
            if args.payload is None:
                raise BuildError("Windows 上构建 MSI 需要目录包：请加 --payload dist\\yimen。")
            msi = build_with_wix3(args.out, args.payload, version)
        else:
            msi = build_with_wixl(args.out, args.payload, version)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    kind = "" if args.payload is not None else "（替身目录包，仅用于检查编写）"
    print(f"已生成 {msi}{kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
