"""Round trips of the park registry's sheets: 土地地块, 楼宇载体, 空间需求."""

import datetime as dt
from decimal import Decimal

from tests.enterprises.factories import EnterpriseFactory, parcel, space
from tests.enterprises.sheet_helpers import append_row, export_book, import_book, rows_of, set_cell

from bioplan.parks.models import Building, FloorSpace, LandParcel, SpaceDemand


def test_parcel_round_trip(world, tmp_path):
    parcel(world.registry_a, "QP-01", "30", facilities=["discharge"])
    book = export_book("parcels", world.office, world.district)
    assert rows_of(book)[1][:6] == ["青浦生命科学园", "QP-01", None, 30, "工业用地", "可供"]
    set_cell(book, 2, "状态", "已出让")
    set_cell(book, 2, "出让日期", dt.date(2023, 9, 1))
    set_cell(book, 2, "受让方", "某药业")
    append_row(
        book,
        {
            "园区": "重固医疗器械园",
            "地块编号": "CG-07",
            "面积（亩）": "12.5",
            "用地性质": "研发用地",
            "状态": "储备",
        },
    )
    append_row(
        book,
        {
            "园区": "重固医疗器械园",
            "地块编号": "CG-08",
            "面积（亩）": "3",
            "用地性质": "工业用地",
            "状态": "已出让",
        },
    )
    outcome = import_book(book, "parcels", tmp_path, world.office, world.district)
    assert [(p.row, p.column, p.problem) for p in outcome.problems] == [
        (4, "出让日期", "已出让地块须填写出让日期")
    ]
    book.worksheets[0].delete_rows(4)
    outcome = import_book(book, "parcels", tmp_path, world.office, world.district)
    assert (outcome.created, outcome.updated, outcome.problems) == (1, 1, [])
    supplied = LandParcel.objects.get(code="QP-01")
    assert (supplied.status, supplied.supplied_on, supplied.facilities) == (
        "supplied",
        dt.date(2023, 9, 1),
        ["discharge"],
    )


def test_operator_cannot_import_parcels_of_another_park(world, tmp_path):
    book = export_book("parcels", world.operator, world.district)
    append_row(
        book,
        {
            "园区": "重固医疗器械园",
            "地块编号": "CG-07",
            "面积（亩）": 5,
            "用地性质": "研发用地",
            "状态": "储备",
        },
    )
    outcome = import_book(book, "parcels", tmp_path, world.operator, world.district)
    assert [p.problem for p in outcome.problems] == ["无权修改该园区的数据"]


def test_space_round_trip_creates_buildings(world, tmp_path):
    space(
        world.registry_a,
        "3F",
        space_type="laboratory",
        area="800",
        rent=Decimal("3.2"),
        facilities=["p2_lab"],
    )
    book = export_book("spaces", world.office, world.district)
    assert rows_of(book)[1] == [
        "青浦生命科学园",
        "1号楼",
        "3F",
        "实验室",
        800,
        None,
        3.2,
        "空置",
        None,
        "P2实验室",
    ]
    set_cell(book, 2, "状态", "已入驻")
    set_cell(book, 2, "入驻企业", "某CRO")
    append_row(
        book,
        {
            "园区": "重固医疗器械园",
            "楼宇": "创新楼",
            "楼层/单元": "2F",
            "载体类型": "GMP厂房",
            "面积（平方米）": 1500,
            "状态": "空置",
            "配套条件": "洁净车间、危化品仓库",
            "可入驻日期": "2025-01-01",
        },
    )
    append_row(
        book,
        {
            "园区": "重固医疗器械园",
            "楼宇": "创新楼",
            "楼层/单元": "3F",
            "载体类型": "工业用地",
            "面积（平方米）": 10,
            "状态": "空置",
        },
    )
    outcome = import_book(book, "spaces", tmp_path, world.office, world.district)
    assert [p.problem for p in outcome.problems] == ["土地请在“土地地块”表登记"]
    book.worksheets[0].delete_rows(4)
    outcome = import_book(book, "spaces", tmp_path, world.office, world.district)
    assert (outcome.created, outcome.updated, outcome.problems) == (1, 1, [])
    assert Building.objects.get(name="创新楼").park == world.registry_b
    new = FloorSpace.objects.get(floor="2F")
    assert (new.facilities, new.available_from) == (["cleanroom", "hazmat_store"], dt.date(2025, 1, 1))
    assert FloorSpace.objects.get(floor="3F").tenant_name == "某CRO"


def test_demand_round_trip(world, tmp_path):
    e = EnterpriseFactory(district=world.district)
    book = export_book("demands", world.office, world.district)
    append_row(
        book,
        {
            "需求方": e.name,
            "统一社会信用代码": e.credit_code,
            "意向园区": "青浦生命科学园",
            "载体类型": "GMP厂房",
            "面积下限（平方米，土地为亩）": 2000,
            "面积上限（平方米，土地为亩）": 1000,
            "配套需求": "实验动物房",
        },
    )
    outcome = import_book(book, "demands", tmp_path, world.office, world.district)
    assert [p.problem for p in outcome.problems] == ["面积上限小于下限"]
    set_cell(book, 2, "面积上限（平方米，土地为亩）", 3000)
    outcome = import_book(book, "demands", tmp_path, world.office, world.district)
    assert outcome.created == 1
    d = SpaceDemand.objects.get()
    assert (d.enterprise, d.preferred_park, d.needs, d.status) == (
        e,
        world.registry_a,
        ["animal_house"],
        "open",
    )
    book = export_book("demands", world.office, world.district)
    set_cell(book, 2, "状态", "已匹配")
    outcome = import_book(book, "demands", tmp_path, world.office, world.district)
    assert outcome.updated == 1
    assert SpaceDemand.objects.get().status == "matched"
