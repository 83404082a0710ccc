"""Find quantities ("超过 160亿元", "1~2家", "百分之十五", "两家") in normalised plan text.

Why hand-written: the libraries tried (jionlp, chinese2digits, cn2an alone) either miss counts and
percentages, misread comparators (jionlp reads 不少于 as "less"), or give no offsets (see
../shared/docs/LIBRARIES.md §1). Plans use a small, regular grammar:

    comparator? NUMBER (range-sign NUMBER)? UNIT (以上|以下|左右)?

In: a string (normally one normalised paragraph). Out: ``Quantity`` records with character offsets
into that string, ``Decimal`` values in the unit as written (160 亿元 stays value 160, unit 亿元),
the comparator (">", ">=", "=", "range", "<", "<="), and the words that produced it. Years, dates
and numbers with no unit are never quantities. Chinese numerals go through cn2an.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources

import cn2an

__all__ = ["Quantity", "canonical_unit", "find_quantities", "known_units", "load_list", "parse_number"]

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_CN_NUM = rf"[{_CN_DIGITS}][{_CN_DIGITS}点]*"
_AR_NUM = r"\d+(?:\.\d+)?"
_RANGE_SIGN = r"[~～\-—–－至到]"

# Comparator words directly before the number. Longest alternatives first.
_PREFIX = (
    r"累计达到|累计达|不少于|不低于|不超过|不高于|不多于|至少|超过|突破|达到|控制在|低于|少于|约|近|逾|超|达|"
    r"(?<![通经])过"
)
_PREFIX_OP = {
    "超过": ">",
    "突破": ">",
    "超": ">",
    "逾": ">",
    "过": ">",
    "累计达到": ">=",
    "达到": ">=",
    "不少于": ">=",
    "不低于": ">=",
    "至少": ">=",
    "累计达": "=",
    "达": "=",
    "约": "=",
    "近": "=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "控制在": "<=",
    "低于": "<",
    "少于": "<",
}
_SUFFIX_OP = {"以上": ">=", "及以上": ">=", "以下": "<=", "左右": "=", "余": ">", "多": ">"}


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, as found in a text.

    ``start``/``end`` cover the whole match (comparator word included); ``number_start`` is where
    the digits begin. ``value``/``value_max`` are in ``unit`` (亿元, %, 家, …).
    """

    start: int
    end: int
    number_start: int
    value: Decimal
    value_max: Decimal | None
    unit: str
    comparator: str
    prefix: str  # comparator word before the number ("" if none)
    suffix: str  # 以上 / 以下 / 左右 / "" after the unit
    text: str
    chinese: bool  # written with Chinese numerals
    known_unit: bool  # the unit is in data/units.txt


@cache
def load_list(name: str) -> tuple[str, ...]:
    """Lines of ``data/<name>`` without comments and blanks (cached)."""
    raw = resources.files("bioplan.ingest").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, str], re.Pattern[str]]:
    mapping: dict[str, str] = {}
    for line in load_list("units.txt"):
        written, _, canonical = line.partition("=>")
        mapping[written.strip()] = canonical.strip() or written.strip()
    ordered = sorted(mapping, key=len, reverse=True)
    return mapping, re.compile("|".join(re.escape(u) for u in ordered))


def canonical_unit(written: str) -> str | None:
    """The contract spelling of a unit as written (亿 → 亿元), or None when the unit is not known."""
    return _units()[0].get(written.strip())


def known_units() -> list[str]:
    """Every unit in its contract spelling, in the order of data/units.txt."""
    return list(dict.fromkeys(_units()[0].values()))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    num = rf"(?:{_AR_NUM}|{_CN_NUM})"
    return re.compile(
        rf"(?P<prefix>{_PREFIX})?[ \t]*"
        rf"(?:百分之(?P<pct>{num})|(?P<lo>{num})(?:[ \t]*{_RANGE_SIGN}[ \t]*(?P<hi>{num}))?)"
        rf"(?P<approx>余|多)?[ \t]*(?P<mag>万亿|亿|万)?"
    )


