"""Writes on plans: importing a contract-format PlanDraft as a new plan or a new version of one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bioplan.core import access
from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Region, User
from bioplan.core.services import audited_save, department_resolve, record_delete, region_get_or_create
from bioplan.core.validation import document_problems
from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid
from bioplan.plans.choices import AssignmentRole
from bioplan.plans.models import Assignment, Park, Plan, Section, Target, Task, TaskNode
from bioplan.plans.succession import TargetFacts, TaskFacts, match_targets, match_tasks

# Called with the freshly imported plan inside the import transaction (the consistency checks of
# bioplan.tracking register here; plans must not import tracking, which depends on plans).
_after_import: list[Callable[[Plan], None]] = []


def register_after_import(func: Callable[[Plan], None]) -> Callable[[Plan], None]:
    if func not in _after_import:
        _after_import.append(func)
    return func


# Each app whose rows hang on targets or tasks moves them to their successors in a new version (tracking:
# indicator bindings and progress reports; enterprises: derived rules). Called inside the import or
# the office's hand mapping, with old → new pairs; a carrier leaves a row where it is when the successor
# already has one of its kind. Plans must not import those apps, which depend on plans.
Carrier = Callable[..., None]
_carriers: list[Carrier] = []


def register_version_carrier(func: Carrier) -> Carrier:
    """`func(*, targets: Mapping[Target, Target], tasks: Mapping[Task, Task], user, reason)`."""
    if func not in _carriers:
        _carriers.append(func)
    return func


_DRAFT_MARKERS = re.compile(r"[（(](?:征求意见稿|送审稿|草案|讨论稿|修订稿)[）)]")


def lineage_key(draft: PlanDraft) -> str:
    """What makes two imports versions of the same plan: region, industry and title (draft markers removed)."""
    title = _DRAFT_MARKERS.sub("", draft.plan.title or draft.document or "")
    title = re.sub(r"\s+", "", title)
    return "|".join([draft.plan.region or "", draft.plan.industry or "", title])[:300]


# What the extractor says about its own reading (how sure, which rule, which evidence) is not the
# plan's content: the same document read by a newer extractor is the same version.
EXTRACTION_NOTES = frozenset({"confidence", "reason", "evidence"})


def _without_notes(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_notes(v) for k, v in value.items() if k not in EXTRACTION_NOTES}
    if isinstance(value, list):
        return [_without_notes(v) for v in value]
    return value


def content_hash(draft: PlanDraft) -> str:
    body = _without_notes(draft.to_dict())
    body.pop("document", None)
    body.pop("warnings", None)
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _require_importer(user: User | None, *, region: Region, version_of: Plan | None) -> None:
    """Only the office of the plan's region imports it (`user=None`: the operator's CLI or a job)."""
    if user is None or user.is_superuser:
        return
    if user.role != Role.OFFICE_ADMIN:
        raise PermissionDenied("只有产业办公室可以导入行动方案。")
    if not access.user_reaches_region(user, region):
        raise PermissionDenied(f"不能导入其他区（{region.name}）的行动方案。")
    if version_of is not None and not Plan.objects.editable_by(user).filter(pk=version_of.pk).exists():
        raise PermissionDenied("不能修改其他区的行动方案。")


@dataclass(frozen=True)
class ImportResult:
    """The stored plan; `unmatched_*`: what of the previous version has no successor in this one (its
    tracking stays with the previous version until the office maps it by hand)."""

    plan: Plan
    created: bool
    previous: Plan | None
    unmatched_targets: tuple[Target, ...] = ()
    unmatched_tasks: tuple[Task, ...] = ()

    @property
    def carried_summary(self) -> str:
        """The sentence the import page, the API and the CLI show, or "" when everything was carried."""
        return unmatched_sentence(
            targets=len(self.unmatched_targets),
            tasks=len(self.unmatched_tasks),
            version=self.previous.version if self.previous else 0,
        )


def unmatched_sentence(*, targets: int, tasks: int, version: int) -> str:
    parts = [f"{targets}项目标" if targets else "", f"{tasks}项任务" if tasks else ""]
    named = "、".join(p for p in parts if p)
    return f"{named}在新版本中没有对应项，其跟踪记录保留在第{version}版" if named else ""


@transaction.atomic
def plan_import(
    *, draft: PlanDraft, user: User | None = None, source_file: str = "", version_of: Plan | None = None
) -> ImportResult:
    """Store `draft` as a plan. Returns the plan and whether a new version was created.

    The same plan (same lineage: region, industry, title) imported again with different content
    becomes version n+1 and the earlier version is kept (no longer current). Importing identical
    content again changes nothing and returns the current version (idempotent). Everything runs in
    one transaction: an invalid draft leaves the database as it was.
    """
    meta = draft.plan
    problems = []
    if not meta.region:
        problems.append(_("plan.region is required (the district, e.g. 青浦区)"))
    if not meta.title:
        problems.append(_("plan.title is required"))
    numbers = [t.number for t in draft.tasks]
    duplicated = sorted({n for n in numbers if numbers.count(n) > 1}, key=lambda n: (len(n), n))
    if duplicated:
        problems.append(
            _("tasks: number %(numbers)s used more than once") % {"numbers": ", ".join(duplicated)}
        )
    problems += document_problems(draft)  # before any query: PostgreSQL refuses NUL even in a lookup
    if problems:
        raise DraftInvalid(_("; ").join(problems), source=source_file or draft.document)

    region = region_get_or_create(name=meta.region or "")
    _require_importer(user, region=region, version_of=version_of)
    lineage = version_of.lineage if version_of is not None else lineage_key(draft)
    digest = content_hash(draft)
    previous = Plan.objects.select_for_update().filter(lineage=lineage, is_current=True).first()
    if previous is not None and previous.content_hash == digest:
        return ImportResult(plan=previous, created=False, previous=None)

    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    version = (
        Plan.objects.filter(lineage=lineage).order_by("-version").values_list("version", flat=True).first()
        or 0
    ) + 1

    plan = Plan(
        region=region,
        industry=meta.industry or "",
        title=meta.title or "",
        period_start=meta.period_start,
        period_end=meta.period_end,
        status=meta.status or "",
        doc_number=meta.doc_number or "",
        issued_on=dt.date.fromisoformat(meta.issued_on) if meta.issued_on else None,
        source_file=source_file or draft.document or "",
        version=version,
        is_current=True,
        lineage=lineage,
        content_hash=digest,
        imported_by=user,
    )
    plan.predecessor = _preceding_plan(plan) if previous is None else previous.predecessor
    audited_save(plan, user=user, reason=f"plan imported from {plan.source_file or 'JSON'} (v{version})")
    _store_contents(plan, draft, region, user)
    unmatched_targets: tuple[Target, ...] = ()
    unmatched_tasks: tuple[Task, ...] = ()
    if previous is not None:
        unmatched_targets, unmatched_tasks = _carry_tracking(old=previous, new=plan, user=user)
    for hook in _after_import:
        hook(plan)
    return ImportResult(
        plan=plan,
        created=True,
        previous=previous,
        unmatched_targets=unmatched_targets,
        unmatched_tasks=unmatched_tasks,
    )


_PERIOD_IN_TITLE = re.compile(
    r"[（(]\s*\d{4}\s*[—–\-－~～至]+\s*\d{4}\s*年?\s*[）)]|\d{4}\s*[—–\-－~～至]+\s*\d{4}\s*年?"
)


def series_key(plan: Plan) -> str:
    """What a plan and its follow-on plan share: the lineage without the period in the title."""
    return _PERIOD_IN_TITLE.sub("", plan.lineage)


def _preceding_plan(plan: Plan) -> Plan | None:
    """The current plan of the same region, industry and title (period aside) that ended before this
    one starts, the latest such; None when there is none or the periods are unknown."""
    if not plan.period_start:
        return None
    earlier = (
        Plan.objects.current()
        .filter(region=plan.region, industry=plan.industry, period_end__lt=plan.period_start)
        .exclude(lineage=plan.lineage)
        .order_by("-period_end")
    )
    key = series_key(plan)
    return next((p for p in earlier if series_key(p) == key), None)


def _carry_tracking(
    *, old: Plan, new: Plan, user: User | None
) -> tuple[tuple[Target, ...], tuple[Task, ...]]:
    """Pair `old`'s targets and tasks with `new`'s (plans.succession), record each pair on the old row
    (`successor`) and let every registered carrier move what hangs on them. Returns the old targets
    and tasks left without a successor."""
    old_targets = list(old.targets.order_by("position"))
    new_targets = {t.pk: t for t in new.targets.all()}
    target_pairs = match_targets(
        [_target_facts(t) for t in old_targets], [_target_facts(t) for t in new_targets.values()]
    )
    old_tasks = list(old.tasks.order_by("position"))
    new_tasks = {t.pk: t for t in new.tasks.all()}
    task_pairs = match_tasks(
        [TaskFacts(t.pk, t.number, t.title) for t in old_tasks],
        [TaskFacts(t.pk, t.number, t.title) for t in new_tasks.values()],
    )
    targets = {t: new_targets[target_pairs[t.pk]] for t in old_targets if t.pk in target_pairs}
    tasks = {t: new_tasks[task_pairs[t.pk]] for t in old_tasks if t.pk in task_pairs}
    _carry(targets=targets, tasks=tasks, user=user, reason=f"tracking carried to version {new.version}")
    return (
        tuple(t for t in old_targets if t.pk not in target_pairs),
        tuple(t for t in old_tasks if t.pk not in task_pairs),
    )


def _target_facts(t: Target) -> TargetFacts:
    return TargetFacts(t.pk, t.code, t.metric, t.scope, t.kind, t.year, t.level)


def _carry(
    *, targets: Mapping[Target, Target], tasks: Mapping[Task, Task], user: User | None, reason: str
) -> None:
    for old_target, new_target in targets.items():
        old_target.successor = new_target
        audited_save(old_target, user=user, reason=reason, exclude=["plan", "successor"])
    for old_task, new_task in tasks.items():
        old_task.successor = new_task
        audited_save(old_task, user=user, reason=reason, exclude=["plan", "section", "successor"])
    _carry_nodes(tasks, user=user, reason=reason)
    for carrier in _carriers:
        carrier(targets=targets, tasks=tasks, user=user, reason=reason)


def _carry_nodes(tasks: Mapping[Task, Task], *, user: User | None, reason: str) -> None:
    """Nodes the office entered or a task sheet brought (and their done dates and evidence) follow the
    task; a node the new version's text states again (same title and date) is kept once, the new one."""
    by_old = {old.pk: new for old, new in tasks.items()}
    present = set(
        TaskNode.objects.filter(task__in=list(tasks.values())).values_list("task_id", "title", "due_date")
    )
    for node in TaskNode.objects.filter(task_id__in=by_old).order_by("pk"):
        successor = by_old[node.task_id]
        if (successor.pk, node.title, node.due_date) in present:
            continue
        node.task = successor
        audited_save(node, user=user, reason=reason)


