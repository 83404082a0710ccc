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

import re
from collections import Counter
from functools import lru_cache

from bioplan.ingest.deadlines import parse_deadline
from bioplan.ingest.departments import (
    Assignment,
    assignments_in,
    cross_references,
    is_responsibility_line,
    split_deadline,
    split_departments,
    table_assignments,
)
from bioplan.ingest.draft import TaskAssignment, TaskDraft
from bioplan.ingest.outline import Outline, Section, ordinal_value
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


@lru_cache(maxsize=1)
def _roles() -> tuple[tuple[str, str], ...]:
    out = []
    for line in load_list("section_roles.txt"):
        word, _, role = line.partition("\t")
        out.append((word.strip(), role.strip()))
    return tuple(out)


def section_role(title: str) -> str | None:
    """ "task", "goal", "basis", "layout", "principle", "guarantee" or None for a heading text."""
    if len(title) > 16:
        return None  # a long heading is a task or a statement, not the name of a part
    if title.startswith(_verbs()) and not title.startswith("发展"):
        return None  # "优化产业布局", "提升产业基础能力": an action, not the name of a part
    for word, role in _roles():
        if word in title:
            return role
    return None


_ANCESTOR_ROLE_SCORE = {
    "task": 1.5,
    "goal": -2.5,
    "basis": -2.5,
    "layout": -1.5,
    "principle": -2.5,
    "guarantee": -0.5,
}


def _context(section: Section) -> tuple[str | None, Section | None]:
    """The role of the nearest ancestor heading that has one, and that ancestor."""
    for node in section.ancestors():
        if node.style == "root":
            break
        role = section_role(node.title)
        if role is not None:
            return role, node
    return None, None


def _runs(outline: Outline) -> list[list[Section]]:
    """Numbered headings of one style in document order, cut where the numbering restarts.

    A run may cross sections: "1．…3．" under 四、, "4．…6．" under 五、 is one run, and so is a
    保障措施 part whose items continue the task numbering.
    """
    by_style: dict[str, list[Section]] = {}
    for section in outline.sections():
        if section.in_box or section.number is None or section.style in ("annex", "box", "root"):
            continue
        by_style.setdefault(section.style, []).append(section)
    runs: list[list[Section]] = []
    for items in by_style.values():
        run: list[Section] = []
        for section in items:
            if run and (section.number or 0) <= (run[-1].number or 0):
                runs.append(run)
                run = []
            run.append(section)
        if run:
            runs.append(run)
    return runs


def _has_assignment(section: Section, tables: dict[str, Assignment]) -> bool:
    """A responsibility formula in the heading's own text and boxes (a group's numbered items
    carry their own), or a row of the same number in a responsibility table."""
    if str(section.number) in tables:
        return True
    if not _numbered_children(section):
        return bool(assignments_in(task_text(section)))
    parts = [section.line, *(b.text for b in section.blocks if b.kind == "paragraph")]
    for child in section.children:
        if child.in_box:
            parts.extend(b.text for b in child.all_blocks() if b.kind == "paragraph")
    return bool(assignments_in("\n".join(parts)))


def _item_score(section: Section, tables: dict[str, Assignment]) -> float:
    """How much one numbered heading looks like a task: an action title, a responsibility
    annotation, a place under a task part (not under 目标/基础/布局/思路), no numbered children."""
    score = 0.0
    own_role = section_role(section.title) if len(section.title) <= 10 else None
    if own_role is not None:
        score -= 2.0  # "发展目标", "重点任务", "保障措施" name a part, not a task
    role, _node = _context(section)
    if role is not None:
        score += _ANCESTOR_ROLE_SCORE[role]
    if _has_assignment(section, tables):
        score += 2.0
    if section.title.startswith(_verbs()) or section.title[1:].startswith(_verbs()):
        score += 1.0
    if not _numbered_children(section):
        score += 0.5
    if len(section.title) <= 30:
        score += 0.3
    return score


@lru_cache(maxsize=1)
def _verbs() -> tuple[str, ...]:
    return load_list("task_verbs.txt")


def _restarts_within_container(run: list[Section], runs: list[list[Section]]) -> bool:
    """Another run of the same style restarts under the same task part: these are sub-points of
    a task ("1.推进数据中心建设" under each （一）…), not the tasks."""
    _role, container = _context(run[0])
    if container is None:
        return False
    for other in runs:
        if other is run or other[0].style != run[0].style:
            continue
        if _context(other[0])[1] is container:
            return True
    return False


