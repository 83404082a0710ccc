"""Spreadsheet import/export of the enterprise registry: round trips, row-level validation, all or nothing."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from tests.enterprises.factories import (
    EnterpriseFactory,
    FigureFactory,
    HonourFactory,
    MilestoneFactory,
    ProductFactory,
    make_credit_code,
)
from tests.enterprises.sheet_helpers import append_row, export_book, import_book, rows_of, set_cell

from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour, Product
from bioplan.sheets import read_sheet


def test_enterprise_round_trip_edit_and_add(world, tmp_path):
    e = EnterpriseFactory(
        district=world.district,
        park=world.park_a,
        name="青浦药业",
        segment="tcm",
        other_segments=["cxo"],
        is_above_scale=True,
        founded_on=dt.date(2010, 5, 6),
    )
    book = export_book("enterprises", world.office, world.district)
    assert rows_of(book)[0][:5] == ["统一社会信用代码", "企业名称", "所在园区", "注册地址", "主营领域"]
    assert rows_of(book)[1][:8] == [
        e.credit_code,
        "青浦药业",
        "青浦生命科学园",
        None,
        "中药",
        "CXO",
        "是",
        dt.datetime(2010, 5, 6),
    ]
    set_cell(book, 2, "企业名称", "青浦药业股份")
    set_cell(book, 2, "所在园区", "重固医疗器械园")
    new_code = make_credit_code()
    append_row(
        book,
        {
            "统一社会信用代码": new_code,
            "企业名称": "新企业",
            "主营领域": "体外诊断",
            "是否规上": "否",
            "其他领域": "医疗器械、CXO",
            "成立日期": "2020年3月1日",
        },
    )
    outcome = import_book(book, "enterprises", tmp_path, world.office, world.district)
    assert outcome.problems == []
    assert (outcome.created, outcome.updated) == (1, 1)
    e.refresh_from_db()
    assert (e.name, e.park) == ("青浦药业股份", world.park_b)
    new = Enterprise.objects.get(credit_code=new_code)
    assert (new.segment, new.other_segments, new.founded_on) == (
        "ivd",
        ["device", "cxo"],
        dt.date(2020, 3, 1),
    )
    assert e.history.first().history_change_reason == "Excel导入"
    created = new.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        world.office,
        "Excel导入",
    )
    assert created.name == "新企业" and created.other_segments == ["device", "cxo"]
    assert new.created_at is not None and new.created_at == new.updated_at
    assert e.history.first().history_user == world.office


def test_unchanged_export_imports_as_no_change(world, tmp_path):
    EnterpriseFactory.create_batch(3, district=world.district)
    outcome = import_book(
        export_book("enterprises", world.office, world.district),
        "enterprises",
        tmp_path,
        world.office,
        world.district,
    )
    assert (outcome.created, outcome.updated, outcome.problems) == (0, 0, [])


def test_every_wrong_row_is_named_and_nothing_is_saved(world, tmp_path):
    e = EnterpriseFactory(district=world.district)
    book = export_book("enterprises", world.office, world.district)
    set_cell(book, 2, "企业名称", "改过的名字")  # a valid change that must not be saved
    good = make_credit_code()
    append_row(book, {"统一社会信用代码": good, "企业名称": "A", "主营领域": "化学药"})
    append_row(book, {"统一社会信用代码": "91350100M000100Y44", "企业名称": "B", "主营领域": "化学药"})
    append_row(book, {"统一社会信用代码": make_credit_code(), "企业名称": "", "主营领域": "中成药"})
    append_row(book, {"统一社会信用代码": good, "企业名称": "A again", "主营领域": "化学药"})
    append_row(
        book,
        {"统一社会信用代码": make_credit_code(), "企业名称": "C", "主营领域": "化学药", "所在园区": "火星园"},
    )
    append_row(
        book,
        {
            "统一社会信用代码": make_credit_code(),
            "企业名称": "D",
            "主营领域": "化学药",
            "是否规上": "也许",
            "成立日期": "2020-13-01",
        },
    )
    outcome = import_book(book, "enterprises", tmp_path, world.office, world.district)
    found = [(p.sheet, p.row, p.column, p.problem) for p in outcome.problems]
    assert found == [
        ("企业名录", 4, "统一社会信用代码", "校验码错误：第18位应为“3”，实为“4”"),
        ("企业名录", 5, "企业名称", "必填"),
        (
            "企业名录",
            5,
            "主营领域",
            "“中成药”不是可选值（化学药、生物药、中药、医疗器械、体外诊断、制药装备与原材料、CXO、医药商贸流通、医疗服务、智慧医疗、其他）",
        ),
        ("企业名录", 8, "是否规上", "“也许”应为“是”或“否”"),
        ("企业名录", 8, "成立日期", "“2020-13-01”不是日期（如 2024-03-31）"),
    ]
    assert str(outcome.problems[0]) == "企业名录 第4行 统一社会信用代码：校验码错误：第18位应为“3”，实为“4”"
    # Cross-row checks run once the cells are readable: fix the cells, then duplicates and parks are named.
    book2 = export_book("enterprises", world.office, world.district)
    append_row(book2, {"统一社会信用代码": good, "企业名称": "A", "主营领域": "化学药"})
    append_row(book2, {"统一社会信用代码": good, "企业名称": "A again", "主营领域": "化学药"})
    append_row(
        book2,
        {"统一社会信用代码": make_credit_code(), "企业名称": "C", "主营领域": "化学药", "所在园区": "火星园"},
    )
    outcome = import_book(book2, "enterprises", tmp_path, world.office, world.district)
    assert [(p.row, p.column, p.problem) for p in outcome.problems] == [
        (4, "统一社会信用代码", "与第3行重复"),
        (5, "所在园区", "园区“火星园”不在青浦区的园区名录中"),
    ]
    e.refresh_from_db()
    assert e.name != "改过的名字"
    assert Enterprise.objects.count() == 1


def test_missing_required_column_is_reported(world, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["企业名称", "主营领域"])
    book.active.append(["X", "中药"])
    outcome = import_book(book, "enterprises", tmp_path, world.office, world.district)
    assert [(p.row, p.column, p.problem) for p in outcome.problems] == [(1, "统一社会信用代码", "缺少此列")]


def test_operator_imports_only_into_its_park(world, tmp_path):
    book = export_book("enterprises", world.operator, world.district)
    append_row(
        book,
        {
            "统一社会信用代码": make_credit_code(),
            "企业名称": "园内",
            "主营领域": "中药",
            "所在园区": "青浦生命科学园",
        },
    )
    append_row(
        book,
        {
            "统一社会信用代码": make_credit_code(),
            "企业名称": "园外",
            "主营领域": "中药",
            "所在园区": "重固医疗器械园",
        },
    )
    outcome = import_book(book, "enterprises", tmp_path, world.operator, world.district)
    assert [(p.row, p.problem) for p in outcome.problems] == [(3, "无权在该园区登记或修改企业")]


def test_enterprise_of_another_district_cannot_be_moved(world, tmp_path):
    other = EnterpriseFactory(district=world.other_district)
    book = export_book("enterprises", world.office, world.district)
    append_row(book, {"统一社会信用代码": other.credit_code, "企业名称": "X", "主营领域": "中药"})
    outcome = import_book(book, "enterprises", tmp_path, world.office, world.district)
    assert [p.problem for p in outcome.problems] == ["该企业已登记在其他区"]


def test_honour_round_trip(world, tmp_path):
    e = EnterpriseFactory(district=world.district)
    HonourFactory(
        enterprise=e,
        kind="high_tech",
        valid_from=dt.date(2021, 11, 1),
        valid_until=dt.date(2024, 10, 31),
        certificate_no="GR202131000001",
    )
    book = export_book("honours", world.office, world.district)
    assert rows_of(book)[1][:4] == [e.credit_code, e.name, "高新技术企业", None]
    set_cell(book, 2, "证书编号", "GR202131000099")
    append_row(
        book,
        {
            "统一社会信用代码": e.credit_code,
            "资质类型": "上市企业",
            "认定日期": dt.date(2023, 6, 1),
            "上市板块": "科创板",
            "股票代码": "688999",
        },
    )
    append_row(
        book, {"统一社会信用代码": e.credit_code, "资质类型": "上市企业", "认定日期": dt.date(2023, 6, 2)}
    )
    outcome = import_book(book, "honours", tmp_path, world.office, world.district)
    assert [(p.row, p.column, p.problem) for p in outcome.problems] == [
        (4, "上市板块", "上市企业须填写上市板块")
    ]
    book.worksheets[0].delete_rows(4)
    outcome = import_book(book, "honours", tmp_path, world.office, world.district)
    assert (outcome.created, outcome.updated, outcome.problems) == (1, 1, [])
    assert Honour.objects.get(kind="high_tech").certificate_no == "GR202131000099"
    assert Honour.objects.get(kind="listed").board == "star"


def test_honour_for_unknown_enterprise_is_named(world, tmp_path):
    book = export_book("honours", world.office, world.district)
    append_row(
        book, {"统一社会信用代码": make_credit_code(), "资质类型": "瞪羚企业", "认定日期": "2023-01-01"}
    )
    outcome = import_book(book, "honours", tmp_path, world.office, world.district)
    assert [p.problem for p in outcome.problems] == ["企业库中没有该统一社会信用代码，请先导入企业名录"]


def test_figure_round_trip(world, tmp_path):
    e = EnterpriseFactory(district=world.district)
    FigureFactory(enterprise=e, year=2023, revenue=Decimal("1234.56"))
    book = export_book("figures", world.office, world.district)
    assert rows_of(book)[1][2:5] == [2023, 0, 1234.56]
    set_cell(book, 2, "营业收入（万元）", "1,500.5")
    append_row(
        book,
        {
            "统一社会信用代码": e.credit_code,
            "年度": 2024,
            "季度": 1,
            "营业收入（万元）": 400,
            "数据来源": "企业填报",
        },
    )
    append_row(
        book,
        {
            "统一社会信用代码": e.credit_code,
            "年度": 2024,
            "季度": 5,
            "营业收入（万元）": -1,
            "数据来源": "统计部门",
        },
    )
    outcome = import_book(book, "figures", tmp_path, world.office, world.district)
    assert [(p.row, p.column, p.problem) for p in outcome.problems] == [
        (4, "季度", "应在0到4之间"),
        (4, "营业收入（万元）", "不能小于0"),
    ]
    book.worksheets[0].delete_rows(4)
    outcome = import_book(book, "figures", tmp_path, world.office, world.district)
    assert (outcome.created, outcome.updated) == (1, 1)
    assert EnterpriseFigure.objects.get(year=2023).revenue == Decimal("1500.50")
    assert EnterpriseFigure.objects.get(year=2024, quarter=1).source == "enterprise"


def test_figure_too_large_for_its_column_is_a_row_problem_not_a_database_error(world, tmp_path):
    """Found by the property tests: 1e20 万元 passed the parser and broke PostgreSQL's numeric(16, 2)."""
    e = EnterpriseFactory(district=world.district)
    book = export_book("figures", world.office, world.district)
    append_row(
        book,
        {"统一社会信用代码": e.credit_code, "年度": 2024, "营业收入（万元）": "1e20", "数据来源": "企业填报"},
    )
    outcome = import_book(book, "figures", tmp_path, world.office, world.district)
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "营业收入（万元）")]
    assert "16" in outcome.problems[0].problem
    assert not EnterpriseFigure.objects.exists()


