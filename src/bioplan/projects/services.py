"""Every write of the key-project registry: projects, their planned stage dates and stage changes.

Keyword-only arguments, one transaction each, full_clean() before saving, audit user and reason
through django-simple-history. Office: its region; park operators: their parks; liaisons: the
projects their department is responsible for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bioplan.core.choices import Role
from bioplan.core.concurrency import version_claim
from bioplan.core.models import Department, Region, User
from bioplan.core.services import audited_save, record_delete
from bioplan.enterprises.models import Enterprise
from bioplan.enterprises.services import require_scope, user_may_edit_scope
from bioplan.projects.choices import STAGE_ORDER, ProjectStage
from bioplan.projects.models import Project, ProjectMilestone
from bioplan.projects.stages import StageDates, current_stage, next_stage, plan_problems, transition_problems


def require_project_editable(user: User | None, project: Project) -> None:
    if user is None or user_may_edit_scope(user, district=project.district, park=project.park):
        return
    if (
        user.role == Role.LIAISON
        and user.department_id
        and user.department_id == project.responsible_department_id
    ):
        return
    raise PermissionDenied("无权修改该项目。")


def stage_dates(project: Project) -> list[StageDates]:
    return [StageDates(m.stage, m.planned_on, m.actual_on) for m in project.milestones.all()]


def project_refresh(project: Project) -> None:
    """Recompute the stored current stage, next stage with its planned date, and the 达产 date."""
    dates = {m.stage: m for m in project.milestones.all()}
    project.stage = current_stage([StageDates(s, m.planned_on, m.actual_on) for s, m in dates.items()])
    upcoming = next_stage(project.stage)
    project.next_stage = upcoming or ""
    project.next_planned_on = dates[upcoming].planned_on if upcoming and upcoming in dates else None
    full = dates.get(ProjectStage.FULL_OUTPUT)
    project.full_output_on = (full.actual_on or full.planned_on) if full else None


@transaction.atomic
def project_create(
    *,
    name: str,
    investor_name: str,
    district: Region,
    project_type: str,
    total_investment: Decimal,
    park: Region | None = None,
    enterprise: Enterprise | None = None,
    land_mu: Decimal | None = None,
    floor_area_m2: Decimal | None = None,
    expected_output: Decimal | None = None,
    responsible_department: Department | None = None,
    leader_name: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    planned: dict[str, dt.date] | None = None,
    simulated: bool = False,
    user: User | None = None,
) -> Project:
    """Register a project (investment and output in 亿元) with its planned stage dates."""
    require_scope(user, district=district, park=park)
    planned = planned or {}
    problems = plan_problems([StageDates(s, d) for s, d in planned.items()])
    if problems:
        raise ValidationError({"planned": problems})
    project = Project(
        name=name,
        investor_name=investor_name,
        district=district,
        park=park,
        project_type=project_type,
        total_investment=total_investment,
        enterprise=enterprise,
        land_mu=land_mu,
        floor_area_m2=floor_area_m2,
        expected_output=expected_output,
        responsible_department=responsible_department,
        leader_name=leader_name,
        latitude=latitude,
        longitude=longitude,
        simulated=simulated,
    )
    project.next_stage = STAGE_ORDER[0]
    audited_save(project, user=user, reason="project registered")
    for stage in STAGE_ORDER:
        audited_save(
            ProjectMilestone(project=project, stage=stage, planned_on=planned.get(stage)),
            user=user,
            reason="stage planned",
        )
    project_refresh(project)
    audited_save(project, user=user, reason="stages planned")
    return project


@transaction.atomic
def project_plan_stage(
    *, project: Project, stage: str, planned_on: dt.date | None, user: User | None = None
) -> Project:
    """Set (or clear) the planned date of a stage; planned dates must keep the stage order."""
    require_project_editable(user, project)
    version_claim(project, expected_version=None)  # a stage change is a change of the project
    milestone = project.milestones.get(stage=stage)
    dates = [
        StageDates(m.stage, planned_on if m.stage == stage else m.planned_on)
        for m in project.milestones.all()
    ]
    problems = plan_problems(dates)
    if problems:
        raise ValidationError({"planned_on": problems})
    milestone.planned_on = planned_on
    audited_save(milestone, user=user, reason="stage replanned")
    project_refresh(project)
    audited_save(project, user=user, reason="stage replanned")
    return project


@transaction.atomic
def project_advance(
    *,
    project: Project,
    stage: str,
    actual_on: dt.date,
    user: User | None = None,
    today: dt.date | None = None,
) -> Project:
    """Record that the project reached its next stage on `actual_on` (stages cannot be skipped,
    dates cannot go back or lie in the future)."""
    require_project_editable(user, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    version_claim(project, expected_version=None)  # a stage change is a change of the project
    milestones = {m.stage: m for m in project.milestones.all()}
    previous = milestones.get(project.stage) if project.stage else None
    problems = transition_problems(
        current=project.stage,
        stage=stage,
        actual_on=actual_on,
        previous_actual_on=previous.actual_on if previous else None,
        today=today or timezone.localdate(),
    )
    if problems:
        raise ValidationError({"stage": problems})
    milestone = milestones.get(stage) or ProjectMilestone(project=project, stage=stage)
    milestone.actual_on = actual_on
    audited_save(milestone, user=user, reason=f"reached {stage}")
    project_refresh(project)
    audited_save(project, user=user, reason=f"reached {stage}")
    return project


PROJECT_FIELDS = (
    "name",
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
    "latitude",
    "longitude",
)


def _require_registry_writer(user: User | None, project: Project) -> None:
    """The project's own fields and its removal: the office and the park's operator (a liaison
    changes the stages of the projects its department is responsible for, nothing else)."""
    if user is not None and not user_may_edit_scope(user, district=project.district, park=project.park):
        raise PermissionDenied("无权修改该项目的登记信息。")


@transaction.atomic
def project_update(
    *, project: Project, user: User | None, expected_version: int | None = None, **changes: Any
) -> Project:
    """Change the fields named in `changes` (among PROJECT_FIELDS); the new park must be the user's too.

    `expected_version`: the version the user loaded (`EditConflict` when someone saved the project
    or one of its stages since; None: no check)."""
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    _require_registry_writer(user, project)
    version_claim(project, expected_version=expected_version)
    for key, value in changes.items():
        setattr(project, key, value)
    _require_registry_writer(user, project)
    audited_save(project, user=user, reason="project updated")
    return project


@transaction.atomic
def project_plan_stages(
    *,
    project: Project,
    planned: dict[str, dt.date | None],
    user: User | None,
    expected_version: int | None = None,
) -> Project:
    """Set the planned dates of several stages at once (the stage form); they must keep the stage
    order. Office, park operator, or the liaison of the responsible department."""
    require_project_editable(user, project)
    version_claim(project, expected_version=expected_version)
    unknown = set(planned) - set(STAGE_ORDER)
    if unknown:
        raise ValidationError({"planned": f"未知的阶段：{'、'.join(sorted(unknown))}"})
    milestones = {m.stage: m for m in project.milestones.all()}
    dates = [
        StageDates(s, planned[s] if s in planned else (milestones[s].planned_on if s in milestones else None))
        for s in STAGE_ORDER
    ]
    problems = plan_problems(dates)
    if problems:
        raise ValidationError({"planned": problems})
    for stage, day in planned.items():
        milestone = milestones.get(stage) or ProjectMilestone(project=project, stage=stage)
        if milestone.pk and milestone.planned_on == day:
            continue
        milestone.planned_on = day
        audited_save(milestone, user=user, reason="stage replanned")
    project_refresh(project)
    audited_save(project, user=user, reason="stages replanned")
    return project


@transaction.atomic
def project_delete(*, project: Project, user: User | None, reason: str) -> int:
    """Remove a project with its stages (restorable from the change history)."""
    _require_registry_writer(user, project)
    return record_delete(instance=project, user=user, reason=reason or "project deleted")
