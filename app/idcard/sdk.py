"""The vendor SDK driver: a reader's library in the two common shapes of rules.md §6.

* ``termb`` (Synjones and others): ``InitComm(port)`` → ``Authenticate()`` (1: a card is in the field) →
  ``Read_Content_Path(dir, 1)`` or ``Read_Content(1)`` (1 = 基本信息 with the photo) → ``CloseComm()``.  The SDK
  writes ``wz.txt`` (the 256-byte text block) and ``zp.bmp`` (the decoded photo) into the folder given, or into its
  working directory; they are read and deleted at once.  An SDK that writes no ``wz.txt`` is read through its
  getters (``GetName`` … ``GetEndDate``, ``IsFPRIDCard`` and ``GetFPR_*`` for a 永居证), strings freed with
  ``DeleteMBCSString`` where the library has it.
* ``sdt`` (the 公安部 interface): ``SDT_OpenPort`` (0x90) → ``SDT_StartFindIDCard`` (0x9F: a card) →
  ``SDT_SelectIDCard`` (0x90) → ``SDT_ReadBaseMsg`` (0x90; the text block and the 1024-byte WLT photo) →
  ``SDT_ClosePort``; the photo is decoded by ``wltrs``'s ``GetBmp(file, port kind)`` when a photo library is set.

The drivers call the library through :class:`~app.idcard.library.SdkLibrary` and find their files in a
:class:`LibraryHost`'s private folder: :class:`InProcess` (ctypes in this process) for a library of this program's
bitness that takes the folder as an argument, :class:`InBridge` (the bridge process of the library's bitness, whose
working directory is that folder: app/idcard/bridge.py) for one of the other bitness or a ``termb`` library without
``Read_Content_Path``; :func:`open_sdk_reader` decides.  The logic is the same in both.
"""

from __future__ import annotations

import abc
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from app.i18n import msg
from app.idcard import library
from app.idcard.bridge import Bridge
from app.idcard.library import LocalLibrary, Out, OutUint, SdkLibrary
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


def _require(lib: SdkLibrary, *names: str) -> None:
    for name in names:
        if not lib.has(name):
            raise library.missing_function(name)


def _take(folder: Path, name: str) -> bytes | None:
    """Read and delete a file the SDK wrote (personal data never stays on disk)."""
    path = folder / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    path.unlink(missing_ok=True)
    return data


def _native_path(path: Path) -> bytes:
    """A path as a vendor library's ``const char *`` takes it: the ANSI code page on Windows, else the file
    system's bytes."""
    if sys.platform == "win32":
        return str(path).encode("mbcs")
    return os.fsencode(path)


def _decode(raw: bytes) -> str:
    """A getter's string: UTF-8 (Linux SDKs) or GBK (the Windows ANSI code page of Chinese systems)."""
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
    raise IdCardError(msg("idcard", "读卡器返回的证件信息无法识别。请把证件重新放上读卡器，仍不行请手工录入。"))


# ------------------------------------------------------------------------------------------------ where it runs


