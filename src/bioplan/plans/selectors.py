"""Reads on plans: lists with counts, a plan with everything on its page, search, version diffs."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bioplan.core import access
from bioplan.core.models import Department, User
from bioplan.plans.choices import AssignmentRole, TargetKind
from bioplan.plans.models import Assignment, Park, Plan, PlanQuerySet, Target, Task
from bioplan.web.search import SearchGroup, SearchHit, all_terms_match, counted


def plan_list(*, user: Any, include_old_versions: bool = False) -> PlanQuerySet:
    plans = plans_visible_to(user).select_related("region").with_counts()
    if not include_old_versions:
        plans = plans.current()
    return plans.order_by("region__name", "-period_start", "title")


def plans_visible_to(user: Any) -> PlanQuerySet:
    """Researchers read published plans only (印发 and papers); everyone else its region's plans."""
    return Plan.objects.visible_to(user)


def plans_editable_by(user: Any) -> PlanQuerySet:
    """The plans the user may import new versions of, bind and re-plan: the office's own region's."""
    return Plan.objects.editable_by(user)


# Other apps (tracking) add panels to the plan page without plans importing them: each function
# takes the plan and returns (template name, context) or None.
PlanPanel = Callable[[Plan], "tuple[str, dict[str, Any]] | None"]
_plan_panels: list[PlanPanel] = []


def register_plan_panel(func: PlanPanel) -> PlanPanel:
    if func not in _plan_panels:
        _plan_panels.append(func)
    return func


def plan_page_extras(*, plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [panel for panel in (f(plan) for f in _plan_panels) if panel is not None]


def tasks_with_assignments(plans_or_tasks: QuerySet[Task]) -> QuerySet[Task]:
    return plans_or_tasks.select_related("section", "plan").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("department").order_by("position"))
    )


@dataclass
class PlanPage:
    plan: Plan
    targets_by_kind: OrderedDict[str, list[Target]]
    tasks: list[Task]
    parks: list[Park]
    versions: list[Plan]
    # The previous version, when some of its targets/tasks have no successor here: (plan, targets, tasks).
    unmatched: tuple[Plan, int, int] | None = None


def plan_page(*, plan: Plan) -> PlanPage:
    """Everything the plan page shows, in a fixed number of queries."""
    grouped: OrderedDict[str, list[Target]] = OrderedDict((k.value, []) for k in TargetKind)
    for target in plan.targets.order_by("position"):
        grouped.setdefault(target.kind, []).append(target)
    tasks = list(tasks_with_assignments(plan.tasks.all()).order_by("position"))
    versions = list(Plan.objects.filter(lineage=plan.lineage).order_by("-version"))
    loose = None
    if plan.version > 1:
        old, targets, task_count = unmatched_count(new=plan)
        if old is not None and (targets or task_count):
            loose = (old, targets, task_count)
    return PlanPage(
        plan=plan,
        targets_by_kind=OrderedDict((k, v) for k, v in grouped.items() if v),
        tasks=tasks,
        parks=list(plan.parks.order_by("position")),
        versions=versions,
        unmatched=loose,
    )


def department_tasks(*, department: Department, user: User) -> list[Task]:
    """Every task of a current plan that the department leads or co-runs (its aliases included)."""
    tasks = Task.objects.filter(
        plan__in=plans_visible_to(user).current(), assignments__department=department
    ).distinct()
    return list(tasks_with_assignments(tasks).order_by("plan__region__name", "plan__title", "position"))


def departments_visible_to(user: Any) -> QuerySet[Department]:
    """The departments of the user's region; for researchers, those named in published plans."""
    if access.is_unrestricted(user):
        return Department.objects.all()
    if access.is_researcher(user):
        named = Assignment.objects.filter(task__plan__in=Plan.objects.published()).values("department_id")
        return Department.objects.filter(pk__in=named)
    return Department.objects.filter(access.user_region_q(user, "region"))


