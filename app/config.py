"""Deployment settings (machine-wide, written by IT) and where things live.

Each setting is declared once in :data:`DEPLOYMENT_SETTINGS` with its type, whether it is required, its default
and what is expected (STYLE.md §9).  The file is TOML in the platform's system config folder (``/etc/xdg/yimen``
on Linux, ``C:\\ProgramData\\yimen`` on Windows), overridable by ``--config`` / ``YIMEN_CONFIG``.  The data folder is
machine-wide too (ARCHITECTURE.md invariant 3: one workstation, one database), overridable by ``--data-dir`` /
``YIMEN_DATA_DIR``.  Only UI state is per user (Qt's QSettings, geometry only).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs

from app.errors import ConfigError
from app.i18n import QT_TRANSLATE_NOOP, Message, msg

APP_NAME = "yimen"
CONFIG_FILE_NAME = "yimen.toml"
CONFIG_ENV = "YIMEN_CONFIG"
DATA_DIR_ENV = "YIMEN_DATA_DIR"
# A printer named "file:FOLDER" writes each print job as a PDF into FOLDER (below the data folder); demo mode only.
FILE_PRINTER_PREFIX = "file:"


class Mode(StrEnum):
    """How the workstation runs.  Demo data and test-only parts refuse to run in production (STYLE.md §16)."""

    PRODUCTION = "production"
    DEMO = "demo"


@dataclass(frozen=True)
class SettingDef:
    """One deployment setting.

    Attributes:
        key: dotted key in the TOML file (``center.code`` is ``code`` in table ``[center]``).
        kind: python type the value must have after parsing.
        required: whether the file must give it.
        default: the value when it is absent and not required.
        expected: what a valid value looks like, in Chinese, for the error message.
        check: an extra check returning True when the value is valid.
    """

    key: str
    kind: type
    required: bool
    default: Any
    expected: str
    check: Callable[[Any], bool] | None = None


def _matches(pattern: str) -> Callable[[Any], bool]:
    compiled = re.compile(pattern)
    return lambda value: bool(compiled.fullmatch(value))


def _url(value: str) -> bool:
    return value == "" or bool(re.fullmatch(r"https?://[^\s/]+(:\d+)?(/\S*)?", value))


DEPLOYMENT_SETTINGS: tuple[SettingDef, ...] = (
    SettingDef(
        "deployment.mode",
        str,
        False,
        "production",
        QT_TRANSLATE_NOOP("config", "production 或 demo"),
        lambda v: v in {m.value for m in Mode},
    ),
    SettingDef(
        "center.code",
        str,
        True,
        None,
        QT_TRANSLATE_NOOP("config", "9 至 12 位数字的中心代码（街道/乡镇区划代码，分中心在后加序号）"),
        _matches(r"\d{9,12}"),
    ),
    SettingDef(
        "center.name",
        str,
        True,
        None,
        QT_TRANSLATE_NOOP("config", "中心全称，如“徐汇区湖南路街道社区事务受理服务中心”"),
        lambda v: 2 <= len(v.strip()) <= 100,
    ),
    SettingDef(
        "center.short_name",
        str,
        True,
        None,
        QT_TRANSLATE_NOOP("config", "文书编号用的机关简称，1 至 12 个字，如“湖南路”"),
        lambda v: 1 <= len(v.strip()) <= 12,
    ),
    SettingDef(
        "center.district",
        str,
        True,
        None,
        QT_TRANSLATE_NOOP("config", "所在区，如“徐汇区”"),
        lambda v: 2 <= len(v.strip()) <= 20,
    ),
    SettingDef("center.address", str, False, "", QT_TRANSLATE_NOOP("config", "中心地址（文字）")),
    SettingDef("center.phone", str, False, "", QT_TRANSLATE_NOOP("config", "中心咨询电话（文字）")),
    SettingDef(
        "center.complaint_phone",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "投诉监督电话（文字，印在受理回执和通知书上）"),
    ),
    SettingDef(
        "workstation.code",
        str,
        True,
        None,
        QT_TRANSLATE_NOOP("config", "3 位数字的工位代码（001–999，更换机器时使用新代码，永不重复使用）"),
        _matches(r"(?!000)\d{3}"),
    ),
    SettingDef(
        "workstation.window",
        str,
        True,
        None,
        QT_TRANSLATE_NOOP("config", "窗口名称，如“3号综合窗口”"),
        lambda v: 1 <= len(v.strip()) <= 30,
    ),
    SettingDef(
        "server.url",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "中心服务器地址，如 https://yimen.example.gov.cn（可留空，离线运行）"),
        _url,
    ),
    SettingDef(
        "server.progress_base_url",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "市民查询进度的公网地址，如 https://jd.example.gov.cn（可留空）"),
        _url,
    ),
    SettingDef(
        "server.ca_bundle",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config", "校验中心服务器证书用的 CA 证书文件（PEM）路径（可留空，留空时使用系统信任的证书）"
        ),
    ),
    SettingDef(
        "server.proxy",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "连接中心服务器使用的代理，如 http://proxy.example:3128（可留空，直连）"),
        _url,
    ),
    SettingDef(
        "server.batch_size",
        int,
        False,
        500,
        QT_TRANSLATE_NOOP("config", "每批上传的事件数，10 至 500 的整数（网络很慢时可调小）"),
        lambda v: 10 <= v <= 500,
    ),
    SettingDef(
        "documents.seal_image",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config", "中心印章图样的 PNG 文件路径（相对路径以配置文件所在文件夹为准；可留空，留空时印“盖章处”框）"
        ),
    ),
    SettingDef(
        "documents.review_body",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "行政复议机关全称，如“上海市徐汇区人民政府”（印在不予受理通知书上；可留空）"),
        lambda v: len(v) <= 60,
    ),
    SettingDef(
        "documents.court",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "行政诉讼的人民法院全称，如“上海市徐汇区人民法院”（印在不予受理通知书上；可留空）"),
        lambda v: len(v) <= 60,
    ),
    SettingDef(
        "documents.deciding_body",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config",
            "作出受理和不予受理决定的机关全称，如本中心、“徐汇区湖南路街道办事处”或承办部门"
            "（署名印在通知书上；可留空，留空时为中心全称）",
        ),
        lambda v: len(v) <= 60,
    ),
    SettingDef(
        "printing.receipt_format",
        str,
        False,
        "a4",
        QT_TRANSLATE_NOOP("config", "受理回执的纸张：a4（A4 纸）或 thermal80（80 毫米热敏卷纸）"),
        lambda v: v in {"a4", "thermal80"},
    ),
    SettingDef(
        "printing.thermal_seal",
        str,
        False,
        "line",
        QT_TRANSLATE_NOOP("config", "热敏回执上的印章：line（黑色线条印章）或 none（不印印章，留“盖章处”框）"),
        lambda v: v in {"line", "none"},
    ),
    SettingDef(
        "printing.receipt_printer",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "打印受理回执的打印机名称（留空为系统默认打印机）"),
        lambda v: len(v) <= 200,
    ),
    SettingDef(
        "printing.notice_printer",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "打印补正、不予受理和预审告知书（A4）的打印机名称（留空为系统默认打印机）"),
        lambda v: len(v) <= 200,
    ),
    SettingDef(
        "printing.form_printer",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "打印申请表（A4）的打印机名称（留空为系统默认打印机）"),
        lambda v: len(v) <= 200,
    ),
    SettingDef(
        "printing.notice_copies",
        int,
        False,
        1,
        QT_TRANSLATE_NOOP("config", "通知书每次打印的份数，1 至 5 的整数（一份交申请人，一份签收后存档时设为 2）"),
        lambda v: 1 <= v <= 5,
    ),
    SettingDef(
        "backup.recovery_public_key",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config",
            "信息员恢复密钥的公钥（age1 开头，由 yimen recovery-key new 生成；私钥离线保管）。"
            "备份同时加密给本机和此公钥，本机密钥丢失时仍可用私钥恢复。生产模式必填",
        ),
        lambda v: v == "" or re.fullmatch(r"age1[02-9ac-hj-np-z]{58}", v) is not None,
    ),
    SettingDef(
        "backup.keep",
        int,
        False,
        10,
        QT_TRANSLATE_NOOP("config", "数据文件夹中最多保留几份备份，2 至 60 的整数（最新一份总会保留）"),
        lambda v: 2 <= v <= 60,
    ),
    SettingDef(
        "backup.max_total_mb",
        int,
        False,
        8192,
        QT_TRANSLATE_NOOP("config", "全部备份最多占用多少 MB，100 至 1000000 的整数（最新一份总会保留）"),
        lambda v: 100 <= v <= 1_000_000,
    ),
    SettingDef(
        "privacy.retention_days",
        int,
        False,
        190,
        QT_TRANSLATE_NOOP(
            "config",
            "已办结且中心服务器已确认收到的申请，最后一次变动多少天后从本机清除个人信息，30 至 3650 的整数"
            "（中心服务器和档案保存原件；见 docs/privacy.md）",
        ),
        lambda v: 30 <= v <= 3650,
    ),
    SettingDef(
        "ratings.contact_days",
        int,
        False,
        1,
        QT_TRANSLATE_NOOP(
            "config", "差评后几个工作日内要回访联系评价人，1 至 30 的整数（按本地好差评制度填写；见 docs/ratings.md）"
        ),
        lambda v: 1 <= v <= 30,
    ),
    SettingDef(
        "ratings.rectify_days",
        int,
        False,
        5,
        QT_TRANSLATE_NOOP("config", "差评后几个工作日内要完成整改并反馈，1 至 60 的整数（按本地好差评制度填写）"),
        lambda v: 1 <= v <= 60,
    ),
    SettingDef(
        "ratings.screen",
        str,
        False,
        "auto",
        QT_TRANSLATE_NOOP(
            "config", "评价器显示在哪里：auto（有第二块屏幕时显示在面向群众的屏幕上，否则弹出对话框）或 dialog"
        ),
        lambda v: v in {"auto", "dialog"},
    ),
    SettingDef(
        "reports.silent_sync_minutes",
        int,
        False,
        60,
        QT_TRANSLATE_NOOP("config", "全中心统计中，受理窗口多少分钟没有成功上传即标出提醒，5 至 10080 的整数"),
        lambda v: 5 <= v <= 10080,
    ),
    SettingDef(
        "ui.language",
        str,
        False,
        "zh_CN",
        QT_TRANSLATE_NOOP("config", "界面语言：zh_CN 或 en"),
        lambda v: v in {"zh_CN", "en"},
    ),
    SettingDef(
        "security.max_failed_logins",
        int,
        False,
        5,
        QT_TRANSLATE_NOOP("config", "连续登录失败几次后锁定账号，3 至 20 的整数"),
        lambda v: 3 <= v <= 20,
    ),
    SettingDef(
        "security.lockout_minutes",
        int,
        False,
        15,
        QT_TRANSLATE_NOOP("config", "账号锁定的分钟数，1 至 1440 的整数"),
        lambda v: 1 <= v <= 1440,
    ),
    SettingDef(
        "security.lock_minutes",
        int,
        False,
        5,
        QT_TRANSLATE_NOOP(
            "config", "无键盘鼠标操作多少分钟后锁定受理窗口，1 至 120 的整数；0 为不自动锁定（Ctrl+L 仍可随时锁定）"
        ),
        lambda v: v == 0 or 1 <= v <= 120,
    ),
)


@dataclass(frozen=True)
class DepartmentSettings:
    """A 承办部门 as the deployment names it (``[departments.<部门>]``): empty strings fall back to the defaults."""

    name: str = ""
    review_body: str = ""
    court: str = ""


@dataclass(frozen=True)
class Deployment:
    """The validated deployment settings of this workstation."""

    source: Path
    mode: Mode
    center_code: str
    center_name: str
    center_short_name: str
    district: str
    center_address: str
    center_phone: str
    complaint_phone: str
    workstation_code: str
    window_name: str
    server_url: str
    progress_base_url: str
    language: str
    max_failed_logins: int
    lockout_minutes: int
    seal_image: Path | None = None
    review_body: str = ""
    court: str = ""
    receipt_format: str = "a4"
    receipt_printer: str = ""
    notice_printer: str = ""
    form_printer: str = ""
    notice_copies: int = 1
    server_ca_bundle: str = ""
    server_proxy: str = ""
    sync_batch_size: int = 500
    lock_minutes: int = 5
    recovery_public_key: str = ""
    backup_keep: int = 10
    backup_max_total_mb: int = 8192
    retention_days: int = 190
    #: Who decides at this counter (printed as the 署名 of notices): the centre, the 街道办事处 or the department.
    deciding_body: str = ""
    #: The seal of an 80 mm receipt: "line" (black line-art, drawn) or "none" (the 盖章处 box).
    thermal_seal: str = "line"
    departments: Mapping[str, DepartmentSettings] = field(default_factory=dict)
    #: 差评 follow-up deadlines in working days after the rating (local rules differ: docs/ratings.md).
    rating_contact_days: int = 1
    rating_rectify_days: int = 5
    #: Where the citizen rates: "auto" (a second screen when there is one, else a dialog) or "dialog".
    rating_screen: str = "auto"
    #: A workstation of the center silent (no successful push) for longer is highlighted in the center's figures.
    silent_sync_minutes: int = 60

    @property
    def is_demo(self) -> bool:
        return self.mode is Mode.DEMO


def default_config_path() -> Path:
    """The machine-wide deployment file of this platform."""
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME


def default_data_dir() -> Path:
    """The machine-wide data folder (database, backups) of this platform."""
    return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))


def resolve_config_path(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    """``--config`` wins over ``YIMEN_CONFIG``, which wins over the platform default."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    return default_config_path()


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    """``--data-dir`` wins over ``YIMEN_DATA_DIR``, which wins over the platform default."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value)
    if env.get(DATA_DIR_ENV):
        return Path(env[DATA_DIR_ENV])
    return default_data_dir()


def _problem(path: Path, key: str, text: str, expected: str) -> ConfigError:
    return ConfigError(
        msg(
            "config", "配置文件 {path} 中的设置“{key}”{problem}，应为：{expected}。请信息员修改该文件后重新启动。"
        ).bind(path=str(path), key=key, problem=text, expected=expected)
    )


def load_deployment(path: Path) -> Deployment:
    """Read and validate the deployment file.

    Raises:
        ConfigError: the file is missing, unreadable, not TOML, or a setting is missing or invalid; the message
            names the file, the key and what is expected.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            msg("config", "找不到配置文件 {path}。请信息员按安装说明创建该文件，或用 --config 指定配置文件。").bind(
                path=str(path)
            )
        ) from None
    except OSError as exc:
        raise ConfigError(
            msg("config", "无法读取配置文件 {path}（{reason}）。请信息员检查文件权限。").bind(
                path=str(path), reason=exc
            )
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(
            msg("config", "配置文件 {path} 不是 UTF-8 编码。请信息员以 UTF-8 编码另存该文件。").bind(path=str(path))
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            msg("config", "配置文件 {path} 格式错误（{reason}）。请信息员按安装说明中的样例修改。").bind(
                path=str(path), reason=str(exc)
            )
        ) from None

    values: dict[str, Any] = {}
    known = {s.key for s in DEPLOYMENT_SETTINGS}
    for setting in DEPLOYMENT_SETTINGS:
        table, _, name = setting.key.partition(".")
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise _problem(path, table, f"不是一个表（[{table}]）", "一个 TOML 表")
        if name not in section:
            if setting.required:
                raise _problem(path, setting.key, "缺失", setting.expected)
            values[setting.key] = setting.default
            continue
        value = section[name]
        # TOML true/false is not a number, although bool is an int subclass in Python.
        if not isinstance(value, setting.kind) or (setting.kind is int and isinstance(value, bool)):
            raise _problem(path, setting.key, "类型不对", setting.expected)
        if isinstance(value, str):
            value = value.strip()
        if setting.check is not None and not setting.check(value):
            raise _problem(path, setting.key, f"的值“{value}”无效", setting.expected)
        values[setting.key] = value
    departments = _departments(path, data.get(DEPARTMENTS_TABLE, {}))
    for table, section in data.items():
        if table == DEPARTMENTS_TABLE:
            continue  # checked by _departments
        entries: list[str | None] = list(section) if isinstance(section, dict) else [None]
        for entry in entries:
            key = f"{table}.{entry}" if entry is not None else table
            if key not in known:
                raise _problem(path, key, "无法识别（可能拼写有误）", "删除该项或改为已知设置")

    ca_bundle = values["server.ca_bundle"]
    if ca_bundle and not (path.parent / ca_bundle).is_file():
        raise _problem(path, "server.ca_bundle", f"指向的文件“{ca_bundle}”不存在", "CA 证书文件（PEM）的路径")
    seal = values["documents.seal_image"]
    seal_path = (path.parent / seal) if seal else None
    printers = ("printing.receipt_printer", "printing.notice_printer", "printing.form_printer")
    for key in printers:
        if values[key].startswith(FILE_PRINTER_PREFIX) and values["deployment.mode"] != Mode.DEMO.value:
            # The file printer is a demo part: it must never stand in for a real printer (STYLE.md §16).
            raise _problem(
                path,
                key,
                f"的值“{values[key]}”是文件打印机，只能用于演示模式",
                "本机打印机的名称，或留空使用默认打印机",
            )
    if values["deployment.mode"] != Mode.DEMO.value and not values["backup.recovery_public_key"]:
        # Without it a lost machine key loses every backup (docs/security.md "Backups"): refused at install.
        raise _problem(
            path,
            "backup.recovery_public_key",
            "在生产模式下必须填写（用 yimen recovery-key new 生成信息员的恢复密钥）",
            next(d.expected for d in DEPLOYMENT_SETTINGS if d.key == "backup.recovery_public_key"),
        )
    return Deployment(
        source=path,
        mode=Mode(values["deployment.mode"]),
        center_code=values["center.code"],
        center_name=values["center.name"],
        center_short_name=values["center.short_name"],
        district=values["center.district"],
        center_address=values["center.address"],
        center_phone=values["center.phone"],
        complaint_phone=values["center.complaint_phone"],
        workstation_code=values["workstation.code"],
        window_name=values["workstation.window"],
        server_url=values["server.url"],
        progress_base_url=values["server.progress_base_url"],
        language=values["ui.language"],
        max_failed_logins=values["security.max_failed_logins"],
        lockout_minutes=values["security.lockout_minutes"],
        seal_image=seal_path,
        review_body=values["documents.review_body"],
        court=values["documents.court"],
        receipt_format=values["printing.receipt_format"],
        receipt_printer=values["printing.receipt_printer"],
        notice_printer=values["printing.notice_printer"],
        form_printer=values["printing.form_printer"],
        notice_copies=values["printing.notice_copies"],
        server_ca_bundle=str(path.parent / ca_bundle) if ca_bundle else "",
        server_proxy=values["server.proxy"],
        sync_batch_size=values["server.batch_size"],
        lock_minutes=values["security.lock_minutes"],
        recovery_public_key=values["backup.recovery_public_key"],
        backup_keep=values["backup.keep"],
        backup_max_total_mb=values["backup.max_total_mb"],
        retention_days=values["privacy.retention_days"],
        deciding_body=values["documents.deciding_body"] or values["center.name"],
        thermal_seal=values["printing.thermal_seal"],
        departments=departments,
        rating_contact_days=values["ratings.contact_days"],
        rating_rectify_days=values["ratings.rectify_days"],
        rating_screen=values["ratings.screen"],
        silent_sync_minutes=values["reports.silent_sync_minutes"],
    )


DEPARTMENTS_TABLE = "departments"
DEPARTMENT_KEYS = {
    "name": QT_TRANSLATE_NOOP("config", "承办部门全称，如“徐汇区民政局”（印在受理回执上）"),
    "review_body": QT_TRANSLATE_NOOP("config", "该部门事项的行政复议机关全称（可留空，留空时用 [documents] 的设置）"),
    "court": QT_TRANSLATE_NOOP("config", "该部门事项的行政诉讼人民法院全称（可留空，留空时用 [documents] 的设置）"),
}


def _departments(path: Path, section: Any) -> dict[str, DepartmentSettings]:
    """``[departments.<部门>]``: per 承办部门 its full name and the 复议机关 and court of its items.

    The table names are the catalog's short department names (民政, 残联, 医保, 退役军人事务, 人社, 卫健): a typo
    would silently print the defaults, so an unknown one is refused.
    """
    from app.catalog.schema.vocabulary import Department  # here: the catalog schema stays off the start-up path

    known = [d.value for d in Department]
    expected = "部门简称之一：" + "、".join(known)
    if not isinstance(section, dict):
        raise _problem(path, DEPARTMENTS_TABLE, "不是一个表", '[departments."民政"] 这样的表')
    found: dict[str, DepartmentSettings] = {}
    for short, entries in section.items():
        key = f"{DEPARTMENTS_TABLE}.{short}"
        if short not in known:
            raise _problem(path, key, "无法识别（可能拼写有误）", expected)
        if not isinstance(entries, dict):
            raise _problem(path, key, "不是一个表", f"[{key}] 表，含 name、review_body、court")
        values: dict[str, str] = {}
        for name, value in entries.items():
            if name not in DEPARTMENT_KEYS:
                raise _problem(path, f"{key}.{name}", "无法识别（可能拼写有误）", "name、review_body 或 court")
            if not isinstance(value, str) or len(value.strip()) > 60:
                raise _problem(path, f"{key}.{name}", "类型不对", DEPARTMENT_KEYS[name])
            values[name] = value.strip()
        found[short] = DepartmentSettings(
            name=values.get("name", ""), review_body=values.get("review_body", ""), court=values.get("court", "")
        )
    return found


def describe_settings() -> list[Message]:
    """One line per setting for the installer template and `yimen --help-config`."""
    return [
        msg("config", "{key}（{req}）：{expected}").bind(
            key=s.key, req="必填" if s.required else "可选", expected=s.expected
        )
        for s in DEPLOYMENT_SETTINGS
    ]