def _require_successor(old: Target | Task, new: Target | Task, *, noun: str) -> None:
    """A hand mapping pairs an item of version n without successor with a free item of version n+1."""
    if new.plan.lineage != old.plan.lineage or new.plan.version != old.plan.version + 1:
        raise ValidationError(f"只能对应到同一方案第{old.plan.version + 1}版的{noun}。")
    if old.successor_id is not None:
        raise ValidationError(f"第{old.plan.version}版的该{noun}已有对应项。")
    if type(new).objects.filter(predecessors__isnull=False, pk=new.pk).exists():
        raise ValidationError(f"第{new.plan.version}版的该{noun}已对应另一项{noun}。")


@transaction.atomic
def target_successor_set(*, target: Target, successor: Target, user: User | None) -> Target:
    """The office maps a target of version n that the import left without successor to a target of
    version n+1 by hand; its indicator binding and derived rule move there as on import."""
    _require_plan_office(user, target.plan)
    _require_successor(target, successor, noun="目标")
    _carry(targets={target: successor}, tasks={}, user=user, reason="successor set by the office")
    return target


@transaction.atomic
def task_successor_set(*, task: Task, successor: Task, user: User | None) -> Task:
    """The office maps a task of version n without successor to a task of version n+1 by hand; its
    progress reports (with their states and history) move there as on import."""
    _require_plan_office(user, task.plan)
    _require_successor(task, successor, noun="任务")
    _carry(targets={}, tasks={task: successor}, user=user, reason="successor set by the office")
    return task