class LibraryHost(abc.ABC):
    """Where a reader's libraries run, with the private folder the SDK writes its files into.

    Attributes:
        folder: the private folder, between :meth:`open` and :meth:`close` (None otherwise).
    """

    folder: Path | None = None

    def open(self) -> None:
        """Make the private folder (a temporary folder only this account can read)."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="yimen-idcard-"))

    @abc.abstractmethod
    def load(self, path: Path, pinned: str) -> SdkLibrary:
        """A library, once its hash is the pinned one.

        Raises:
            IdCardError: refused (hash), not loadable, or the bridge is missing or failed.
        """

    def close(self) -> None:
        """Remove the private folder (never raises)."""
        folder, self.folder = self.folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


class InProcess(LibraryHost):
    """The libraries in this process (ctypes); the SDK writes into the folder it is given."""

    def load(self, path: Path, pinned: str) -> SdkLibrary:
        return LocalLibrary(path, pinned)


class InBridge(LibraryHost):
    """The libraries in a bridge process of their bitness, whose working directory is the private folder.

    Args:
        bits: the libraries' bitness.
        bridges: where the bridges are (default: this installation's, :func:`app.idcard.bridge.bridge_folder`).
    """

    def __init__(self, bits: int, bridges: Path | None = None) -> None:
        self.bridge = Bridge(bits, bridges)

    def open(self) -> None:
        super().open()
        assert self.folder is not None
        if self.bridge.process is None:
            self.bridge.start(self.folder)

    def load(self, path: Path, pinned: str) -> SdkLibrary:
        return self.bridge.load(path, pinned)

    def close(self) -> None:
        self.bridge.close()  # first: the bridge's working directory goes with the folder
        super().close()


# ------------------------------------------------------------------------------------------------ the drivers


class SdkReader(IdCardReader):
    """What both shapes share: the settings, the host and its folder, the field watch.

    Args:
        settings: the deployment's ``[idcard]``.
        host: where the library runs (:class:`InProcess` or :class:`InBridge`).
    """

    kind = DriverKind.SDK

    def __init__(self, settings: IdCardSettings, host: LibraryHost) -> None:
        self.settings = settings
        self.host = host
        self._lib: SdkLibrary | None = None
        self._watch = FieldWatch()

    @property
    def folder(self) -> Path:
        """The private folder the SDK writes into (the bridge's working directory)."""
        assert self.host.folder is not None, "the reader is not open"
        return self.host.folder

    def _library(self) -> SdkLibrary:
        assert self._lib is not None, "the reader is not open"
        return self._lib

    def open(self) -> None:
        assert self.settings.library is not None
        self.host.open()
        self._open(self.host.load(self.settings.library, self.settings.library_sha256))

    @abc.abstractmethod
    def _open(self, lib: SdkLibrary) -> None:
        """Check the library's functions and open the port; sets ``_lib``."""

    @abc.abstractmethod
    def _close_port(self, lib: SdkLibrary) -> None: ...

    def close(self) -> None:
        lib, self._lib = self._lib, None
        if lib is not None:
            try:
                self._close_port(lib)
            except IdCardError as exc:
                log.info("the ID-card reader's port was not closed (%s)", exc.detail)  # its bridge is gone
            except OSError:
                log.warning("closing the ID-card reader failed")
        self.host.close()


class TermbReader(SdkReader):
    """A ``termb``-style library (see the module's docstring)."""

    _with_path = True  # the library has Read_Content_Path
    _free: str | None = None  # the function that frees a getter's string, where the library has one

    @staticmethod
    def needs_own_directory(lib: SdkLibrary) -> bool:
        """The library writes into its working directory (no ``Read_Content_Path``)."""
        return not lib.has("Read_Content_Path")

    def _open(self, lib: SdkLibrary) -> None:
        _require(lib, "InitComm", "Authenticate", "CloseComm")
        self._with_path = lib.has("Read_Content_Path")
        if not self._with_path:
            _require(lib, "Read_Content")
        self._free = "DeleteMBCSString" if lib.has("DeleteMBCSString") else None
        code = lib.call("InitComm", self.settings.port).result
        if code != TERMB_OK:
            raise _not_connected(self.settings.port, code)
        self._lib = lib

    def _close_port(self, lib: SdkLibrary) -> None:
        lib.call("CloseComm")

    def poll(self) -> CardData | None:
        lib = self._library()
        if lib.call("Authenticate").result != TERMB_OK:
            self._watch.field_empty()
            return None
        if not self._watch.card_found():
            return None
        if self._with_path:
            code = lib.call("Read_Content_Path", _native_path(self.folder), 1).result
        else:
            code = lib.call("Read_Content", 1).result  # into the bridge's working directory, self.folder
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
        raw = self._library().call_string(name, free=self._free)
        return "" if raw is None else _decode(raw)

    def _from_getters(self, photo: bytes | None) -> CardData:
        lib = self._library()
        sexes = {"男": Sex.MALE, "女": Sex.FEMALE, "1": Sex.MALE, "2": Sex.FEMALE}
        if lib.has("IsFPRIDCard") and lib.call("IsFPRIDCard").result == 1:
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


class SdtReader(SdkReader):
    """A 公安部-style ``SDT_*`` library, with ``wltrs`` for the photo (see the module's docstring)."""

    def __init__(self, settings: IdCardSettings, host: LibraryHost) -> None:
        super().__init__(settings, host)
        self._photo_lib: SdkLibrary | None = None

    def _open(self, lib: SdkLibrary) -> None:
        settings = self.settings
        _require(lib, "SDT_OpenPort", "SDT_StartFindIDCard", "SDT_SelectIDCard", "SDT_ReadBaseMsg", "SDT_ClosePort")
        if settings.photo_library is not None:
            photo_lib = self.host.load(settings.photo_library, settings.photo_library_sha256)
            _require(photo_lib, "GetBmp")
            self._photo_lib = photo_lib
        code = lib.call("SDT_OpenPort", settings.port).result
        if code != SDT_OK:
            raise _not_connected(settings.port, code)
        self._lib = lib

    def _close_port(self, lib: SdkLibrary) -> None:
        lib.call("SDT_ClosePort", self.settings.port)

    def poll(self) -> CardData | None:
        lib, port = self._library(), self.settings.port
        if lib.call("SDT_StartFindIDCard", port, Out(8), 1).result != SDT_FOUND:
            self._watch.field_empty()
            return None
        if not self._watch.card_found():
            return None
        code = lib.call("SDT_SelectIDCard", port, Out(8), 1).result
        if code != SDT_OK:
            self._watch.field_empty()
            raise _read_failed(code)
        called = lib.call("SDT_ReadBaseMsg", port, Out(256), OutUint(), Out(1024), OutUint(), 1)
        if called.result != SDT_OK:
            self._watch.field_empty()
            raise _read_failed(called.result)
        text, text_len, photo, photo_len = called.outputs
        assert isinstance(text, bytes) and isinstance(photo, bytes)
        assert isinstance(text_len, int) and isinstance(photo_len, int)
        return parse_text(text[: min(text_len, 256)], self._decode_photo(photo[: min(photo_len, 1024)]))

    def _decode_photo(self, wlt: bytes) -> bytes | None:
        """The photo as BMP through ``wltrs`` (None without a photo library, or when it fails: the text counts)."""
        if self._photo_lib is None or not wlt:
            return None
        source = self.folder / WLT_FILE
        source.write_bytes(wlt)
        try:
            # GetBmp's second argument: 1 for a serial reader, 2 for USB (the port numbers from 1001).
            kind = 2 if self.settings.port >= 1001 else 1
            code = self._photo_lib.call("GetBmp", _native_path(source), kind).result
        finally:
            source.unlink(missing_ok=True)
        bmp = _take(self.folder, Path(WLT_FILE).with_suffix(".bmp").name)
        if code != 1:
            log.warning("the photo library could not decode the photo (code %s)", code)
            return None
        return bmp


# ------------------------------------------------------------------------------------------------ choosing


def needs_bridge(settings: IdCardSettings) -> bool:
    """Whether the library must be loaded by the bridge: another bitness than this process's, or a ``termb``
    library that writes into its working directory (found by loading it here, as it would be anyway).

    Raises:
        IdCardError: the library is refused (hash) or is not a library.
    """
    assert settings.library is not None
    library.check_pinned(settings.library, settings.library_sha256)
    if library.library_bits(settings.library) != library.PROCESS_BITS:
        return True
    if settings.sdk_shape != "termb":
        return False
    return TermbReader.needs_own_directory(LocalLibrary(settings.library, settings.library_sha256))


def sdk_reader(settings: IdCardSettings, host: LibraryHost) -> SdkReader:
    """The driver of ``settings.sdk_shape`` over ``host``."""
    if settings.sdk_shape == "sdt":
        return SdtReader(settings, host)
    return TermbReader(settings, host)


def open_sdk_reader(settings: IdCardSettings, *, force_bridge: bool = False, bridges: Path | None = None) -> SdkReader:
    """The SDK driver for ``settings``, in this process or in the bridge of the library's bitness (not yet opened).

    Args:
        force_bridge: use the bridge whatever the library (tests).
        bridges: where the bridges are (default: this installation's).

    Raises:
        IdCardError: no library is named, or it is refused (hash) or not a library.
    """
    if settings.library is None:
        raise IdCardError(msg("idcard", "部署文件没有指定读卡库（idcard.library）。请信息员配置；现在请手工录入。"))
    if force_bridge or needs_bridge(settings):
        host: LibraryHost = InBridge(library.library_bits(settings.library), bridges)
    else:
        host = InProcess()
    return sdk_reader(settings, host)