def _choose_runs(outline: Outline, tables: dict[str, Assignment]) -> tuple[list[Section], float]:
    # A single numbered heading is a task only directly under a task part ("一、主要任务\n1.…").
    runs = [r for r in _runs(outline) if len(r) >= 2 or _context(r[0])[0] == "task"]
    scored = []
    for run in runs:
        score = sum(_item_score(s, tables) for s in run) / len(run) - (0.5 if len(run) == 1 else 0)
        if _restarts_within_container(run, runs):
            score -= 1.5
        scored.append((score, run))
    if not scored:
        return [], 0.0
    best_score, best = max(scored, key=lambda pair: (pair[0], len(pair[1])))
    if best_score < _MIN_RUN_SCORE:
        return [], best_score
    chosen = list(best)
    # Tasks numbered afresh in every chapter ("（一）…" under 四、 and again under 五、).
    level = best[0].level
    for score, run in scored:
        if run is best or run[0].style != best[0].style or run[0].level != level:
            continue
        role, _ = _context(run[0])
        if score >= max(_MIN_RUN_SCORE, best_score - 1.0) and role not in (
            "goal",
            "basis",
            "principle",
            "guarantee",
        ):
            chosen.extend(run)
    chosen.sort(key=lambda s: s.start)
    return chosen, best_score


_MIN_RUN_SCORE = 2.2


