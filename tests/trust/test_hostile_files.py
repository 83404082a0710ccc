"""Bodies and files that used to give a 500 or a worker timeout (the 2026-12 attack test): a JSON body
nested thousands deep, an .xlsx carrying a DTD (entity expansion), a 9 MB .txt plan. Each is refused
with a message naming the problem; nothing is stored."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient
from tests.tracking.conftest import world  # noqa: F401

from bioplan.plans.models import Plan
from bioplan.reports import spreadsheets
from bioplan.tracking.models import Observation

pytestmark = pytest.mark.django_db
DEEP = b"[" * 100_000 + b"]" * 100_000
# A billion-laughs DTD: a parser expanding it would build gigabytes of text.
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def test_a_json_body_nested_thousands_deep_is_a_400(world) -> None:  # noqa: F811
    api = APIClient()
    api.force_authenticate(world.office)
    response = api.generic("POST", "/api/observations/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]
    assert not Observation.objects.exists()


def test_a_plan_json_nested_thousands_deep_is_refused_on_the_page(office_client) -> None:
    upload = io.BytesIO(DEEP)
    upload.name = "plan.json"
    response = office_client.post(reverse("plans:import"), {"file": upload})
    assert response.status_code == 200 and "嵌套" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_9_mb_txt_plan_is_refused_with_the_limit_before_extraction(office_client, settings) -> None:
    line = (
        "二、主要任务（一）壮大创新药产业。到2026年，全区生物医药产业规模超过500亿元（责任单位：区经委）。\n"
    )
    upload = io.BytesIO((line * (9 * 2**20 // len(line.encode()))).encode())
    upload.name = "plan.txt"
    response = office_client.post(reverse("plans:import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "超过行动方案的上限 500,000 个字符" in html
    assert not Plan.objects.exists()


def _with_dtd(xlsx: bytes) -> bytes:
    """The same workbook with a DTD in every XML part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith(".xml"):
                text = data.decode()
                text = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + LAUGHS, text, count=1)
                data = text.replace("&#30002;&#21306;", "&lol9;").encode()  # openpyxl's 甲区
            dst.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_carrying_a_dtd_is_refused_on_the_figures_import(client, world) -> None:  # noqa: F811
    """The reader (calamine) does not expand entities: the scope cell is not 甲区 but an unknown
    name, a row problem on the import's error page, and nothing is stored."""
    from bioplan.tracking import services

    services.indicator_get_or_create(name="工业总产值", unit="亿元")
    book = load_workbook(io.BytesIO(spreadsheets.export_observations_xlsx(observations=[])))
    book.active.append(["工业总产值", "亿元", "甲区", 2021, 0, 137, "税务", "年报"])
    raw = io.BytesIO()
    book.save(raw)
    upload = io.BytesIO(_with_dtd(raw.getvalue()))
    upload.name = "figures.xlsx"
    client.force_login(world.office)
    response = client.post(reverse("reports:observations_xlsx"), {"file": upload})
    assert response.status_code == 400  # the import's error page, naming the row
    html = response.content.decode()
    assert "没有保存任何数据" in html and "lollollol" not in html
    assert not Observation.objects.exists()
