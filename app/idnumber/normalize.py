"""What a clerk typed, pasted or a card reader returned → the compact number both checks read.

Shared by :mod:`app.idnumber.citizen_id` and :mod:`app.idnumber.disability_cert`: the same normalization, and the
same way of naming a wrong character in a message.
"""

from __future__ import annotations

# Characters normalize_id() drops: hyphen look-alikes a clerk or a pasted document may put between groups,
# and zero-width characters that come with copy-and-paste.  Whitespace (str.isspace(), which includes the
# ideographic space U+3000) is dropped as well.
_DROPPED = frozenset(
    "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"  # hyphen-minus, hyphens, dashes, minus signs
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space/joiners, word joiner, BOM
)


def normalize_id(raw: str) -> str:
    """Return ``raw`` as a compact ID number: ASCII, no separators, upper-case letters.

    Full-width digits and letters (``０``-``９``, ``Ｘ``, ``ｘ`` and the rest of U+FF01-FF5E) become ASCII;
    whitespace (including the ideographic space U+3000), hyphens and dash look-alikes and zero-width characters
    are dropped; ASCII letters are upper-cased (``x`` → ``X``; ``b`` → ``B`` for reissued disability
    certificates).  Anything else is kept so that the check can name it.  Never raises.
    """
    out: list[str] = []
    for ch in raw:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII block
            ch = chr(code - 0xFEE0)
        if ch in _DROPPED or ch.isspace():
            continue
        if "a" <= ch <= "z":
            ch = ch.upper()
        out.append(ch)
    return "".join(out)


def show_char(ch: str) -> str:
    """A character as a clerk can read it in a message: itself, or its code point when invisible."""
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
