"""Read a plan's cover facts: region, industry, title, period, status, document number, issue date.

Why hand-written: the cover of a Chinese government document is a fixed layout (issuing office,
document number 浦府办〔2022〕2号, title ending in 行动方案/行动计划 with the period in brackets,
draft marker 征求意见稿/送审稿, signing date) that no library models. A research paper is told apart
by a title that is not a plan's, an author/affiliation line, or "以…为例".

In: normalised text. Out: ``PlanMeta`` (fields may be None when the document does not say).
"""

from __future__ import annotations

import re
from collections import Counter

from bioplan.ingest.draft import Evidence, PlanMeta
from bioplan.ingest.outline import match_heading
from bioplan.ingest.quantities import load_list

__all__ = ["extract_metadata", "five_year_plan_years"]

_HEAD_LINES = 15
_PERIOD = re.compile(r"(20\d\d|19\d\d)[ ]*年?[ ]*[-—–~～至到][ ]*(20\d\d|19\d\d)[ ]*年?")
_FIVE_YEAR = re.compile(r"[“\"]?(十[一二三四五六七八九]五|十五)[”\"]?")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,10}[〔\[［【(（][ ]*(?:19|20)\d\d[ ]*[〕\]］】)）][ ]*第?[0-9]{1,4}[ ]*号"
)
_DATE = re.compile(r"((?:19|20)\d\d)[ ]*年[ ]*([0-9]{1,2})[ ]*月[ ]*([0-9]{1,2})[ ]*日")
_REGION = re.compile(
    r"(?:上海市|北京市|天津市|重庆市|[\u4e00-\u9fff]{2,3}省)?(?P<region>[\u4e00-\u9fff]{2,4}?(?:新区|区|县|市))"
)
_DRAFTS = ("征求意见稿", "送审稿")
_NOTICE_TITLE = re.compile(r"印发《(?P<title>[^《》]{4,80})》")
_CITY = re.compile(r"^(?:上海市|北京市|天津市|重庆市)")
_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:省|自治区)")
_SINGLE_YEAR = re.compile(
    r"(20\d\d)[ ]*年(?:度)?[\u4e00-\u9fff]{0,6}(?:行动计划|工作方案|实施方案|工作要点|行动方案)"
)
_CITY_ANY = re.compile(r"上海市|北京市|天津市|重庆市")
_PAPER_MARKERS = re.compile(r"摘要|关键词|参考文献|为例|大学|研究院|社会科学院|研究所")
_FIVE_YEAR_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}


def five_year_plan_years(name: str) -> tuple[int, int] | None:
    """ "十四五" → (2021, 2025)."""
    end = _FIVE_YEAR_END.get(name)
    return (end - 4, end) if end else None


def _plan_words() -> tuple[str, ...]:
    return load_list("plan_words.txt")


def _head_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")[:_HEAD_LINES] if line.strip()]


def _find_title(lines: list[str]) -> tuple[str | None, int]:
    words = _plan_words()
    for i, line in enumerate(lines):
        if "\t" in line or len(line) > 80 or line.startswith(("（", "(", "《")):
            continue
        if "印发" in line or line.endswith("通知") or line.endswith("文件"):
            continue
        if "。" in line or match_heading(line) is not None:
            continue  # a sentence or a numbered heading ("五、保障措施。…") is not the title
        core = _PERIOD.sub("", line).strip("（）() ")
        if any(word in core for word in words):
            title = line
            # A title wrapped onto the next line: "（2024-2026年）" or "行动方案（…）".
            if i + 1 < len(lines) and _PERIOD.fullmatch(lines[i + 1].strip("（）() ")):
                title += lines[i + 1]
            return title, i
    return None, -1


