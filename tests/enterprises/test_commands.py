"""The registries' management commands: import with progress, export, and the demo loader."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from tests.enterprises.factories import EnterpriseFactory, make_credit_code
from tests.enterprises.sheet_helpers import append_row, export_book
from tests.factories import PlanFactory, TargetFactory

from bioplan.enterprises.models import DerivedRule, Enterprise
from bioplan.projects.models import Project


def test_export_then_import_prints_progress(world, tmp_path):
    EnterpriseFactory(district=world.district, name="旧名")
    path = tmp_path / "e.xlsx"
    out = StringIO()
    call_command("registries_export", "enterprises", str(path), district="青浦区", stdout=out)
    assert "wrote" in out.getvalue()
    import openpyxl

    book = openpyxl.load_workbook(path)
    for _ in range(2500):
        append_row(book, {"统一社会信用代码": make_credit_code(), "企业名称": "批量企业", "主营领域": "中药"})
    book.save(path)
    out = StringIO()
    call_command("registries_import", "enterprises", str(path), district="青浦区", user="office", stdout=out)
    text = out.getvalue()
    assert "校验 1999/2501 (79%)" in text
    assert "保存 2501/2501 (100%)" in text
    assert "完成：2501 行，新增 2500，更新 0" in text
    assert Enterprise.objects.filter(district=world.district).count() == 2501


def test_import_with_problems_exits_non_zero_and_names_them(world, tmp_path):
    book = export_book("enterprises", world.office, world.district)
    append_row(book, {"统一社会信用代码": "91350100M000100Y44", "企业名称": "X", "主营领域": "中药"})
    path = tmp_path / "bad.xlsx"
    book.save(path)
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("registries_import", "enterprises", str(path), district="青浦区", stderr=err)
    assert exc.value.code == 1
    assert "企业名录 第2行 统一社会信用代码：校验码错误" in err.getvalue()
    assert not Enterprise.objects.exists()


def test_registries_demo_loads_simulated_data_and_binds_targets(world):
    plan = PlanFactory(region=world.district, period_start=2021, period_end=2023, is_current=True)
    TargetFactory(plan=plan, code="T13", metric="高新技术企业", unit="家", value=Decimal(50))
    TargetFactory(plan=plan, code="T15", metric="新供生物医药产业用地", unit="亩", value=Decimal(3469))
    TargetFactory(
        plan=plan,
        code="T08",
        metric="主营业务收入10亿元以上的生物医药制造业企业",
        unit="家",
        value=Decimal(1),
    )
    TargetFactory(plan=plan, code="T01", metric="工业总产值", unit="亿元")
    out = StringIO()
    call_command("registries_demo", per_district=20, stdout=out)
    assert "青浦区: 20 enterprises, 30 projects" in out.getvalue()
    assert Enterprise.objects.filter(simulated=True).count() == 20
    assert not Enterprise.objects.filter(simulated=False).exists()
    rules = {r.target.code: (r.kind, r.parameters) for r in DerivedRule.objects.select_related("target")}
    assert rules == {
        "T13": ("honour_count", {"honours": ["high_tech"]}),
        "T15": ("land_supplied", {"since_year": 2021}),
        "T08": ("enterprise_count", {"field": "revenue", "min": 100000}),
    }
    names = sorted(Enterprise.objects.values_list("name", flat=True))
    call_command("registries_demo", per_district=20, stdout=StringIO())  # idempotent
    assert Enterprise.objects.count() == 20 and Project.objects.count() == 30
    call_command("registries_demo", "--reset", "--per-district", "20", stdout=StringIO())
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == names  # fixed seed
    assert Project.objects.filter(simulated=True).count() == 30


def test_import_job_with_an_unreadable_file_ends_in_error(world, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bioplan.enterprises.models import ImportJob
    from bioplan.enterprises.services import import_job_execute

    settings.MEDIA_ROOT = tmp_path
    job = ImportJob(
        sheet_kind="enterprises", file_name="x.xlsx", region=world.district, created_by=world.office
    )
    job.file.save("x.xlsx", SimpleUploadedFile("x.xlsx", b"not a spreadsheet"), save=True)
    job = import_job_execute(job=job)
    assert job.state == "error" and job.message.startswith("无法读取文件")