def test_product_round_trip_adds_a_milestone_when_the_phase_moves(world, tmp_path):
    e = EnterpriseFactory(district=world.district)
    p = ProductFactory(enterprise=e, name="QP-101", kind="drug", phase="phase1")
    MilestoneFactory(product=p, phase="phase1", reached_on=dt.date(2022, 5, 1))
    book = export_book("products", world.office, world.district)
    assert rows_of(book)[1][2:8] == ["QP-101", "药品", None, None, "Ⅰ期临床", dt.datetime(2022, 5, 1)]
    set_cell(book, 2, "当前阶段", "Ⅱ期临床")
    set_cell(book, 2, "阶段日期", "2023/08/15")
    append_row(
        book,
        {
            "统一社会信用代码": e.credit_code,
            "产品名称": "支架",
            "产品类别": "医疗器械",
            "当前阶段": "Ⅰ期临床",
            "阶段日期": "2023-01-01",
        },
    )
    outcome = import_book(book, "products", tmp_path, world.office, world.district)
    assert [p.problem for p in outcome.problems] == ["医疗器械不适用阶段“Ⅰ期临床”"]
    set_cell(book, 3, "当前阶段", "三类注册证")
    outcome = import_book(book, "products", tmp_path, world.office, world.district)
    assert outcome.problems == []
    p.refresh_from_db()
    assert p.phase == "phase2"
    assert list(p.milestones.order_by("reached_on").values_list("phase", "reached_on")) == [
        ("phase1", dt.date(2022, 5, 1)),
        ("phase2", dt.date(2023, 8, 15)),
    ]
    assert Product.objects.get(name="支架").milestones.get().phase == "class3"


