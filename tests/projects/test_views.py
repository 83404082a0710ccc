import datetime as dt
from decimal import Decimal

from django.urls import reverse
from tests.projects.test_services import PLANNED

from bioplan.projects import services


def _projects(world, n=5):
    for i in range(n):
        services.project_create(
            name=f"项目{i}",
            investor_name="投资方",
            district=world.district,
            park=world.park_a if i % 2 else world.park_b,
            project_type="new",
            total_investment=Decimal(i + 1),
            responsible_department=world.liaison_department,
            planned=PLANNED,
            user=None,
            simulated=True,
        )


def test_list_filters_and_guards_query_count(world, client, django_assert_max_num_queries):
    _projects(world, 8)
    client.force_login(world.office)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('href="/projects/') >= 8
    assert "模拟数据" in body or "Simulated data" in body
    response = client.get(
        reverse("projects:list"),
        {"park": world.park_a.pk, "stage": "none", "department": world.liaison_department.pk},
    )
    assert response.content.decode().count("项目") >= 4
    response = client.get(reverse("projects:list"), {"warning": "severe"})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_projects(world, client, django_assert_max_num_queries):
    _projects(world, 30)
    client.force_login(world.office)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("projects:list")).status_code == 200


def test_other_district_sees_none(world, client):
    _projects(world, 2)
    client.force_login(world.other_office)
    assert "项目0" not in client.get(reverse("projects:list")).content.decode()


def test_detail_advance_and_map(world, client):
    _projects(world, 2)
    client.force_login(world.office)
    from bioplan.projects.models import Project

    p = Project.objects.get(name="项目0")
    assert client.get(reverse("projects:detail", args=[p.pk])).status_code == 200
    response = client.post(
        reverse("projects:advance", args=[p.pk]), {"stage": "signed", "actual_on": "2024-01-01"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.stage == "signed"
    client.post(reverse("projects:plan", args=[p.pk]), {"stage": "land", "planned_on": "2024-04-01"})
    p.refresh_from_db()
    assert p.next_planned_on == dt.date(2024, 4, 1)
    response = client.get(reverse("projects:map"))
    assert response.status_code == 200
    assert 'data-bp-chart="battle-map"' in response.content.decode()
    assert "bp-gantt-bar" in response.content.decode()


def test_leader_cannot_advance(world, client):
    _projects(world, 1)
    from bioplan.projects.models import Project

    p = Project.objects.get()
    client.force_login(world.leader)
    client.post(reverse("projects:advance", args=[p.pk]), {"stage": "signed", "actual_on": "2024-01-01"})
    p.refresh_from_db()
    assert p.stage == ""


def test_start_page_panel_counts_overdue_projects(world, client):
    from bioplan.projects.models import Project

    _projects(world, 3)
    Project.objects.update(next_planned_on=dt.date(2000, 1, 1))  # long overdue
    client.force_login(world.office)
    body = client.get("/").content.decode()
    assert "/projects/?warning=severe" in body
    client.force_login(world.other_office)
    assert "/projects/?warning=severe" not in client.get("/").content.decode()
