"""Translatable messages for a Qt-free core.

The core never imports Qt, yet its sentences must be translated by Qt Linguist (STYLE.md §8).  Source strings are
Simplified Chinese, so a counter without a .qm file still shows Chinese.  ``msg(context, text)`` marks a string for
``pyside6-lupdate`` (run with ``-tr-function-alias QT_TRANSLATE_NOOP+=msg``) and returns a :class:`Message`;
placeholder values are added with ``.bind(name=value)``.  The UI translates ``Message.text`` in
``Message.context`` and then fills in the arguments.

An argument that is text from data carrying both languages itself (a catalog field label, an item name:
:class:`Bilingual`) is bound as that object, never as its Chinese string: the core renders its Chinese, the UI
(``ui.i18n.render``) the current language's, so an English screen never shows a Chinese label inside English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

Translator = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for translation in ``context`` and return it unchanged."""
    del context
    return text


@runtime_checkable
class Bilingual(Protocol):
    """Text that carries both languages itself (the catalog's ``LocalText`` and ``Choice``), bound as an argument."""

    @property
    def zh(self) -> str: ...

    @property
    def en(self) -> str: ...


@dataclass(frozen=True)
class Message:
    """A sentence for a person, with its translation context and named arguments.

    Attributes:
        context: the Qt translation context (a module-like name such as ``"idnumber"``).
        text: the Chinese source text, with ``{name}`` placeholders.
        args: values for the placeholders (already formatted for people).
    """

    context: str
    text: str
    args: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def render(self, translate: Translator | None = None) -> str:
        """Return the sentence, translated when ``translate`` is given."""
        template = translate(self.context, self.text) if translate else self.text
        # A message given as an argument (e.g. the ID error inside a certificate error) is translated too; a
        # bilingual text from data shows its Chinese here (the UI's render picks the current language).
        args = {k: _arg(v, translate) for k, v in self.args.items()}
        try:
            return template.format(**args)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message: fall back to the source text.
            return self.text.format(**args)

    def bind(self, **args: Any) -> Message:
        """Return the message with its ``{name}`` placeholders' values."""
        return Message(self.context, self.text, MappingProxyType({**self.args, **args}))

    def __str__(self) -> str:
        return self.render()


def _arg(value: Any, translate: Translator | None) -> Any:
    if isinstance(value, Message):
        return value.render(translate)
    if isinstance(value, Bilingual):
        return value.zh
    return value


def msg(context: str, text: str, /) -> Message:
    """Build a translatable :class:`Message`; give placeholder values with :meth:`Message.bind`.

    ``pyside6-lupdate -tr-function-alias QT_TRANSLATE_NOOP+=msg`` extracts the call only when it has exactly
    these two arguments, which is why the values go to ``bind`` and not to ``msg`` itself.
    """
    return Message(context, text)
