"""The models whose change history the app shows and whose deleted rows the office may restore.

Each entry reuses its own app's permission queryset (`visible_to`, `plans_visible_to`), so the
history of a row is shown exactly to those who may see the row itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from bioplan.audit.registry import Tracked, register
from bioplan.core.models import Department
from bioplan.enterprises.models import (
    CultivationEntry,
    DerivedRule,
    Enterprise,
    EnterpriseFigure,
    Honour,
    Product,
    ProductMilestone,
)
from bioplan.parks.models import Building, FloorSpace, LandParcel, SpaceDemand
from bioplan.parks.models import Park as RegistryPark
from bioplan.plans.models import Assignment, Park, Plan, Section, Target, Task, TaskNode
from bioplan.plans.selectors import departments_visible_to, plans_visible_to
from bioplan.projects.models import Project, ProjectMilestone
from bioplan.tracking.models import (
    Observation,
    ProgressReport,
    ReportAttachment,
    ReportingCycle,
    TargetBinding,
)


def _url(name: str, pk: Any, anchor: str = "") -> str:
    return reverse(name, args=[pk]) + anchor


def _enterprises(user: Any) -> Any:
    return Enterprise.objects.visible_to(user)


def _of_visible_enterprises(model: Any) -> Callable[[Any], Any]:
    return lambda user: model.objects.filter(enterprise__in=_enterprises(user))


def _period(year: int, quarter: int = 0, month: int = 0) -> str:
    if month:
        return f"{year}年{month}月"
    return f"{year}Q{quarter}" if quarter else f"{year}年"


def register_all() -> None:
    # plans: every signed-in user reads every plan, researchers published ones only
    register(
        Tracked(
            Plan,
            visible=plans_visible_to,
            region_path=("region",),
            page=lambda p: _url("plans:detail", p.pk),
        )
    )
    register(
        Tracked(
            Target,
            visible=lambda u: Target.objects.filter(plan__in=plans_visible_to(u)),
            region_path=("plan", "region"),
            title=lambda t: f"{t.code} {t.metric}",
            page=lambda t: _url("plans:detail", t.plan_id, "#targets"),
        )
    )
    # Sections before tasks: restoring a plan brings its sections back before the tasks in them.
    register(
        Tracked(
            Section,
            visible=lambda u: Section.objects.filter(plan__in=plans_visible_to(u)),
            region_path=("plan", "region"),
            title=lambda s: s.title,
            page=lambda s: _url("plans:detail", s.plan_id),
            listed=False,
        )
    )
    register(
        Tracked(
            Task,
            visible=lambda u: Task.objects.filter(plan__in=plans_visible_to(u)),
            region_path=("plan", "region"),
            page=lambda t: _url("plans:detail", t.plan_id, "#tasks"),
        )
    )
    register(
        Tracked(
            TaskNode,
            visible=lambda u: TaskNode.objects.visible_to(u),
            region_path=("task", "plan", "region"),
            title=lambda n: f"{n.title}（{n.due_date:%Y-%m-%d}）",
            page=lambda n: _url("plans:task_nodes", n.task_id),
        )
    )
    register(
        Tracked(
            Assignment,
            visible=lambda u: Assignment.objects.filter(task__plan__in=plans_visible_to(u)),
            region_path=("task", "plan", "region"),
            title=lambda a: f"{a.name_as_written}（{a.get_role_display()}）",
        )
    )
    register(
        Tracked(
            Park,
            visible=lambda u: Park.objects.filter(plan__in=plans_visible_to(u)),
            region_path=("plan", "region"),
            title=lambda p: p.name,
            page=lambda p: _url("plans:detail", p.plan_id, "#parks"),
        )
    )
    # tracking
    register(
        Tracked(
            Observation,
            visible=lambda u: Observation.objects.visible_to(u),
            region_path=("region",),
            title=lambda o: (
                f"{_period(o.year, o.quarter, o.month)} = {o.value.normalize():f}（第{o.revision}版）"
            ),
            page=lambda o: _url("tracking:observation_history", o.pk),
        )
    )
    register(
        Tracked(
            TargetBinding,
            visible=lambda u: TargetBinding.objects.filter(target__plan__in=plans_visible_to(u)),
            region_path=("target", "plan", "region"),
            title=lambda b: f"#{b.target_id}",
        )
    )
    register(
        Tracked(
            ReportingCycle,
            visible=lambda u: ReportingCycle.objects.visible_to(u),
            region_path=("region",),
            title=lambda c: c.label,
            page=lambda c: _url("tracking:cycle_detail", c.pk),
        )
    )
    register(
        Tracked(
            ProgressReport,
            visible=lambda u: ProgressReport.objects.visible_to(u),
            region_path=("cycle", "region"),
            title=lambda r: f"{r.get_progress_display()} {r.percent_done}%（{r.get_state_display()}）",
            page=lambda r: _url("tracking:report_detail", r.pk),
        )
    )
    register(
        Tracked(
            ReportAttachment,
            visible=lambda u: ReportAttachment.objects.filter(
                report__in=ProgressReport.objects.visible_to(u)
            ),
            region_path=("report", "cycle", "region"),
            title=lambda a: a.name,
            listed=False,
        )
    )
    # enterprises
    register(
        Tracked(
            Enterprise,
            visible=_enterprises,
            region_path=("district",),
            page=lambda e: _url("enterprises:detail", e.pk),
        )
    )
    for model, title in (
        (Honour, lambda h: f"{h.get_kind_display()} {h.valid_from:%Y-%m-%d}"),
        (EnterpriseFigure, lambda f: _period(f.year, f.quarter)),
        (Product, lambda p: p.name),
        (CultivationEntry, lambda c: c.get_tier_display()),
    ):
        register(
            Tracked(
                model,
                visible=_of_visible_enterprises(model),
                region_path=("enterprise", "district"),
                title=title,
                page=lambda row: _url("enterprises:detail", row.enterprise_id),
            )
        )
    register(
        Tracked(
            ProductMilestone,
            visible=lambda u: ProductMilestone.objects.filter(product__enterprise__in=_enterprises(u)),
            region_path=("product", "enterprise", "district"),
            title=lambda m: f"{m.get_phase_display()} {m.reached_on:%Y-%m-%d}",
            listed=False,
        )
    )
    register(
        Tracked(
            DerivedRule,
            visible=lambda u: DerivedRule.objects.filter(target__plan__in=plans_visible_to(u)),
            region_path=("region",),
            title=lambda r: r.get_kind_display(),
        )
    )
    # parks registry
    register(
        Tracked(
            RegistryPark,
            visible=lambda u: RegistryPark.objects.visible_to(u),
            region_path=("district",),
            page=lambda p: _url("parks:detail", p.pk),
        )
    )
    register(
        Tracked(
            LandParcel,
            visible=lambda u: LandParcel.objects.visible_to(u),
            region_path=("park", "district"),
            title=lambda p: f"{p.code} {p.name}".strip(),
            page=lambda p: _url("parks:detail", p.park_id),
        )
    )
    register(
        Tracked(
            Building,
            visible=lambda u: Building.objects.filter(park__in=RegistryPark.objects.visible_to(u)),
            region_path=("park", "district"),
            title=lambda b: b.name,
            page=lambda b: _url("parks:detail", b.park_id),
        )
    )
    register(
        Tracked(
            FloorSpace,
            visible=lambda u: FloorSpace.objects.visible_to(u),
            region_path=("building", "park", "district"),
            title=lambda s: s.floor,
        )
    )
    register(
        Tracked(
            SpaceDemand,
            visible=lambda u: SpaceDemand.objects.visible_to(u),
            region_path=("district",),
            title=lambda d: f"{d.requester_name} {d.get_space_type_display()}",
            page=lambda d: _url("parks:demand", d.pk),
        )
    )
    # projects
    register(
        Tracked(
            Project,
            visible=lambda u: Project.objects.visible_to(u),
            region_path=("district",),
            page=lambda p: _url("projects:detail", p.pk),
        )
    )
    register(
        Tracked(
            ProjectMilestone,
            visible=lambda u: ProjectMilestone.objects.filter(project__in=Project.objects.visible_to(u)),
            region_path=("project", "district"),
            title=lambda m: m.get_stage_display(),
            page=lambda m: _url("projects:detail", m.project_id),
            listed=False,
        )
    )
    # core
    register(
        Tracked(
            Department,
            visible=departments_visible_to,  # the region's departments, as on its page
            region_path=("region",),
            page=lambda d: _url("core:department_detail", d.pk),
        )
    )
