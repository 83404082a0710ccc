import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.enterprises.factories import EnterpriseFactory, FigureFactory, HonourFactory, make_credit_code
from tests.enterprises.sheet_helpers import append_row, export_book
from tests.factories import PlanFactory, TargetFactory

from bioplan.enterprises.models import Enterprise, ImportJob


def _many(world, n):
    for i in range(n):
        e = EnterpriseFactory(
            district=world.district,
            park=world.park_a if i % 2 else None,
            simulated=True,
            is_above_scale=bool(i % 3),
        )
        HonourFactory(enterprise=e, kind="high_tech")
        HonourFactory(enterprise=e, kind="gazelle")


def test_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    _many(world, 5)
    client.force_login(world.office)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("enterprises:list"))
    _many(world, 40)
    with django_assert_max_num_queries(12):
        big = client.get(reverse("enterprises:list"))
    assert small.status_code == big.status_code == 200
    body = big.content.decode()
    assert "45" in body and ("模拟数据" in body or "Simulated data" in body)
    assert body.count("高新技术企业") >= 45


def test_filters(world, client):
    a = EnterpriseFactory(
        district=world.district, park=world.park_a, name="甲药业", segment="tcm", is_above_scale=True
    )
    b = EnterpriseFactory(district=world.district, name="乙器械", segment="device")
    HonourFactory(enterprise=b, kind="specialized", valid_from=dt.date(2020, 1, 1))
    client.force_login(world.office)

    def names(**params):
        body = client.get(reverse("enterprises:list"), params).content.decode()
        return [n for n in ("甲药业", "乙器械") if n in body]

    assert names(segment="tcm") == ["甲药业"]
    assert names(park=world.park_a.pk) == ["甲药业"]
    assert names(honour="specialized") == ["乙器械"]
    assert names(above_scale="1") == ["甲药业"]
    assert names(q=b.credit_code) == ["乙器械"]
    assert names(q="器械") == ["乙器械"]
    assert a.pk


def test_detail_shows_gap_and_pool(world, client):
    e = EnterpriseFactory(district=world.district, name="潜力公司")
    FigureFactory(enterprise=e, year=dt.date.today().year - 1, revenue=Decimal(800), rd_expense=Decimal(40))
    from bioplan.enterprises import services

    services.cultivation_place(
        enterprise=e, tier="potential", entered_on=dt.date(2023, 1, 1), user=world.office
    )
    client.force_login(world.office)
    body = client.get(reverse("enterprises:detail", args=[e.pk])).content.decode()
    assert "营业收入 800万元，需 ≥ 1,000万元" in body
    body = client.get(reverse("enterprises:pool"), {"tier": "potential"}).content.decode()
    assert "潜力公司" in body and "专精特新中小企业认定" in body


def test_other_district_cannot_see_an_enterprise(world, client):
    e = EnterpriseFactory(district=world.district)
    client.force_login(world.other_office)
    assert client.get(reverse("enterprises:detail", args=[e.pk])).status_code == 404


def test_plan_page_shows_live_derived_values(world, client):
    plan = PlanFactory(region=world.district, period_start=2021, period_end=2023)
    target = TargetFactory(plan=plan, metric="高新技术企业", unit="家", value=Decimal(50))
    from bioplan.enterprises import services

    services.derived_rule_bind(
        target=target, kind="honour_count", region=world.district, parameters={"honours": ["high_tech"]}
    )
    HonourFactory(
        enterprise=EnterpriseFactory(district=world.district),
        kind="high_tech",
        valid_from=dt.date(2022, 1, 1),
    )
    client.force_login(world.office)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="derived-targets"' in body
    assert "期末持有高新技术企业的企业数" in body
    assert client.get(reverse("enterprises:derived"), {"year": 2023}).status_code == 200


