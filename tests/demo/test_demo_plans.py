"""The demo plans carry the facts the issue promises, and their pages show them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from bioplan.demo.services import demo_load
from bioplan.plans.models import Plan, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    demo_load()


@pytest.fixture
def city_client(client, demo):  # type: ignore[no-untyped-def]
    """The demo's city-wide leader, who reads every district's plans."""
    from bioplan.core.models import User

    client.force_login(User.objects.get(username="city"))
    return client


def test_the_four_districts_and_the_paper_are_loaded(demo):
    regions = sorted(Plan.objects.current().values_list("region__name", flat=True))
    assert regions == ["宝山区", "浦东新区", "闵行区", "闵行区", "青浦区"]
    assert Plan.objects.get(region__name="浦东新区").doc_number == "浦府办〔2022〕2号"
    assert Plan.objects.get(status="论文").region.name == "闵行区"


def test_qingpu_output_targets_floor_and_stretch(demo, office_client):
    plan = Plan.objects.get(region__name="青浦区")
    output = Target.objects.filter(plan=plan, metric__contains="工业企业总产值")
    got = sorted((t.kind, t.comparator, t.value, t.unit, t.year, t.level) for t in output)
    assert got == sorted(
        [
            ("level", ">", Decimal("160"), "亿元", 2023, "floor"),
            ("growth_rate", ">=", Decimal("8"), "%", 2023, "floor"),
            ("level", ">", Decimal("170"), "亿元", 2023, "stretch"),
            ("growth_rate", ">=", Decimal("10"), "%", 2023, "stretch"),
        ]
    )
    html = office_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "＞160亿元" in html and "＞170亿元" in html and "≥8%" in html and "≥10%" in html


def test_pudong_task_9_lists_its_decomposition_table_departments(demo, city_client):
    plan = Plan.objects.get(region__name="浦东新区")
    task = plan.tasks.get(number="9")
    names = [(a.name_as_written, a.role) for a in task.assignments.order_by("position")]
    assert names == [("区科经委", "lead"), ("区发改委", "co"), ("区规划资源局", "co"), ("张江管理局", "co")]
    html = city_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "推动成果落地转化" in html and "张江管理局" in html


def test_minhang_bases_have_2023_targets_with_2020_baselines(demo, city_client):
    plan = Plan.objects.get(region__name="闵行区", status="征求意见稿")
    bases = {
        t.scope: (t.value, t.baseline_value, t.baseline_year)
        for t in plan.targets.filter(kind="level", year=2023, baseline_year=2020)
    }
    assert bases == {
        "莘庄工业区（含向阳工业区）": (Decimal("85.2"), Decimal("62.3"), 2020),
        "闵行经济技术开发区": (Decimal("122.5"), Decimal("107.3"), 2020),
        "临港浦江园（含国际生命健康城）": (Decimal("47.4"), Decimal("31.9"), 2020),
        "紫竹高新区": (Decimal("7"), Decimal("5.6"), 2020),
        "其他街镇": (Decimal("37.8"), Decimal("32.7"), 2020),
    }
    html = city_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "62.3亿元" in html and "85.2" in html


def test_every_demo_plan_page_renders(demo, city_client):
    for plan in Plan.objects.all():
        assert city_client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200


def test_the_city_wide_demo_leader_sees_every_district_on_the_dashboard(demo, client):
    from bioplan.core.models import User

    client.force_login(User.objects.get(username="city"))
    running = client.get(reverse("tracking:dashboard")).content.decode()
    ended = client.get(reverse("tracking:dashboard"), {"ended": "1"}).content.decode()

    # Running plans by default, plans past their end year (已到期) under the filter.
    for district in ("宝山区", "浦东新区", "闵行区", "青浦区"):
        assert district in running + ended
    assert client.post(reverse("tracking:indicator_list"), {"name": "x", "unit": "家"}).status_code == 403


def test_office_is_an_ordinary_office_admin_and_admin_the_only_superuser(demo):
    from bioplan.core.models import User

    office = User.objects.get(username="office")
    assert (office.role, office.region.name, office.is_superuser, office.is_staff) == (  # type: ignore[union-attr]
        "office_admin",
        "青浦区",
        False,
        False,
    )
    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == ["admin"]
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]
