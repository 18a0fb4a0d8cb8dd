"""Person names and phone numbers.

Names (documents.md §5, 民委发〔2016〕33号):

* The separator in minority names is **U+00B7 MIDDLE DOT** (GB 18030 A1A4).  Look-alikes typed or pasted by
  clerks are mapped to it, see :data:`MIDDLE_DOT_LOOKALIKES`.
* Name fields take at least 50 characters / 25 汉字; we accept up to :data:`MAX_NAME_LENGTH` code points.
* Characters outside the BMP (𠮷 U+20BB7) and in CJK Extension A (䶮 U+4DAE) are kept as they are; legacy GBK
  data can hold private-use code points for characters Unicode encoded later, mapped by :data:`GBK_PUA_TO_UNICODE`.
* Foreign permanent residents' names are written in Latin letters, so Latin letters, spaces and the
  punctuation of Latin names (``-`` ``'`` ``.`` ``,`` after a letter) are accepted as well.

Phone numbers: mainland mobile numbers (11 digits, ``1[3-9]``) and landlines with their area code (``0`` + 2 or
3 digits, then 8 digits after 010/02x and 7 or 8 digits after a 4-digit code), optionally with an extension.
They are shown masked 3 + 4 (``180****1999``, rules.md §8).
"""

from __future__ import annotations

import re
import unicodedata

from app.errors import ValidationError
from app.i18n import msg
from app.masking import mask_middle

__all__ = [
    "GBK_PUA_TO_UNICODE",
    "MAX_NAME_LENGTH",
    "MIDDLE_DOT",
    "MIDDLE_DOT_LOOKALIKES",
    "mask_phone",
    "name_search_key",
    "normalize_name",
    "normalize_phone",
    "validate_name",
    "validate_phone",
]

MIDDLE_DOT = "\u00b7"
"""The separator of transliterated names, "·" (民委发〔2016〕33号; GB 18030 A1A4)."""

MAX_NAME_LENGTH = 100
"""Longest name accepted, in code points: twice the 50 characters 民委发〔2016〕33号 asks systems to take."""

MIDDLE_DOT_LOOKALIKES: dict[str, str] = {
    # Always mapped to U+00B7: none of these can be part of a name in its own meaning.
    "\u2022": MIDDLE_DOT,  # • BULLET: Word/WPS list bullets, pasted from documents.
    "\u30fb": MIDDLE_DOT,  # ・ KATAKANA MIDDLE DOT: what Python's gb2312 codec makes of A1A4 (documents.md §5);
    #                        also Japanese input methods.
    "\u2027": MIDDLE_DOT,  # ‧ HYPHENATION POINT: Big5 A145, the middle dot of traditional-Chinese input.
    "\u22c5": MIDDLE_DOT,  # ⋅ DOT OPERATOR: symbol pickers, pasted from formulas.
    "\uff65": MIDDLE_DOT,  # ･ HALFWIDTH KATAKANA MIDDLE DOT.
    "\u2219": MIDDLE_DOT,  # ∙ BULLET OPERATOR.
    "\u2e31": MIDDLE_DOT,  # ⸱ WORD SEPARATOR MIDDLE DOT: a word-separating middle dot by definition.
    "\ua78f": MIDDLE_DOT,  # ꞏ LATIN LETTER SINOLOGICAL DOT: looks identical; never a letter of a real name.
    # U+0387 GREEK ANO TELEIA needs no entry: NFC already turns it into U+00B7 (canonical equivalence).
}
"""Look-alikes mapped to :data:`MIDDLE_DOT` wherever they appear.

Full stops are handled by context instead: ``．`` (U+FF0E FULLWIDTH FULL STOP), ``.``, ``。`` and ``｡`` between
two 汉字 can only be a mistyped separator (Chinese input methods put ``。`` or ``．`` on the "." key), so they
become U+00B7 there; elsewhere U+FF0E becomes an ASCII ``.`` (its NFKC form), which Latin names use for
initials (``J. SMITH``), and ``。`` stays and is rejected by :func:`validate_name`.
"""