def test_web_import_runs_as_a_job_and_is_polled(
    world, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    book = export_book("enterprises", world.office, world.district)
    append_row(book, {"统一社会信用代码": make_credit_code(), "企业名称": "网页导入", "主营领域": "中药"})
    path = tmp_path / "up.xlsx"
    book.save(path)
    client.force_login(world.office)
    upload = SimpleUploadedFile("企业名录.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:import"), {"sheet_kind": "enterprises", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "enterprises:import_status", args=[job.pk]
    )
    assert (job.state, job.created_count, job.total_rows) == ("done", 1, 1)
    assert Enterprise.objects.get().name == "网页导入"
    partial = client.get(reverse("enterprises:import_status", args=[job.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div class="card" id="import-progress"')
    assert "hx-trigger" not in partial.content.decode()  # finished: polling stops


def test_failed_web_import_lists_problems(
    world, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    book = export_book("enterprises", world.office, world.district)
    append_row(book, {"统一社会信用代码": "123", "企业名称": "X", "主营领域": "中药"})
    path = tmp_path / "bad.xlsx"
    book.save(path)
    client.force_login(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("enterprises:import"),
            {"sheet_kind": "enterprises", "file": SimpleUploadedFile("b.xlsx", path.read_bytes())},
        )
    job = ImportJob.objects.get()
    assert job.state == "failed"
    body = client.get(reverse("enterprises:import_status", args=[job.pk])).content.decode()
    assert "统一社会信用代码应为18位，实为3位" in body


def test_running_job_is_polled(world, client):
    job = ImportJob.objects.create(
        sheet_kind="enterprises",
        file_name="x.xlsx",
        region=world.district,
        created_by=world.office,
        state="running",
        total_rows=50000,
        processed_rows=12000,
    )
    client.force_login(world.office)
    body = client.get(
        reverse("enterprises:import_status", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 1s"' in body and "width: 24%" in body
    client.force_login(world.other_office)
    assert client.get(reverse("enterprises:import_status", args=[job.pk])).status_code == 404


def test_leader_cannot_import_but_can_export(world, client):
    client.force_login(world.leader)
    assert client.get(reverse("enterprises:import")).status_code == 403
    response = client.get(reverse("enterprises:export", args=["honours"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_lists_only_visible_enterprises(world, client):
    EnterpriseFactory(district=world.district, name="可见")
    EnterpriseFactory(district=world.other_district, name="不可见")
    client.force_login(world.office)
    data = client.get("/api/enterprises/").json()
    assert [r["name"] for r in data["results"]] == ["可见"]
    assert client.get("/api/projects/").status_code == 200
    assert client.get("/api/floor-spaces/").status_code == 200


def test_office_grants_an_honour_and_records_figures_from_the_page(world, client):
    e = EnterpriseFactory(district=world.district, park=world.park_b)
    client.force_login(world.office)
    assert 'id="honour-form"' in client.get(reverse("enterprises:detail", args=[e.pk])).content.decode()
    client.post(
        reverse("enterprises:honour_grant", args=[e.pk]), {"kind": "gazelle", "valid_from": "2024-03-01"}
    )
    assert e.honours.get().kind == "gazelle"
    client.post(
        reverse("enterprises:figure_record", args=[e.pk]),
        {"year": "2024", "quarter": "0", "source": "enterprise", "revenue": "1,234.5", "employees": "12"},
    )
    assert e.figures.get().revenue == Decimal("1234.50")
    response = client.post(
        reverse("enterprises:honour_grant", args=[e.pk]),
        {"kind": "listed", "valid_from": "2024-03-01"},
        follow=True,
    )
    assert "上市企业须填写上市板块" in response.content.decode()


def test_operator_of_another_park_cannot_grant(world, client):
    e = EnterpriseFactory(district=world.district, park=world.park_b)
    client.force_login(world.operator)
    assert 'id="honour-form"' not in client.get(reverse("enterprises:detail", args=[e.pk])).content.decode()
    client.post(
        reverse("enterprises:honour_grant", args=[e.pk]), {"kind": "gazelle", "valid_from": "2024-03-01"}
    )
    assert not e.honours.exists()


def test_liaison_imports_its_department_projects_only(
    world, client, tmp_path, settings, django_capture_on_commit_callbacks
):
    from bioplan.projects import services as project_services
    from bioplan.projects.models import Project

    settings.MEDIA_ROOT = tmp_path
    for name, dept in (("本部门项目", world.liaison_department), ("别的项目", None)):
        project_services.project_create(
            name=name,
            investor_name="X",
            district=world.district,
            project_type="new",
            total_investment=Decimal(1),
            responsible_department=dept,
            user=None,
        )
    book = export_book("projects", world.office, world.district)
    from tests.enterprises.sheet_helpers import set_cell

    rows = [r[0].value for r in book.worksheets[0].iter_rows(min_row=2)]
    set_cell(book, 2 + rows.index("本部门项目"), "包保领导", "李四")
    path = tmp_path / "p.xlsx"
    book.save(path)
    client.force_login(world.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("enterprises:import"),
            {"sheet_kind": "projects", "file": SimpleUploadedFile("p.xlsx", path.read_bytes())},
        )
    job = ImportJob.objects.get()
    assert (job.state, job.updated_count) == ("done", 1)
    assert Project.objects.get(name="本部门项目").leader_name == "李四"