def department_list(*, user: Any) -> QuerySet[Department]:
    from django.db.models import Count

    return (
        departments_visible_to(user)
        .select_related("region")
        .annotate(
            lead_count=Count(
                "assignments",
                filter=Q(assignments__role=AssignmentRole.LEAD, assignments__task__plan__is_current=True),
            ),
            task_count=Count("assignments", filter=Q(assignments__task__plan__is_current=True)),
        )
        .prefetch_related("aliases")
        .order_by("region__name", "-task_count", "name")
    )


@dataclass
class SearchResults:
    query: str
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.targets) + len(self.tasks)


def search(*, query: str, user: User, limit: int = 100) -> SearchResults:
    """Targets and tasks of current plans whose words contain every term of `query`."""
    terms = [t for t in query.split() if t][:8]
    results = SearchResults(query=query)
    if not terms:
        return results
    plans = plans_visible_to(user).current()
    target_q = Q()
    task_q = Q()
    for term in terms:
        target_q &= (
            Q(metric__icontains=term) | Q(scope__icontains=term) | Q(quote__icontains=term) | Q(unit=term)
        )
        task_q &= (
            Q(title__icontains=term)
            | Q(section__title__icontains=term)
            | Q(assignments__department__name__icontains=term)
            | Q(number=term)
        )
    results.targets = list(
        Target.objects.filter(target_q, plan__in=plans).select_related("plan", "plan__region")[:limit]
    )
    task_ids = Task.objects.filter(task_q, plan__in=plans).values("pk").distinct()[:limit]
    results.tasks = list(
        tasks_with_assignments(Task.objects.filter(pk__in=task_ids)).order_by("plan__title", "position")
    )
    return results


# ---------------------------------------------------------------------------------------------- diff
@dataclass
class Change:
    key: str
    label: str
    before: str
    after: str


@dataclass
class PlanDiff:
    old: Plan
    new: Plan
    targets_added: list[Target] = field(default_factory=list)
    targets_removed: list[Target] = field(default_factory=list)
    targets_changed: list[Change] = field(default_factory=list)
    tasks_added: list[Task] = field(default_factory=list)
    tasks_removed: list[Task] = field(default_factory=list)
    tasks_changed: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            [
                self.targets_added,
                self.targets_removed,
                self.targets_changed,
                self.tasks_added,
                self.tasks_removed,
                self.tasks_changed,
            ]
        )


def _target_key(t: Target) -> tuple[str, str, str, int | None, str]:
    return (t.metric, t.scope, t.kind, t.year, t.level)


def _fmt(v: Decimal | None) -> str:
    return "" if v is None else format(v.normalize(), "f")


def _target_text(t: Target) -> str:
    hi = f"~{_fmt(t.value_max)}" if t.value_max is not None else ""
    return f"{t.comparator} {_fmt(t.value)}{hi}{t.unit}"


def _task_text(t: Task) -> tuple[str, str]:
    depts = "、".join(
        f"{a.department.name}{'（牵头）' if a.role == AssignmentRole.LEAD else ''}"
        for a in t.assignments.all()
    )
    return t.title, depts


