"""One write path (#10.7): each per-row domain rule gives the same stored result whether the row is
typed on the enterprise page (its service) or imported from a sheet (the bulk service).

Each test runs the same input down both paths, for two enterprises of the same district, and
compares what is stored (or that both refuse with the same message and store nothing). The rules are
listed in docs/architecture.md, "One write path".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from tests.enterprises.factories import EnterpriseFactory, MilestoneFactory, ProductFactory
from tests.enterprises.sheet_helpers import append_row, export_book, import_book

from bioplan.enterprises import services
from bioplan.enterprises.models import EnterpriseFigure, Honour, Product, ProductMilestone


def _blank_book(kind: str, world: Any) -> openpyxl.Workbook:
    book = export_book(kind, world.office, world.other_district)  # headers only: no rows there
    assert book.worksheets[0].max_row == 1
    return book


def _sheet(world: Any, tmp_path: Any, kind: str, row: dict[str, Any]) -> Any:
    book = _blank_book(kind, world)
    append_row(book, row)
    return import_book(book, kind, tmp_path, world.office, world.district)


def _page_honour(client: Any, enterprise: Any, **fields: str) -> None:
    response = client.post(f"/enterprises/{enterprise.pk}/honours/", fields)
    assert response.status_code == 302


def _honours(enterprise: Any) -> list[tuple[Any, ...]]:
    return list(
        Honour.objects.filter(enterprise=enterprise).values_list("kind", "valid_from", "valid_until", "board")
    )


@pytest.fixture
def office_client(client: Any, world: Any) -> Any:
    client.force_login(world.office)
    return client


def test_high_tech_validity_is_three_years_on_the_page_and_in_the_sheet(world, office_client, tmp_path):
    by_page, by_sheet = EnterpriseFactory(district=world.district), EnterpriseFactory(district=world.district)
    _page_honour(office_client, by_page, kind="high_tech", valid_from="2024-02-29")
    outcome = _sheet(
        world,
        tmp_path,
        "honours",
        {
            "统一社会信用代码": by_sheet.credit_code,
            "资质类型": "高新技术企业",
            "认定日期": dt.date(2024, 2, 29),
        },
    )
    assert outcome.problems == []
    expected = [("high_tech", dt.date(2024, 2, 29), dt.date(2027, 2, 28), "")]
    assert _honours(by_page) == _honours(by_sheet) == expected


def test_a_stated_end_of_validity_is_kept_by_both(world, office_client, tmp_path):
    by_page, by_sheet = EnterpriseFactory(district=world.district), EnterpriseFactory(district=world.district)
    _page_honour(office_client, by_page, kind="high_tech", valid_from="2023-06-01", valid_until="2024-12-31")
    _sheet(
        world,
        tmp_path,
        "honours",
        {
            "统一社会信用代码": by_sheet.credit_code,
            "资质类型": "高新技术企业",
            "认定日期": dt.date(2023, 6, 1),
            "有效期至": dt.date(2024, 12, 31),
        },
    )
    assert (
        _honours(by_page)
        == _honours(by_sheet)
        == [("high_tech", dt.date(2023, 6, 1), dt.date(2024, 12, 31), "")]
    )


@pytest.mark.parametrize(
    ("fields", "row", "message"),
    [
        ({"kind": "listed", "valid_from": "2024-01-02"}, {"资质类型": "上市企业"}, "上市企业须填写上市板块"),
        (
            {"kind": "specialized", "valid_from": "2024-01-02", "valid_until": "2023-01-01"},
            {"资质类型": "专精特新中小企业", "有效期至": dt.date(2023, 1, 1)},
            "有效期至早于认定日期",
        ),
    ],
    ids=["listed-needs-board", "end-before-start"],
)
def test_an_honour_refused_on_the_page_is_refused_by_the_sheet(
    world, office_client, tmp_path, fields, row, message
):
    from bioplan.enterprises.choices import HonourKind

    assert row["资质类型"] in {str(k.label) for k in HonourKind}
    by_page, by_sheet = EnterpriseFactory(district=world.district), EnterpriseFactory(district=world.district)
    response = office_client.post(f"/enterprises/{by_page.pk}/honours/", fields, follow=True)
    assert message in response.content.decode()
    outcome = _sheet(
        world,
        tmp_path,
        "honours",
        {"统一社会信用代码": by_sheet.credit_code, "认定日期": dt.date(2024, 1, 2), **row},
    )
    assert [p.problem for p in outcome.problems] == [message]
    assert _honours(by_page) == _honours(by_sheet) == []


def test_a_figure_row_of_blanks_is_refused_by_both(world, tmp_path):
    by_service, by_sheet = (
        EnterpriseFactory(district=world.district),
        EnterpriseFactory(district=world.district),
    )
    with pytest.raises(ValidationError) as exc:
        services.figure_record(enterprise=by_service, year=2024, source="statistics", user=world.office)
    assert exc.value.message_dict == {"revenue": ["至少填写一项指标。"]}
    outcome = _sheet(
        world,
        tmp_path,
        "figures",
        {"统一社会信用代码": by_sheet.credit_code, "年度": 2024, "数据来源": "统计部门"},
    )
    assert [(p.column, p.problem) for p in outcome.problems] == [("营业收入（万元）", "至少填写一项指标")]
    assert EnterpriseFigure.objects.count() == 0


def test_a_phase_outside_the_pipeline_is_refused_by_both(world, tmp_path):
    by_service, by_sheet = (
        EnterpriseFactory(district=world.district),
        EnterpriseFactory(district=world.district),
    )
    with pytest.raises(ValidationError) as exc:
        services.product_create(
            enterprise=by_service,
            name="支架",
            kind="device",
            phase="phase1",
            reached_on=dt.date(2024, 1, 1),
            user=world.office,
        )
    outcome = _sheet(
        world,
        tmp_path,
        "products",
        {
            "统一社会信用代码": by_sheet.credit_code,
            "产品名称": "支架",
            "产品类别": "医疗器械",
            "当前阶段": "Ⅰ期临床",
            "阶段日期": dt.date(2024, 1, 1),
        },
    )
    assert [p.problem + "。" for p in outcome.problems] == exc.value.messages
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("phase_label", "phase", "day", "message"),
    [
        ("IND获批", "ind", dt.date(2024, 6, 1), "药品管线只能向后推进"),
        ("Ⅱ期临床", "phase2", dt.date(2022, 1, 1), "日期早于上一阶段（2022-05-01）"),
    ],
    ids=["drug-goes-back", "date-before-previous-phase"],
)
def test_a_move_refused_by_product_advance_is_refused_by_the_sheet(
    world, tmp_path, phase_label, phase, day, message
):
    products = []
    for enterprise in (
        EnterpriseFactory(district=world.district),
        EnterpriseFactory(district=world.district),
    ):
        product = ProductFactory(enterprise=enterprise, name="抗体", kind="drug", phase="phase1")
        MilestoneFactory(product=product, phase="phase1", reached_on=dt.date(2022, 5, 1))
        products.append(product)
    with pytest.raises(ValidationError) as exc:
        services.product_advance(product=products[0], phase=phase, reached_on=day, user=world.office)
    assert exc.value.messages == [message + "。"]
    outcome = _sheet(
        world,
        tmp_path,
        "products",
        {
            "统一社会信用代码": products[1].enterprise.credit_code,
            "产品名称": "抗体",
            "产品类别": "药品",
            "当前阶段": phase_label,
            "阶段日期": day,
        },
    )
    assert [p.problem for p in outcome.problems] == [message]
    assert list(Product.objects.values_list("phase", flat=True)) == ["phase1", "phase1"]
    assert ProductMilestone.objects.count() == 2


def test_a_forward_move_is_stored_alike_by_both(world, tmp_path):
    products = []
    for enterprise in (
        EnterpriseFactory(district=world.district),
        EnterpriseFactory(district=world.district),
    ):
        product = ProductFactory(enterprise=enterprise, name="抗体", kind="drug", phase="phase1")
        MilestoneFactory(product=product, phase="phase1", reached_on=dt.date(2022, 5, 1))
        products.append(product)
    services.product_advance(
        product=products[0], phase="phase2", reached_on=dt.date(2023, 3, 1), user=world.office
    )
    outcome = _sheet(
        world,
        tmp_path,
        "products",
        {
            "统一社会信用代码": products[1].enterprise.credit_code,
            "产品名称": "抗体",
            "产品类别": "药品",
            "当前阶段": "Ⅱ期临床",
            "阶段日期": dt.date(2023, 3, 1),
        },
    )
    assert outcome.problems == []

    def stored(p: Product) -> tuple[Any, ...]:
        p.refresh_from_db()
        return p.phase, sorted(p.milestones.values_list("phase", "reached_on"))

    assert (
        stored(products[0])
        == stored(products[1])
        == (
            "phase2",
            [("phase1", dt.date(2022, 5, 1)), ("phase2", dt.date(2023, 3, 1))],
        )
    )
