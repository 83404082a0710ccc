"""Upload limits: the plan import form checks type and size at the exact edges; an over-large request
body is refused with 413 before Django reads it."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bioplan.plans.forms import PlanImportForm
from bioplan.plans.models import ImportDraft, Plan

LIMIT = 2**20  # 1 MiB in these tests (50 MiB in production)


@pytest.fixture(autouse=True)
def small_limit(settings):  # type: ignore[no-untyped-def]
    settings.BIOPLAN_MAX_UPLOAD_BYTES = LIMIT
    settings.BIOPLAN_MAX_REQUEST_BYTES = None


def _form(name: str, size: int) -> PlanImportForm:
    return PlanImportForm(data={}, files={"file": SimpleUploadedFile(name, b"x" * size)})


def _padded_plan(draft_dict, size: int) -> bytes:  # type: ignore[no-untyped-def]
    """The sample plan as JSON, padded with spaces to exactly ``size`` bytes."""
    body = json.dumps(draft_dict, ensure_ascii=False).encode()
    assert len(body) <= size
    return body + b" " * (size - len(body))


@pytest.mark.parametrize("size", [1, LIMIT - 1, LIMIT])
def test_files_up_to_the_limit_pass_the_form(size):
    assert _form("plan.json", size).is_valid()


@pytest.mark.parametrize("size", [LIMIT + 1, 2 * LIMIT])
def test_files_over_the_limit_are_refused_with_their_size(size):
    form = _form("plan.json", size)
    assert not form.is_valid()
    assert "the limit is 1 MB" in str(form.errors["file"]) or "上限" in str(form.errors["file"])


@pytest.mark.parametrize(
    "name", ["plan.json", "PLAN.JSON", "方案.docx", "方案.pdf", "方案.txt", "旧方案.doc"]
)
def test_allowed_types(name):
    assert _form(name, 10).is_valid()


@pytest.mark.parametrize(
    "name", ["plan.exe", "plan.json.exe", "plan", "plan.xlsx", "plan.html", ".json", "plan.js"]
)
def test_other_types_are_refused_naming_the_allowed_ones(name):
    form = _form(name, 10)
    assert not form.is_valid()
    assert ".json" in str(form.errors["file"])


def test_empty_file_is_refused():
    assert not _form("plan.json", 0).is_valid()


@pytest.mark.django_db
def test_import_page_accepts_a_plan_of_exactly_the_limit(office_client, draft_dict):
    upload = SimpleUploadedFile("plan.json", _padded_plan(draft_dict, LIMIT), content_type="application/json")

    response = office_client.post(reverse("plans:import"), {"file": upload})

    assert response.status_code == 302
    assert ImportDraft.objects.count() == 1  # read into a draft for review


@pytest.mark.django_db
def test_import_page_refuses_one_byte_more_with_a_message(office_client, draft_dict):
    upload = SimpleUploadedFile(
        "plan.json", _padded_plan(draft_dict, LIMIT + 1), content_type="application/json"
    )

    response = office_client.post(reverse("plans:import"), {"file": upload})

    assert response.status_code == 200
    assert "1.0 MB" in response.content.decode()
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_import_page_refuses_a_wrong_type_with_a_message(office_client):
    response = office_client.post(reverse("plans:import"), {"file": SimpleUploadedFile("plan.exe", b"MZ")})

    assert response.status_code == 200
    assert ".json" in response.content.decode()
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_request_bodies_over_the_limit_are_refused_before_reading(office_client, draft_dict):
    big = SimpleUploadedFile("plan.json", _padded_plan(draft_dict, LIMIT + 2**20 + 1))

    response = office_client.post(reverse("plans:import"), {"file": big})

    assert response.status_code == 413
    text = response.content.decode()
    assert "上传内容过大" in text and "上限为 1 MB" in text
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_request_body_limit_applies_before_login_too(client):
    response = client.post(
        reverse("login"), data=b"x" * (LIMIT + 2**20 + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