def plan_diff(*, old: Plan, new: Plan) -> PlanDiff:
    """What changed from `old` to `new`: targets matched on metric, scope, kind, year and level;
    tasks on their number."""
    diff = PlanDiff(old=old, new=new)
    old_targets = {_target_key(t): t for t in old.targets.all()}
    new_targets = {_target_key(t): t for t in new.targets.all()}
    for key, t in new_targets.items():
        before = old_targets.get(key)
        if before is None:
            diff.targets_added.append(t)
        elif _target_text(before) != _target_text(t):
            diff.targets_changed.append(
                Change(t.code, f"{t.metric}（{t.scope}，{t.year}）", _target_text(before), _target_text(t))
            )
    diff.targets_removed = [t for k, t in old_targets.items() if k not in new_targets]

    old_tasks = {t.number: t for t in tasks_with_assignments(old.tasks.all())}
    new_tasks = {t.number: t for t in tasks_with_assignments(new.tasks.all())}
    for number, task in new_tasks.items():
        earlier = old_tasks.get(number)
        if earlier is None:
            diff.tasks_added.append(task)
            continue
        (title_a, depts_a), (title_b, depts_b) = _task_text(earlier), _task_text(task)
        if title_a != title_b:
            diff.tasks_changed.append(Change(number, f"任务{number} 标题", title_a, title_b))
        if depts_a != depts_b:
            diff.tasks_changed.append(Change(number, f"任务{number} 责任部门", depts_a, depts_b))
    diff.tasks_removed = [t for n, t in old_tasks.items() if n not in new_tasks]
    return diff


# ------------------------------------------------------------------------------------- global search
def plan_search(terms: list[str], user: Any, limit: int) -> SearchGroup:
    """Current plans (title, industry, document number) the user reads, for the global search."""
    qs = (
        plans_visible_to(user)
        .current()
        .filter(all_terms_match(["title", "industry", "doc_number"], terms))
        .select_related("region")
        .order_by("region__name", "title")
    )
    rows, total = counted(qs, limit)
    hits = [SearchHit(p.title, reverse("plans:detail", args=[p.pk]), p.region.name) for p in rows]
    return SearchGroup("plans", _("Plans"), hits, total)


def department_search(terms: list[str], user: Any, limit: int) -> SearchGroup:
    """Departments (name, short name) the user may see, for the global search."""
    qs = (
        departments_visible_to(user)
        .filter(all_terms_match(["name", "short_name"], terms))
        .select_related("region")
        .order_by("region__name", "name")
    )
    rows, total = counted(qs, limit)
    hits = [SearchHit(d.name, reverse("core:department_detail", args=[d.pk]), d.region.name) for d in rows]
    return SearchGroup("departments", _("Departments"), hits, total)


# ------------------------------------------------------------------------------ version succession
@dataclass
class Unmatched:
    """What of version `old` has no successor in the next version `new` (its tracking stays in `old`),
    and the items of `new` the office may still map it to by hand."""

    old: Plan
    new: Plan
    targets: list[Target]
    tasks: list[Task]
    free_targets: list[Target]
    free_tasks: list[Task]

    @property
    def sentence(self) -> str:
        from bioplan.plans.services import unmatched_sentence

        return unmatched_sentence(targets=len(self.targets), tasks=len(self.tasks), version=self.old.version)


def unmatched_count(*, new: Plan) -> tuple[Plan | None, int, int]:
    """For the plan page: the previous version and how many of its targets and tasks have no
    successor in `new` (one query)."""
    from django.db.models import Count

    old = (
        Plan.objects.filter(lineage=new.lineage, version=new.version - 1)
        .annotate(
            loose_targets=Count("targets", filter=Q(targets__successor__isnull=True), distinct=True),
            loose_tasks=Count("tasks", filter=Q(tasks__successor__isnull=True), distinct=True),
        )
        .first()
    )
    if old is None:
        return None, 0, 0
    return old, old.loose_targets, old.loose_tasks  # type: ignore[attr-defined]


def unmatched(*, new: Plan) -> Unmatched | None:
    """For version n+1 of a plan: the targets and tasks of version n left without a successor; None for
    a first version. Four queries."""
    old = Plan.objects.filter(lineage=new.lineage, version=new.version - 1).first()
    if old is None:
        return None
    return Unmatched(
        old=old,
        new=new,
        targets=list(old.targets.filter(successor__isnull=True).order_by("position")),
        tasks=list(old.tasks.filter(successor__isnull=True).order_by("position")),
        free_targets=list(new.targets.filter(predecessors__isnull=True).order_by("position")),
        free_tasks=list(new.tasks.filter(predecessors__isnull=True).order_by("position")),
    )
