"""The help pages: the user guide and the API guide in the app's frame, their screenshots."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role
from bioplan.core.models import Department

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_reads_the_user_guide_and_the_api_guide(client, role):
    region = sample_district()
    department = Department.objects.get_or_create(
        region=region, name="区经委", defaults={"short_name": "经委"}
    )[0]
    client.force_login(UserFactory(role=role, region=region, department=department))
    guide = client.get(reverse("help")).content.decode()
    assert "用户手册" in guide and "部门联络员" in guide and 'id="liaison"' in guide
    assert f'src="{reverse("help_image", args=["office-home.png"])}"' in guide
    api = client.get(reverse("help_api")).content.decode()
    assert "接口说明" in api and "/api/observations/" in api


def test_help_needs_a_login(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_screenshots_are_served_and_nothing_else(client):
    client.force_login(UserFactory(role=Role.LEADER, region=sample_district()))
    ok = client.get(reverse("help_image", args=["office-home.png"]))
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert b"".join(ok.streaming_content).startswith(b"\x89PNG")
    for name in ("missing.png", "..%2Fuser-guide.md", "office-home.PNG", "a.svg"):
        assert client.get(f"/help/img/{name}").status_code == 404


def test_the_help_menu_links_the_guides(client):
    client.force_login(UserFactory(role=Role.OFFICE_ADMIN, region=sample_district()))
    body = client.get("/").content.decode()
    assert f'href="{reverse("help")}"' in body and f'href="{reverse("help_api")}"' in body


def test_a_wrapped_chinese_paragraph_is_joined_without_a_space(settings, tmp_path):
    from bioplan.web.help import render_doc

    (tmp_path / "user-guide.md").write_text(
        "# 手册\n\n把行动方案读入系统，\n按季度跟踪。\n\n1. 第一步\n2. 第二步\n", encoding="utf-8"
    )
    settings.BIOPLAN_DOCS_DIR = tmp_path
    html = render_doc("user-guide").html
    assert "把行动方案读入系统，按季度跟踪。" in html
    assert html.count("<li>") == 2
