"""Parks and zones named in a plan's layout part (空间布局 / 产业布局 / …格局), with their formula slot.

Why hand-written: a layout part names its areas in running text ("以A、B和C为主要承载区",
"一核：A。两区：B；C", "“1”为A核心区。“N”为多个特色增长极：B；C") — no library reads these. The
rules come from the names themselves, not from one document's wording:

* a name is a run of name characters ending in a park or zone word (园区, 基地, 城, …区, 核, 带, 圈;
  data/park_words.txt and data/zone_words.txt) that stands between clause breaks or before a
  verb/preposition (为, 重点, 主攻, 串联, …); lead-in words before it (以, 依托, 北部以, …的) are cut off;
* "A和B" / "A及B" is two names only when A is a name itself ("昆山小核酸及生物医药特色产业基地" is one);
* an area named only by its industry ("节能环保产业园区", "都市现代农业园区") is not a park: some
  part of the name must be neither an industry word nor a generic modifier (data/generic_name_words.txt);
* a list "A、B、C和D" in which most items are names keeps the others too (大铲湾);
* "X核心区" where X is a name gives the park X with type 核心区 (data/park_types.txt);
* the layout formula (“一核两带两圈”, “1+N”, “2+4”) gives the slots; each name takes the slot
  whose marker ("一核：", “1”为, "两个…园区", "四个片区") most recently precedes it.

In: ``Outline``. Out: ``ParkDraft`` list in document order, each with confidence and reason.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bioplan.ingest.draft import ParkDraft
from bioplan.ingest.outline import Outline, Section, ordinal_value
from bioplan.ingest.quantities import load_list

__all__ = ["is_generic", "layout_parks", "layout_sections", "valid_name"]

_CN_NUM = "一二三四五六七八九十两多"
_FORMULA = re.compile(r"[“\"](?P<f>[^“”\"，。；]{2,16})[”\"]")
_ZH_SLOT = re.compile(rf"[{_CN_NUM}]+[^{_CN_NUM}+＋、]")
_PLUS_SLOTS = re.compile(r"^[0-9A-Za-zＮ]{1,3}(?:[+＋][0-9A-Za-zＮ]{1,3})+$")
_CLAUSE = re.compile(r"[，。；：:、\n,;]")
_FOLLOW = (
    "为", "重点", "主攻", "集聚", "是", "和", "及", "与", "等", "作为", "以", "在", "着力", "打造", "建设",
    "发展", "聚焦", "承载", "布局", "串联", "定位", "依托", "要", "将", "主要", "（", "(", "”", "打响", "主打",
)  # fmt: skip
_LEAD = re.compile(
    r"^.*(?:——|以|依托|即|为|是|由|的|在|向|将|把|现有|构建|布局|建设|打造|形成|包括|推动|聚焦|围绕|发挥|支持|做强|做优|做精|提升|加快)(?=.{2})"
)
_TYPE_TAIL = ("核心区", "增长极", "承载区", "功能区")


@lru_cache(maxsize=1)
def _endings() -> tuple[str, ...]:
    words = set(load_list("park_words.txt")) | set(load_list("zone_words.txt"))
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _generic() -> tuple[str, ...]:
    return tuple(sorted(load_list("generic_name_words.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _verbs() -> tuple[str, ...]:
    return load_list("task_verbs.txt")


def _role(title: str) -> str | None:
    from bioplan.ingest.tasks import section_role  # tasks imports departments; avoid a cycle at import

    return section_role(title)


def layout_sections(outline: Outline) -> list[Section]:
    """Outermost sections whose heading names the layout (空间布局, 产业布局, 发展格局)."""
    found: list[Section] = []
    for section in outline.sections():
        if section.in_box or _role(section.title) != "layout":
            continue
        if any(a in found for a in section.ancestors()):
            continue
        found.append(section)
    return found


def is_generic(name: str) -> bool:
    """True when nothing in ``name`` but industry words and modifiers precedes its park word."""
    stem = name.strip('“”"')
    for word in _endings():
        if stem.endswith(word):
            stem = stem[: -len(word)]
            break
    stem = re.sub(r"[“”\"+＋A-Za-z]", "", stem) if re.search(r"[“\"]", name) is None else stem
    previous = None
    while stem and stem != previous:
        previous = stem
        for word in _generic():
            if stem.startswith(word):
                stem = stem[len(word) :]
                break
            if stem.endswith(word):
                stem = stem[: -len(word)]
                break
    return not stem and "“" not in name


_SLOT_WORDS = re.compile(
    rf"^[—\s]*(?:[{_CN_NUM}0-9几]+[个类大]?[\u4e00-\u9fff]{{0,6}}|(?:[{_CN_NUM}]+[^{_CN_NUM}]){{2,}})$"
)  # "三类功能区", "一核两带两圈": counts and formulas, not names


def valid_name(name: str) -> bool:
    """A park or zone name: ends in a park/zone word, names a place, is not a slot word."""
    return _valid(name)


def _valid(name: str) -> bool:
    return (
        3 <= len(name) <= 24
        and name.endswith(_endings())
        and not is_generic(name)
        and not _SLOT_WORDS.match(name)
        and name.count("“") == name.count("”")
        and not name.startswith(_BAD_START)
    )


_BAD_START = (
    "该",
    "本",
    "各",
    "等",
    "相关",
    "特色",
    "优质",
    "专业",
    "其它",
    "其他",
    "一批",
    "市级",
    "国家级",
    "努力",
)


def _names_in_clause(clause: str) -> list[tuple[int, str]]:
    """(offset in clause, name) for every park name in one clause."""
    out: list[tuple[int, str]] = []
    taken_until = 0
    for end in range(len(clause), 0, -1):
        head = clause[:end]
        word = next((w for w in _endings() if head.endswith(w)), None)
        if word is None:
            continue
        rest = clause[end:]
        if rest and not rest.startswith(_FOLLOW) and not rest.startswith(_verbs()):
            continue
        out.append((end, head))
    # Each end position gives the text from the clause start; cut lead-ins and earlier names.
    out.sort()
    names: list[tuple[int, str]] = []
    for end, head in out:
        if end <= taken_until:
            continue
        text = head[taken_until:]
        text = text.lstrip("和及与、 —").strip()
        if text.count("“") != text.count("”"):
            text = text.replace("“", "").replace("”", "")  # a quote lost in a PDF text layer
        text = _LEAD.sub("", text)
        for joiner in ("和", "及", "与"):
            if joiner in text:
                left, _, right = text.rpartition(joiner)
                if _valid(left) and _valid(right):
                    names.append((end - len(text), left))
                    text = right
        if _valid(text):
            names.append((end - len(text), text))
        taken_until = end
    return names


def _slots(text: str) -> list[str]:
    for m in _FORMULA.finditer(text):
        f = m.group("f").replace("＋", "+")
        if _PLUS_SLOTS.match(f):
            return f.split("+")
        zh = _ZH_SLOT.findall(f)
        if len(zh) >= 2 and "".join(zh) == f:
            return zh
    return []


def _slot_markers(text: str, slots: list[str]) -> list[tuple[int, str]]:
    """(position, slot) where the text starts describing a slot."""
    marks: list[tuple[int, str]] = []
    for slot in slots:
        patterns = [
            rf"(?:^|[——\n。；])[—\s]*{re.escape(slot)}[：:]",
            rf"[“\"]{re.escape(slot)}[”\"][为是指即：:]",
        ]
        value = ordinal_value(slot) if slot.isdigit() else None
        if value is not None:
            cn = "两" if value == 2 else "一二三四五六七八九十"[value - 1] if value <= 10 else ""
            patterns.append(rf"(?:{value}|{cn})个")
        for pattern in patterns:
            for m in re.finditer(pattern, text):
                marks.append((m.start(), slot))
    marks.sort()
    return marks


def layout_parks(outline: Outline) -> list[ParkDraft]:
    """Named parks and zones of the layout sections, with the slot of the layout formula."""
    parks: list[ParkDraft] = []
    seen: set[str] = set()
    for section in layout_sections(outline):
        text = "\n".join(
            (child.title if child is not section else "")
            + "\n"
            + "\n".join(b.text for b in child.blocks if b.kind == "paragraph")
            for child in section.walk()
        )
        slots = _slots(text)
        marks = _slot_markers(text, slots) if slots else []
        found: list[tuple[int, str]] = []
        position = 0
        for m in _CLAUSE.finditer(text + "\n"):
            clause = text[position : m.start()]
            for offset, name in _names_in_clause(clause):
                found.append((position + offset, name))
            position = m.end()
        found = _complete_lists(text, found)
        for at, name in found:
            park_type = None
            for tail in _TYPE_TAIL:
                if name.endswith(tail) and _valid(name[: -len(tail)]) and len(name) > len(tail) + 2:
                    name, park_type = name[: -len(tail)], tail
                    break
            if name in seen:
                continue
            seen.add(name)
            slot = next((s for p, s in reversed(marks) if p <= at), None)
            parks.append(
                ParkDraft(
                    name=name,
                    type=park_type,
                    group=slot,
                    confidence=0.8 if slot else 0.65,
                    reason=f"「{section.title[:10]}」中以园区/片区类词结尾的名称"
                    + (f"，布局公式「{slot}」位" if slot else ""),
                )
            )
    return parks


def _complete_lists(text: str, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Add the other items of a "A、B、C和D" list in which most items are names (大铲湾)."""
    extra: list[tuple[int, str]] = []
    for m in re.finditer(
        r"(?:[\u4e00-\u9fff]{2,12}、){1,8}[\u4e00-\u9fff]{2,12}(?:和[\u4e00-\u9fff]{2,12})?", text
    ):
        items = re.split(r"、|和", m.group())
        starts = []
        cursor = m.start()
        for item in items:
            at = text.index(item, cursor)
            starts.append(at)
            cursor = at + len(item)
        names = {name for _, name in found}
        cleaned = [_LEAD.sub("", item) for item in items]
        named = [c for c in cleaned if c in names]
        if len(items) >= 3 and len(named) * 2 >= len(items) + 1 and all(len(c) <= 8 for c in cleaned):
            for clean, item, at in zip(cleaned, items, starts, strict=True):
                if clean in names or is_generic(clean) or clean.endswith(("等", "市", "省", "县")):
                    continue
                extra.append((at + len(item) - len(clean), clean))
    return sorted(found + extra)
