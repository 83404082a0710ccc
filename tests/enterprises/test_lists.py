"""The registry lists: count, pager, sorting kept with the filters, and an export of exactly the
filtered, sorted rows with the labels shown on screen."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.urls import reverse
from tests.enterprises.factories import EnterpriseFactory, HonourFactory

from bioplan.enterprises.choices import CultivationTier
from bioplan.enterprises.models import CultivationEntry


def _rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _pool(world, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        e = EnterpriseFactory(district=world.district, name=f"培育企业{i:04d}")
        CultivationEntry.objects.create(
            enterprise=e, tier=CultivationTier.values[i % 2], entered_on=dt.date(2024, 1, 1)
        )


def test_pool_shows_every_entry_through_the_pager_with_a_count(world, client, django_assert_max_num_queries):
    _pool(world, 120)
    client.force_login(world.office)

    with django_assert_max_num_queries(14):
        first = client.get(reverse("enterprises:pool"), {"sort": "name"})
    with django_assert_max_num_queries(14):
        last = client.get(reverse("enterprises:pool"), {"sort": "name", "page": 3})

    assert "120" in first.content.decode()
    assert [r.entry.enterprise.name for r in first.context["rows"]][:2] == ["培育企业0000", "培育企业0001"]
    assert [r.entry.enterprise.name for r in last.context["rows"]] == [
        f"培育企业{i:04d}" for i in range(100, 120)
    ]
    assert "sort=name&amp;page=2" in first.content.decode()  # the pager keeps the sort


def test_pool_export_has_the_filtered_sorted_rows_with_labels(world, client):
    _pool(world, 6)
    client.force_login(world.office)
    tier = CultivationTier.values[1]

    rows = _rows(client.get(reverse("enterprises:pool"), {"tier": tier, "sort": "-name", "export": "xlsx"}))

    assert rows[0] == ["企业", "园区", "层级", "入库日期", "下一层级", "晋级条件"]
    assert [r[0] for r in rows[1:]] == ["培育企业0005", "培育企业0003", "培育企业0001"]
    assert {r[2] for r in rows[1:]} == {str(CultivationTier(tier).label)}  # the label, not the code


def test_enterprise_list_sorts_and_the_export_matches_the_screen(
    world, client, django_assert_max_num_queries
):
    for i, name in enumerate(["丙信创生物", "甲信创医药", "乙其他企业", "丁信创科技"]):
        e = EnterpriseFactory(district=world.district, name=name, is_above_scale=bool(i % 2))
        HonourFactory(enterprise=e, kind="high_tech")
    client.force_login(world.office)
    query = {"q": "信创", "sort": "-name"}

    with django_assert_max_num_queries(12):
        page = client.get(reverse("enterprises:list"), query)
    rows = _rows(client.get(reverse("enterprises:list"), {**query, "export": "xlsx"}))

    on_screen = [e.name for e in page.context["enterprises"]]
    assert on_screen == sorted(["丙信创生物", "甲信创医药", "丁信创科技"], reverse=True)
    assert [r[0] for r in rows[1:]] == on_screen
    assert all(r[4] in ("是", "否", "Yes", "No") for r in rows[1:])  # 规上 as shown, not True/False
    assert all("高新技术企业" in r[5] for r in rows[1:])
    assert "export=xlsx" in page.content.decode() and "q=%E4%BF%A1%E5%88%9B" in page.content.decode()


def test_enterprise_list_query_count_holds_with_sorting_and_paging(
    world, client, django_assert_max_num_queries
):
    for i in range(120):
        EnterpriseFactory(district=world.district, park=world.park_a if i % 2 else None)
    client.force_login(world.office)

    for params in ({"sort": "park"}, {"sort": "-tier", "page": 2}, {"sort": "name", "page": 3}):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("enterprises:list"), params)
        assert response.status_code == 200
    assert len(response.context["enterprises"]) == 20
