"""The key-project sheet 重点项目 (one row per project, planned and actual dates of every stage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bioplan import sheets as wb
from bioplan.core.models import Department, Region
from bioplan.enterprises.models import Enterprise
from bioplan.enterprises.sheets import REASON, Changes, ParkLookup, apply_values, credit_code_cell, first_seen
from bioplan.projects.choices import STAGE_ORDER, ProjectType
from bioplan.projects.models import Project, ProjectMilestone
from bioplan.projects.stages import STAGE_LABELS, StageDates, current_stage, next_stage, plan_problems

PROJECT_COLUMNS = [
    wb.Column("项目名称", "name", wb.text(200), required=True, width=30),
    wb.Column("投资主体", "investor_name", wb.text(200), required=True, width=26),
    wb.Column("统一社会信用代码", "credit_code", credit_code_cell, width=22),
    wb.Column("所在园区", "park", wb.text(100), width=20),
    wb.Column("项目类型", "project_type", wb.choice(ProjectType), required=True, width=10),
    wb.Column("总投资（亿元）", "total_investment", wb.decimal(4), required=True, kind="number"),
    wb.Column("用地（亩）", "land_mu", wb.decimal(), kind="number", width=10),
    wb.Column("建筑面积（平方米）", "floor_area_m2", wb.decimal(), kind="number"),
    wb.Column("达产产值（亿元）", "expected_output", wb.decimal(4), kind="number"),
    wb.Column("责任部门", "department", wb.text(100), width=16),
    wb.Column("包保领导", "leader_name", wb.text(50), width=10),
]
for _stage in STAGE_ORDER:
    PROJECT_COLUMNS.append(
        wb.Column(f"{STAGE_LABELS[_stage]}计划日期", f"{_stage}_planned", wb.date, kind="date", width=12)
    )
    PROJECT_COLUMNS.append(
        wb.Column(f"{STAGE_LABELS[_stage]}实际日期", f"{_stage}_actual", wb.date, kind="date", width=12)
    )

PROJECT_FIELDS = [
    "investor_name",
    "enterprise",
    "park",
    "project_type",
    "total_investment",
    "land_mu",
    "floor_area_m2",
    "expected_output",
    "responsible_department",
    "leader_name",
    "stage",
    "next_stage",
    "next_planned_on",
    "full_output_on",
]


def _project_export(user: Any, region: Region) -> Iterable[list[Any]]:
    qs = (
        Project.objects.visible_to(user)
        .filter(district=region)
        .select_related("park", "enterprise", "responsible_department")
        .prefetch_related("milestones")
        .order_by("name", "pk")
    )
    for p in qs:
        dates = {m.stage: m for m in p.milestones.all()}
        row = [
            p.name,
            p.investor_name,
            p.enterprise.credit_code if p.enterprise else "",
            p.park.name if p.park else "",
            wb.label_of(ProjectType, p.project_type),
            p.total_investment,
            p.land_mu,
            p.floor_area_m2,
            p.expected_output,
            p.responsible_department.name if p.responsible_department else "",
            p.leader_name,
        ]
        for s in STAGE_ORDER:
            m = dates.get(s)
            row += [m.planned_on if m else None, m.actual_on if m else None]
        yield row


def actual_problems(stages: list[StageDates], today: dt.date) -> list[tuple[str, str]]:
    """(stage, problem) for actual dates that skip a stage, go back in time or lie in the future."""
    problems = []
    previous: dt.date | None = None
    gap = False
    for s in stages:
        if s.actual_on is None:
            gap = True
            continue
        if gap:
            problems.append((s.stage, "前一阶段尚无实际日期，不能跳过阶段"))
        if s.actual_on > today:
            problems.append((s.stage, "实际日期晚于今天"))
        if previous is not None and s.actual_on < previous:
            problems.append((s.stage, "实际日期早于上一阶段"))
        previous = s.actual_on
    return problems


def _project_prepare(ctx: wb.ImportContext, rows: list[wb.ParsedRow]) -> Changes:
    today = timezone.localdate()
    first_seen(ctx, rows, lambda r: r["name"], "name")
    parks = ParkLookup(ctx)
    departments = {d.name: d for d in Department.objects.filter(region=ctx.region)}
    departments.update({d.short_name: d for d in departments.values() if d.short_name})
    codes = {r["credit_code"] for r in rows if r["credit_code"]}
    enterprises = {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes, district=ctx.region)
    }
    existing = {p.name: p for p in Project.objects.filter(district=ctx.region).select_related("park")}
    editable = (
        set(Project.objects.editable_by(ctx.user).filter(district=ctx.region).values_list("pk", flat=True))
        if ctx.user
        else None
    )
    milestones: dict[tuple[int, str], ProjectMilestone] = {
        (m.project_id, m.stage): m for m in ProjectMilestone.objects.filter(project__district=ctx.region)
    }
    changes = Changes()
    for r in rows:
        ok, park = parks.get(r)
        if not ok or not r["name"]:
            continue
        department = None
        if r["department"]:
            department = departments.get(r["department"])
            if department is None:
                ctx.problem(r.number, "department", f"“{r['department']}”不是{ctx.region.name}的部门")
                continue
        enterprise = None
        if r["credit_code"]:
            enterprise = enterprises.get(r["credit_code"])
            if enterprise is None:
                ctx.problem(r.number, "credit_code", f"{ctx.region.name}企业库中没有该企业")
                continue
        stages = [StageDates(s, r[f"{s}_planned"], r[f"{s}_actual"]) for s in STAGE_ORDER]
        for problem in plan_problems(stages):
            ctx.problem(r.number, "signed_planned", problem)
        for stage, problem in actual_problems(stages, today):
            ctx.problem(r.number, f"{stage}_actual", problem)
        reached = current_stage(stages)
        upcoming = next_stage(reached)
        full = stages[-1]
        values = {
            "investor_name": r["investor_name"],
            "enterprise": enterprise,
            "park": park,
            "project_type": r["project_type"],
            "total_investment": r["total_investment"],
            "land_mu": r["land_mu"],
            "floor_area_m2": r["floor_area_m2"],
            "expected_output": r["expected_output"],
            "responsible_department": department,
            "leader_name": r["leader_name"] or "",
            "stage": reached,
            "next_stage": upcoming or "",
            "next_planned_on": next((s.planned_on for s in stages if s.stage == upcoming), None),
            "full_output_on": full.actual_on or full.planned_on,
        }
        project = existing.get(r["name"])
        if project is None:
            if not parks.editable(park):
                ctx.problem(r.number, "park", "无权在该园区登记项目")
                continue
            project = Project(name=r["name"], district=ctx.region, **values)
            ctx.model_problems(r.number, project)
            changes.new.append(project)
            changes.extra.append((project, stages))
            continue
        # An unchanged row is fine whoever imports it; a changed one needs the right to edit it.
        differs = any(getattr(project, k) != v for k, v in values.items())
        pending = []
        for s in stages:
            m = milestones.get((project.pk, s.stage))
            if m is None or (m.planned_on, m.actual_on) != (s.planned_on, s.actual_on):
                pending.append((m, s))
        if (differs or pending) and editable is not None and project.pk not in editable:
            ctx.problem(r.number, "name", "无权修改该项目")
            continue
        if apply_values(project, values):
            ctx.model_problems(r.number, project)
            changes.changed.append(project)
        for m, s in pending:
            if m is None:
                changes.extra.append((project, [s]))
            else:
                m.planned_on, m.actual_on = s.planned_on, s.actual_on
                changes.extra.append(m)
    return changes


def _project_save(ctx: wb.ImportContext, changes: Changes) -> wb.SaveResult:
    if changes.new:
        bulk_create_with_history(
            changes.new, Project, batch_size=2000, default_user=ctx.user, default_change_reason=REASON
        )
    if changes.changed:
        bulk_update_with_history(
            changes.changed,
            Project,
            PROJECT_FIELDS,
            batch_size=2000,
            default_user=ctx.user,
            default_change_reason=REASON,
        )
    new_milestones, changed_milestones = [], []
    for item in changes.extra:
        if isinstance(item, ProjectMilestone):
            changed_milestones.append(item)
        else:
            project, stages = item
            new_milestones += [
                ProjectMilestone(
                    project=project, stage=s.stage, planned_on=s.planned_on, actual_on=s.actual_on
                )
                for s in stages
            ]
    if new_milestones:
        bulk_create_with_history(
            new_milestones,
            ProjectMilestone,
            batch_size=2000,
            default_user=ctx.user,
            default_change_reason=REASON,
        )
    if changed_milestones:
        bulk_update_with_history(
            changed_milestones,
            ProjectMilestone,
            ["planned_on", "actual_on"],
            batch_size=2000,
            default_user=ctx.user,
            default_change_reason=REASON,
        )
    return wb.SaveResult(created=len(changes.new), updated=len(changes.changed))


PROJECT_SHEET = wb.SheetSpec(
    "projects", "重点项目", PROJECT_COLUMNS, _project_export, _project_prepare, _project_save
)


def register_project_sheets() -> None:
    wb.register_sheet(PROJECT_SHEET)
