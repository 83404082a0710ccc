"""Find the units responsible for a task: "（责任部门与单位：…）", "（X牵头，Y、Z配合）", tables.

Why hand-written: responsibility is written in a handful of fixed formulas that no NER model knows
(and none runs offline here); a segmenter cuts "区经委" into "区/经委". So the formulas are parsed
with regular expressions and the names are checked against dictionaries in data/*.txt
(department_suffixes, department_starts, coordination_bodies, department_labels), matched with
Aho-Corasick.

In: paragraph text or table rows. Out: ``Assignment`` (lead units and all units, in document
order, exactly as written apart from removed spaces and a trailing 等).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from bioplan.ingest.outline import ordinal_value
from bioplan.ingest.quantities import load_list

__all__ = [
    "Assignment",
    "assignments_in",
    "cross_references",
    "is_department_name",
    "is_responsibility_line",
    "prose_departments",
    "split_deadline",
    "split_departments",
    "table_assignments",
]


@dataclass
class Assignment:
    """Units named responsible in one place; ``leads`` ⊆ ``departments``."""

    departments: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    explicit_lead: bool = False  # the text says 牵头 (else the lead is just the first listed)
    rule: str = ""  # which formula named them (for the item's reason)
    confidence: float = 0.9
    deadline: str | None = None  # 完成时限 written in the same formula or row


_DEADLINE_LABEL = re.compile(
    r"(?:^|[；;，,。\s])[ ]*(?:完成时限|完成时间|时间节点|完成期限|时限要求|时限)[ ]*[：:](?P<text>[^；;。）)]*)"
)


def split_deadline(body: str) -> tuple[str, str | None]:
    """ "责任单位：X，各镇街；完成时限：2024年底前" → (the part before the deadline, "2024年底前")."""
    m = _DEADLINE_LABEL.search(body)
    if m is None:
        return body, None
    text = m.group("text").strip(" ，,")
    return body[: m.start()] + body[m.end() :], text or None


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    out = {}
    for line in load_list("department_labels.txt"):
        word, _, role = line.partition("\t")
        out[word.strip()] = role.strip() or "all"
    return out


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, _labels()), key=len, reverse=True))
    inner = r"[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*"
    return re.compile(rf"[（(][ ]*(?P<body>(?:{words})[ ]*[：:]{inner})[）)]")


@lru_cache(maxsize=1)
def _line_label_re() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, _labels()), key=len, reverse=True))
    return re.compile(rf"^(?P<body>(?:{words})[ ]*[：:].+?)[。]?$")


_LEAD_CO = re.compile(
    r"[（(](?P<lead>[^（）()：:]{2,60}?)牵头[，,、；;]?[ ]*(?P<co>[^（）()：:]{2,200}?)(?:等(?:部门|单位))?(?:配合|协同|参与|共同推进|负责)?[）)]"
)
_PROSE_LINE = re.compile(
    r"^(?:由)?(?P<lead>[^，,。；;（）()：:]{2,40}?)牵头[，,、]?(?P<co>[^。；;（）()：:]{2,160}?)"
    r"(?:等(?:部门|单位))?(?:按职责分工负责|按照职责分工负责|按职责负责|配合|协同推进|共同推进|参与|负责)[。]?$"
)
_SPACE_IN_NAME = re.compile(r"(?<=[\u4e00-\u9fff、])[ \t]+|[ \t]+(?=[\u4e00-\u9fff、])")
_SEPARATORS = re.compile(r"[、，,；;]+")
_COMMAS = re.compile(r"[，,；;]+")
_TRAILING = re.compile(r"(?:等(?:部门|单位|有关部门|相关部门)?|按职责分工负责|负责|配合|牵头)$")


@lru_cache(maxsize=1)
def _suffix_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _suffixes(split_only=True):
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=2)
def _suffixes(split_only: bool = False) -> tuple[str, ...]:
    out = []
    for line in load_list("department_suffixes.txt"):
        word, _, flag = line.partition("\t")
        if not split_only or flag.strip() == "split":
            out.append(word.strip())
    return tuple(out)


@lru_cache(maxsize=1)
def _coordination_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in load_list("coordination_bodies.txt"):
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def is_coordination_body(name: str) -> bool:
    """领导小组, 联席会议, 工作专班, … are conveners, not responsible departments."""
    return any(True for _ in _coordination_automaton().iter(name))


def is_department_name(name: str) -> bool:
    """True when ``name`` ends with a unit suffix (局, 委, 办, 中心, 公司, 镇, …)."""
    return name.endswith(_suffixes())


def _split_glued(name: str) -> list[str]:
    """ "区水务局相关街镇及区属公司" → ["区水务局", "相关街镇及区属公司"] (a missing 、)."""
    starts = load_list("department_starts.txt")
    cuts = []
    for end, _word in _suffix_automaton().iter(name):
        cut = end + 1
        if 2 <= cut <= len(name) - 2 and name.startswith(starts, cut):
            cuts.append(cut)
    if not cuts:
        return [name]
    parts, previous = [], 0
    for cut in cuts:
        if cut - previous >= 2:
            parts.append(name[previous:cut])
            previous = cut
    parts.append(name[previous:])
    return [p for p in parts if p]


def _split_outside_brackets(separators: re.Pattern[str], body: str) -> list[str]:
    """Split on ``separators`` except inside （…）: "各县（市、区）人民政府" stays whole."""
    if "（" not in body and "(" not in body:
        return separators.split(body)
    parts: list[str] = []
    depth, start = 0, 0
    for m in re.finditer(r"[（(]|[）)]|" + separators.pattern, body):
        token = m.group()
        if token in "（(":
            depth += 1
        elif token in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(body[start : m.start()])
            start = m.end()
    parts.append(body[start:])
    return parts


def split_departments(body: str) -> list[str]:
    """Split a list of units on 、，,；; drop a trailing 等, co-ordination bodies and duplicates."""
    body = _SPACE_IN_NAME.sub("", body.strip())
    out: list[str] = []
    # "市科委、中关村管委会，市发展改革委": when units are separated by ，, a 、 inside one item
    # joins a joint unit (two bodies that lead together), kept as written.
    separators = _SEPARATORS
    if "、" in body and _COMMAS.search(body.strip("，,；; 。")):
        separators = _COMMAS
    for raw in _split_outside_brackets(separators, body):
        name = raw.strip(" 。.")
        previous = None
        while name and name != previous:
            previous = name
            name = _TRAILING.sub("", name).strip()
        if len(name) < 2 or is_coordination_body(name):
            continue
        for part in _split_glued(name):
            if part not in out:
                out.append(part)
    return out


@lru_cache(maxsize=1)
def _label_split_re() -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, _labels()), key=len, reverse=True))
    return re.compile(rf"(?:^|[；;，,。]|\s)[ ]*(?P<label>{words})[ ]*[：:]")


def _parse_labelled(body: str) -> Assignment:
    """ "牵头单位：A；配合单位：B、C" (labels separated by ；，or spaces) → leads [A], units [A, B, C]."""
    labels = _labels()
    body, deadline = split_deadline(body)
    result = Assignment(
        rule="标注「" + body.strip()[:6].split("：")[0].split(":")[0] + "：」", deadline=deadline
    )
    result.confidence = 0.95
    marks = list(_label_split_re().finditer(body))
    parts: list[tuple[str, str]] = []
    if not marks:
        parts.append(("all", body))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        parts.append((labels.get(m.group("label"), "all"), body[m.end() : end]))
    for role, names in parts:
        for name in split_departments(names):
            if name not in result.departments:
                result.departments.append(name)
            if role == "lead" and name not in result.leads:
                result.leads.append(name)
                result.explicit_lead = True
    if not result.leads and result.departments:
        result.leads = [result.departments[0]]
    return result


_RESPONSIBLE_AFTER = re.compile(
    r"[（(](?P<names>[^（）()：:]{2,200}?)(?:共同负责|分别负责|按职责分工负责|负责)[）)]"
)


def assignments_in(text: str) -> list[Assignment]:
    """Every responsibility formula in ``text`` (one paragraph or several lines), in order."""
    found: list[tuple[int, Assignment]] = []
    if "：" in text or ":" in text:
        for m in _label_re().finditer(text):
            found.append((m.start(), _parse_labelled(m.group("body"))))
        for line_start, line in _lines(text):
            lm = _line_label_re().match(line.strip())
            if lm and not line.strip().startswith(("（", "(")):
                found.append((line_start, _parse_labelled(lm.group("body"))))
    if "负责" in text:
        for m in _RESPONSIBLE_AFTER.finditer(text):
            names = split_departments(m.group("names"))
            if names and all(is_department_name(n) for n in names):
                found.append(
                    (
                        m.start(),
                        Assignment(departments=names, leads=names[:1], rule="括注「…负责」", confidence=0.85),
                    )
                )
    if "牵头" in text:
        for line_start, line in _lines(text):
            pm = _PROSE_LINE.match(line.strip())
            if pm is None:
                continue
            leads = split_departments(pm.group("lead"))
            cos = split_departments(pm.group("co"))
            names = leads + [c for c in cos if c not in leads]
            if leads and all(is_department_name(n) or n.startswith(("各", "相关")) for n in names):
                found.append(
                    (
                        line_start,
                        Assignment(
                            departments=names,
                            leads=leads,
                            explicit_lead=True,
                            rule="单独一行「X牵头，Y按职责分工负责」",
                            confidence=0.85,
                        ),
                    )
                )
        for m in _LEAD_CO.finditer(text):
            leads = split_departments(m.group("lead"))
            cos = split_departments(m.group("co"))
            if not leads:
                continue
            names = leads + [c for c in cos if c not in leads]
            found.append(
                (
                    m.start(),
                    Assignment(
                        departments=names,
                        leads=leads,
                        explicit_lead=True,
                        rule="括注「X牵头，Y配合」",
                        confidence=0.9,
                    ),
                )
            )
    found.sort(key=lambda pair: pair[0])
    return [a for _, a in found]


def _lines(text: str) -> list[tuple[int, str]]:
    out, position = [], 0
    for line in text.split("\n"):
        out.append((position, line))
        position += len(line) + 1
    return out


_PROSE_LEAD = re.compile(
    r"由(?P<lead>[\u4e00-\u9fff]{2,15}?)牵头[，,]?(?:联动|会同|联合|协同|组织)(?P<co>[\u4e00-\u9fff、]{2,120}?)(?:等(?:部门|单位))"
)
_PROSE_LIST_ANCHOR = re.compile(r"(?:等(?:部门|单位))?(?:按照职责分工|按职责分工|按照职责|分别)(?:牵头|负责)")
_LEADING_CONNECTORS = re.compile(r"^(?:其中|并由|建立由|由|和|及|会同|联合)")


def prose_departments(text: str) -> list[str]:
    """Units named responsible in running text ("由X牵头，联动Y、Z等部门…", "A、B、C按照职责分工牵头…").

    Every name must end with a unit suffix from data/department_suffixes.txt.
    """
    out: list[str] = []
    if "牵头" not in text and "负责" not in text:
        return out
    for m in _PROSE_LEAD.finditer(text):
        for name in split_departments(m.group("lead")) + split_departments(m.group("co")):
            if is_department_name(name) and name not in out:
                out.append(name)
    for m in _PROSE_LIST_ANCHOR.finditer(text):
        # The list runs back from the anchor to the previous clause break (bounded).
        head = text[max(0, m.start() - 300) : m.start()]
        cut = max(head.rfind(ch) for ch in "，。；：,;:")
        listed = head[cut + 1 :]
        if listed.count("、") < 2:
            continue
        names = split_departments(listed)
        if names:
            names[0] = _LEADING_CONNECTORS.sub("", names[0])
        valid = [n for n in names if is_department_name(n) and len(n) >= 2]
        if len(valid) >= 2:
            for name in valid:
                if name not in out:
                    out.append(name)
    return out


_NUMBER_HEADER = re.compile(r"序号|编号|^序$|任务编号")
_DEADLINE_HEADER = re.compile(r"时限|完成时间|时间节点|完成期限|进度安排")
_DEPT_HEADER = re.compile(r"责任|牵头|配合|协同|部门|(?:实施|推进|主办|承办|参与|主体)单位")


def _row_number(cell: str) -> str | None:
    """ "3" / "（三）" / "三、" / "③" → "3"; None for an empty or non-numeric cell."""
    written = cell.strip().strip("（）()、.． ")
    if not written:
        return None
    value = ordinal_value(written)
    return str(value) if value else None


def table_assignments(rows: list[list[str]]) -> dict[str, Assignment]:
    """Task number → units from a 任务分解表/任务分工表 (header row with 序号 and 责任部门 columns).

    Rows whose number cell is empty continue the row above (a cell wrapped onto the next line).
    The lead is the 牵头 column when there is one, else the first unit listed.
    """
    if not rows:
        return {}
    header = rows[0]
    number_col = next((i for i, h in enumerate(header) if _NUMBER_HEADER.search(h)), None)
    dept_cols = [i for i, h in enumerate(header) if _DEPT_HEADER.search(h) and i != number_col]
    if number_col is None or not dept_cols:
        return {}
    lead_cols = [i for i in dept_cols if "牵头" in header[i]]
    deadline_cols = [i for i, h in enumerate(header) if _DEADLINE_HEADER.search(h)]
    merged: list[list[str]] = []
    for row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        number = _row_number(cells[number_col])
        if number:
            cells[number_col] = number
            merged.append(list(cells))
        elif merged:
            for i, cell in enumerate(cells):
                if cell.strip() and i < len(merged[-1]):
                    merged[-1][i] = merged[-1][i] + cell.strip()
    out: dict[str, Assignment] = {}
    for row in merged:
        number = row[number_col].strip()
        departments: list[str] = []
        leads: list[str] = []
        for i in dept_cols:
            if i >= len(row):
                continue
            for name in split_departments(row[i]):
                if name not in departments:
                    departments.append(name)
                if i in lead_cols and name not in leads:
                    leads.append(name)
        if not departments:
            continue
        deadline = next((row[i].strip() for i in deadline_cols if i < len(row) and row[i].strip()), None)
        out[number] = Assignment(
            departments=departments,
            leads=leads or departments[:1],
            explicit_lead=bool(lead_cols),
            rule=f"分工表第{number}行「{'、'.join(header[i] for i in dept_cols)}」列",
            confidence=0.95,
            deadline=deadline,
        )
    return out


_ORD = r"(?:第[一二三四五六七八九十百零〇两0-9]{1,4}[章节条部篇项]|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[一二三四五六七八九十]{1,3}(?=[、和及与至到]))"
_CROSS = re.compile(
    rf"(?P<refs>{_ORD}(?:[ ]*(?:[、和及与]|至|到)[ ]*{_ORD})*)(?:项|部分|任务)?(?:均|分别)?由(?P<body>[^；;。]+)"
)
_CO_TAIL = re.compile(
    r"(?:等(?:部门|单位))?(?:配合|协同|参与|共同推进|按职责分工负责|按照职责分工负责|负责|落实)$"
)


def cross_references(text: str) -> list[tuple[list[int], Assignment]]:
    """ "第一节、第二节由X牵头，Y、Z配合；第三节至第五节由A负责" → ([1, 2], X+Y+Z), ([3, 4, 5], A).

    The ordinals are those of the headings referred to; the caller matches them to its tasks.
    """
    out: list[tuple[list[int], Assignment]] = []
    if "由" not in text:
        return out
    for m in _CROSS.finditer(text):
        written = re.findall(_ORD, m.group("refs"))
        values = [ordinal_value(re.sub(r"^第|[章节条部篇项（）()]", "", w)) for w in written]
        numbers = [v for v in values if v]
        if not numbers:
            continue
        if re.search(r"至|到", m.group("refs")) and len(numbers) == 2:
            numbers = list(range(numbers[0], numbers[1] + 1))
        body = m.group("body").strip()
        lead_text, marker, rest = body.partition("牵头")
        if marker:
            leads = split_departments(lead_text)
            cos = split_departments(_CO_TAIL.sub("", rest.strip("，, ")))
        else:
            leads = []
            cos = split_departments(_CO_TAIL.sub("", body))
        names = leads + [c for c in cos if c not in leads]
        names = [n for n in names if is_department_name(n) or n.startswith(("各", "相关"))]
        if not names:
            continue
        out.append(
            (
                numbers,
                Assignment(
                    departments=names,
                    leads=leads or names[:1],
                    explicit_lead=bool(leads),
                    rule="交叉引用「" + m.group("refs")[:12] + "由…」",
                    confidence=0.85,
                ),
            )
        )
    return out


def is_responsibility_line(line: str) -> bool:
    """A whole line that only names responsible units ("牵头单位：X；配合单位：Y")."""
    line = line.strip()
    return bool(line) and not line.startswith(("（", "(")) and _line_label_re().match(line) is not None