_UNKNOWN_UNIT = re.compile(r"[\u4e00-\u9fff]")
_NEVER_UNIT = set("年月日号的和与及或是在为等之中后前内外间届期上下以左右多余")
_SUFFIX = re.compile(r"[ \t]*(及以上|以上|以下|左右|余|多)")


def parse_number(written: str) -> Decimal | None:
    """ "12" → 12, "7.0" → 7.0, "两千" → 2000, "十" → 10; None when it is not a number."""
    if written[0].isdigit():
        try:
            return Decimal(written)
        except InvalidOperation:
            return None
    if written in ("百", "千"):
        return Decimal(100 if written == "百" else 1000)
    try:
        value = cn2an.cn2an(written, "normal")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return Decimal(str(value))


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` (see the module docstring), in order of appearance."""
    units, unit_re = _units()
    out: list[Quantity] = []
    for m in _pattern().finditer(text):
        pct = m.group("pct")
        lo_s = pct or m.group("lo")
        if not lo_s:
            continue
        number_start = m.start("pct") if pct else m.start("lo")
        before = text[number_start - 1] if number_start else ""
        if lo_s[0].isdigit() and (
            before.isdigit() or before == "." or (before.isascii() and before.isalpha())
        ):
            continue  # part of a longer token such as "PET-CT2" or "G5"
        if before == "第":
            continue  # an ordinal: 第三方, 第2批
        chinese = not lo_s[0].isdigit()
        hi_s = m.group("hi")
        mag = m.group("mag") or ""
        end = m.end()
        if chinese:
            # A Chinese numeral that ends in 万/亿 ("百亿", "两千万") carries its magnitude inside.
            for tail in ("万亿", "亿", "万"):
                if not mag and lo_s.endswith(tail) and len(lo_s) > len(tail):
                    lo_s, mag = lo_s[: -len(tail)], tail
            if text.startswith("分之", end) or lo_s in ("十四五", "十三五", "十五五"):
                continue
        if pct:
            unit, known = "%", True
        else:
            while end < len(text) and text[end] in " \t":
                end += 1
            after = text[end:]
            um = unit_re.match(after)
            if mag and after.startswith("级"):
                unit, known = mag + "级", True  # "百亿级企业": a size class, not an amount
                mag = ""
                end += 1
            elif um:
                unit, known = units[um.group()], True
                end += um.end()
            elif mag:
                # "营收200亿", "500亿规模": the magnitude stands alone for 亿元 / 万.
                unit, known = units.get(mag, mag), True
                mag = ""
            else:
                uk = _UNKNOWN_UNIT.match(after)
                if not uk or uk.group() in _NEVER_UNIT:
                    continue
                unit, known = uk.group(), False
                end += 1
            if mag:
                unit = mag + unit
            if text.startswith("级", end):
                unit += "级"
                end += 1
        if unit == "年" or (lo_s.isdigit() and len(lo_s) == 4 and text.startswith("年", m.end())):
            continue  # years are never quantities
        lo = parse_number(lo_s)
        if lo is None:
            continue
        hi = parse_number(hi_s) if hi_s else None
        if hi_s and hi is None:
            continue
        if hi is not None and len(lo_s) == 4 and len(hi_s or "") == 4 and lo_s.startswith(("19", "20")):
            continue  # "2021-2023" is a period, not a range
        suffix = ""
        sm = _SUFFIX.match(text, end)
        if sm:
            suffix = sm.group(1)
            end = sm.end()
        prefix = m.group("prefix") or ""
        if m.group("approx") and not suffix:
            suffix = m.group("approx")
        if hi is not None and hi >= lo:
            comparator = "range"
        else:
            hi = None
            comparator = _SUFFIX_OP.get(suffix) or _PREFIX_OP.get(prefix, "=")
            if suffix == "左右" and prefix not in ("超过", "突破", "超"):
                comparator = "="
        start = m.start() if prefix or pct else number_start
        out.append(
            Quantity(
                start=start,
                end=end,
                number_start=number_start,
                value=lo,
                value_max=hi,
                unit=unit,
                comparator=comparator,
                prefix=prefix,
                suffix=suffix,
                text=text[start:end],
                chinese=chinese,
                known_unit=known,
            )
        )
    return out