def _assign(
    task: Task,
    wanted: Sequence[tuple[str, str]],
    *,
    region: Region,
    user: User | None,
    reason: str,
    existing: Sequence[Assignment] = (),
) -> None:
    """Make `task`'s departments the ones `wanted` as (name as written, lead|co), in order. Assignments
    in `existing` of departments still named are changed in place (role, order, spelling), new ones
    added, the others deleted, so the history shows what really changed. A department written twice
    (two spellings of one) is assigned once, in its first role."""
    current = {a.department_id: a for a in existing}
    kept: set[int] = set()
    for position, (name, role) in enumerate(wanted):
        department = department_resolve(name=name, region=region)
        if department.pk in kept:
            continue
        kept.add(department.pk)
        assignment = current.get(department.pk)
        if assignment is None:
            assignment = Assignment(task=task, department=department)
        elif (assignment.role, assignment.position, assignment.name_as_written) == (role, position, name):
            continue
        assignment.role, assignment.position, assignment.name_as_written = role, position, name
        audited_save(assignment, user=user, reason=reason, exclude=["task", "department"])
    for department_id, assignment in current.items():
        if department_id not in kept:
            assignment._history_user = user  # type: ignore[attr-defined]
            assignment._change_reason = reason  # type: ignore[attr-defined]
            assignment.delete()


