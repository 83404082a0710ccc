"""Find the numbered key tasks (重点任务 / 主要任务) of a plan and the units responsible for each.

Why hand-written: a plan's tasks are not marked up; they are the numbered headings of the section
named 重点任务 (or 主要任务, 主要举措 … from data/task_sections.txt) at the level where the
numbering runs through the whole section. Which style that is differs by document ("1．", "1、",
"（一）", "①", "第七条"), so the level is chosen from the outline, not from a fixed style:

* task headings are leaves of the outline apart from their 专栏 boxes (a section with numbered
  children is a group of tasks, not a task), and their numbering does not restart at 1;
* 专栏 items are never tasks; 保障措施 items are tasks only when their numbering continues the
  task numbering (…16、 then 17、 under 保障措施).

Responsible units come from the task's own text and boxes (see ``departments``), or, when the
document ends with a 任务分解表/任务分工表, from the row with the same task number.

In: ``Outline``. Out: ``TaskDraft`` list in document order.
"""

from __future__ import annotations

from collections import Counter

from bioplan.ingest.deadlines import parse_deadline
from bioplan.ingest.departments import Assignment, assignments_in, split_deadline, table_assignments
from bioplan.ingest.draft import TaskAssignment, TaskDraft
from bioplan.ingest.outline import Outline, Section
from bioplan.ingest.quantities import load_list

__all__ = ["extract_tasks", "task_sections"]

_TASK_STYLES_FIRST = ("num_dot", "num_dun", "article", "circled", "cn_paren", "num_paren", "cn_dun")


def task_sections(outline: Outline) -> list[Section]:
    """Sections whose title names the key tasks (重点任务, 主要任务, …), outermost only."""
    words = load_list("task_sections.txt")
    found: list[Section] = []
    for section in outline.sections():
        if section.in_box or not any(w in section.title for w in words):
            continue
        if any(a in found for a in section.ancestors()):
            continue
        found.append(section)
    return found


def _numbered_children(section: Section) -> list[Section]:
    return [c for c in section.children if not c.in_box and c.number is not None]


def _choose_style(candidates: list[Section]) -> str | None:
    if not candidates:
        return None
    leaves = [s for s in candidates if not _numbered_children(s)]
    by_style: dict[str, list[Section]] = {}
    for s in leaves:
        by_style.setdefault(s.style, []).append(s)

    def restarts(items: list[Section]) -> bool:
        counts = Counter(s.number for s in items)
        return counts.get(1, 0) > 1

    good = [style for style, items in by_style.items() if not restarts(items)]
    if good:
        return min(good, key=lambda st: (min(s.level for s in by_style[st]), _rank(st)))
    parents = {s.parent.style for s in leaves if s.parent is not None and s.parent in candidates}
    for style in parents:
        items = [s for s in candidates if s.style == style]
        if not restarts(items):
            return style
    return min(by_style, key=_rank) if by_style else None


def _rank(style: str) -> int:
    return _TASK_STYLES_FIRST.index(style) if style in _TASK_STYLES_FIRST else len(_TASK_STYLES_FIRST)


def _department_tables(outline: Outline) -> dict[str, Assignment]:
    merged: dict[str, Assignment] = {}
    for _section, block in outline.tables():
        for number, assignment in table_assignments(block.rows).items():
            merged.setdefault(number, assignment)
    return merged


def _merge(assignments: list[Assignment]) -> tuple[list[str], list[str]]:
    departments: list[str] = []
    leads: list[str] = []
    explicit = [a for a in assignments if a.explicit_lead]
    for a in assignments:
        for name in a.departments:
            if name not in departments:
                departments.append(name)
    if explicit:
        for a in explicit:
            for name in a.leads:
                if name not in leads:
                    leads.append(name)
    elif departments:
        leads = [departments[0]]
    return departments, leads


def task_text(section: Section) -> str:
    """All text of a task: its heading line, paragraphs and boxes (items included)."""
    parts = [section.line]
    for block in section.all_blocks():
        if block.kind == "paragraph":
            parts.append(block.text)
    return "\n".join(parts)


def extract_tasks(outline: Outline) -> list[TaskDraft]:
    """The numbered tasks of the plan, each with its section and responsible units."""
    containers = task_sections(outline)
    if not containers:
        return []
    candidates = [s for c in containers for s in c.walk() if s is not c and not s.in_box and s.number]
    style = _choose_style(candidates)
    if style is None:
        return []
    chosen = [s for s in candidates if s.style == style]
    chosen_ids = {id(s) for s in chosen}
    # Items after the task section that continue the numbering (保障措施 numbered 17、18、…).
    last = max((s.number or 0) for s in chosen) if chosen else 0
    after = False
    for section in outline.sections():
        if section is containers[-1]:
            after = True
            continue
        if not after or section.in_box or id(section) in chosen_ids:
            continue
        if any(a is containers[-1] for a in section.ancestors()):
            continue
        if section.style == style and section.number == last + 1:
            chosen.append(section)
            last += 1
    chosen.sort(key=lambda s: s.start)

    tables = _department_tables(outline)
    numbers = [s.number or 0 for s in chosen]
    continuous = numbers == list(range(1, len(numbers) + 1))
    tasks: list[TaskDraft] = []
    for section in chosen:
        number = str(section.number)
        parent = section.parent
        parent_title = parent.title if parent is not None and parent.style != "root" else None
        text = task_text(section)
        found = [tables[number]] if number in tables else assignments_in(text)
        departments, leads = _merge(found)
        deadline_text = next((a.deadline for a in found if a.deadline), None)
        if deadline_text is None:
            deadline_text = split_deadline(text)[1]
        confidence = 0.7 + (0.15 if continuous else 0) + (0.1 if departments else 0)
        tasks.append(
            TaskDraft(
                number=number,
                title=section.title,
                section=parent_title or None,
                lead_departments=leads,
                departments=departments,
                deadline=parse_deadline(deadline_text) if deadline_text else None,
                confidence=round(confidence, 2),
                reason=f"「{section.style}」编号第{number}项，位于「{containers[0].title[:12]}」"
                + ("，编号连续" if continuous else "，编号不连续"),
                assignments=_pairs(found, departments, leads),
            )
        )
    return tasks


def _pairs(found: list[Assignment], departments: list[str], leads: list[str]) -> list[TaskAssignment]:
    """One evidence record per task–department pair: the first formula that named the unit."""
    out = []
    for name in departments:
        source = next((a for a in found if name in a.departments), None)
        rule = source.rule if source is not None and source.rule else "责任单位"
        confidence = source.confidence if source is not None else 0.7
        lead = name in leads
        if lead and source is not None and not source.explicit_lead:
            rule += "，首个单位视为牵头"
        out.append(TaskAssignment(department=name, lead=lead, confidence=confidence, reason=rule))
    return out