GBK_PUA_TO_UNICODE: dict[int, int] = {
    0xE816: 0x20087,  # 𠂇 (GBK FE51, GB 18030-2022)
    0xE817: 0x20089,  # 𠂉 (GBK FE52, GB 18030-2022)
    0xE818: 0x200CC,  # 𠃌 (GBK FE53, GB 18030-2022)
    0xE81A: 0x3473,  # 㑳 (GBK FE55)
    0xE81B: 0x3447,  # 㑇 (GBK FE56)
    0xE81E: 0x9FB4,  # 龴 (GBK FE59, GB 18030-2022)
    0xE81F: 0x359E,  # 㖞 (GBK FE5A)
    0xE820: 0x361A,  # 㘚 (GBK FE5B)
    0xE821: 0x360E,  # 㘎 (GBK FE5C)
    0xE824: 0x396E,  # 㥮 (GBK FE5F)
    0xE825: 0x3918,  # 㤘 (GBK FE60)
    0xE826: 0x9FB5,  # 龵 (GBK FE61, GB 18030-2022)
    0xE827: 0x39CF,  # 㧏 (GBK FE62)
    0xE828: 0x39DF,  # 㧟 (GBK FE63)
    0xE829: 0x3A73,  # 㩳 (GBK FE64)
    0xE82A: 0x39D0,  # 㧐 (GBK FE65)
    0xE82B: 0x9FB6,  # 龶 (GBK FE66, GB 18030-2022)
    0xE82C: 0x9FB7,  # 龷 (GBK FE67, GB 18030-2022)
    0xE82D: 0x3B4E,  # 㭎 (GBK FE68)
    0xE82E: 0x3C6E,  # 㱮 (GBK FE69)
    0xE82F: 0x3CE0,  # 㳠 (GBK FE6A)
    0xE831: 0x215D7,  # 𡗗 (GBK FE6C, GB 18030-2022)
    0xE832: 0x9FB8,  # 龸 (GBK FE6D, GB 18030-2022)
    0xE834: 0x4056,  # 䁖 (GBK FE6F)
    0xE835: 0x415F,  # 䅟 (GBK FE70)
    0xE837: 0x4337,  # 䌷 (GBK FE72)
    0xE83B: 0x2298F,  # 𢦏 (GBK FE76, GB 18030-2022)
    0xE83C: 0x43B1,  # 䎱 (GBK FE77)
    0xE83D: 0x43AC,  # 䎬 (GBK FE78)
    0xE83F: 0x43DD,  # 䏝 (GBK FE7A)
    0xE840: 0x44D6,  # 䓖 (GBK FE7B)
    0xE841: 0x4661,  # 䙡 (GBK FE7C)
    0xE842: 0x464C,  # 䙌 (GBK FE7D)
    0xE843: 0x9FB9,  # 龹 (GBK FE7E, GB 18030-2022)
    0xE844: 0x4723,  # 䜣 (GBK FE80)
    0xE845: 0x4729,  # 䜩 (GBK FE81)
    0xE846: 0x477C,  # 䝼 (GBK FE82)
    0xE847: 0x478D,  # 䞍 (GBK FE83)
    0xE849: 0x4947,  # 䥇 (GBK FE85)
    0xE84A: 0x497A,  # 䥺 (GBK FE86)
    0xE84B: 0x497D,  # 䥽 (GBK FE87)
    0xE84C: 0x4982,  # 䦂 (GBK FE88)
    0xE84D: 0x4983,  # 䦃 (GBK FE89)
    0xE84E: 0x4985,  # 䦅 (GBK FE8A)
    0xE84F: 0x4986,  # 䦆 (GBK FE8B)
    0xE850: 0x499F,  # 䦟 (GBK FE8C)
    0xE851: 0x499B,  # 䦛 (GBK FE8D)
    0xE852: 0x49B7,  # 䦷 (GBK FE8E)
    0xE853: 0x49B6,  # 䦶 (GBK FE8F)
    0xE854: 0x9FBA,  # 龺 (GBK FE90, GB 18030-2022)
    0xE855: 0x241FE,  # 𤇾 (GBK FE91, GB 18030-2022)
    0xE856: 0x4CA3,  # 䲣 (GBK FE92)
    0xE857: 0x4C9F,  # 䲟 (GBK FE93)
    0xE858: 0x4CA0,  # 䲠 (GBK FE94)
    0xE859: 0x4CA1,  # 䲡 (GBK FE95)
    0xE85A: 0x4C77,  # 䱷 (GBK FE96)
    0xE85B: 0x4CA2,  # 䲢 (GBK FE97)
    0xE85C: 0x4D13,  # 䴓 (GBK FE98)
    0xE85D: 0x4D14,  # 䴔 (GBK FE99)
    0xE85E: 0x4D15,  # 䴕 (GBK FE9A)
    0xE85F: 0x4D16,  # 䴖 (GBK FE9B)
    0xE860: 0x4D17,  # 䴗 (GBK FE9C)
    0xE861: 0x4D18,  # 䴘 (GBK FE9D)
    0xE862: 0x4D19,  # 䴙 (GBK FE9E)
    0xE863: 0x4DAE,  # 䶮 (GBK FE9F)
    0xE864: 0x9FBB,  # 龻 (GBK FEA0, GB 18030-2022)
}
"""GBK private-use code points of 汉字 that Unicode encoded later, to their standard code points.

Legacy GBK/CP936 and GB 18030-2000 data map the 80 characters of GBK FE50-FEA0 to U+E815-U+E864 in order; GB
18030-2005 moved 52 of them (the 汉字 among them in CJK Extension A) to standard code points and GB 18030-2022 the
remaining 14 (U+9FB4-9FBB and Extension B).  Only the 66 汉字 are listed (the others are radicals or vertical
punctuation, never part of a name).  Table computed from glibc 2.36's GB18030 converter (the 2022 mapping),
cross-checked with Python's ``gb18030`` codec for the 2005 entries; the best-known case, U+E863 → 䶮 U+4DAE,
is mozillazg/go-pinyin#13 (documents.md §5).
"""

