"""The vendor SDK driver: a reader's library loaded with ctypes, in the two common shapes of rules.md §6.

* ``termb`` (Synjones and others): ``InitComm(port)`` → ``Authenticate()`` (1: a card is in the field) →
  ``Read_Content_Path(dir, 1)`` or ``Read_Content(1)`` (1 = 基本信息 with the photo) → ``CloseComm()``.  The SDK
  writes ``wz.txt`` (the 256-byte text block) and ``zp.bmp`` (the decoded photo) into the folder given, or into its
  working directory; they are read and deleted at once.  An SDK that writes no ``wz.txt`` is read through its
  getters (``GetName`` … ``GetEndDate``, ``IsFPRIDCard`` and ``GetFPR_*`` for a 永居证), strings freed with
  ``DeleteMBCSString`` where the library has it.
* ``sdt`` (the 公安部 interface): ``SDT_OpenPort`` (0x90) → ``SDT_StartFindIDCard`` (0x9F: a card) →
  ``SDT_SelectIDCard`` (0x90) → ``SDT_ReadBaseMsg`` (0x90; the text block and the 1024-byte WLT photo) →
  ``SDT_ClosePort``; the photo is decoded by ``wltrs``'s ``GetBmp(file, port kind)`` when a photo library is set.

A library of the other bitness, or a ``termb`` library without ``Read_Content_Path`` (it writes into its working
directory, which this program must not change), runs in the helper process (:mod:`app.idcard.host`) with a private
working directory; :func:`open_sdk_reader` decides.
"""

from __future__ import annotations

import ctypes
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.i18n import msg
from app.idcard import library
from app.idcard.model import CardData, CardType, IdCardError, Sex
from app.idcard.reader import DriverKind, FieldWatch, IdCardReader
from app.idcard.settings import IdCardSettings
from app.idcard.text import ETHNICITIES, parse_date, parse_text

log = logging.getLogger("yimen.idcard")

TERMB_OK = 1
SDT_OK = 0x90
SDT_FOUND = 0x9F
TEXT_FILE = "wz.txt"
PHOTO_FILE = "zp.bmp"
WLT_FILE = "xp.wlt"


def _not_connected(port: int, code: int) -> IdCardError:
    return IdCardError(
        msg("idcard", "读卡器未连接或端口 {port} 无法打开。请检查读卡器的连接线和电源；现在请手工录入。").bind(
            port=str(port)
        ),
        detail=f"open returned {code}",
    )


def _read_failed(code: int) -> IdCardError:
    return IdCardError(
        msg("idcard", "读卡失败。请把证件取下后重新平放在读卡器上，仍不行请手工录入。"),
        detail=f"read returned {code}",
    )


def _missing_function(name: str) -> IdCardError:
    return IdCardError(
        msg("idcard", "读卡库缺少函数 {name}，与部署文件中的接口类型不符。请信息员检查 idcard.sdk_shape。").bind(
            name=name
        )
    )


def _function(lib: Any, name: str, argtypes: list[Any], restype: Any = ctypes.c_int) -> Any:
    try:
        func = getattr(lib, name)
    except AttributeError:
        raise _missing_function(name) from None
    func.argtypes = argtypes
    func.restype = restype
    return func


def _has(lib: Any, name: str) -> bool:
    try:
        getattr(lib, name)
    except AttributeError:
        return False
    return True


def _take(folder: Path, name: str) -> bytes | None:
    """Read and delete a file the SDK wrote (personal data never stays on disk)."""
    path = folder / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    path.unlink(missing_ok=True)
    return data


def _decode(raw: bytes) -> str:
    """A getter's string: UTF-8 (Linux SDKs) or GBK (the Windows ANSI code page of Chinese systems)."""
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
    raise IdCardError(msg("idcard", "读卡器返回的证件信息无法识别。请把证件重新放上读卡器，仍不行请手工录入。"))


