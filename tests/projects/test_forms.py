"""The key-project registry's record forms: new/edit/delete and the stage plan, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from tests.enterprises.factories import EnterpriseFactory

from bioplan.projects import services
from bioplan.projects.models import Project, ProjectMilestone


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _form(world, **extra):
    data = {
        "name": "抗体药产业化基地",
        "investor_name": "某生物科技",
        "project_type": "new",
        "park": world.park_a.pk,
        "total_investment": "12.5",
        "land_mu": "80",
        "responsible_department": world.liaison_department.pk,
        "leader_name": "张三",
        "planned_signed": "2024-01-10",
        "planned_land": "2024-06-01",
    }
    data.update(extra)
    return data


def _project(world, **kw):
    return services.project_create(
        name=kw.pop("name", "旧项目"),
        investor_name="投资方",
        district=world.district,
        park=kw.pop("park", world.park_a),
        project_type="new",
        total_investment=Decimal("3"),
        responsible_department=world.liaison_department,
        user=world.office,
        **kw,
    )


def test_office_registers_a_project_with_its_planned_stages(world, client):
    e = EnterpriseFactory(district=world.district, name="某生物科技有限公司")
    client.force_login(world.office)
    page = client.get(reverse("projects:create")).content.decode()
    assert (
        "总投资" in page and "计划：签约" in page and e.name in page and page.count("data-bp-searchable") == 3
    )

    response = client.post(reverse("projects:create"), _form(world, enterprise=e.pk))

    project = Project.objects.get(name="抗体药产业化基地")
    assert response.status_code == 302 and response["Location"] == reverse(
        "projects:detail", args=[project.pk]
    )
    assert project.enterprise == e and project.total_investment == Decimal("12.5")
    assert project.next_stage == "signed" and project.next_planned_on == dt.date(2024, 1, 10)
    assert project.history.first().history_user == world.office


def test_stage_dates_out_of_order_are_refused_in_chinese(world, client):
    client.force_login(world.office)
    response = client.post(reverse("projects:create"), _form(world, planned_land="2023-01-01"))
    assert response.status_code == 200 and "计划日期早于" in response.content.decode()
    assert not Project.objects.exists()


def test_negative_investment_is_a_form_error(world, client):
    client.force_login(world.office)
    response = client.post(reverse("projects:create"), _form(world, total_investment="-1"))
    assert response.status_code == 200 and not Project.objects.exists()


def test_operator_must_choose_one_of_its_parks(world, client):
    client.force_login(world.operator)
    assert client.post(reverse("projects:create"), _form(world, park="")).status_code == 200
    assert client.post(reverse("projects:create"), _form(world, park=world.park_b.pk)).status_code == 200
    assert not Project.objects.exists()
    assert client.post(reverse("projects:create"), _form(world)).status_code == 302


def test_liaison_plans_stages_but_may_not_edit_or_delete(world, client):
    project = _project(world)
    client.force_login(world.liaison)
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("projects:delete", args=[project.pk]), {"reason": "x"}).status_code == 403
    page = client.get(reverse("projects:stages", args=[project.pk]))
    assert page.status_code == 200
    data = {"version": project.version, "signed": "2024-02-01", "land": "2024-03-01", "started": "2024-09-01"}
    assert client.post(reverse("projects:stages", args=[project.pk]), data).status_code == 302
    planned = dict(ProjectMilestone.objects.filter(project=project).values_list("stage", "planned_on"))
    assert planned["started"] == dt.date(2024, 9, 1) and planned["completed"] is None


def test_leader_and_other_district(world, client):
    project = _project(world)
    client.force_login(world.leader)
    assert client.get(reverse("projects:stages", args=[project.pk])).status_code == 403
    client.force_login(world.other_office)
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 404


def test_edit_detects_a_stage_change_made_since(world, client):
    project = _project(world)
    client.force_login(world.office)
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    loaded = project.version
    assert f'name="version" value="{loaded}"' in page
    services.project_advance(
        project=project,
        stage="signed",
        actual_on=dt.date(2024, 1, 5),
        user=world.liaison,
        today=dt.date(2024, 2, 1),
    )
    data = _form(world, name="新名称", version=loaded)
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 200 and "liaison" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "旧项目"

    data["version"] = project.version
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.name == "新名称" and project.leader_name == "张三" and project.stage == "signed"


def test_delete_with_a_reason(world, client):
    project = _project(world)
    client.force_login(world.office)
    assert "6" in client.get(reverse("projects:delete", args=[project.pk])).content.decode()
    assert (
        client.post(reverse("projects:delete", args=[project.pk]), {"reason": "项目终止"}).status_code == 302
    )
    assert not Project.objects.exists() and not ProjectMilestone.objects.exists()
    assert Project.history.first().history_change_reason == "项目终止"
