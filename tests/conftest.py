from __future__ import annotations

import copy
from typing import Any

import pytest

from bioplan.core.choices import Role

# A small contract-format plan written for the tests (not taken from any real document).
SAMPLE_DRAFT: dict[str, Any] = {
    "document": "sample.txt",
    "plan": {
        "region": "示范区",
        "industry": "生物医药",
        "title": "示范区促进生物医药产业高质量发展行动方案（2024—2026年）（征求意见稿）",
        "period_start": 2024,
        "period_end": 2026,
        "status": "征求意见稿",
        "doc_number": None,
        "issued_on": None,
    },
    "targets": [
        {
            "id": "T01",
            "metric": "生物医药产业规模",
            "kind": "level",
            "value": 500,
            "value_max": None,
            "unit": "亿元",
            "comparator": ">",
            "year": 2026,
            "level": "floor",
            "scope": "示范区",
            "baseline_value": 300,
            "baseline_year": 2023,
            "quote": "确保产业规模超过500亿元",
        },
        {
            "id": "T02",
            "metric": "生物医药产业规模",
            "kind": "growth_rate",
            "value": 10,
            "value_max": None,
            "unit": "%",
            "comparator": ">=",
            "year": 2026,
            "level": "stretch",
            "scope": "示范区",
            "baseline_value": None,
            "baseline_year": None,
            "quote": "力争年均增长10%以上",
        },
        {
            "id": "T03",
            "metric": "高新技术企业",
            "kind": "increment",
            "value": 8,
            "value_max": 10,
            "unit": "家",
            "comparator": "range",
            "year": 2026,
            "level": None,
            "scope": "示范园",
            "baseline_value": None,
            "baseline_year": None,
            "quote": "新增高新技术企业8-10家",
        },
    ],
    "tasks": [
        {
            "number": "1",
            "title": "壮大创新药产业",
            "section": "主要任务",
            "lead_departments": ["区经委"],
            "departments": ["区经委", "区科委", "区市场监督管理局"],
        },
        {
            "number": "2",
            "title": "建设特色园区",
            "section": "主要任务",
            "lead_departments": ["区规划资源局"],
            "departments": ["区规划资源局", "区市场监管局"],
        },
    ],
    "departments": ["区经委", "区科委", "区市场监督管理局", "区规划资源局", "区市场监管局"],
    "parks": [
        {
            "name": "示范园",
            "type": "特色核心园",
            "group": "1",
            "focus": ["创新药", "高端医疗器械"],
            "new_land_mu": 500,
        },
    ],
}


@pytest.fixture
def draft_dict() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE_DRAFT)


@pytest.fixture
def office_user(db):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory, sample_district

    return UserFactory(username="office", role=Role.OFFICE_ADMIN, region=sample_district())


@pytest.fixture
def office_client(client, office_user):  # type: ignore[no-untyped-def]
    client.force_login(office_user)
    return client


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the default language (中文): a request with the English switch activates
    English for the rest of the thread, which would leak into the next test's exports."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
