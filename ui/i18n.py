"""Qt Linguist at display time: translators, the core's :class:`~app.i18n.Message`, and the catalog's two languages.

Source strings are Simplified Chinese and English is the translation (STYLE.md §8), so a workstation without a
``.qm`` file still shows Chinese.  Three kinds of text reach the screen:

* the UI's own strings, marked with ``self.tr()`` in each widget class;
* the core's sentences, :class:`~app.i18n.Message` values marked in ``app`` with ``msg()`` and translated here by
  :func:`render` with ``QCoreApplication.translate(context, text)``;
* catalog data (field labels, material names), which carries both languages itself (``LocalText.zh``/``.en``):
  :func:`local_text` picks the one of the current language.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.i18n import Bilingual, Message
from app.resources import resource_path

log = logging.getLogger("yimen.ui")

LANGUAGE_ENV = "YIMEN_LANG"
CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)

_state = {"language": CHINESE}


class LocalTextLike(Protocol):
    """What :func:`local_text` reads: the catalog's ``LocalText`` (and ``Choice``) shape."""

    @property
    def zh(self) -> str: ...

    @property
    def en(self) -> str: ...


def current_language() -> str:
    """Return the language the UI shows (``zh_CN`` or ``en``)."""
    return _state["language"]


def choose_language(deployment_language: str, env: Mapping[str, str] | None = None) -> str:
    """``YIMEN_LANG`` (a developer's or tester's override) wins over the deployment's ``ui.language``."""
    env = os.environ if env is None else env
    wanted = env.get(LANGUAGE_ENV, "").strip() or deployment_language
    if wanted not in LANGUAGES:
        log.info("unknown language %r; using %s", wanted, CHINESE)
        return CHINESE
    return wanted


def translations_dir() -> Path:
    """The folder of our ``.qm`` files (built from the committed ``.ts`` by ``make translations``)."""
    return resource_path("translations")


def install_translators(app: QCoreApplication, language: str, *, folder: Path | None = None) -> list[QTranslator]:
    """Install the translators of ``language`` on ``app`` and make it the current language.

    Chinese needs Qt's own ``qtbase_zh_CN.qm`` for the standard buttons (确定/取消); our strings are already
    Chinese.  English needs our ``yimen_en.qm``.  A missing file is logged, never fatal: the counter then shows the
    Chinese source strings.

    Returns:
        The installed translators (keep them alive; :func:`remove_translators` takes them off again).
    """
    _state["language"] = language
    installed: list[QTranslator] = []
    if language == CHINESE:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", qt_dir):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.info("qtbase_zh_CN.qm not found in %s; standard buttons stay in English", qt_dir)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        folder = folder or translations_dir()
        translator = QTranslator(app)
        if translator.load(f"yimen_{language}", str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.info("yimen_%s.qm not found in %s (run `make translations`); showing Chinese", language, folder)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Take translators off again and go back to Chinese (tests switch languages)."""
    for translator in translators:
        app.removeTranslator(translator)
    _state["language"] = CHINESE
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def translate(context: str, text: str) -> str:
    """Translate a source string of ``context`` (a no-op when no translator knows it)."""
    return QCoreApplication.translate(context, text)


def render(message: Message) -> str:
    """Translate a core message and fill in its arguments (arguments that are messages are translated too).

    A translation with a broken placeholder never hides the message: the Chinese source is used instead.
    """
    args: dict[str, Any] = {k: _arg(v) for k, v in message.args.items()}
    template = translate(message.context, message.text)
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):
        return message.text.format(**args)


def _arg(value: Any) -> Any:
    """An argument as shown: a message translated, a bilingual text from data (a catalog label) in the current
    language, anything else as it is."""
    if isinstance(value, Message):
        return render(value)
    if isinstance(value, Bilingual):
        return local_text(value)
    return value


def local_text(text: LocalTextLike | None) -> str:
    """Return the catalog text in the current language (empty for None)."""
    if text is None:
        return ""
    return text.en if current_language() == ENGLISH else text.zh
