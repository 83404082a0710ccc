"""Report downloads and imports through the pages: login, permissions, row errors shown."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from bioplan.reports import spreadsheets as sheets

pytestmark = pytest.mark.django_db


def _urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        reverse("reports:index"),
        reverse("reports:quarterly_docx", args=[world.plan.pk]) + "?quarter=2024Q2",
        reverse("reports:targets_xlsx", args=[world.plan.pk]),
        reverse("reports:tasks_xlsx", args=[world.plan.pk]),
        reverse("reports:observations_xlsx"),
    ]


def test_every_report_page_requires_login(client, world) -> None:
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_downloads_open(client, tracked) -> None:
    client.force_login(tracked.leader)
    index, docx, targets, tasks, figures = (client.get(u) for u in _urls(tracked))
    assert index.status_code == 200
    assert Document(io.BytesIO(docx.content)).tables
    assert "attachment" in docx["Content-Disposition"]
    for response in (targets, tasks, figures):
        assert load_workbook(io.BytesIO(response.content)).active.max_row >= 2


def test_import_with_errors_lists_them_and_saves_nothing(client, world) -> None:
    client.force_login(world.office)
    wb_bytes = sheets.export_tasks_xlsx(plan=world.plan)
    wb = load_workbook(io.BytesIO(wb_bytes))
    wb.active.cell(row=2, column=2).value = None
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "tasks.xlsx"  # type: ignore[attr-defined]
    response = client.post(reverse("reports:tasks_xlsx", args=[world.plan.pk]), {"file": out})
    assert response.status_code == 400
    html = response.content.decode()
    assert "任务名称" in html and "必填" in html and "没有保存任何数据" in html


def test_leader_cannot_import(client, world) -> None:
    client.force_login(world.leader)
    data = io.BytesIO(sheets.export_tasks_xlsx(plan=world.plan))
    data.name = "tasks.xlsx"  # type: ignore[attr-defined]
    assert client.post(reverse("reports:tasks_xlsx", args=[world.plan.pk]), {"file": data}).status_code == 403
    data.seek(0)
    assert client.post(reverse("reports:observations_xlsx"), {"file": data}).status_code == 403


def test_office_imports_figures(client, world) -> None:
    from bioplan.tracking import services
    from bioplan.tracking.models import Observation

    services.indicator_get_or_create(name="工业总产值", unit="亿元")
    wb = load_workbook(io.BytesIO(sheets.export_observations_xlsx(observations=[])))
    wb.active.append(["工业总产值", "亿元", "甲区", 2021, 0, 137, "税务", "年报"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "f.xlsx"  # type: ignore[attr-defined]
    client.force_login(world.office)
    response = client.post(reverse("reports:observations_xlsx"), {"file": out})
    assert response.status_code == 302
    assert Observation.objects.get().note == "年报"


def test_report_page_picks_the_latest_quarter_with_a_cycle(client, tracked) -> None:
    from bioplan.tracking.models import ReportingCycle

    client.force_login(tracked.leader)
    latest = ReportingCycle.objects.order_by("-year", "-quarter").first()

    page = client.get(reverse("reports:index"))

    expected = f"{latest.year}Q{latest.quarter}"
    assert page.context["quarter"] == expected
    assert f'?quarter={expected}"' in page.content.decode()  # the 通报 links use it
    assert f'<option value="{expected}" selected>' in page.content.decode()


def test_report_page_keeps_a_chosen_quarter_and_the_docx_follows_it(client, tracked) -> None:
    client.force_login(tracked.leader)

    page = client.get(reverse("reports:index"), {"quarter": "2023Q4"})
    docx = client.get(reverse("reports:quarterly_docx", args=[tracked.plan.pk]), {"quarter": "2023Q4"})

    assert page.context["quarter"] == "2023Q4"
    assert (
        "2023年第4季度" in docx["Content-Disposition"]
        or "2023%E5%B9%B4%E7%AC%AC4" in docx["Content-Disposition"]
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "（2023年第4季度）" in text


def test_docx_without_a_quarter_is_the_latest_quarter_with_a_cycle(client, tracked) -> None:
    from bioplan.tracking.models import ReportingCycle

    client.force_login(tracked.leader)
    latest = ReportingCycle.objects.filter(region=tracked.plan.region).order_by("-year", "-quarter").first()

    docx = client.get(reverse("reports:quarterly_docx", args=[tracked.plan.pk]))

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"（{latest.year}年第{latest.quarter}季度）" in text
    assert "本季度未开启报送。" not in text
