"""Deployment settings (machine-wide, written by IT) and where things live.

Each setting is declared once in :data:`DEPLOYMENT_SETTINGS` with its type, whether it is required, its default
and what is expected (STYLE.md §9).  The file is TOML in the platform's system config folder (``/etc/xdg/yimen``
on Linux, ``C:\\ProgramData\\yimen`` on Windows), overridable by ``--config`` / ``YIMEN_CONFIG``.  The data folder is
machine-wide too (ARCHITECTURE.md invariant 3: one workstation, one database), overridable by ``--data-dir`` /
``YIMEN_DATA_DIR``.  Only UI state is per user (Qt's QSettings, geometry only).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs

from app.errors import ConfigError
from app.i18n import QT_TRANSLATE_NOOP, Message, msg
from app.idcard.settings import IdCardSettings

APP_NAME = "yimen"
CONFIG_FILE_NAME = "yimen.toml"
CONFIG_ENV = "YIMEN_CONFIG"
DATA_DIR_ENV = "YIMEN_DATA_DIR"
# A printer named "file:FOLDER" writes each print job as a PDF into FOLDER (below the data folder); demo mode only.
FILE_PRINTER_PREFIX = "file:"

log = logging.getLogger("yimen.config")


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


def _at_least_recovery_window(days: int) -> bool:
    """A payload is kept at least the server's recovery window (app/pruning.py), so a restored server's request
    to send again can be answered."""
    from app.pruning import RECOVERY_WINDOW_DAYS

    return days >= RECOVERY_WINDOW_DAYS


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
        3072,
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
        "storage.payload_retention_days",
        int,
        False,
        30,
        QT_TRANSLATE_NOOP(
            "config",
            "中心服务器已确认收到的同步事件，多少天后从本机删除其内容（只保留记录和校验值），14 至 3650 的整数；"
            "不得少于中心服务器的恢复期 14 天（见 docs/reliability.md“Pruning”）",
        ),
        lambda v: _at_least_recovery_window(v) and v <= 3650,
    ),
    SettingDef(
        "storage.document_retention_days",
        int,
        False,
        30,
        QT_TRANSLATE_NOOP(
            "config",
            "中心服务器已收到的文书 PDF，出具或最后一次打印多少天后从本机删除（补打时从中心服务器取回原件），"
            "1 至 3650 的整数",
        ),
        lambda v: 1 <= v <= 3650,
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
    # The ID-card reader (app/idcard, docs/devices.md): which driver, and for a vendor SDK its library pinned by hash.
    SettingDef(
        "idcard.driver",
        str,
        False,
        "none",
        QT_TRANSLATE_NOOP(
            "config",
            "身份证读卡器：none（不用读卡器）、sdk（厂商开发包）、wedge（键盘输入方式的读卡器）"
            "或 simulator（模拟读卡器，仅演示模式）",
        ),
        lambda v: v in {"none", "sdk", "wedge", "simulator"},
    ),
    SettingDef(
        "idcard.sdk_shape",
        str,
        False,
        "termb",
        QT_TRANSLATE_NOOP(
            "config", "厂商开发包的接口：termb（InitComm/Authenticate/Read_Content）或 sdt（公安部 SDT_* 接口）"
        ),
        lambda v: v in {"termb", "sdt"},
    ),
    SettingDef(
        "idcard.library",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config", "厂商读卡库文件（.dll 或 .so）的路径（相对路径以配置文件所在文件夹为准；driver = sdk 时必填）"
        ),
        lambda v: len(v) <= 500,
    ),
    SettingDef(
        "idcard.library_sha256",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config", "读卡库文件的 SHA-256 校验值（64 位十六进制；driver = sdk 时必填，文件不符即拒绝加载）"
        ),
        lambda v: v == "" or re.fullmatch(r"[0-9a-fA-F]{64}", v) is not None,
    ),
    SettingDef(
        "idcard.photo_library",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config", "sdt 接口解码照片的 wltrs 库路径（可留空，留空时不读照片；相对路径以配置文件所在文件夹为准）"
        ),
        lambda v: len(v) <= 500,
    ),
    SettingDef(
        "idcard.photo_library_sha256",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "wltrs 库文件的 SHA-256 校验值（填写 photo_library 时必填）"),
        lambda v: v == "" or re.fullmatch(r"[0-9a-fA-F]{64}", v) is not None,
    ),
    SettingDef(
        "idcard.port",
        int,
        False,
        1001,
        QT_TRANSLATE_NOOP("config", "读卡器端口：USB 为 1001 至 1016，串口为 1 至 16"),
        lambda v: 1 <= v <= 16 or 1001 <= v <= 1016,
    ),
    # No longer used: a library of the other bitness is loaded by the program's own bridge (app/idcard/bridge.py).
    # Still accepted, and ignored, so that older deployment files keep loading.
    SettingDef(
        "idcard.helper_python",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP(
            "config", "已不再使用，可删除（32 位和 64 位读卡库都由本程序自带的读卡辅助程序加载）；填写的值会被忽略"
        ),
    ),
    # Materials' files (电子材料: app/attachments.py, docs/devices.md "Materials"): the document camera, the scanner's
    # folder, and what a file may be.
    SettingDef(
        "materials.camera",
        str,
        False,
        "auto",
        QT_TRANSLATE_NOOP(
            "config",
            "高拍仪：auto（有摄像设备时可拍照附加）、off（不使用），或设备名称中的一段文字（有多个摄像设备时指定一个）",
        ),
        lambda v: 0 < len(v) <= 200,
    ),
    SettingDef(
        "materials.watch_folder",
        str,
        False,
        "",
        QT_TRANSLATE_NOOP("config", "扫描仪保存扫描件的文件夹：新扫描件出现后可一键附加到当前材料；留空为不使用"),
        lambda v: len(v) <= 500,
    ),
    SettingDef(
        "materials.max_file_mb",
        int,
        False,
        20,
        QT_TRANSLATE_NOOP("config", "单个材料文件的大小上限（MB，图片按缩小后计），1 至 100 的整数"),
        lambda v: 1 <= v <= 100,
    ),
    SettingDef(
        "materials.max_side_px",
        int,
        False,
        3508,
        QT_TRANSLATE_NOOP("config", "材料图片长边缩小到多少像素（A4 按 300 dpi 为 3508），1000 至 10000 的整数"),
        lambda v: 1000 <= v <= 10000,
    ),
    # The citizens' signatures (app/signatures.py, docs/devices.md): whether this counter has a signature pad (a USB
    # pad acting as a tablet, a pen or touch screen); off: nobody signs on screen, the paper is signed with a pen.
    SettingDef(
        "signatures.pad",
        str,
        False,
        "off",
        QT_TRANSLATE_NOOP(
            "config", "本窗口是否有签名板或可签名的触摸屏：on（受理前请群众在屏幕上签名）或 off（在纸上签名）"
        ),
        lambda v: v in {"on", "off"},
    ),
    SettingDef(
        "signatures.screen",
        str,
        False,
        "counter",
        QT_TRANSLATE_NOOP(
            "config",
            "签名框显示在哪里：counter（受理人员的屏幕）或 citizen（面向群众的第二块屏幕，适用于群众一侧的触摸屏；"
            "没有第二块屏幕时仍显示在受理人员的屏幕上）",
        ),
        lambda v: v in {"counter", "citizen"},
    ),
    SettingDef(
        "idcard.poll_ms",
        int,
        False,
        300,
        QT_TRANSLATE_NOOP("config", "多少毫秒查看一次读卡器上有没有证件，100 至 2000 的整数"),
        lambda v: 100 <= v <= 2000,
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
    backup_max_total_mb: int = 3072
    retention_days: int = 190
    #: Days an acknowledged event's payload and an issued PDF stay on the workstation (app/pruning.py).
    payload_retention_days: int = 30
    document_retention_days: int = 30
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
    idcard: IdCardSettings = field(default_factory=IdCardSettings)
    #: A signature pad at this counter (``[signatures] pad = "on"``): the signers an item names sign before 受理.
    signature_pad: bool = False
    #: Where the pad's dialog opens (``[signatures] screen``): "counter", or "citizen" (the second screen, when there
    #: is one: a touch screen facing the citizen).
    signature_screen: str = "counter"
    #: The document camera (``[materials] camera``): "auto", "off", or a part of the device's description.
    camera: str = "auto"
    #: The scanner's output folder whose new files are offered to the current material line (None: none).
    watch_folder: Path | None = None
    #: What a material's file may be (app/attachments.py).
    attachment_max_bytes: int = 20 * 1024 * 1024
    attachment_max_side: int = 3508

    @property
    def is_demo(self) -> bool:
        return self.mode is Mode.DEMO


def default_config_path() -> Path:
    """The machine-wide deployment file of this platform."""
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME


#: The machine-wide data folder on Linux (FHS 3.0 §5.8: variable state of an application lives in /var/lib).
LINUX_DATA_DIR = Path("/var/lib/yimen")
#: The store's file name in the data folder (db.engine.DB_FILE_NAME, repeated: app.config stays light to import).
STORE_FILE_NAME = "yimen.sqlite3"
#: The note left in the old data folder once its content has moved.
MOVED_NOTE_NAME = "MOVED-TO-var-lib-yimen.txt"


def _on_linux() -> bool:
    return sys.platform.startswith("linux")


def default_data_dir() -> Path:
    """The machine-wide data folder (database, backups) of this platform: ``/var/lib/yimen`` on Linux, where
    platformdirs puts machine-wide data elsewhere (``C:\\ProgramData\\yimen`` on Windows)."""
    if _on_linux():
        return LINUX_DATA_DIR
    return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))


def legacy_data_dir() -> Path | None:
    """The data folder of versions before 0.1 on Linux (platformdirs' ``site_data_dir``, e.g.
    ``/usr/local/share/yimen``); None elsewhere (the default did not change)."""
    if not _on_linux():
        return None
    return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))


def move_data_dir(old: Path, new: Path) -> bool:
    """Move the content of an old data folder into the new one; True when it moved something.

    Nothing happens unless ``old`` holds a store and ``new`` holds none.  Each entry is renamed when both are on
    one file system (the store itself last, so an interrupted move is resumed at the next start); across file
    systems it is copied, every file verified by size and SHA-256, and only then removed from ``old``.  A note
    naming the new place is left in ``old``.  Never overwrites anything in ``new``.

    Raises:
        ConfigError: both folders hold a store, or an entry of ``old`` already exists in ``new``, or the move
            failed; the message names both folders.
    """
    if not (old / STORE_FILE_NAME).is_file() or old.resolve() == new.resolve():
        return False
    if (new / STORE_FILE_NAME).exists():
        if (old / MOVED_NOTE_NAME).exists():
            return False  # moved before; a copy's left-overs in the old folder are IT's to remove
        raise ConfigError(
            msg(
                "config",
                "新的数据文件夹 {new} 和旧的数据文件夹 {old} 中都有数据库，程序不会覆盖任何一个。"
                "请信息员确认本工位在用的是哪一个，把另一个移走（不要删除）后再启动。",
            ).bind(new=str(new), old=str(old))
        )
    entries = sorted(old.iterdir(), key=lambda e: (e.name == STORE_FILE_NAME, e.name))
    clashes = [e.name for e in entries if (new / e.name).exists() or (new / e.name).is_symlink()]
    try:
        if clashes:
            raise FileExistsError(errno.EEXIST, "exists", str(new / clashes[0]))
        new.mkdir(parents=True, exist_ok=True)
        try:
            for entry in entries:
                os.rename(entry, new / entry.name)
            how = "renamed"
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            _copy_verified(entries, new)
            how = "copied"
        (old / MOVED_NOTE_NAME).write_text(
            f"本文件夹的数据已于 {_now()} 移到 {new}（Yimen 0.1 起 Linux 上的数据文件夹）。\n"
            f"The data of this folder moved to {new} on {_now()} (the data folder on Linux since Yimen 0.1).\n",
            encoding="utf-8",
        )
        if how == "copied":
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
    except OSError as exc:
        raise ConfigError(
            msg(
                "config",
                "无法把旧的数据文件夹 {old} 移到 {new}（{reason}）。数据仍在原处；"
                "请信息员检查两个文件夹的权限和空间后重新启动。",
            ).bind(old=str(old), new=str(new), reason=exc.strerror or exc)
        ) from None
    log.info("data folder moved from %s to %s (%s)", old, new, how)
    return True


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def _copy_verified(entries: list[Path], new: Path) -> None:
    """Copy ``entries`` into ``new`` (the store under a temporary name until all is verified)."""
    pending = f"{STORE_FILE_NAME}.moving"
    for entry in entries:
        target = new / (pending if entry.name == STORE_FILE_NAME else entry.name)
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target, follow_symlinks=False)
    for entry in entries:
        target = new / (pending if entry.name == STORE_FILE_NAME else entry.name)
        sources = [entry] if not entry.is_dir() else sorted(p for p in entry.rglob("*") if p.is_file())
        for source in sources:
            copy = target if source == entry else target / source.relative_to(entry)
            if source.stat().st_size != copy.stat().st_size or _sha256(source) != _sha256(copy):
                raise OSError(errno.EIO, f"复制后校验不一致：{source}")
    os.replace(new / pending, new / STORE_FILE_NAME)  # checked absent above


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_config_path(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    """``--config`` wins over ``YIMEN_CONFIG``, which wins over the platform default."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    return default_config_path()


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str] | None = None, *, move: bool = True) -> Path:
    """``--data-dir`` wins over ``YIMEN_DATA_DIR``, which wins over the platform default (into which an old
    default folder is moved first, unless ``move`` is False: :func:`move_data_dir`).

    Raises:
        ConfigError: the old default folder could not be moved (the message names both folders).
    """
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value)
    if env.get(DATA_DIR_ENV):
        return Path(env[DATA_DIR_ENV])
    folder = default_data_dir()
    legacy = legacy_data_dir()
    if legacy is not None and move:
        move_data_dir(legacy, folder)  # the first start after the upgrade to /var/lib/yimen
    return folder


