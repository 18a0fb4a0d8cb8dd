"""Free text a clerk types (a reason, a material's note, a queue ticket): within what the record, the documents and
the central server can hold (app/limits.py), and without control characters."""

from __future__ import annotations

import re

from app import limits
from app.i18n import Message, msg

_LINE = re.compile(limits.LINE_PATTERN)
_TEXT = re.compile(limits.TEXT_PATTERN)


def text_problem(text: str, *, maximum: int = limits.TEXT_MAX, one_line: bool = False) -> Message | None:
    """What is wrong with ``text`` for a clerk to fix, or None."""
    if len(text) > maximum:
        return msg("texts", "内容过长：最多 {n} 个字，请精简。").bind(n=maximum)
    if not (_LINE if one_line else _TEXT).match(text):
        return (
            msg("texts", "内容含有换行或不可见的控制字符，请重新输入。")
            if one_line
            else msg("texts", "内容含有不可见的控制字符，请重新输入。")
        )
    return None