def _require_plan_office(user: User | None, plan: Plan) -> None:
    """Only the office of the plan's district (or a superuser; None = a system job) edits its tasks."""
    if user is None or user.is_superuser:
        return
    if not user.is_office_admin or (user.region_id is not None and user.region_id != plan.region_id):
        raise PermissionDenied("只有本区产业办公室可以修改行动方案的任务。")


TASK_CREATED, TASK_UPDATED, TASK_UNCHANGED = "created", "updated", "unchanged"
NODE_FROM_PLAN, NODE_FROM_SHEET, NODE_FROM_OFFICE = "plan", "sheet", "office"


@transaction.atomic
def task_node_save(
    *,
    task: Task,
    user: User | None,
    node: TaskNode | None = None,
    title: str,
    due_date: dt.date,
    done_date: dt.date | None = None,
    evidence: str = "",
    source: str = NODE_FROM_OFFICE,
) -> TaskNode:
    """Add a node (任务节点) to `task`, or change `node`: what is due, by when, when it was done and
    the evidence. Only the office of the plan's district; recorded in the history."""
    _require_plan_office(user, task.plan)
    if node is not None and node.task_id != task.pk:
        raise ValidationError("该节点不属于此任务。")
    if done_date is not None and done_date > timezone.localdate():
        raise ValidationError("完成日期不能晚于今天。")
    node = node or TaskNode(task=task, source=source)
    node.title, node.due_date, node.done_date, node.evidence = title.strip(), due_date, done_date, evidence
    if not node.title:
        raise ValidationError("请填写节点内容。")
    audited_save(node, user=user, reason="task node saved")  # validates the (task, title, date) uniqueness
    return node


@transaction.atomic
def task_node_delete(*, node: TaskNode, user: User | None) -> None:
    """Remove a node (the office of the plan's district); it stays in the history."""
    _require_plan_office(user, node.task.plan)
    record_delete(instance=node, user=user, reason="task node deleted")