def pending_move(folder: Path) -> Path | None:
    """The old default data folder whose store :func:`resolve_data_dir` would move into ``folder`` (the default),
    or None."""
    legacy = legacy_data_dir()
    if legacy is None or folder != default_data_dir() or (folder / STORE_FILE_NAME).exists():
        return None
    if not (legacy / STORE_FILE_NAME).is_file() or (legacy / MOVED_NOTE_NAME).exists():
        return None
    return legacy


def _problem_text(path: Path, key: str, text: str, expected: str) -> Message:
    return msg(
        "config", "配置文件 {path} 中的设置“{key}”{problem}，应为：{expected}。请信息员修改该文件后重新启动。"
    ).bind(path=str(path), key=key, problem=text, expected=expected)


def _problem(path: Path, key: str, text: str, expected: str) -> ConfigError:
    return ConfigError(_problem_text(path, key, text, expected))


#: The tables a deployment file may hold (a typo in a table's name is named as such).
KNOWN_TABLES = tuple(dict.fromkeys(s.key.partition(".")[0] for s in DEPLOYMENT_SETTINGS))
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_LOOPBACK_URL = re.compile(r"http://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(/\S*)?")


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML tables; a file that cannot be read, is not UTF-8 or not TOML is one :class:`ConfigError`."""
    if path.is_dir():
        raise ConfigError(
            msg("config", "{path} 是一个文件夹，不是配置文件。请信息员指定其中的 yimen.toml 文件。").bind(
                path=str(path)
            )
        )
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
                path=str(path), reason=exc.strerror or exc
            )
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            msg("config", "配置文件 {path} 不是 UTF-8 编码。请信息员以 UTF-8 编码另存该文件。").bind(path=str(path))
        ) from None
    if not text.strip():
        raise ConfigError(
            msg("config", "配置文件 {path} 是空的。请信息员按安装说明中的样例（yimen.toml.template）填写。").bind(
                path=str(path)
            )
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        position = _TOML_POSITION.search(str(exc))
        if position is None:
            raise ConfigError(
                msg("config", "配置文件 {path} 格式错误（{reason}）。请信息员按安装说明中的样例修改。").bind(
                    path=str(path), reason=str(exc)
                )
            ) from None
        raise ConfigError(
            msg(
                "config",
                "配置文件 {path} 第 {line} 行第 {column} 列格式错误，不是正确的 TOML（{reason}）。"
                "请信息员按安装说明中的样例修改该行。",
            ).bind(
                path=str(path),
                line=position.group(1),
                column=position.group(2),
                reason=_TOML_POSITION.sub("", str(exc)).strip(),
            )
        ) from None


def check_deployment(path: Path) -> tuple[Deployment | None, list[Message]]:
    """Read and validate the deployment file: the deployment, or every problem found (each naming the key).

    ``yimen config check`` prints them all; :func:`load_deployment` refuses to start with the first.
    """
    try:
        data = _read_toml(path)
    except ConfigError as exc:
        return None, [exc.message]
    problems: list[Message] = []

    def problem(key: str, text: str, expected: str) -> None:
        problems.append(_problem_text(path, key, text, expected))

    values: dict[str, Any] = {}
    for setting in DEPLOYMENT_SETTINGS:
        table, _, name = setting.key.partition(".")
        section = data.get(table, {})
        if not isinstance(section, dict):
            continue  # named once, below
        if name not in section:
            if setting.required:
                problem(setting.key, "缺失", setting.expected)
            else:
                values[setting.key] = setting.default
            continue
        value = section[name]
        # TOML true/false is not a number, although bool is an int subclass in Python.
        if not isinstance(value, setting.kind) or (setting.kind is int and isinstance(value, bool)):
            kind = "整数" if setting.kind is int else "带引号的文字"
            problem(setting.key, f"类型不对（应写{kind}）", setting.expected)
            continue
        if isinstance(value, str):
            value = value.strip()
        if setting.check is not None and not setting.check(value):
            problem(setting.key, f"的值“{value}”无效", setting.expected)
            continue
        values[setting.key] = value
    for table, section in data.items():
        if table == DEPARTMENTS_TABLE:
            continue  # checked by _departments
        if table not in KNOWN_TABLES:
            if isinstance(section, dict):
                tables = "、".join((*KNOWN_TABLES, DEPARTMENTS_TABLE))
                problem(table, f"是无法识别的表 [{table}]（可能拼写有误）", f"已知的表之一：{tables}")
            else:
                problem(table, "无法识别（可能拼写有误，或未写在所属的表中）", "删除该项或写在已知的表中")
            continue
        if not isinstance(section, dict):
            problem(table, f"不是一个表（[{table}]）", "一个 TOML 表")
            continue
        for entry in section:
            key = f"{table}.{entry}"
            if key not in {s.key for s in DEPLOYMENT_SETTINGS}:
                problem(key, "无法识别（可能拼写有误）", "删除该项或改为已知设置")
    departments, department_problems = _departments(path, data.get(DEPARTMENTS_TABLE, {}))
    problems.extend(department_problems)

    mode = values.get("deployment.mode")
    production = mode is not None and mode != Mode.DEMO.value
    if production:
        for key in ("server.url", "server.progress_base_url"):
            url = values.get(key, "")
            if url.startswith("http://") and not _LOOPBACK_URL.fullmatch(url):
                # Plain http carries the device credential and personal data in clear text (docs/security.md).
                problem(key, f"的值“{url}”不是 https:// 地址（生产模式只允许加密连接）", "https:// 开头的地址")
    ca_bundle = values.get("server.ca_bundle", "")
    if ca_bundle and not (path.parent / ca_bundle).is_file():
        problem("server.ca_bundle", f"指向的文件“{ca_bundle}”不存在", "CA 证书文件（PEM）的路径")
    printers = ("printing.receipt_printer", "printing.notice_printer", "printing.form_printer")
    for key in printers:
        if production and values.get(key, "").startswith(FILE_PRINTER_PREFIX):
            # The file printer is a demo part: it must never stand in for a real printer (STYLE.md §16).
            problem(
                key,
                f"的值“{values[key]}”是文件打印机，只能用于演示模式",
                "本机打印机的名称，或留空使用默认打印机",
            )
    if production and values.get("backup.recovery_public_key") == "":
        # Without it a lost machine key loses every backup (docs/security.md "Backups"): refused at install.
        problem(
            "backup.recovery_public_key",
            "在生产模式下必须填写（用 yimen recovery-key new 生成信息员的恢复密钥）",
            next(d.expected for d in DEPLOYMENT_SETTINGS if d.key == "backup.recovery_public_key"),
        )
    problems.extend(_idcard_problems(path, values, production=production))
    if problems:
        return None, problems
    return _deployment(path, values, departments), []


def load_deployment(path: Path) -> Deployment:
    """Read and validate the deployment file.

    Raises:
        ConfigError: the file is missing, unreadable, not TOML, or a setting is missing or invalid; the message
            names the file, the key and what is expected (the first problem; ``yimen config check`` lists all).
    """
    deployment, problems = check_deployment(path)
    if deployment is not None:
        return deployment
    if len(problems) == 1:
        raise ConfigError(problems[0])
    raise ConfigError(
        msg("config", "{first}（另有 {more} 处问题：用 yimen config check {path} 可一并列出。）").bind(
            first=problems[0], more=len(problems) - 1, path=str(path)
        )
    )


def _deployment(path: Path, values: Mapping[str, Any], departments: Mapping[str, DepartmentSettings]) -> Deployment:
    ca_bundle = values["server.ca_bundle"]
    seal = values["documents.seal_image"]
    seal_path = (path.parent / seal) if seal else None
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
        payload_retention_days=values["storage.payload_retention_days"],
        document_retention_days=values["storage.document_retention_days"],
        deciding_body=values["documents.deciding_body"] or values["center.name"],
        thermal_seal=values["printing.thermal_seal"],
        departments=departments,
        rating_contact_days=values["ratings.contact_days"],
        rating_rectify_days=values["ratings.rectify_days"],
        rating_screen=values["ratings.screen"],
        silent_sync_minutes=values["reports.silent_sync_minutes"],
        idcard=_idcard(path, values),
        signature_pad=values["signatures.pad"] == "on",
        signature_screen=values["signatures.screen"],
        camera=values["materials.camera"],
        watch_folder=_beside(path, values["materials.watch_folder"]),
        attachment_max_bytes=values["materials.max_file_mb"] * 1024 * 1024,
        attachment_max_side=values["materials.max_side_px"],
    )


def _beside(path: Path, value: str) -> Path | None:
    """A file the deployment names, relative to the deployment file's folder (None when not named)."""
    return (path.parent / value) if value else None


