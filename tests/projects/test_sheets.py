"""Round trip of the 重点项目 sheet, with stage dates and their checks."""

import datetime as dt
from decimal import Decimal

from tests.enterprises.factories import EnterpriseFactory
from tests.enterprises.sheet_helpers import append_row, export_book, import_book, rows_of, set_cell
from tests.projects.test_services import PLANNED

from bioplan.projects import services
from bioplan.projects.models import Project


def test_project_round_trip(world, tmp_path):
    e = EnterpriseFactory(district=world.district)
    p = services.project_create(
        name="抗体产业化",
        investor_name=e.name,
        enterprise=e,
        district=world.district,
        park=world.park_a,
        project_type="new",
        total_investment=Decimal("12.5"),
        expected_output=Decimal("30"),
        responsible_department=world.liaison_department,
        leader_name="张三",
        planned=PLANNED,
        user=None,
    )
    book = export_book("projects", world.office, world.district)
    header, row = rows_of(book)[:2]
    assert header[11:13] == ["签约计划日期", "签约实际日期"]
    assert row[:11] == [
        "抗体产业化",
        e.name,
        e.credit_code,
        "青浦生命科学园",
        "新建",
        12.5,
        None,
        None,
        30,
        "区经委",
        "张三",
    ]
    set_cell(book, 2, "签约实际日期", dt.date(2024, 1, 5))
    set_cell(book, 2, "总投资（亿元）", 15)
    append_row(
        book,
        {
            "项目名称": "新项目",
            "投资主体": "某资本",
            "项目类型": "研发",
            "总投资（亿元）": 2,
            "所在园区": "重固医疗器械园",
            "签约计划日期": "2024-02-01",
            "土地出让计划日期": "2024-01-01",
            "开工实际日期": "2024-03-01",
            "责任部门": "区不存在局",
        },
    )
    outcome = import_book(book, "projects", tmp_path, world.office, world.district)
    assert [(x.row, x.column, x.problem) for x in outcome.problems] == [
        (3, "责任部门", "“区不存在局”不是青浦区的部门")
    ]
    set_cell(book, 3, "责任部门", "区经委")
    outcome = import_book(book, "projects", tmp_path, world.office, world.district)
    assert [(x.row, x.column, x.problem) for x in outcome.problems] == [
        (3, "签约计划日期", "“土地出让”计划日期早于“签约”"),
        (3, "开工实际日期", "前一阶段尚无实际日期，不能跳过阶段"),
    ]
    set_cell(book, 3, "土地出让计划日期", "2024-04-01")
    set_cell(book, 3, "开工实际日期", None)
    outcome = import_book(book, "projects", tmp_path, world.office, world.district)
    assert (outcome.created, outcome.updated, outcome.problems) == (1, 1, [])
    p.refresh_from_db()
    assert (p.stage, p.next_stage, p.total_investment) == ("signed", "land", Decimal(15))
    assert p.milestones.get(stage="signed").actual_on == dt.date(2024, 1, 5)
    new = Project.objects.get(name="新项目")
    assert (new.stage, new.next_planned_on, new.milestones.count()) == ("", dt.date(2024, 2, 1), 6)


def test_liaison_cannot_import_other_departments_projects(world, tmp_path):
    services.project_create(
        name="别人的项目",
        investor_name="X",
        district=world.district,
        project_type="new",
        total_investment=Decimal(1),
        planned=PLANNED,
        user=None,
    )
    book = export_book("projects", world.office, world.district)
    set_cell(book, 2, "包保领导", "李四")
    outcome = import_book(book, "projects", tmp_path, world.liaison, world.district)
    assert [x.problem for x in outcome.problems] == ["无权修改该项目"]