# Zero-width characters that come with copy-and-paste and carry nothing in a name: removed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# 汉字: CJK Unified Ideographs and Extension A, the compatibility ideographs left after NFC, the whole
# Supplementary and Tertiary Ideographic Planes (Extensions B-I and later additions: they are reserved for
# ideographs, so code points assigned after this Python's Unicode version are accepted), and 〇 U+3007.
_HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_RE = re.compile(f"[{_HAN_CLASS}]")
_STOP_BETWEEN_HAN = re.compile(f"(?<=[{_HAN_CLASS}]) ?[.\u3002\uff61\uff0e] ?(?=[{_HAN_CLASS}])")
_SPACES_AROUND_DOT = re.compile(" ?\u00b7 ?")
_WHITESPACE_RUN = re.compile(r"\s+")

# Punctuation of Latin names, accepted right after a Latin letter: Jean-Luc, O'Brien, J. SMITH, SMITH, JOHN.
_LATIN_PUNCTUATION = frozenset("-'.,")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def _is_han(ch: str) -> bool:
    return _HAN_RE.fullmatch(ch) is not None


def _is_latin_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and unicodedata.name(ch, "").startswith("LATIN ")


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _show(ch: str) -> str:
    """A character as a clerk can read it in a message: itself, or its code point when invisible."""
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def _quoted(text: str, limit: int = 40) -> str:
    """User input as it can be quoted in a message: invisible characters as U+XXXX, at most ``limit`` shown."""
    shown = "".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def _premap(ch: str) -> str:
    code = ord(ch)
    if code in GBK_PUA_TO_UNICODE:
        return chr(GBK_PUA_TO_UNICODE[code])
    if 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:  # full-width Latin letters
        return chr(code - 0xFEE0)
    if 0x2F00 <= code <= 0x2FDF:
        # Kangxi radicals (⼈ U+2F08) look exactly like 汉字 and come out of PDFs; NFKC gives the ideograph.
        return unicodedata.normalize("NFKC", ch)
    return ch


def normalize_name(raw: str) -> str:
    """Return the canonical form of a name.  Never raises.

    Steps: known GBK private-use code points → standard 汉字 (:data:`GBK_PUA_TO_UNICODE`); full-width Latin
    letters → ASCII; Kangxi radicals → the ideographs they look like; NFC; zero-width characters removed;
    middle-dot look-alikes → U+00B7 (:data:`MIDDLE_DOT_LOOKALIKES`); whitespace (including U+3000) stripped
    and collapsed to one space; a full stop between two 汉字 → U+00B7; no spaces around U+00B7.  Characters
    outside the BMP are kept.

    Note that NFC replaces most CJK compatibility ideographs (U+F900-FAFF, U+2F800-2FA1F) by their unified
    equivalents, as the Unicode standard defines them as the same character.
    """
    text = "".join(_premap(ch) for ch in raw)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_APOSTROPHES)
    text = "".join(MIDDLE_DOT_LOOKALIKES.get(ch, ch) for ch in text)
    text = _WHITESPACE_RUN.sub(" ", text).strip()
    text = _STOP_BETWEEN_HAN.sub(MIDDLE_DOT, text).replace("\uff0e", ".")
    return _SPACES_AROUND_DOT.sub(MIDDLE_DOT, text)