def _idcard(path: Path, values: Mapping[str, Any]) -> IdCardSettings:
    return IdCardSettings(
        driver=values["idcard.driver"],
        sdk_shape=values["idcard.sdk_shape"],
        library=_beside(path, values["idcard.library"]),
        library_sha256=values["idcard.library_sha256"].lower(),
        photo_library=_beside(path, values["idcard.photo_library"]),
        photo_library_sha256=values["idcard.photo_library_sha256"].lower(),
        port=values["idcard.port"],
        poll_ms=values["idcard.poll_ms"],
    )


def _idcard_problems(path: Path, values: Mapping[str, Any], *, production: bool) -> list[Message]:
    """What ``[idcard]`` lacks together: an SDK needs its library and the library's hash; the simulator is a fake."""
    problems: list[Message] = []
    expected = {s.key: s.expected for s in DEPLOYMENT_SETTINGS}
    driver = values.get("idcard.driver")
    if driver == "simulator" and production:
        # A fake never stands in for a real reader (STYLE.md §16).
        problems.append(
            _problem_text(
                path, "idcard.driver", "的值“simulator”是模拟读卡器，只能用于演示模式", expected["idcard.driver"]
            )
        )
    pairs = (("idcard.library", "idcard.library_sha256"), ("idcard.photo_library", "idcard.photo_library_sha256"))
    for file_key, hash_key in pairs:
        if file_key not in values or hash_key not in values:
            continue  # its own problem was named above
        named = values[file_key]
        if file_key == "idcard.library" and driver == "sdk" and not named:
            problems.append(_problem_text(path, file_key, "在 driver = sdk 时必须填写", expected[file_key]))
        if named and not values[hash_key]:
            problems.append(_problem_text(path, hash_key, f"在填写 {file_key} 时必须填写", expected[hash_key]))
        if named and driver == "sdk" and not (path.parent / named).is_file():
            problems.append(_problem_text(path, file_key, f"指向的文件“{named}”不存在", expected[file_key]))
    return problems