@transaction.atomic
def task_save(
    *,
    plan: Plan,
    number: str,
    title: str,
    section_title: str = "",
    leads: list[str],
    cos: list[str] | None = None,
    user: User | None,
    reason: str = "task breakdown imported",
) -> tuple[Task, str]:
    """Create the task numbered `number` in `plan`, or update its title, part (所属部分) and departments
    (lead 牵头, co-operating 配合, in order). Returns the task and `created`, `updated` or `unchanged`;
    an unchanged task is not written. Every write and every removed assignment is in the history
    under `user` and `reason`."""
    _require_plan_office(user, plan)
    wanted = [(d, AssignmentRole.LEAD) for d in leads] + [(d, AssignmentRole.CO) for d in cos or []]
    task = (
        Task.objects.select_related("section")
        .prefetch_related("assignments__department")
        .filter(plan=plan, number=number)
        .first()
    )
    if task is None:
        position = (
            Task.objects.filter(plan=plan).order_by("-position").values_list("position", flat=True).first()
        )
        task = Task(plan=plan, number=number, position=0 if position is None else position + 1)
        outcome = TASK_CREATED
    else:
        current = [
            (a.department.name, a.role) for a in sorted(task.assignments.all(), key=lambda a: a.position)
        ]
        current_section = task.section.title if task.section else ""
        if task.title == title and current == wanted and current_section == section_title:
            return task, TASK_UNCHANGED
        outcome = TASK_UPDATED
    task.title = title
    task.section = (
        Section.objects.get_or_create(plan=plan, parent=None, title=section_title[:200])[0]
        if section_title
        else None
    )
    audited_save(task, user=user, reason=reason, exclude=["plan", "section"])
    _assign(
        task,
        wanted,
        region=plan.region,
        user=user,
        reason=reason,
        existing=list(task.assignments.all()) if outcome == TASK_UPDATED else [],
    )
    return task, outcome


def _store_contents(plan: Plan, draft: PlanDraft, region: Region, user: User | None) -> None:
    targets = []
    for i, t in enumerate(draft.targets):
        target = Target(
            plan=plan,
            code=t.id,
            position=i,
            metric=t.metric,
            kind=t.kind,
            value=t.value,
            value_max=t.value_max,
            unit=t.unit,
            comparator=t.comparator,
            year=t.year,
            level=t.level or "",
            scope=t.scope or "",
            baseline_value=t.baseline_value,
            baseline_year=t.baseline_year,
            quote=(t.quote or "")[:200],
        )
        target.full_clean(exclude=["plan"])
        targets.append(target)
    bulk_create_with_history(targets, Target, default_user=user)

    sections: dict[str, Section] = {}
    for i, task_draft in enumerate(draft.tasks):
        section = None
        if task_draft.section:
            section = sections.get(task_draft.section)
            if section is None:
                section = Section.objects.create(
                    plan=plan, title=task_draft.section[:200], position=len(sections)
                )
                sections[task_draft.section] = section
        task = Task(
            plan=plan, section=section, number=task_draft.number, position=i, title=task_draft.title[:300]
        )
        audited_save(task, user=user, reason="plan imported", exclude=["plan", "section"])
        deadline = task_draft.deadline
        if deadline is not None and deadline.date:
            node = TaskNode(
                task=task,
                title=deadline.text[:200],
                due_date=dt.date.fromisoformat(deadline.date),
                source=NODE_FROM_PLAN,
            )
            audited_save(node, user=user, reason="plan imported", exclude=["task"])
        leads = set(task_draft.lead_departments)
        names = list(
            dict.fromkeys(
                [
                    *task_draft.departments,
                    *[d for d in task_draft.lead_departments if d not in task_draft.departments],
                ]
            )
        )
        _assign(
            task,
            [(name, AssignmentRole.LEAD if name in leads else AssignmentRole.CO) for name in names],
            region=region,
            user=user,
            reason="plan imported",
        )
    for name in draft.departments:
        department_resolve(name=name, region=region)

    stored: set[str] = set()
    for i, p in enumerate(draft.parks):
        if p.name in stored:  # the same park named twice in the layout: keep the first description
            continue
        stored.add(p.name)
        park_region = region_get_or_create(name=p.name, level=RegionLevel.PARK, parent=region)
        park = Park(
            plan=plan,
            region=park_region,
            name=p.name,
            position=i,
            park_type=p.type or "",
            layout_group=p.group or "",
            focus=list(p.focus),
            new_land_mu=p.new_land_mu,
            stated_areas=dict(p.extra),
        )
        audited_save(park, user=user, reason="plan imported", exclude=["plan", "region"])
