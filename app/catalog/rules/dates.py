"""Ages in full years (周岁) and dates as the rules' messages write them.

A person reaches an age on the birthday itself, and someone born on 29 February reaches it on 1 March in common
years (an assumption to confirm; it errs on the side of the later date).
"""

from __future__ import annotations

from datetime import date


def age_on(birth: date, on: date) -> int:
    """Full years (周岁) on ``on``; the age is reached on the birthday (29 Feb → 1 Mar in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def date_reaching_age(birth: date, years: int) -> date:
    """The first day on which a person born on ``birth`` is ``years`` full years old."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year
        return date(birth.year + years, 3, 1)


def format_date(day: date) -> str:
    """``2025年3月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"