DEPARTMENTS_TABLE = "departments"
DEPARTMENT_KEYS = {
    "name": QT_TRANSLATE_NOOP("config", "承办部门全称，如“徐汇区民政局”（印在受理回执上）"),
    "review_body": QT_TRANSLATE_NOOP("config", "该部门事项的行政复议机关全称（可留空，留空时用 [documents] 的设置）"),
    "court": QT_TRANSLATE_NOOP("config", "该部门事项的行政诉讼人民法院全称（可留空，留空时用 [documents] 的设置）"),
}


def _departments(path: Path, section: Any) -> tuple[dict[str, DepartmentSettings], list[Message]]:
    """``[departments.<部门>]``: per 承办部门 its full name and the 复议机关 and court of its items.

    The table names are the catalog's short department names (民政, 残联, 医保, 退役军人事务, 人社, 卫健): a typo
    would silently print the defaults, so an unknown one is refused.  Returns the departments and the problems.
    """
    from app.catalog.schema.vocabulary import Department  # here: the catalog schema stays off the start-up path

    known = [d.value for d in Department]
    expected = "部门简称之一：" + "、".join(known)
    if not isinstance(section, dict):
        return {}, [_problem_text(path, DEPARTMENTS_TABLE, "不是一个表", '[departments."民政"] 这样的表')]
    found: dict[str, DepartmentSettings] = {}
    problems: list[Message] = []
    for short, entries in section.items():
        key = f"{DEPARTMENTS_TABLE}.{short}"
        if short not in known:
            problems.append(_problem_text(path, key, "无法识别（可能拼写有误）", expected))
            continue
        if not isinstance(entries, dict):
            problems.append(_problem_text(path, key, "不是一个表", f"[{key}] 表，含 name、review_body、court"))
            continue
        values: dict[str, str] = {}
        for name, value in entries.items():
            if name not in DEPARTMENT_KEYS:
                problems.append(
                    _problem_text(path, f"{key}.{name}", "无法识别（可能拼写有误）", "name、review_body 或 court")
                )
            elif not isinstance(value, str) or len(value.strip()) > 60:
                problems.append(_problem_text(path, f"{key}.{name}", "类型不对", DEPARTMENT_KEYS[name]))
            else:
                values[name] = value.strip()
        found[short] = DepartmentSettings(
            name=values.get("name", ""), review_body=values.get("review_body", ""), court=values.get("court", "")
        )
    return found, problems


def describe_settings() -> list[Message]:
    """One line per setting of the deployment file: its key, 必填 or 可选, and what it takes (the ``expected`` text
    that ``yimen config check FILE`` names beside a wrong value).  IT's commented sample is
    ``installer/yimen.toml.template``; no command prints this list as a whole."""
    return [
        msg("config", "{key}（{req}）：{expected}").bind(
            key=s.key, req="必填" if s.required else "可选", expected=s.expected
        )
        for s in DEPLOYMENT_SETTINGS
    ]