def validate_name(raw: str) -> str:
    """Return the normalized name, or raise if it cannot be a person's name.

    Accepted: 汉字 (including Extensions A-I, followed by an optional variation selector), Latin letters (with
    combining accents), the separator U+00B7 between two parts, spaces, and ``-`` ``'`` ``.`` ``,`` right after a
    Latin letter.  At most :data:`MAX_NAME_LENGTH` code points.

    Raises:
        ValidationError: (``field="name"``) empty; too long; a digit, a control or private-use character or a
            character that cannot be in a name; a separator at the start or the end, or two in a row.
    """
    name = normalize_name(raw)
    if not name:
        raise ValidationError(msg("people", "请输入姓名。"), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            msg("people", "姓名过长：最多 {limit} 个字，现在是 {count} 个。").bind(
                limit=MAX_NAME_LENGTH, count=len(name)
            ),
            field="name",
        )
    previous = ""  # the last base character (combining marks and variation selectors do not count)
    for ch in name:
        category = unicodedata.category(ch)
        if _is_han(ch) or _is_latin_letter(ch) or ch in (" ", MIDDLE_DOT):
            previous = ch
            continue
        if ch in _LATIN_PUNCTUATION and previous and _is_latin_letter(previous):
            previous = ch
            continue
        if category.startswith("M") and previous:
            if _is_variation_selector(ch) and _is_han(previous):
                continue
            if not _is_variation_selector(ch) and _is_latin_letter(previous):
                continue
        if category.startswith("N"):
            raise ValidationError(msg("people", "姓名中不能有数字“{char}”。").bind(char=_show(ch)), field="name")
        if category == "Co":
            raise ValidationError(
                msg(
                    "people", "姓名中有私用区字符 {code}（旧系统的造字，其他系统无法显示）。请改用标准汉字输入这个字。"
                ).bind(code=f"U+{ord(ch):04X}"),
                field="name",
            )
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            raise ValidationError(
                msg("people", "姓名中有看不见的控制字符 {code}，请删除后重新输入。").bind(code=f"U+{ord(ch):04X}"),
                field="name",
            )
        raise ValidationError(
            msg("people", "姓名中不能有“{char}”：姓名只能由汉字、拉丁字母、间隔号“·”和空格组成。").bind(char=_show(ch)),
            field="name",
        )
    if name.startswith(MIDDLE_DOT) or name.endswith(MIDDLE_DOT):
        raise ValidationError(msg("people", "间隔号“·”不能在姓名的开头或结尾。"), field="name")
    if MIDDLE_DOT * 2 in name:
        raise ValidationError(msg("people", "间隔号“·”不能连用，两部分之间只用一个。"), field="name")
    return name


def name_search_key(name: str) -> str:
    """The key to index and search names by.  Never raises.

    The normalized name, case-folded, without spaces and separators, so that ``阿依古丽·买买提``,
    ``阿依古丽 买买提`` and ``阿依古丽买买提`` (and ``John Smith`` / ``JOHN SMITH``) find each other.
    Use it for both the stored key and the query.
    """
    key = normalize_name(name).replace(MIDDLE_DOT, "").replace(" ", "")
    return unicodedata.normalize("NFC", key.casefold())


# ------------------------------------------------------------------------------------------- phones

_PHONE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212().]+")
_EXTENSION_MARKER = re.compile(r"转|分机|ext\.?|x|#", re.IGNORECASE)
_MAX_EXTENSION = 6


def _ascii_phone(raw: str) -> str:
    out = []
    for ch in raw:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII, including （ ） － ＋
            ch = chr(code - 0xFEE0)
        out.append(ch)
    return "".join(out)


def _split_phone(raw: str) -> tuple[str, str | None]:
    """Split a phone number into the number (prefix +86 removed) and the extension, if any."""
    text = _ascii_phone(raw).strip()
    extension: str | None = None
    marker = _EXTENSION_MARKER.search(text)
    if marker is not None:
        extension = _PHONE_SEPARATORS.sub("", text[marker.end() :])
        text = text[: marker.start()]
    tokens = [t for t in _PHONE_SEPARATORS.split(text) if t]
    if tokens:
        for prefix in ("+86", "0086"):
            if tokens[0].startswith(prefix):
                rest = tokens[0][len(prefix) :]
                tokens = ([rest] if rest else []) + tokens[1:]
                # International format drops the trunk 0 of the area code: +86 21 6123 4567.
                if tokens and not tokens[0].startswith(("0", "1")):
                    tokens[0] = "0" + tokens[0]
                break
    if extension is None and len(tokens) >= 3 and tokens[0].startswith("0") and len(tokens[0]) in (3, 4):
        # 021-61234567-123: area code, number, extension.
        if len(tokens[1]) in (7, 8):
            extension = "".join(tokens[2:])
            tokens = tokens[:2]
    elif extension is None and len(tokens) == 2 and len(tokens[0]) >= 11 and len(tokens[1]) <= _MAX_EXTENSION:
        # 02161234567-123 (our own normalized form).
        extension = tokens[1]
        tokens = tokens[:1]
    number = "".join(tokens)
    if len(number) == 13 and number.startswith("861"):
        number = number[2:]  # 86 + a mobile number, without the "+"
    return number, extension