def test_reader_falls_back_to_first_sheet_and_reads_dates(world, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["a", "b"])
    book.active.append([dt.date(2024, 1, 2), 3.5])
    path = tmp_path / "x.xlsx"
    book.save(path)
    sheet = read_sheet(path, "企业名录")
    assert sheet.name == "Sheet1"
    rows = sheet.rows
    assert rows[1][1] == 3.5
    assert rows[1][0] in (dt.date(2024, 1, 2), dt.datetime(2024, 1, 2))


@pytest.mark.parametrize("kind", ["enterprises", "honours", "figures", "products"])
def test_leader_export_is_readable_but_other_district_sees_no_rows(world, kind):
    EnterpriseFactory(district=world.district)
    assert len(rows_of(export_book(kind, world.other_office, world.district))) == 1


def test_progress_is_reported(world, tmp_path):
    book = export_book("enterprises", world.office, world.district)
    for _ in range(2100):
        append_row(book, {"统一社会信用代码": make_credit_code(), "企业名称": "批量", "主营领域": "中药"})
    seen = []
    outcome = import_book(
        book,
        "enterprises",
        tmp_path,
        world.office,
        world.district,
        progress=lambda d, t, ph: seen.append((d, t, ph)),
    )
    assert outcome.created == 2100
    assert seen[0] == (1999, 2100, "parse") and seen[-1] == (2100, 2100, "save")


def test_operator_reimports_the_district_sheet_changing_only_its_parks_rows(world, tmp_path):
    mine = EnterpriseFactory(district=world.district, park=world.park_a)
    other = EnterpriseFactory(district=world.district, park=world.park_b)
    FigureFactory(enterprise=mine, year=2023, revenue=Decimal(100))
    FigureFactory(enterprise=other, year=2023, revenue=Decimal(200))
    # The office's district sheet (the operator's own export lists its parks' rows only).
    book = export_book("figures", world.office, world.district)
    codes = [r[0] for r in rows_of(book)[1:]]
    set_cell(book, 2 + codes.index(mine.credit_code), "营业收入（万元）", 150)
    outcome = import_book(book, "figures", tmp_path, world.operator, world.district)
    assert (outcome.problems, outcome.updated) == ([], 1)
    set_cell(book, 2 + codes.index(other.credit_code), "营业收入（万元）", 250)
    outcome = import_book(book, "figures", tmp_path, world.operator, world.district)
    assert [(p.row, p.problem) for p in outcome.problems] == [
        (2 + codes.index(other.credit_code), "无权修改该企业的数据")
    ]
