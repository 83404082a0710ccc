"""Is a document written in Chinese? The share of CJK ideographs among its letters.

A plan in Chinese is above 90% even with English terms (CAR-T, CDMO, First-in-class); an English or
mis-decoded document is far below. Digits, punctuation and spaces are not letters and do not count.
"""

from __future__ import annotations

import re

from bioplan.ingest.errors import NotChinese

__all__ = ["MIN_CJK_SHARE", "cjk_share", "ensure_chinese"]

MIN_CJK_SHARE = 0.3
_WINDOW_CHARS = 20_000  # three windows are enough to judge and keep the check cheap on big files

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LETTER = re.compile(r"[^\W\d_]")


def cjk_share(text: str) -> float | None:
    """Share (0..1) of CJK ideographs among the letters of ``text``; None when it has no letters.

    Long texts are judged on three windows (start, middle, end) of ``_WINDOW_CHARS`` each.
    """
    if len(text) <= 3 * _WINDOW_CHARS:
        sample = text
    else:
        middle = (len(text) - _WINDOW_CHARS) // 2
        sample = "".join((text[:_WINDOW_CHARS], text[middle : middle + _WINDOW_CHARS], text[-_WINDOW_CHARS:]))
    letters = _LETTER.subn("", sample)[1]
    if not letters:
        return None
    return _CJK.subn("", sample)[1] / letters


def ensure_chinese(text: str, *, source: str | None = None, minimum: float = MIN_CJK_SHARE) -> None:
    """Raise :class:`NotChinese` when less than ``minimum`` of the letters are CJK ideographs."""
    share = cjk_share(text)
    if share is None:
        raise NotChinese("document is not in Chinese (no letters at all)", source=source)
    if share < minimum:
        raise NotChinese(f"document is not in Chinese ({share:.0%} CJK characters)", source=source)