def extract_metadata(text: str) -> PlanMeta:
    """Cover facts of the document in ``text`` (normalised)."""
    lines = _head_lines(text)
    meta = PlanMeta()
    title, title_index = _find_title(lines)
    head = "\n".join(lines)

    is_paper = False
    ev = meta.evidence
    if title is not None:
        ev["title"] = Evidence(0.9, "开头几行中含方案类词的标题行")
    if title is None:
        # Only the covering notice names the plan: "关于印发《…行动方案》的通知".
        nm = _NOTICE_TITLE.search(head)
        if nm:
            title, title_index = nm.group("title"), 0
            ev["title"] = Evidence(0.8, "印发通知中的《》书名")
    if title is None and lines:
        first = 0
        while first < len(lines) - 1 and len(lines[first]) < 3:
            first += 1
        title = lines[first]
        title_index = first
        if first + 1 < len(lines) and lines[first + 1].startswith(("——", "—", "-")):
            title += (
                lines[first + 1]
                if lines[first + 1].startswith("——")
                else "——" + lines[first + 1].lstrip("—-")
            )
        is_paper = bool(_PAPER_MARKERS.search(head)) or "为例" in (title or "")
        ev["title"] = Evidence(0.4, "无方案类标题，取第一行")
    meta.title = title

    region_source = title or ""
    m = _REGION.search(_CITY_ANY.sub("", region_source))
    city = _CITY.match(region_source)
    if m:
        meta.region = m.group("region").lstrip("以在对于和与及的")
        ev["region"] = Evidence(0.9, f"标题中的地区名「{meta.region}」")
    elif city:
        meta.region = city.group()  # a city-wide plan: "上海市促进…行动方案"
        ev["region"] = Evidence(0.85, f"标题开头的市名「{meta.region}」")
    elif (province := _PROVINCE.match(region_source)) is not None:
        meta.region = province.group()  # a province-wide plan: "山西省现代医药产业链…"
        ev["region"] = Evidence(0.85, f"标题开头的省名「{meta.region}」")
    else:
        counts = Counter(r.group("region") for r in _REGION.finditer(text[:20000]))
        if counts:
            meta.region, seen = counts.most_common(1)[0]
            ev["region"] = Evidence(0.5, f"标题无地区，取正文最常见的地区名（{seen}次）")

    industries = load_list("industries.txt")
    in_title = [w for w in industries if title and w in title]
    if in_title:
        meta.industry = max(in_title, key=len)
        ev["industry"] = Evidence(0.9, "标题中的产业名")
    else:
        counts = Counter({w: text.count(w) for w in industries})
        best, count = counts.most_common(1)[0] if counts else ("", 0)
        meta.industry = best if count else None
        if meta.industry:
            ev["industry"] = Evidence(0.5, f"标题无产业名，取正文最常见的「{best}」（{count}次）")

    period_text = (title or "") + (lines[title_index + 1] if 0 <= title_index < len(lines) - 1 else "")
    pm = _PERIOD.search(period_text)
    if pm:
        meta.period_start, meta.period_end = int(pm.group(1)), int(pm.group(2))
        ev["period_start"] = ev["period_end"] = Evidence(0.95, f"标题中的年份区间「{pm.group()}」")
    elif (single := _SINGLE_YEAR.search(title or "")) is not None:
        meta.period_start = meta.period_end = int(single.group(1))
        ev["period_start"] = ev["period_end"] = Evidence(0.8, f"标题中的单一年份「{single.group()}」")
    else:
        fm = _FIVE_YEAR.search(title or "")
        if fm:
            years = five_year_plan_years(fm.group(1))
            if years:
                meta.period_start, meta.period_end = years
                ev["period_start"] = ev["period_end"] = Evidence(0.85, f"标题中的「{fm.group(1)}」")

    number = None
    for line in lines:
        dm = _DOC_NUMBER.search(line)
        if dm and dm.start() == 0:
            number = re.sub(r"[ ]+", "", dm.group())
            break
    meta.doc_number = number
    if number:
        ev["doc_number"] = Evidence(0.95, "开头的发文字号行")

    draft = next((d for d in _DRAFTS if d in head), None)
    if draft:
        meta.status = draft
        ev["status"] = Evidence(0.9, f"开头写明「{draft}」")
    elif is_paper:
        meta.status = "论文"
        ev["status"] = Evidence(0.6, "摘要/关键词等论文标记")
    elif number:
        meta.status = "印发"
        ev["status"] = Evidence(0.75, "有发文字号，视为已印发")

    issued = None
    for line in reversed(text.split("\n")[-15:]):
        dm = _DATE.search(line)
        if dm and "印发" in line:
            issued = dm
            break
    if issued is None and number:
        for line in lines:
            dm = _DATE.fullmatch(line.strip())
            if dm:
                issued = dm
                break
    if issued is not None:
        y, mo, d = (int(g) for g in issued.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            meta.issued_on = f"{y:04d}-{mo:02d}-{d:02d}"
            ev["issued_on"] = Evidence(0.85, f"日期行「{issued.group()}」")
    return meta
