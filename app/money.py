"""Money as integer fen (分).

Every amount in Yimen is an ``int`` of fen: benefit standards (rules.md §3, e.g. 1,330 元 = 133000 fen), fees and
reimbursement caps (殡葬补贴 980 元/具).  Text from people is parsed with :class:`~decimal.Decimal`, never with
float, and more precision than a fen is an error rather than silently rounded.

Display format (chosen here): two decimals with "," thousands separators, a leading "-" for negatives:
``format_fen(159500) == "1,595.00"``; with the unit, written directly after the number as on Chinese receipts and
notices: ``format_yuan_label(159500) == "1,595.00元"``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.errors import ValidationError
from app.i18n import msg

__all__ = [
    "MAX_FEN",
    "YUAN",
    "fen_to_yuan",
    "format_fen",
    "format_yuan_label",
    "parse_yuan",
    "yuan_to_fen",
]

YUAN = "元"

MAX_FEN = 100_000_000_000_000
"""Largest amount :func:`parse_yuan` accepts, in fen (1 万亿元); far below SQLite's 64-bit integers."""

# After full-width → ASCII: optional sign, optional currency mark, optional sign (¥-12 or -¥12), the number,
# optional 元.  The number is checked separately so that each mistake gets its own message.
_AMOUNT_RE = re.compile(
    r"^(?P<sign>[-+]?)\s*(?:¥|RMB|CNY|人民币)?\s*(?P<sign2>[-+]?)\s*(?P<number>[0-9.,]+)\s*(?:元)?$",
    re.IGNORECASE,
)
_GROUPED_RE = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$")

# Characters mapped before parsing: the yuan signs, minus-sign look-alikes and the ideographic comma typed
# as a thousands separator.
_MAP = str.maketrans({"\uffe5": "¥", "\u2212": "-", "\u2013": "-", "\u3001": ","})


def _to_ascii(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII: １５９５．５０, ，, －, ＋
            ch = chr(code - 0xFEE0)
        out.append(ch)
    return "".join(out).translate(_MAP)


def _quoted(text: str, limit: int = 40) -> str:
    """User input as it can be quoted in a message: invisible characters as U+XXXX, at most ``limit`` shown."""
    shown = "".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def parse_yuan(text: str, *, allow_negative: bool = False, field: str = "amount") -> int:
    """Parse an amount of yuan typed by a person into fen.

    Accepts ``1595``, ``1,595``, ``1595.5``, ``1,595.50``, ``１５９５．５０``, ``¥12.3``, ``￥12.30元``,
    ``-12.30`` (when ``allow_negative``), with surrounding spaces.  Thousands separators must be in groups of
    three; at most two decimals.

    Args:
        text: the amount in yuan.
        allow_negative: accept negative amounts (corrections, refunds).
        field: the form field named in the error.

    Returns:
        The amount in fen.

    Raises:
        ValidationError: empty, not a number, more than two decimals, misplaced thousands separators,
            negative when not allowed, or larger than :data:`MAX_FEN`.
    """
    cleaned = _to_ascii(text).strip()
    if not cleaned:
        raise ValidationError(msg("money", "请输入金额。"), field=field)
    match = _AMOUNT_RE.match(cleaned)
    if match is None or (match["sign"] and match["sign2"]):
        raise ValidationError(
            msg("money", "“{amount}”不是有效的金额，请输入如 1595 或 1,595.50 的数字。").bind(
                amount=_quoted(text.strip())
            ),
            field=field,
        )
    negative = "-" in (match["sign"], match["sign2"])
    whole, dot, decimals = match["number"].partition(".")
    if not whole or (dot and not decimals) or "." in decimals or "," in decimals:
        # ".5", "12.", "1.2.3", "12.3,4"
        raise ValidationError(
            msg("money", "“{amount}”不是有效的金额，请输入如 1595 或 1,595.50 的数字。").bind(
                amount=_quoted(text.strip())
            ),
            field=field,
        )
    if "," in whole and not _GROUPED_RE.match(whole):
        raise ValidationError(
            msg("money", "“{amount}”的千位分隔符“,”位置不对：应每三位一个，如 1,595.50。").bind(
                amount=_quoted(text.strip())
            ),
            field=field,
        )
    if len(decimals) > 2:
        raise ValidationError(
            msg("money", "金额最多两位小数（精确到分），“{amount}”有 {count} 位小数。").bind(
                amount=_quoted(text.strip()), count=len(decimals)
            ),
            field=field,
        )
    digits = whole.replace(",", "").lstrip("0")
    if len(digits) > len(str(MAX_FEN // 100)):
        # Checked on the digits before any arithmetic so that huge input cannot exhaust Decimal's precision.
        raise _too_large(field)
    fen = int(Decimal(f"{digits or '0'}.{decimals or '0'}").scaleb(2))
    if fen > MAX_FEN:
        raise _too_large(field)
    if negative and fen:
        if not allow_negative:
            raise ValidationError(msg("money", "金额不能为负数。"), field=field)
        fen = -fen
    return fen


def _too_large(field: str) -> ValidationError:
    return ValidationError(
        msg("money", "金额过大：不能超过 {limit}。").bind(limit=format_yuan_label(MAX_FEN)), field=field
    )


def format_fen(fen: int) -> str:
    """Format fen as yuan with two decimals and thousands separators: ``159500`` → ``"1,595.00"``.

    Exact for any int (integer arithmetic, no float).  Negative amounts get a leading ``-``.

    Raises:
        TypeError: ``fen`` is not an int (a bool or a float is a programming error).
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"format_fen() needs an int number of fen, not {type(fen).__name__}")
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan:,}.{cents:02d}"


def format_yuan_label(fen: int) -> str:
    """Format fen with the unit 元 written directly after the number: ``159500`` → ``"1,595.00元"``."""
    return format_fen(fen) + YUAN


def fen_to_yuan(fen: int) -> Decimal:
    """The exact :class:`~decimal.Decimal` number of yuan for an amount in fen (``133000`` → ``1330.00``)."""
    return Decimal(f"{fen}e-2")


def yuan_to_fen(amount: Decimal) -> int:
    """Convert an exact amount of yuan to fen.

    The caller rounds first (``amount.quantize(Decimal("0.01"), ROUND_HALF_UP)``): which rounding applies is a
    rule of the benefit, not of this module.

    Raises:
        ValueError: the amount is not finite or not a whole number of fen.
    """
    try:
        scaled = amount.scaleb(2)
        if not scaled.is_finite() or scaled != scaled.to_integral_value():
            raise ValueError(f"{amount} yuan is not a whole number of fen")
        return int(scaled)
    except InvalidOperation as exc:  # a signalling NaN
        raise ValueError(f"{amount} yuan is not a whole number of fen") from exc
