"""Task deadlines (完成时限): the text as written and the last day it names.

Why hand-written: dateparser and similar libraries read calendar dates ("2024年6月30日"), not the
period words of plans ("2024年底前", "2025年上半年", "2023—2025年", "长期坚持"), and they would add a
large dependency to read a handful of forms.

In: the deadline text (full-width digits already folded or not). Out: ``Deadline(text, date)``,
``date`` an ISO "YYYY-MM-DD" for the end of the named period, or None when the text names none
("长期坚持", "持续推进", "每年").
"""

from __future__ import annotations

import calendar
import re
import unicodedata

from bioplan.ingest.draft import Deadline

__all__ = ["DEADLINE_WORDS", "parse_deadline"]

# Words that make a text a deadline even without a year ("长期坚持", "持续推进").
DEADLINE_WORDS = ("长期坚持", "持续推进", "长期推进", "持续实施", "长期", "持续", "每年", "逐年推进")

_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_MONTH.update({"十一": 11, "十二": 12})
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年?")
_MONTH = re.compile(
    r"(20\d{2}|19\d{2})\s*年\s*(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:(\d{1,2})\s*日)?"
)
_HALF = re.compile(r"(20\d{2}|19\d{2})\s*年\s*(上半年|下半年|年中|[一二三四1-4]\s*季度|第[一二三四1-4]季度)")
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def _iso(year: int, month: int, day: int | None = None) -> str:
    last = calendar.monthrange(year, month)[1]
    day = min(day, last) if day else last
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_deadline(text: str) -> Deadline | None:
    """The deadline in ``text``: the end of the latest period it names, or no date when none."""
    written = re.sub(r"\s+", "", text or "").strip("：:，,；;。 ")
    if not written:
        return None
    folded = unicodedata.normalize("NFKC", written)
    best: tuple[int, int, int | None] | None = None

    def keep(candidate: tuple[int, int, int | None]) -> None:
        nonlocal best
        if best is None or candidate[:2] > best[:2]:
            best = candidate

    for m in _MONTH.finditer(folded):
        raw = m.group(2)
        month = int(raw) if raw.isdigit() else _CN_MONTH[raw]
        keep((int(m.group(1)), month, int(m.group(3)) if m.group(3) else None))
    for m in _HALF.finditer(folded):
        word = m.group(2)
        if word == "上半年" or word == "年中":
            month = 6
        elif word == "下半年":
            month = 12
        else:
            digit = re.search(r"[一二三四1-4]", word)
            month = _QUARTER[digit.group(0)] if digit else 12
        keep((int(m.group(1)), month, None))
    if best is None:
        for m in _YEAR.finditer(folded):
            keep((int(m.group(1)), 12, None))
    elif any(int(m.group(1)) > best[0] for m in _YEAR.finditer(folded)):
        # "2024年6月—2025年" ends with the later, whole year
        keep((max(int(m.group(1)) for m in _YEAR.finditer(folded)), 12, None))
    if best is None:
        return Deadline(text=written, date=None)
    year, month, day = best
    return Deadline(text=written, date=_iso(year, month, day))