def extract_tasks(outline: Outline) -> list[TaskDraft]:
    """The numbered tasks of the plan, each with its section and responsible units."""
    tables = _department_tables(outline)
    chosen, run_score = _choose_runs(outline, tables)
    # "五、保障措施" numbered on with the tasks names a part, not a task.
    chosen = [s for s in chosen if not (len(s.title) <= 10 and section_role(s.title) is not None)]
    if not chosen:
        return _table_tasks(outline)
    containers = [c for c in (_context(s)[1] for s in chosen) if c is not None] or [outline.root]
    tables = _department_tables(outline)
    numbers = [s.number or 0 for s in chosen]
    continuous = numbers == list(range(1, len(numbers) + 1))
    renumber = len(set(numbers)) != len(numbers)
    group_lines = _group_lines(chosen)
    by_title = _title_tables(outline)
    cross: dict[int, list[Assignment]] = {}
    for block in (b for sec in outline.root.walk() for b in sec.blocks if b.kind == "paragraph"):
        for numbers, assignment in cross_references(block.text):
            for n in numbers:
                cross.setdefault(n, []).append(assignment)
    tasks: list[TaskDraft] = []
    for index, section in enumerate(chosen, 1):
        number = str(index) if renumber else str(section.number)
        parent = section.parent
        parent_title = parent.title if parent is not None and parent.style != "root" else None
        text = task_text(section)
        own = str(section.number)
        found = [tables[own]] if own in tables and not renumber else assignments_in(text)
        if not found:
            found = group_lines.get(id(section), []) or cross.get(section.number or 0, [])
        if not found:
            found = [
                a
                for title, a in by_title.items()
                if title and (title in section.title or section.title in title)
            ][:1]
        departments, leads = _merge(found)
        deadline_text = next((a.deadline for a in found if a.deadline), None)
        if deadline_text is None:
            deadline_text = split_deadline(text)[1]
        confidence = (
            min(0.55 + 0.08 * run_score, 0.85) + (0.05 if continuous else 0) + (0.05 if departments else 0)
        )
        tasks.append(
            TaskDraft(
                number=number,
                title=section.title,
                section=parent_title or None,
                lead_departments=leads,
                departments=departments,
                deadline=parse_deadline(deadline_text) if deadline_text else None,
                confidence=round(confidence, 2),
                reason=f"「{section.style}」编号第{section.number}项，位于「{(containers[0].title or '全文')[:12]}」，"
                f"该层得分{run_score:.1f}" + ("，编号连续" if continuous else "，编号不连续"),
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


def _group_lines(chosen: list[Section]) -> dict[int, list[Assignment]]:
    """A responsibility line after the last task of a group, when the group's other tasks name no
    unit, covers the whole group ("1．…\n2．…\n牵头单位：X；配合单位：Y")."""
    out: dict[int, list[Assignment]] = {}
    groups: dict[int, list[Section]] = {}
    for section in chosen:
        groups.setdefault(id(section.parent), []).append(section)
    for members in groups.values():
        if len(members) < 2:
            continue
        last = members[-1]
        lines = [b.text for b in last.blocks if b.kind == "paragraph" and is_responsibility_line(b.text)]
        if not lines or any(assignments_in(task_text(m)) for m in members[:-1]):
            continue
        shared = [a for line in lines for a in assignments_in(line)]
        for a in shared:
            a.rule += "（组末一行，覆盖本组各项）"
        for member in members[:-1]:
            out[id(member)] = shared
    return out


_TASK_HEADER = re.compile(r"重点任务|主要任务|工作任务|重点工作|任务名称|^任务$|^任务内容$|重点举措|主要举措")
_MEASURE_HEADER = re.compile(r"具体措施|工作措施|主要内容|具体内容|工作内容")
_DEADLINE_HEADER = re.compile(r"时限|完成时间|时间节点|完成期限|进度安排")


def _table_tasks(outline: Outline) -> list[TaskDraft]:
    """Tasks stated only in a table (序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限).

    Rows without a number continue the row above (a wrapped cell or another measure of the same
    task); the title is the task cell up to its first 。.
    """
    for section, block in outline.tables():
        rows = block.rows
        if len(rows) < 2:
            continue
        header = rows[0]
        task_col = next((i for i, h in enumerate(header) if _TASK_HEADER.search(h.strip())), None)
        by_number = table_assignments(rows)
        if task_col is None or not by_number:
            continue
        number_col = next((i for i, h in enumerate(header) if re.search(r"序号|编号", h)), None)
        deadline_col = next((i for i, h in enumerate(header) if _DEADLINE_HEADER.search(h)), None)
        merged: list[list[str]] = []
        for row in rows[1:]:
            cells = row + [""] * (len(header) - len(row))
            key = cells[number_col].strip() if number_col is not None else cells[task_col].strip()
            if key or not merged:
                merged.append(list(cells))
            else:
                merged[-1] = [a + b.strip() for a, b in zip(merged[-1], cells, strict=False)]
        tasks: list[TaskDraft] = []
        for index, cells in enumerate(merged, 1):
            title = cells[task_col].strip().split("。")[0]
            if not title:
                continue
            number = str(index)
            if number_col is not None and cells[number_col].strip():
                written = cells[number_col].strip().strip("（）()、.． ")
                number = str(ordinal_value(written) or index)
            assignment = by_number.get(number)
            departments, leads = _merge([assignment]) if assignment else ([], [])
            deadline_text = cells[deadline_col].strip() if deadline_col is not None else ""
            tasks.append(
                TaskDraft(
                    number=number,
                    title=title,
                    section=section.title if section.style != "root" else None,
                    lead_departments=leads,
                    departments=departments,
                    deadline=parse_deadline(deadline_text) if deadline_text else None,
                    confidence=0.85 if departments else 0.7,
                    reason=f"任务表「{header[task_col]}」列第{number}行",
                    assignments=_pairs([assignment] if assignment else [], departments, leads),
                )
            )
        if tasks:
            return tasks
    return []


def _title_tables(outline: Outline) -> dict[str, Assignment]:
    """Task title → units from a table keyed by the task's name, not its number
    (重点任务 | 具体措施 | 责任单位, one row per measure, the task name repeated or merged)."""
    out: dict[str, Assignment] = {}
    for _section, block in outline.tables():
        rows = block.rows
        if len(rows) < 2:
            continue
        header = rows[0]
        task_col = next((i for i, h in enumerate(header) if _TASK_HEADER.search(h.strip())), None)
        dept_cols = [i for i, h in enumerate(header) if i != task_col and _DEPT_COLUMN.search(h)]
        if task_col is None or not dept_cols:
            continue
        lead_cols = [i for i in dept_cols if "牵头" in header[i]]
        current = ""
        for row in rows[1:]:
            cells = row + [""] * (len(header) - len(row))
            current = cells[task_col].strip().split("。")[0] or current
            if not current:
                continue
            entry = out.setdefault(
                current, Assignment(rule=f"任务表「{header[task_col]}」列同名行", confidence=0.8)
            )
            for i in dept_cols:
                for name in split_departments(cells[i]):
                    if name not in entry.departments:
                        entry.departments.append(name)
                    if i in lead_cols and name not in entry.leads:
                        entry.leads.append(name)
                        entry.explicit_lead = True
        for entry in out.values():
            if not entry.leads and entry.departments:
                entry.leads = entry.departments[:1]
    return out


_DEPT_COLUMN = re.compile(r"责任|牵头|配合|协同|部门|(?:实施|推进|主办|承办|参与|主体)单位")
