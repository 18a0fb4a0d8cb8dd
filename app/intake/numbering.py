"""Human-readable numbers that stay unique across every workstation while all are offline (docs/numbering.md).

A number contains the centre code and the workstation code (never reused: a replacement machine gets a new code),
so two workstations can never issue the same one.  The running sequence lives in ``number_counters`` and is
incremented inside the transaction that stores the decision: if that transaction is lost (a crash before commit),
so is the number, which was never shown or printed; a committed number is never issued again.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import SERIES_LETTERS
from db.models import NumberCounter, StoreMeta

# 查询码: no 0/O, 1/I/L, so it can be read out over the phone and typed without confusion.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 6

#: The numbering series (docs/numbering.md "Series"): a restored or recovered store continues in the next one, so no
#: number printed after its last backup is issued again.  Series 1 has no mark, every later one a letter of
#: ``SERIES_LETTERS`` (defined with the wire format, which the server reads numbers with; no I or O).
MAX_SERIES = len(SERIES_LETTERS) + 1

NOTICE_KINDS = {
    "supplement": "补正",  # 补正材料通知书 (一次性告知)
    "refuse": "不受",  # 不予受理通知书
}


def next_value(session: Session, scope: str) -> int:
    """Increment and return the counter of ``scope`` inside the caller's (BEGIN IMMEDIATE) transaction."""
    counter = session.scalar(select(NumberCounter).where(NumberCounter.scope == scope))
    if counter is None:
        counter = NumberCounter(scope=scope, value=0)
        session.add(counter)
    counter.value += 1
    session.flush()
    return counter.value


def series_letter(series: int) -> str:
    """The mark of a series in every number: none for the first series, then A, B, … (docs/numbering.md)."""
    if not 1 <= series <= MAX_SERIES:
        raise ValueError(f"numbering series {series} is out of range")
    return "" if series == 1 else SERIES_LETTERS[series - 2]


def current_series(session: Session) -> int:
    """The store's numbering series (``store_meta``; app/integrity.py sets it), 1 for a store that never had
    another."""
    row = session.get(StoreMeta, "series")
    return int(row.value) if row is not None and row.value.isdigit() else 1


def _scope(series: int, scope: str) -> str:
    # The first series keeps the scopes of the stores made before there were series.
    return scope if series == 1 else f"s{series}:{scope}"


def acceptance_no(session: Session, *, center_code: str, workstation_code: str, local_date: dt.date) -> str:
    """受理编号: ``{centre}-{workstation}-{YYYYMMDD}-{series letter}{sequence of that day, 4+ digits}``; the first
    series has no letter (``310104003-003-20261123-0007``), a later one does (``…-20261123-A0001``)."""
    day = local_date.strftime("%Y%m%d")
    series = current_series(session)
    seq = next_value(session, _scope(series, f"acceptance:{day}"))
    return f"{center_code}-{workstation_code}-{day}-{series_letter(series)}{seq:04d}"


def notice_no(
    session: Session, *, kind: str, short_name: str, center_code: str, workstation_code: str, local_date: dt.date
) -> str:
    """Notice number after documents.md §2: 机关简称 + 性质 + 〔年〕 + centre/workstation + sequence + 号.

    The sequence runs per kind, workstation and year and prints without padding (1, not 0001), e.g.
    ``示范补正〔2026〕310104003-003-7号``; a later series puts its letter in front (``…-003-A7号``).  The hyphen
    before it keeps every number distinct (``-1号`` and ``-11号``).  Numbers issued before stay as printed.
    """
    label = NOTICE_KINDS[kind]
    year = local_date.year
    series = current_series(session)
    seq = next_value(session, _scope(series, f"notice:{kind}:{year}"))
    return f"{short_name}{label}〔{year}〕{center_code}-{workstation_code}-{series_letter(series)}{seq}号"


def handover_no(
    session: Session, *, short_name: str, center_code: str, workstation_code: str, local_date: dt.date
) -> str:
    """材料交接单 number ``{简称}交〔YYYY〕{centre}-{ws}-{series letter}{n}号``: numbered like the notices, a sequence
    per workstation, series and year (app/reports/dayclose.py)."""
    year = local_date.year
    series = current_series(session)
    seq = next_value(session, _scope(series, f"handover:{year}"))
    return f"{short_name}交〔{year}〕{center_code}-{workstation_code}-{series_letter(series)}{seq}号"


def query_code() -> str:
    """A random 6-character 查询码 for the citizen's progress query (cryptographically random)."""
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


_TYPED = re.compile(r"(?P<head>[0-9]{20,23})(?P<letter>[A-Z])(?P<seq>[0-9]{4,})")


def normalize_acceptance_no(text: str) -> str:
    """Accept a 受理编号 typed with or without hyphens, with full-width digits or letters, lower case or spaces."""
    table = str.maketrans(
        "０１２３４５６７８９－"
        + "".join(chr(0xFF21 + i) for i in range(26))
        + "".join(chr(0xFF41 + i) for i in range(26)),
        "0123456789-" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz",
    )
    cleaned = "".join(text.translate(table).split()).upper()
    digits = cleaned.replace("-", "")
    lettered = _TYPED.fullmatch(digits)
    if lettered is not None:
        head = lettered["head"]
        c, ws, day = head[:-11], head[-11:-8], head[-8:]
        if 9 <= len(c) <= 12:
            return f"{c}-{ws}-{day}-{lettered['letter']}{lettered['seq']}"
    if digits.isdigit() and len(digits) >= 24:
        # centre (9-12) + workstation (3) + date (8) + sequence (4+): split from the right-hand fixed parts.
        center_len = len(digits) - 3 - 8 - 4
        if 9 <= center_len <= 12:
            c, rest = digits[:center_len], digits[center_len:]
            return f"{c}-{rest[:3]}-{rest[3:11]}-{rest[11:]}"
    return cleaned
