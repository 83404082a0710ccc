"""Find the parks, bases and zones of a plan's spatial layout, with their type, group and focus.

Why hand-written: a plan states its layout as a formula ("3+6+X", "4+3+X", "北服务、南研发、东转化",
"特色核心园+专业精品园") and then spells out each slot in its own words — "“3”，指3个“区域型”园区，
即A、B、C", "“4”指的是A、B、C、D四大…基地", a 专栏 listing the parks one by one, or headings such as
"闵行东部——临港浦江国际生命健康城". No library reads this; the rules, in order of authority:

1. Slot definitions (“N”指/指的是/即 …): names, group N, type from “…型” or the head noun after
   the list (…基地); a 专栏 about the layout adds focus fields and names the parks of open slots
   ("X", or a list ending in 等).
2. Without slot definitions: lists followed by a count and a zone noun ("A、B和C几个重点区域",
   "A、B、C、D四个…基地"); a directional formula groups them by headings "X部——名称".
3. Otherwise the names of the layout part (``bioplan.ingest.layout``), and failing those, names
   ending in a park word (data/park_words.txt) in a layout section (…布局).

Land and areas come from the targets whose scope is the park (新供…亩 → new_land_mu, 平方公里 →
area_km2 / new_land_km2) or from "用地N亩" in its 专栏 item.

In: ``Outline`` and the document's targets. Out: ``ParkDraft`` list.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from bioplan.ingest.draft import ParkDraft, TargetDraft
from bioplan.ingest.layout import is_generic, layout_parks, valid_name
from bioplan.ingest.outline import Outline, Section, ordinal_value
from bioplan.ingest.quantities import load_list

__all__ = ["extract_parks"]

_SLOT = re.compile(
    r"[“\"](?P<slot>[^“”\"，。；]{1,6})[”\"][，,：:]?[ ]*(?:指的是|是指|指|即)(?P<body>[^；;。]*)"
)
_SLOT_START = re.compile(r"[“\"][^“”\"，。；]{1,6}[”\"][，,：:]?[ ]*(?:指的是|是指|指|即)")
_FORMULA = re.compile(r"[“\"](?P<f>[^“”\"，。；]{1,8}(?:[+＋][^“”\"，。；]{1,8})+)[”\"]")
_COUNT = re.compile(r"(?:等)?(?:[0-9]+|[一二三四五六七八九十两几]+)(?:个|大|家)")
_QUOTED_TYPE = re.compile(r"[“\"](?P<type>[\u4e00-\u9fff]{1,6}型)[”\"]")
_VERB_START = re.compile(r"^(?:建设|打造|以|可|形成|重点|推动|促进|加快|根据|实现|围绕|聚焦|依托)")
_ENUM_ANCHOR = re.compile(
    r"(?:[0-9]+|[一二三四五六七八九十两几]+)(?:个|大)(?P<tail>[^，。；、]{0,30}?(?:基地|园区|片区|区域|产业园|功能区))"
)
_LIST_LEAD = re.compile(r"^.*(?:现有|聚焦|进一步向|向|在|深化|包括)")
_NAME_STOP = re.compile(r"等|作为|为|是|打响|发挥|形成|推动|重点|布局|建设|打造|位于")
_NAME_VERBS = re.compile(
    r"^(?:持续|积极|加快|着力|进一步)*(?:做强做精|做优做强|做优|做强|做大|打造|推动|建设|提升)+"
)
_DIRECTION_HEADING = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?P<dir>[东南西北中])部[—–\-]+(?P<name>.+)$")
_DIRECTION_FORMULA = re.compile(
    r"[“\"](?P<items>[东南西北中][\u4e00-\u9fff]{1,4}(?:、[东南西北中][\u4e00-\u9fff]{1,4})+)[”\"]"
)
_FOCUS = re.compile(
    r"(?:重点布局发展|重点发展|聚焦|重点打造|重点布局|主攻)(?P<f>[^。；]*?)(?:产业领域|等领域|领域|的|。|；|，|$)"
)
_FOCUS_YI = re.compile(r"以(?P<f>[^，。；以]{2,30}?)为(?:主要研究方向|主导产业|主导|核心|重点)")
_LAND = re.compile(r"用地(?:约)?(?P<n>[0-9]+(?:\.[0-9]+)?)亩")
_SPACE = re.compile(r"\s+")
_BAD_START = ("该", "本", "各", "相关", "特色", "优质", "专业", "其它", "其他", "一批", "市级", "国家级")


@lru_cache(maxsize=1)
def _park_words() -> tuple[str, ...]:
    return tuple(sorted(load_list("park_words.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _types() -> tuple[str, ...]:
    return load_list("park_types.txt")


def _key(name: str) -> str:
    return _SPACE.sub("", name)


def _valid_name(name: str, *, loose: bool) -> bool:
    if (
        not 2 <= len(name) <= 30
        or name in _park_words()
        or "的" in name
        or name.startswith(_BAD_START)
        or _VERB_START.match(name)
    ):
        return False
    endings = _park_words() + (("中心", "城") if loose else ())
    base = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return base.endswith(endings)


def _clean(name: str) -> str:
    name = name.strip(' “”"')
    return re.sub(r"[（(]含[^（）()]*[）)]$", "", name).strip()


def _similar(a: str, b: str) -> bool:
    a, b = _key(a), _key(b)
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    grams_a = {a[i : i + 2] for i in range(len(a) - 1)}
    grams_b = {b[i : i + 2] for i in range(len(b) - 1)}
    if not grams_a or not grams_b:
        return False
    return len(grams_a & grams_b) / len(grams_a | grams_b) >= 0.6


def _focus(text: str) -> list[str]:
    """Focus fields: "重点发展A、B和C" or "以A和B为主要研究方向/为核心/为主导产业"."""
    m = _FOCUS.search(text)
    phrase = m.group("f") if m else ""
    if not phrase:
        m2 = _FOCUS_YI.search(text)
        phrase = m2.group("f") if m2 else ""
    out: list[str] = []
    for part in re.split(r"[、与]|和(?!.*、)", phrase):
        part = re.sub(r"(?:[0-9]+|[一二三四五六七八九十两几]+)(?:个|大).*$", "", part.strip())
        part = re.sub(r"(?:细分领域|产业|等)$", "", part)
        if 2 <= len(part) <= 20 and part not in out:
            out.append(part)
    return out


def _type_of(text: str) -> str | None:
    qm = _QUOTED_TYPE.search(text)
    if qm:
        return qm.group("type")
    text = text.strip()
    for word in _types():
        if text.endswith(word):
            return word
    return None


def _slot_parks(
    outline: Outline,
) -> tuple[list[ParkDraft], dict[str, ParkDraft], set[str], dict[str, str | None]]:
    parks: list[ParkDraft] = []
    by_key: dict[str, ParkDraft] = {}
    open_slots: set[str] = set()
    formula_tokens = {t for m in _FORMULA.finditer(outline.text) for t in re.split(r"[+＋]", m.group("f"))}
    slot_types: dict[str, str | None] = {}
    for section in outline.root.walk():
        if section.in_box:
            continue
        for block in section.blocks:
            if block.kind != "paragraph" or ("指" not in block.text and "即" not in block.text):
                continue
            text = block.text
            starts = [m.start() for m in _SLOT_START.finditer(text)]
            for position in starts:
                m = _SLOT.match(text, position)
                if m is None:
                    continue
                slot, body = m.group("slot"), m.group("body")
                # A body ends where the next slot definition starts ("“一谷”即A，“一园”即B").
                following = [p for p in starts if p > m.start("body") and p < m.end()]
                if following:
                    body = text[m.start("body") : following[0]].rstrip("，,、 ")
                if "即" in body:
                    described, _, listed = body.partition("即")
                    kind = _type_of(described)
                    tail = ""
                else:
                    cm = _COUNT.search(body)
                    em = re.search(r"等", body)
                    cut = min(x.start() for x in (cm, em) if x) if (cm or em) else len(body)
                    listed, tail = body[:cut], body[cut:]
                    tail_main = re.sub(
                        r"^(?:等)?(?:[0-9]+|[一二三四五六七八九十两几]+)?(?:个|大|家)?", "", tail
                    ).split("，")[0]
                    kind = _type_of(tail_main) or _type_of(body[:cut])
                    if tail.startswith("等"):
                        open_slots.add(slot)
                names = []
                for raw in re.split(r"[、，,]", listed):
                    raw = raw.strip()
                    if _VERB_START.match(raw):
                        break
                    name = _clean(raw)
                    if _valid_name(name, loose=True):
                        names.append(name)
                if not names:
                    # A slot without names is open ("“X”，指其它认定的园区") when it belongs to a
                    # layout formula; other quoted words followed by 即 are no layout slots.
                    if slot in formula_tokens:
                        open_slots.add(slot)
                    continue
                slot_types[slot] = kind
                for name in names:
                    if _key(name) in by_key:
                        continue
                    park = ParkDraft(
                        name=name,
                        type=kind,
                        group=slot,
                        focus=_focus(body) if len(names) == 1 else [],
                        confidence=0.9,
                        reason=f"布局公式的「{slot}」位",
                    )
                    parks.append(park)
                    by_key[_key(name)] = park
    return parks, by_key, open_slots, slot_types


def _layout_boxes(outline: Outline) -> list[Section]:
    return [
        s for s in outline.sections() if s.style == "box" and re.search(r"布局|片区|园区|基地|空间", s.title)
    ]


def _merge_box(
    outline: Outline,
    parks: list[ParkDraft],
    by_key: dict[str, ParkDraft],
    open_slots: set[str],
    slot_types: dict[str, str | None],
) -> dict[str, str]:
    """Add focus (and open-slot parks) from layout boxes; return park name → box item text."""
    texts: dict[str, str] = {}
    for box in _layout_boxes(outline):
        box_type = next((w for w in _types() if w in box.title), None)
        for item in box.children:
            title = item.title
            body = item.body_text()
            match = next((p for p in parks if _similar(p.name, title)), None)
            if match is None:
                name = _clean(title)
                if not _valid_name(name, loose=True) or not open_slots:
                    continue
                slot = sorted(open_slots)[-1]
                match = ParkDraft(
                    name=name,
                    type=slot_types.get(slot) or box_type,
                    group=slot,
                    confidence=0.85,
                    reason=f"布局专栏条目，归入「{slot}」位",
                )
                parks.append(match)
                by_key[_key(name)] = match
            else:
                cleaned = _clean(title)
                if (
                    _key(cleaned) != _key(match.name)
                    and _valid_name(cleaned, loose=True)
                    and not _key(cleaned).startswith(_key(match.name))
                ):
                    del by_key[_key(match.name)]
                    match.name = cleaned
                    by_key[_key(cleaned)] = match
                if match.type is None:
                    match.type = box_type
            if not match.focus:
                match.focus = _focus(body)
            texts[match.name] = body
    return texts


def _enumerated_parks(outline: Outline) -> list[ParkDraft]:
    """Lists of names ended by a count and a zone noun: "A、B和C几个重点区域"."""
    parks: list[ParkDraft] = []
    seen: set[str] = set()
    for section in outline.root.walk():
        for block in section.blocks:
            if block.kind != "paragraph" or "、" not in block.text:
                continue
            text = block.text
            for m in _ENUM_ANCHOR.finditer(text):
                # The list runs back from the count to the previous clause break (bounded).
                low = max(0, m.start() - 300)
                head = text[low : m.start()]
                cut = max(head.rfind(ch) for ch in "，。；：“”")
                listed = head[cut + 1 :]
                if listed.endswith("等"):
                    listed = listed[:-1]
                if "、" not in listed:
                    continue
                items = listed.split("、")
                items[0] = _LIST_LEAD.sub("", items[0])
                names: list[str] = []
                for raw in items:
                    parts = re.split(r"和|及|与", raw)
                    if len(parts) == 2 and all(_valid_name(_clean(p), loose=True) for p in parts):
                        names.extend(_clean(p) for p in parts)
                    else:
                        names.append(_clean(raw))
                kind = _type_of(m.group("tail"))
                for name in names:
                    if not _valid_name(name, loose=True) or _key(name) in seen:
                        continue
                    seen.add(_key(name))
                    parks.append(
                        ParkDraft(
                            name=name, type=kind, group=None, confidence=0.8, reason="布局段落中列举的园区名"
                        )
                    )
    return parks


def _directional_groups(outline: Outline, parks: list[ParkDraft]) -> None:
    slots: dict[str, str] = {}
    for m in _DIRECTION_FORMULA.finditer(outline.text):
        for item in m.group("items").split("、"):
            slots.setdefault(item[0], item)
    if not slots:
        return
    by_key = {_key(p.name): p for p in parks}
    for section in outline.sections():
        hm = _DIRECTION_HEADING.match(section.title)
        if not hm or hm.group("dir") not in slots:
            continue
        group = slots[hm.group("dir")]
        name = _clean(hm.group("name"))
        text = "\n".join(b.text for b in section.all_blocks())
        if _valid_name(name, loose=True):
            park = by_key.get(_key(name))
            if park is None:
                park = ParkDraft(
                    name=name, type=None, group=group, confidence=0.75, reason=f"方位布局「{group}」"
                )
                parks.append(park)
                by_key[_key(name)] = park
            park.group = park.group or group
            if not park.focus:
                park.focus = _focus(text)
        for park in parks:
            if park.group is None and park.type is None and park.name in text:
                park.group = group
                if not park.focus:
                    park.focus = _focus(text[text.index(park.name) :])


def _layout_section_parks(outline: Outline) -> list[ParkDraft]:
    words = "|".join(map(re.escape, _park_words()))
    name_re = re.compile(
        rf"(?:^|[，。、；：“”\s及和]|做优|做强做精|做强|打造|推动|建设)(?P<name>[^，。、；：“”\s及和]{{1,20}}(?:{words}))"
    )
    parks: list[ParkDraft] = []
    seen: set[str] = set()
    for section in outline.sections():
        if (
            section.in_box
            or not section.title.endswith("布局")
            or section.style not in ("cn_dun", "cn_paren", "chapter")
        ):
            continue
        for block in section.all_blocks():
            for m in name_re.finditer(block.text):
                name = _clean(_NAME_VERBS.sub("", _LIST_LEAD.sub("", m.group("name"))))
                name = _NAME_STOP.split(name)[0]
                if _valid_name(name, loose=False) and _key(name) not in seen:
                    seen.add(_key(name))
                    sentence_end = block.text.find("。", m.end())
                    own_sentence = block.text[
                        m.start() : sentence_end if sentence_end >= 0 else len(block.text)
                    ]
                    parks.append(
                        ParkDraft(
                            name=name,
                            type=None,
                            group=None,
                            focus=_focus(own_sentence),
                            confidence=0.7,
                            reason="布局章节句中带园区类词的名称",
                        )
                    )
    return parks


def _attach_areas(parks: list[ParkDraft], targets: list[TargetDraft], texts: dict[str, str]) -> None:
    for park in parks:
        key = _key(park.name)
        for t in targets:
            if t.scope is None or _key(t.scope) != key:
                continue
            if t.unit == "亩" and t.kind == "increment" and park.new_land_mu is None:
                park.new_land_mu = t.value
            elif t.unit == "平方公里":
                field = "new_land_km2" if t.kind == "increment" else "area_km2"
                park.extra.setdefault(field, _number(t.value))
            elif t.unit == "万平方米":
                park.extra.setdefault("floor_area_wan_m2", _number(t.value))
        lm = _LAND.search(texts.get(park.name, ""))
        if lm and park.new_land_mu is None:
            park.extra.setdefault("land_mu", _number(Decimal(lm.group("n"))))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def extract_parks(outline: Outline, targets: list[TargetDraft], *, paper: bool = False) -> list[ParkDraft]:
    """Parks of the spatial layout (see the module docstring for the rules and their order).

    Slot definitions win; then the names of a layout part (``layout.layout_parks``), except in a
    paper, whose layout part is an essay; then lists, directional headings and layout sentences.
    """
    parks, by_key, open_slots, slot_types = _slot_parks(outline)
    texts: dict[str, str] = {}
    if parks:
        texts = _merge_box(outline, parks, by_key, open_slots, slot_types)
    else:
        parks = _enumerated_parks(outline)
        _directional_groups(outline, parks)
        named = layout_parks(outline) if not paper else []
        if any(n.group for n in named):
            parks = named  # the layout formula's own slots name the parks: the strongest reading
        elif parks:
            parks = [p for p in parks if not is_generic(p.name)]
            parks += [n for n in named if not any(_similar(n.name, p.name) for p in parks)]
        else:
            parks = named or _layout_section_parks(outline)
    parks = _split_joined(parks)
    _attach_areas(parks, targets, texts)
    return parks


def _slot_size(group: str | None) -> int | None:
    if not group:
        return None
    m = re.match(r"[0-9]+|[一二三四五六七八九十两]+", group)
    return (
        (int(m.group()) if m.group().isdigit() else ordinal_value(m.group().replace("两", "二")))
        if m
        else None
    )


def _split_joined(parks: list[ParkDraft]) -> list[ParkDraft]:
    """ "A产业园和B产业园" read as one name is two parks when both halves are names themselves and
    the slot's number ("四区" = 4) says one park is missing (else "A基地和B产业园" is one park)."""
    out: list[ParkDraft] = []
    sizes: dict[str | None, int] = {}
    for park in parks:
        sizes[park.group] = sizes.get(park.group, 0) + 1
    for park in parks:
        expected = _slot_size(park.group)
        if expected is None or sizes[park.group] >= expected:
            out.append(park)
            continue
        parts = re.split(r"[和及与]", park.name)
        halves = None
        for i in range(1, len(parts)):
            left, right = park.name[: len("和".join(parts[:i]))], park.name[len("和".join(parts[:i])) + 1 :]
            if valid_name(left) and valid_name(right):
                halves = (left, right)
                break
        if halves is None:
            out.append(park)
            continue
        sizes[park.group] += 1
        for half in halves:
            out.append(
                ParkDraft(
                    name=half,
                    type=park.type,
                    group=park.group,
                    focus=list(park.focus),
                    confidence=park.confidence,
                    reason=park.reason + "（“和”连接的两个名称分开）",
                )
            )
    return out
