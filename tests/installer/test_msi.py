"""The MSI's authoring, built by wixl from a stand-in payload and read back with msiinfo (docs/installing-windows.md).

Every test reads the tables of a real MSI: the fixed UpgradeCode and a new ProductCode per build, the major upgrade
scheduled after InstallInitialize with the downgrade refused in Chinese, the per-machine install, the deployment file
copied from a property or from beside the MSI and kept on repair, the data folder and the vault permanent with
their ACL, and the one-time enrollment code hidden and never written down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import platformdirs.windows
import pytest

from app import config
from app.security import vault
from installer.windows import build_msi
from installer.windows.build_msi import NS, UPGRADE_CODE, WXS, table

REPO = Path(__file__).resolve().parents[2]
VERSION = "0.1.0"
# Component attributes and custom action types (https://learn.microsoft.com/windows/win32/msi/component-table,
# https://learn.microsoft.com/windows/win32/msi/custom-action-in-script-execution-options).
LOCAL_ONLY_64 = 0x100
REGISTRY_KEY_PATH = 0x4
PERMANENT = 0x10
NEVER_OVERWRITE = 0x80
CA_EXE_FROM_FILE = 18
CA_SET_PROPERTY = 51
CA_CONTINUE = 0x40
CA_IN_SCRIPT = 0x400
CA_NO_IMPERSONATE = 0x800
CA_HIDE_TARGET = 0x2000
UPGRADE_MIGRATE_FEATURES = 0x1
UPGRADE_ONLY_DETECT = 0x2
HKLM = "2"


@pytest.fixture(scope="module")
def msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_msi.build_with_wixl(tmp_path_factory.mktemp("msi"), None, VERSION)


def _rows(msi: Path, name: str, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in table(msi, name)}


def _sequence(msi: Path) -> dict[str, int]:
    return {row["Action"]: int(row["Sequence"]) for row in table(msi, "InstallExecuteSequence")}


def _properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in table(msi, "Property")}


def _directory_path(msi: Path, directory: str) -> list[str]:
    """The folder names from a root folder property (ProgramFiles64Folder…) down to ``directory``."""
    rows = _rows(msi, "Directory", "Directory")
    names: list[str] = []
    while rows[directory]["Directory_Parent"] != "TARGETDIR":
        names.insert(0, rows[directory]["DefaultDir"].split("|")[-1])
        directory = rows[directory]["Directory_Parent"]
    return [directory, *names]


def test_the_authoring_check_passes_and_catches_a_dropped_schedule(msi: Path, tmp_path: Path) -> None:
    assert build_msi.check(msi) == []
    # What wixl alone writes (RemoveExistingProducts after InstallValidate, outside the transaction) is caught.
    broken = tmp_path / "broken.msi"
    broken.write_bytes(msi.read_bytes())
    subprocess.run(
        ["msibuild", str(broken), "-q", "UPDATE `InstallExecuteSequence` SET `Sequence` = 1401 "
         "WHERE `Action` = 'RemoveExistingProducts'"],
        check=True,
    )  # fmt: skip
    assert any("RemoveExistingProducts" in problem for problem in build_msi.check(broken))


def test_upgrade_code_is_fixed_and_product_code_new_per_version(msi: Path, tmp_path: Path) -> None:
    wxs_product = ET.parse(WXS).getroot().find(f"{{{NS}}}Product")
    assert wxs_product is not None
    assert "{" + wxs_product.get("UpgradeCode", "").upper() + "}" == UPGRADE_CODE
    newer = build_msi.build_with_wixl(tmp_path, None, "0.2.0")
    old, new = _properties(msi), _properties(newer)
    assert old["UpgradeCode"].upper() == new["UpgradeCode"].upper() == UPGRADE_CODE
    assert old["ProductCode"] != new["ProductCode"]
    assert (old["ProductVersion"], new["ProductVersion"]) == ("0.1.0", "0.2.0")


def test_an_older_version_is_removed_inside_the_transaction_and_a_newer_one_refuses_a_downgrade(msi: Path) -> None:
    upgrades = _rows(msi, "Upgrade", "ActionProperty")
    remove = upgrades["WIX_UPGRADE_DETECTED"]
    # Every earlier version of the family (no minimum, maximum this version exclusive) is found and removed.
    assert remove["UpgradeCode"].upper() == UPGRADE_CODE
    assert (remove["VersionMin"], remove["VersionMax"]) == ("", VERSION)
    assert int(remove["Attributes"]) & UPGRADE_ONLY_DETECT == 0
    assert int(remove["Attributes"]) & UPGRADE_MIGRATE_FEATURES
    downgrade = upgrades["WIX_DOWNGRADE_DETECTED"]
    assert (downgrade["VersionMin"], downgrade["VersionMax"]) == (VERSION, "")
    assert int(downgrade["Attributes"]) & UPGRADE_ONLY_DETECT
    sequence = _sequence(msi)
    # afterInstallInitialize: the removal is part of the new installation's script, so a failure rolls it back.
    assert sequence["InstallInitialize"] < sequence["RemoveExistingProducts"] < sequence["ProcessComponents"]
    assert sequence["RemoveExistingProducts"] == sequence["InstallInitialize"] + 1
    assert sequence["FindRelatedProducts"] < sequence["LaunchConditions"]
    conditions = _rows(msi, "LaunchCondition", "Condition")
    message = conditions["NOT WIX_DOWNGRADE_DETECTED"]["Description"]
    assert "不能降级安装" in message and "卸载新版本" in message
    assert {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"} <= set(
        _properties(msi)["SecureCustomProperties"].split(";")
    )


def test_the_install_is_per_machine_in_program_files(msi: Path) -> None:
    properties = _properties(msi)
    assert properties["ALLUSERS"] == "1"
    assert _directory_path(msi, "INSTALLDIR") == ["ProgramFiles64Folder", "Yimen"]
    summary = subprocess.run(["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True).stdout
    assert "Template: x64;2052" in summary
    components = _rows(msi, "Component", "Component")
    assert all(int(row["Attributes"]) & LOCAL_ONLY_64 for row in components.values())
    assert {row["Root"] for row in table(msi, "Registry")} == {HKLM}


def test_the_stand_in_bundle_is_harvested_whole(msi: Path, tmp_path: Path) -> None:
    payload = build_msi.stand_in_payload(tmp_path / "payload")
    expected = sorted(p.relative_to(payload).as_posix() for p in payload.rglob("*") if p.is_file())
    files = _rows(msi, "File", "File")
    assert files["YimenExe"]["FileName"].split("|")[-1] == "yimen.exe"
    assert files["YimenCliExe"]["FileName"].split("|")[-1] == "yimen-cli.exe"
    names = {row["FileName"].split("|")[-1] for row in files.values()}
    assert {"yimen-idcard-bridge32.exe", "yimen-idcard-bridge64.exe"} <= names  # the ID-card reader's bridges
    components = _rows(msi, "Component", "Component")
    installed = []
    for row in files.values():
        folders = _directory_path(msi, components[row["Component_"]]["Directory_"])
        assert folders[:2] == ["ProgramFiles64Folder", "Yimen"]
        installed.append("/".join([*folders[2:], row["FileName"].split("|")[-1]]))
    assert sorted(installed) == expected
    # The same file keeps its component GUID from build to build (deterministic harvest).
    assert build_msi.harvest(payload, ascii_only=True) == build_msi.harvest(payload, ascii_only=True)


def test_the_camera_is_an_optional_feature_of_its_own_files(msi: Path) -> None:
    """The document camera's files (installer/bundle.py camera_part) belong to the Camera feature, off by default
    (Level 1000 > INSTALLLEVEL 1) below the client; every other file to the client (docs/installing-windows.md)."""
    from installer.bundle import camera_part

    features = _rows(msi, "Feature", "Feature")
    assert features["Client"]["Level"] == "1" and features["Client"]["Feature_Parent"] == ""
    assert features["Camera"]["Level"] == "1000" and features["Camera"]["Feature_Parent"] == "Client"
    assert int(_properties(msi).get("INSTALLLEVEL", "1")) < 1000
    owner = {row["Component_"]: row["Feature_"] for row in table(msi, "FeatureComponents")}
    components = _rows(msi, "Component", "Component")
    by_feature: dict[str, list[str]] = {"Client": [], "Camera": []}
    for row in _rows(msi, "File", "File").values():
        folders = _directory_path(msi, components[row["Component_"]]["Directory_"])
        path = "/".join([*folders[2:], row["FileName"].split("|")[-1]])
        by_feature[owner[row["Component_"]]].append(path)
    assert sorted(by_feature["Camera"]) == [
        "_internal/PySide6/Qt6Multimedia.dll",
        "_internal/PySide6/QtMultimedia.pyd",
        "_internal/PySide6/avcodec-61.dll",
        "_internal/PySide6/plugins/multimedia/ffmpegmediaplugin.dll",
    ]
    assert "yimen.exe" in by_feature["Client"]
    assert not [path for path in by_feature["Client"] if camera_part(path)]


def test_the_deployment_file_comes_from_the_property_or_beside_the_msi(msi: Path) -> None:
    (move,) = table(msi, "MoveFile")
    # SourceName empty: the property holds the full path of the file itself; Options 0: copied, not moved.
    assert (move["SourceFolder"], move["SourceName"], move["Options"]) == ("DEPLOYMENTFILE", "", "0")
    assert (move["DestFolder"], move["DestName"]) == ("YIMENDATA", config.CONFIG_FILE_NAME)
    default = _rows(msi, "CustomAction", "Action")["DeploymentFileBesideMsi"]
    assert int(default["Type"]) & 0x3F == CA_SET_PROPERTY
    assert (default["Source"], default["Target"]) == ("DEPLOYMENTFILE", "[SourceDir]yimen.toml")
    sequence = _sequence(msi)
    conditions = {row["Action"]: row["Condition"] for row in table(msi, "InstallExecuteSequence")}
    assert "NOT DEPLOYMENTFILE" in conditions["DeploymentFileBesideMsi"]
    # SourceDir is set by ResolveSource, which must run first; the copy happens before the files are installed.
    assert sequence["CostInitialize"] < sequence["ResolveSource"] < sequence["DeploymentFileBesideMsi"]
    assert sequence["DeploymentFileBesideMsi"] < sequence["InstallInitialize"]
    assert sequence["RemoveFiles"] < sequence["MoveFiles"] < sequence["InstallFiles"]
    # A managed (group policy) install passes only secure public properties to the server side.
    assert "DEPLOYMENTFILE" in _properties(msi)["SecureCustomProperties"].split(";")


def test_the_deployment_file_lands_where_the_app_reads_it(msi: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # platformdirs' own Windows rules (the folder lookup is a Windows API call: stood in by its answer).
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: r"C:\ProgramData")
    windows = platformdirs.windows.Windows(appname=config.APP_NAME, appauthor=False)
    site_config = Path(windows.site_config_dir.replace("\\", "/"))
    assert site_config == Path("C:/ProgramData/yimen")
    assert windows.site_data_dir == windows.site_config_dir
    assert _directory_path(msi, "YIMENDATA") == ["CommonAppDataFolder", site_config.name]


def test_the_deployment_file_is_kept_on_repair_upgrade_and_uninstall(msi: Path) -> None:
    component = _rows(msi, "Component", "Component")["DeploymentFile"]
    attributes = int(component["Attributes"])
    assert attributes & PERMANENT and attributes & NEVER_OVERWRITE
    # Its key path is the registry value written with the copy: once it exists, the component (and its copy) is not
    # installed again.
    assert attributes & REGISTRY_KEY_PATH
    key_path = _rows(msi, "Registry", "Registry")[component["KeyPath"]]
    assert (key_path["Root"], key_path["Key"], key_path["Name"]) == (HKLM, r"Software\Yimen", "DeploymentFile")
    assert key_path["Value"] == "[DEPLOYMENTFILE]"


def test_data_and_vault_folders_are_permanent_with_their_acl(msi: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    components = _rows(msi, "Component", "Component")
    folders = {row["Directory_"]: row["Component_"] for row in table(msi, "CreateFolder")}
    assert folders == {"YIMENDATA": "DataFolder", "YIMENVAULT": "VaultFolder"}
    for name in folders.values():
        attributes = int(components[name]["Attributes"])
        assert attributes & PERMANENT and attributes & NEVER_OVERWRITE, name
    # app/security/vault.py's Windows folder, %ProgramData%\yimen-vault: beside the data folder, not inside it (NTFS
    # compares names without case, so no folder of the one may be the other's, whatever the case).
    with monkeypatch.context() as windows:
        windows.setattr(sys, "platform", "win32")
        windows.setenv("PROGRAMDATA", "C:/ProgramData")
        expected = [part.lower() for part in vault.default_vault_dir().parts[-1:]]
    vault_path = [part.lower() for part in _directory_path(msi, "YIMENVAULT")]
    data_path = [part.lower() for part in _directory_path(msi, "YIMENDATA")]
    assert vault_path == ["commonappdatafolder", *expected] == ["commonappdatafolder", "yimen-vault"]
    assert vault_path[: len(data_path)] != data_path and data_path[: len(vault_path)] != vault_path
    assert _rows(msi, "Directory", "Directory")["YIMENVAULT"]["Directory_Parent"] == "CommonAppDataFolder"
    # Nothing of the MSI is a file in the data folder: uninstall has nothing there to remove.
    data_components = {c for c, row in components.items() if row["Directory_"] in {"YIMENDATA", "YIMENVAULT"}}
    assert not [row for row in table(msi, "File") if row["Component_"] in data_components]
    assert not [row for row in table(msi, "RemoveFile") if row["DirProperty"] in {"YIMENDATA", "YIMENVAULT"}]
    locks = {row["LockObject"]: row for row in table(msi, "MsiLockPermissionsEx")}
    assert set(locks) == {"YIMENDATA", "YIMENVAULT"}
    for row in locks.values():
        assert row["Table"] == "CreateFolder"
        sddl = row["SDDLText"]
        # Protected (ProgramData's inherited entries dropped), inherited by files and subfolders: SYSTEM and
        # Administrators full control, the PC's users modify.
        assert sddl.startswith("D:P")
        assert {"(A;OICI;FA;;;SY)", "(A;OICI;FA;;;BA)", "(A;OICI;0x1301bf;;;BU)"} == set(
            "(" + ace for ace in sddl.split("(")[1:]
        )


def test_the_enrollment_code_runs_once_hidden_and_is_never_written_down(msi: Path) -> None:
    action = _rows(msi, "CustomAction", "Action")["EnrollWorkstation"]
    kind = int(action["Type"])
    assert kind & 0x3F == CA_EXE_FROM_FILE
    assert kind & CA_IN_SCRIPT and kind & CA_NO_IMPERSONATE  # deferred, as LocalSystem
    assert kind & CA_CONTINUE  # a failed enrollment does not fail the install
    assert kind & CA_HIDE_TARGET  # the command line with the code stays out of the log
    assert action["Source"] == "YimenCliExe"
    assert action["Target"] == 'enroll --code "[ENROLLCODE]"'
    sequence = _sequence(msi)
    assert sequence["InstallFiles"] < sequence["EnrollWorkstation"] < sequence["InstallFinalize"]
    assert sequence["MoveFiles"] < sequence["EnrollWorkstation"]
    condition = {row["Action"]: row["Condition"] for row in table(msi, "InstallExecuteSequence")}["EnrollWorkstation"]
    assert "ENROLLCODE" in condition and 'REMOVE~="ALL"' in condition
    properties = _properties(msi)
    assert "ENROLLCODE" in properties["MsiHiddenProperties"].split(";")
    assert "ENROLLCODE" in properties["SecureCustomProperties"].split(";")
    assert "ENROLLCODE" not in properties  # no default value stored in the package
    # Nowhere else: not in the registry, not in a file, not in a shortcut.
    tables = subprocess.run(["msiinfo", "tables", str(msi)], capture_output=True, text=True, check=True).stdout
    mentions = {
        name
        for name in tables.split()
        if name not in {"_SummaryInformation", "_ForceCodepage"}
        and any("ENROLLCODE" in value for row in table(msi, name) for value in row.values())
    }
    assert mentions == {"CustomAction", "InstallExecuteSequence", "Property"}


def test_the_chinese_texts_are_stored_in_gbk(msi: Path) -> None:
    assert _properties(msi)["ProductName"] == "一门式社区事务受理台"
    assert _rows(msi, "Feature", "Feature")["Client"]["Title"] == "一门式受理台"
    assert _rows(msi, "Shortcut", "Shortcut")["YimenShortcut"]["Name"].endswith("|一门式受理台")
    windows = _rows(msi, "LaunchCondition", "Condition")["VersionNT64 >= 603"]["Description"]
    assert "64 位的 Windows 10" in windows
    codepage = subprocess.run(
        ["msiinfo", "export", str(msi), "_ForceCodepage"], capture_output=True, text=True, check=True
    ).stdout
    assert codepage.split()[0] == str(build_msi.CODEPAGE)
    assert "一门式社区事务受理台".encode("gbk") in msi.read_bytes()


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "installer.windows.build_msi", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


def test_the_cli_builds_and_refuses_in_chinese(tmp_path: Path) -> None:
    done = _cli("--out", str(tmp_path / "dist"), "--version", "0.3.0")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dist" / "yimen-0.3.0-x64-stand-in.msi").is_file()
    assert "替身" in done.stdout
    bad_version = _cli("--out", str(tmp_path), "--version", "1.2.3.4")
    assert bad_version.returncode == 1
    assert bad_version.stderr.strip().startswith("版本号“1.2.3.4”不能用作 MSI 的产品版本")
    assert "Traceback" not in bad_version.stderr
    not_a_bundle = tmp_path / "not-a-bundle"
    not_a_bundle.mkdir()
    (not_a_bundle / "yimen.exe").write_text("x", encoding="utf-8")
    refused = _cli("--out", str(tmp_path), "--payload", str(not_a_bundle))
    assert refused.returncode == 1
    assert "缺少 yimen-cli.exe" in refused.stderr and "pyinstaller installer/yimen.spec" in refused.stderr
    assert "_internal/yimen-idcard-bridge32.exe" in refused.stderr  # a bundle without the bridges is refused too
    no_tools = _cli("--out", str(tmp_path), env={**os.environ, "PATH": str(tmp_path / "empty")})
    assert no_tools.returncode == 1
    assert no_tools.stderr.strip() == "找不到 wixl：请安装 Debian 软件包 wixl（make deps 会安装）。"
    assert _cli("--payload", "x").returncode == 2  # --out missing: a bad command line


def test_a_real_payload_gives_the_release_name(tmp_path: Path) -> None:
    payload = build_msi.stand_in_payload(tmp_path / "payload")
    built = build_msi.build_with_wixl(tmp_path / "out", payload, VERSION)
    assert built.name == "yimen-0.1.0-x64.msi"
    assert build_msi.check(built) == []


def test_an_attribute_wixl_drops_silently_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # wixl warns and goes on without Feature/@InstallDefault; a build that did the same would ship a different MSI.
    feature = '<Feature Id="Client"'
    source = WXS.read_text(encoding="utf-8").replace(feature, f'{feature} InstallDefault="local"')
    (tmp_path / "yimen.wxs").write_text(source, encoding="utf-8")
    monkeypatch.setattr(build_msi, "WXS", tmp_path / "yimen.wxs")
    with pytest.raises(build_msi.BuildError, match="Feature/@InstallDefault"):
        build_msi.build_with_wixl(tmp_path / "out", None, VERSION)


def test_a_file_name_wixl_would_lose_is_refused(tmp_path: Path) -> None:
    payload = build_msi.stand_in_payload(tmp_path / "payload")
    (payload / "_internal" / "说明.txt").write_text("x", encoding="utf-8")
    with pytest.raises(build_msi.BuildError, match="说明.txt"):
        build_msi.build_with_wixl(tmp_path / "out", payload, VERSION)
