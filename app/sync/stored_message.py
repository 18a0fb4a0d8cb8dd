"""A :class:`~app.i18n.Message` kept in the store as a code with its arguments, not as rendered Chinese, so it is
shown later in the reader's language (``sync_meta.last_error``; docs/sync-protocol.md).

Stored as JSON ``{"context": …, "text": …, "args": {…}}``: ``text`` is the Chinese source text, which is the
translation key; an argument that is itself a message is stored the same way, a bilingual text as ``{"zh", "en"}``.
A value stored by an earlier version (plain rendered text) reads back as a message that shows that text as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.i18n import Message

#: The translation context of a plain text stored by an earlier version (never translated: no entry has it).
PLAIN_CONTEXT = "stored"


@dataclass(frozen=True)
class StoredText:
    """A bilingual argument read back (satisfies :class:`app.i18n.Bilingual`)."""

    zh: str
    en: str


def dump_message(message: Message) -> str:
    return json.dumps(_dump(message), ensure_ascii=False, sort_keys=True)


def load_message(stored: str) -> Message:
    """The message a stored value holds; plain text (an earlier version's value, or anything unreadable) as is."""
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("text"), str) and isinstance(data.get("context"), str):
        return _load(data)
    return Message(PLAIN_CONTEXT, stored.replace("{", "{{").replace("}", "}}"))


def _dump(message: Message) -> dict[str, Any]:
    return {
        "context": message.context,
        "text": message.text,
        "args": {k: _dump_arg(v) for k, v in message.args.items()},
    }


def _dump_arg(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": _dump(value)}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    zh, en = getattr(value, "zh", None), getattr(value, "en", None)
    if isinstance(zh, str) and isinstance(en, str):
        return {"zh": zh, "en": en}
    return str(value)


def _load(data: dict[str, Any]) -> Message:
    args = data.get("args") if isinstance(data.get("args"), dict) else {}
    assert isinstance(args, dict)
    return Message(
        str(data["context"]), str(data["text"]), MappingProxyType({k: _load_arg(v) for k, v in args.items()})
    )


def _load_arg(value: Any) -> Any:
    if isinstance(value, dict):
        if isinstance(value.get("message"), dict):
            return _load(value["message"])
        if isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
            return StoredText(value["zh"], value["en"])
        return json.dumps(value, ensure_ascii=False)
    return value