def normalize_phone(raw: str) -> str:
    """Return a phone number as digits: full-width digits → ASCII; spaces, hyphens and parentheses removed;
    the +86 / 0086 prefix removed (the area code's trunk 0 restored).  Never raises.

    An extension (``转123``, ``分机123``, ``ext 123``, ``x123``, ``#123`` or a third group as in
    ``021-61234567-123``) is kept after a hyphen: ``02161234567-123``.  Input that is not a phone number is
    only cleaned, not rejected: use :func:`validate_phone` for that.
    """
    number, extension = _split_phone(raw)
    return f"{number}-{extension}" if extension else number


def validate_phone(raw: str, *, default_area_code: str | None = None) -> str:
    """Return the normalized phone number (see :func:`normalize_phone`), or raise if it is not one.

    Accepted: mobile numbers (11 digits, ``1[3-9]``); landlines with an area code: ``010``/``02x`` + 8 digits,
    or ``0`` + 3 digits + 7 or 8 digits, the local number starting with 2-9, optionally with an extension of
    1-6 digits.

    Args:
        raw: what the clerk typed.
        default_area_code: the area code to add to a landline typed without one (e.g. ``"021"`` at a Shanghai
            centre); without it such a number is refused with a hint to add the area code.

    Raises:
        ValidationError: (``field="phone"``) with a Chinese sentence saying what is wrong.
    """
    number, extension = _split_phone(raw)
    if not number:
        raise ValidationError(msg("people", "请输入电话号码。"), field="phone")
    if number.startswith("+") or number.startswith("00"):
        raise ValidationError(msg("people", "只能登记中国大陆的手机或固定电话号码（国际区号 +86）。"), field="phone")
    for ch in number:
        if ch not in "0123456789":
            raise ValidationError(
                msg("people", "电话号码中有不能识别的字符“{char}”。").bind(char=_show(ch)), field="phone"
            )
    if extension is not None and not (
        0 < len(extension) <= _MAX_EXTENSION and all(c in "0123456789" for c in extension)
    ):
        raise ValidationError(
            msg("people", "分机号应为 1–6 位数字，现在是“{extension}”。").bind(extension=_quoted(extension)),
            field="phone",
        )

    if number.startswith("1"):
        if extension:
            raise ValidationError(msg("people", "手机号码不能带分机号。"), field="phone")
        if len(number) != 11:
            raise ValidationError(
                msg("people", "手机号码应为 11 位，现在是 {count} 位。").bind(count=len(number)), field="phone"
            )
        if number[1] not in "3456789":
            raise ValidationError(
                msg("people", "“{number}”不是手机号码：手机号码的第 2 位应为 3–9。").bind(number=number), field="phone"
            )
        return number

    if number.startswith("0") and len(number) > 3:
        # 010 and 02x are followed by 8 digits; other area codes have 4 digits and 7 or 8 digits follow.
        area_length, lengths = (3, (8,)) if number[1] in "12" else (4, (7, 8))
        area, local = number[:area_length], number[area_length:]
        if len(local) not in lengths:
            raise ValidationError(
                msg("people", "固定电话号码位数不对：区号 {area} 后应为 {expected} 位，现在是 {count} 位。").bind(
                    area=area, expected="8" if lengths == (8,) else "7 或 8", count=len(local)
                ),
                field="phone",
            )
        if local[0] in "01":
            raise ValidationError(
                msg("people", "固定电话号码在区号 {area} 之后不能以 0 或 1 开头。").bind(area=area), field="phone"
            )
        return f"{number}-{extension}" if extension else number

    if len(number) in (7, 8):
        if default_area_code:
            return validate_phone(default_area_code + number + (f"转{extension}" if extension is not None else ""))
        raise ValidationError(msg("people", "固定电话请加区号，例如 021-61234567。"), field="phone")
    raise ValidationError(
        msg("people", "“{number}”不是有效的手机或固定电话号码。").bind(number=_quoted(number)), field="phone"
    )


def mask_phone(number: str) -> str:
    """Mask a phone number 3 + 4 for screens, lists and paper (rules.md §8): ``18012341999`` → ``180****1999``.

    The number is normalized first; at least 4 digits are always hidden (short input shows fewer); an
    extension is kept (``021****4567-123``).  Never raises.
    """
    main, extension = _split_phone(number)
    masked = mask_middle(main, 3, 4, 4)
    return f"{masked}-{extension}" if extension else masked