class TermbReader(IdCardReader):
    """A ``termb``-style library (see the module's docstring).

    Args:
        settings: the deployment's ``[idcard]``.
        folder: where the SDK writes ``wz.txt``/``zp.bmp`` (``Read_Content_Path``) — the helper process's private
            working directory when the library has no ``Read_Content_Path``.
    """

    kind = DriverKind.SDK

    def __init__(self, settings: IdCardSettings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self._lib: Any = None
        self._watch = FieldWatch()

    @staticmethod
    def needs_own_directory(lib: Any) -> bool:
        """The library writes into its working directory (no ``Read_Content_Path``)."""
        return not _has(lib, "Read_Content_Path")

    def open(self) -> None:
        assert self.settings.library is not None
        lib = library.load(self.settings.library, self.settings.library_sha256)
        code = _function(lib, "InitComm", [ctypes.c_int])(self.settings.port)
        if code != TERMB_OK:
            raise _not_connected(self.settings.port, code)
        _function(lib, "Authenticate", [])
        _function(lib, "CloseComm", [])
        if _has(lib, "Read_Content_Path"):
            _function(lib, "Read_Content_Path", [ctypes.c_char_p, ctypes.c_int])
        else:
            _function(lib, "Read_Content", [ctypes.c_int])
        self._lib = lib

    def poll(self) -> CardData | None:
        lib = self._lib
        if lib.Authenticate() != TERMB_OK:
            self._watch.field_empty()
            return None
        if not self._watch.card_found():
            return None
        if _has(lib, "Read_Content_Path"):
            code = lib.Read_Content_Path(str(self.folder).encode(sys.getfilesystemencoding()), 1)
        else:
            code = lib.Read_Content(1)
        if code != TERMB_OK:
            self._watch.field_empty()  # a misread: the clerk places the card again
            raise _read_failed(code)
        text = _take(self.folder, TEXT_FILE)
        photo = _take(self.folder, PHOTO_FILE)
        if text is not None:
            # Some SDKs put a UTF-16 byte-order mark before the block.
            return parse_text(text[2:] if text[:2] == b"\xff\xfe" else text, photo)
        return self._from_getters(photo)

    def _getter(self, name: str) -> str:
        lib = self._lib
        func = _function(lib, name, [], ctypes.c_void_p)
        pointer = func()
        if not pointer:
            return ""
        raw = ctypes.string_at(pointer)
        if _has(lib, "DeleteMBCSString"):
            _function(lib, "DeleteMBCSString", [ctypes.c_void_p], None)(pointer)
        return _decode(raw)

    def _from_getters(self, photo: bytes | None) -> CardData:
        lib = self._lib
        sexes = {"男": Sex.MALE, "女": Sex.FEMALE, "1": Sex.MALE, "2": Sex.FEMALE}
        if _has(lib, "IsFPRIDCard") and _function(lib, "IsFPRIDCard", [])() == 1:
            chinese, english = self._getter("GetFPR_CHNName"), self._getter("GetFPR_ENName")
            return CardData(
                card_type=CardType.FOREIGN_PERMANENT,
                name=chinese or english,
                sex=sexes.get(self._getter("GetFPR_SEX"), Sex.UNKNOWN),
                ethnicity="",
                birth_date=parse_date(self._getter("GetFPR_Birthday")),
                address="",
                id_number=self._getter("GetFPR_IDNo"),
                authority=self._getter("GetFPR_IssuingAuthorityCode"),
                valid_from=parse_date(self._getter("GetFPR_ValidStartDate")),
                valid_to=parse_date(self._getter("GetFPR_ValidEndDate")),
                english_name=english,
                nationality=self._getter("GetFPR_NationCode"),
                photo=photo,
            )
        number = self._getter("GetIDNo")
        nation = self._getter("GetNation")
        return CardData(
            # 港澳台居民居住证 numbers start 81/82/83 (GB 11643 as amended for residence permits).
            card_type=CardType.HK_MACAO_TAIWAN if number[:2] in {"81", "82", "83"} else CardType.RESIDENT,
            name=self._getter("GetName"),
            sex=sexes.get(self._getter("GetSex"), Sex.UNKNOWN),
            ethnicity=ETHNICITIES.get(nation, nation),
            birth_date=parse_date(self._getter("GetBornDate")),
            address=self._getter("GetAddress"),
            id_number=number,
            authority=self._getter("GetSignGov"),
            valid_from=parse_date(self._getter("GetStartDate")),
            valid_to=parse_date(self._getter("GetEndDate")),
            photo=photo,
        )

    def close(self) -> None:
        if self._lib is not None:
            try:
                self._lib.CloseComm()
            except OSError:
                log.warning("closing the ID-card reader failed")
            self._lib = None


class SdtReader(IdCardReader):
    """A 公安部-style ``SDT_*`` library, with ``wltrs`` for the photo (see the module's docstring)."""

    kind = DriverKind.SDK

    def __init__(self, settings: IdCardSettings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self._lib: Any = None
        self._photo_lib: Any = None
        self._watch = FieldWatch()

    def open(self) -> None:
        settings = self.settings
        assert settings.library is not None
        lib = library.load(settings.library, settings.library_sha256)
        buffer = ctypes.POINTER(ctypes.c_ubyte)
        length = ctypes.POINTER(ctypes.c_uint)
        _function(lib, "SDT_StartFindIDCard", [ctypes.c_int, buffer, ctypes.c_int])
        _function(lib, "SDT_SelectIDCard", [ctypes.c_int, buffer, ctypes.c_int])
        _function(lib, "SDT_ReadBaseMsg", [ctypes.c_int, buffer, length, buffer, length, ctypes.c_int])
        _function(lib, "SDT_ClosePort", [ctypes.c_int])
        if settings.photo_library is not None:
            photo_lib = library.load(settings.photo_library, settings.photo_library_sha256)
            _function(photo_lib, "GetBmp", [ctypes.c_char_p, ctypes.c_int])
            self._photo_lib = photo_lib
        code = _function(lib, "SDT_OpenPort", [ctypes.c_int])(settings.port)
        if code != SDT_OK:
            raise _not_connected(settings.port, code)
        self._lib = lib

    def poll(self) -> CardData | None:
        lib, port = self._lib, self.settings.port
        scratch = (ctypes.c_ubyte * 8)()
        if lib.SDT_StartFindIDCard(port, scratch, 1) != SDT_FOUND:
            self._watch.field_empty()
            return None
        if not self._watch.card_found():
            return None
        code = lib.SDT_SelectIDCard(port, scratch, 1)
        if code != SDT_OK:
            self._watch.field_empty()
            raise _read_failed(code)
        text = (ctypes.c_ubyte * 256)()
        photo = (ctypes.c_ubyte * 1024)()
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        code = lib.SDT_ReadBaseMsg(port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 1)
        if code != SDT_OK:
            self._watch.field_empty()
            raise _read_failed(code)
        wlt = bytes(photo)[: min(photo_len.value, 1024)]
        return parse_text(bytes(text)[: min(text_len.value, 256)], self._decode_photo(wlt))

    def _decode_photo(self, wlt: bytes) -> bytes | None:
        """The photo as BMP through ``wltrs`` (None without a photo library, or when it fails: the text counts)."""
        if self._photo_lib is None or not wlt:
            return None
        source = self.folder / WLT_FILE
        source.write_bytes(wlt)
        try:
            # GetBmp's second argument: 1 for a serial reader, 2 for USB (the port numbers from 1001).
            kind = 2 if self.settings.port >= 1001 else 1
            code = self._photo_lib.GetBmp(str(source).encode(sys.getfilesystemencoding()), kind)
        finally:
            source.unlink(missing_ok=True)
        bmp = _take(self.folder, Path(WLT_FILE).with_suffix(".bmp").name)
        if code != 1:
            log.warning("the photo library could not decode the photo (code %s)", code)
            return None
        return bmp

    def close(self) -> None:
        if self._lib is not None:
            try:
                self._lib.SDT_ClosePort(self.settings.port)
            except OSError:
                log.warning("closing the ID-card reader failed")
            self._lib = None


def in_process_reader(settings: IdCardSettings, folder: Path) -> IdCardReader:
    """The driver of ``settings.sdk_shape`` in this process, writing its files into ``folder``."""
    if settings.sdk_shape == "sdt":
        return SdtReader(settings, folder)
    return TermbReader(settings, folder)


def needs_helper(settings: IdCardSettings) -> bool:
    """Whether the library must run in the helper process: another bitness than this process's, or a ``termb``
    library that writes into its working directory.

    Raises:
        IdCardError: the library is refused (hash) or is not a library.
    """
    assert settings.library is not None
    library.check_pinned(settings.library, settings.library_sha256)
    if library.library_bits(settings.library) != library.PROCESS_BITS:
        return True
    if settings.sdk_shape != "termb":
        return False
    lib = library.load(settings.library, settings.library_sha256)
    return TermbReader.needs_own_directory(lib)


class PrivateFolder:
    """A private temporary folder for the SDK's files, removed on close."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="yimen-idcard-"))

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class LocalSdkReader(IdCardReader):
    """The SDK driver in this process, with its private folder."""

    kind = DriverKind.SDK

    def __init__(self, settings: IdCardSettings) -> None:
        self._folder = PrivateFolder()
        self._inner = in_process_reader(settings, self._folder.path)

    def open(self) -> None:
        self._inner.open()

    def poll(self) -> CardData | None:
        return self._inner.poll()

    def close(self) -> None:
        self._inner.close()
        self._folder.remove()


def open_sdk_reader(settings: IdCardSettings, *, force_helper: bool = False) -> IdCardReader:
    """The SDK driver for ``settings``, in this process or in the helper process (not yet opened).

    Raises:
        IdCardError: no library is named, or it is refused (hash) or not a library.
    """
    if settings.library is None:
        raise IdCardError(msg("idcard", "部署文件没有指定读卡库（idcard.library）。请信息员配置；现在请手工录入。"))
    if force_helper or needs_helper(settings):
        from app.idcard.host import HelperReader

        return HelperReader(settings)
    return LocalSdkReader(settings)
