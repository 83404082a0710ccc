import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bioplan.projects import selectors, services
from bioplan.projects.models import Project
from bioplan.projects.stages import warning_level

D = dt.date
PLANNED = {
    "signed": D(2024, 1, 1),
    "land": D(2024, 3, 1),
    "started": D(2024, 6, 1),
    "completed": D(2025, 6, 1),
    "producing": D(2025, 9, 1),
    "full_output": D(2026, 6, 1),
}


def make(world, name="抗体药物产业化项目", park=None, user=None, **kw):
    defaults = dict(
        name=name,
        investor_name="某生物科技",
        district=world.district,
        park=park or world.park_a,
        project_type="new",
        total_investment=Decimal("12.5"),
        expected_output=Decimal("30"),
        responsible_department=world.liaison_department,
        leader_name="张副区长",
        planned=PLANNED,
    )
    defaults.update(kw)
    return services.project_create(user=user or world.office, **defaults)


def test_create_plans_all_six_stages(world):
    p = make(world)
    assert p.milestones.count() == 6
    assert (p.stage, p.next_stage, p.next_planned_on, p.full_output_on) == (
        "",
        "signed",
        D(2024, 1, 1),
        D(2026, 6, 1),
    )
    assert p.history.count() == 2


def test_plans_out_of_order_are_refused(world):
    with pytest.raises(ValidationError):
        make(world, planned={"signed": D(2024, 5, 1), "land": D(2024, 1, 1)})


def test_advancing_through_every_stage(world):
    p = make(world)
    for i, stage in enumerate(PLANNED):
        p = services.project_advance(
            project=p,
            stage=stage,
            actual_on=D(2024, 1, 1) + dt.timedelta(days=30 * i),
            user=world.office,
            today=D(2030, 1, 1),
        )
        assert p.stage == stage
    assert p.next_stage == ""
    assert p.full_output_on == D(2024, 1, 1) + dt.timedelta(days=150)


def test_skipping_a_stage_is_refused(world):
    p = make(world)
    with pytest.raises(ValidationError) as exc:
        services.project_advance(
            project=p, stage="land", actual_on=D(2024, 1, 1), user=world.office, today=D(2024, 6, 1)
        )
    assert "下一阶段应为“签约”" in str(exc.value)


def test_liaison_advances_its_department_projects_only(world):
    mine = make(world)
    other = make(world, name="别的项目", responsible_department=None)
    services.project_advance(
        project=mine, stage="signed", actual_on=D(2024, 1, 1), user=world.liaison, today=D(2024, 6, 1)
    )
    with pytest.raises(PermissionDenied):
        services.project_advance(
            project=other, stage="signed", actual_on=D(2024, 1, 1), user=world.liaison, today=D(2024, 6, 1)
        )
    assert list(Project.objects.editable_by(world.liaison)) == [mine]


def test_park_operator_edits_its_parks_projects(world):
    a = make(world)
    b = make(world, name="B园项目", park=world.park_b)
    assert list(Project.objects.editable_by(world.operator)) == [a]
    with pytest.raises(PermissionDenied):
        services.project_plan_stage(project=b, stage="land", planned_on=D(2024, 4, 1), user=world.operator)


def test_replanning_moves_the_warning(world):
    p = make(world)
    p = services.project_advance(
        project=p, stage="signed", actual_on=D(2024, 1, 1), user=world.office, today=D(2024, 1, 2)
    )
    assert p.next_planned_on == D(2024, 3, 1)
    p = services.project_plan_stage(project=p, stage="land", planned_on=D(2024, 5, 1), user=world.office)
    assert p.next_planned_on == D(2024, 5, 1)
    with pytest.raises(ValidationError):
        services.project_plan_stage(project=p, stage="land", planned_on=D(2023, 1, 1), user=world.office)


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (D(2024, 2, 15), "due_soon"),
        (D(2024, 1, 15), ""),
        (D(2024, 3, 15), "overdue"),
        (D(2024, 7, 1), "severe"),
    ],
)
def test_queryset_warning_filter_matches_the_pure_rule(world, today, level):
    p = make(world)
    p = services.project_advance(
        project=p, stage="signed", actual_on=D(2024, 1, 1), user=world.office, today=D(2024, 1, 2)
    )
    assert warning_level(selectors.project_stages(p), today) == level
    assert list(Project.objects.with_warning(level, today)) == [p]
    others = {"", "due_soon", "overdue", "severe", "no_plan"} - {level}
    assert all(not Project.objects.with_warning(o, today).exists() for o in others)


def test_no_plan_filter(world):
    p = make(world, planned={"signed": D(2024, 1, 1)})
    services.project_advance(
        project=p, stage="signed", actual_on=D(2024, 1, 1), user=world.office, today=D(2024, 1, 2)
    )
    assert list(Project.objects.with_warning("no_plan", D(2024, 2, 1))) == [p]


def test_expected_output_by_year_counts_projects_reaching_full_output(world):
    make(world, name="P1", expected_output=Decimal("30"))  # 达产 planned 2026-06-01
    p2 = make(
        world, name="P2", expected_output=Decimal("5"), planned={**PLANNED, "full_output": D(2025, 12, 31)}
    )
    make(world, name="P3", expected_output=None)
    assert selectors.expected_output_by_year(world.district, 2024) == Decimal(0)
    assert selectors.expected_output_by_year(world.district, 2025) == Decimal("5")
    assert selectors.expected_output_by_year(world.district, 2026) == Decimal("35")
    assert selectors.expected_output_by_year(world.park_a, 2026) == Decimal("35")
    assert selectors.expected_output_by_year(world.other_district, 2026) == Decimal(0)
    assert selectors.expected_output_new_in_year(world.district, 2025) == Decimal("5")
    # An actual 达产 date replaces the planned one.
    for stage in PLANNED:
        p2 = services.project_advance(
            project=p2, stage=stage, actual_on=D(2024, 1, 1), user=None, today=D(2024, 1, 1)
        )
    assert selectors.expected_output_by_year(world.district, 2024) == Decimal("5")
