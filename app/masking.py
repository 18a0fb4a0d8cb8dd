"""Masking of personal numbers for screens, lists and paper (GB/T 35273 §7.2 展示限制; rules.md §8)."""

from __future__ import annotations


def mask_middle(text: str, head: int, tail: int, min_hidden: int) -> str:
    """Keep ``head`` leading and ``tail`` trailing characters, star the rest, hiding at least ``min_hidden``.

    Short input never shows more characters than it hides.
    """
    n = len(text)
    hidden = max(n - head - tail, min(min_hidden, n))
    shown = n - hidden
    keep_head = shown * head // (head + tail)
    keep_tail = shown - keep_head
    return text[:keep_head] + "*" * hidden + text[n - keep_tail :]
