"""Fixtures for backup/restore: a populated database and a MEDIA_ROOT of its own per test."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from tests.conftest import SAMPLE_DRAFT
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role
from bioplan.ingest.draft import PlanDraft
from bioplan.ops.services import dumped_models
from bioplan.plans.services import plan_import


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "media"
    (root / "imports" / "2026").mkdir(parents=True)
    (root / "imports" / "2026" / "方案.txt").write_text("到2026年，产业规模超过500亿元。", encoding="utf-8")
    (root / "logo.bin").write_bytes(bytes(range(256)) * 4)
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def populated(media_root: Path) -> None:
    """Two plan versions (with history rows), users with a group and a permission (m2m rows)."""
    office = UserFactory(
        username="office", role=Role.OFFICE_ADMIN, email="office@example.cn", region=sample_district()
    )
    plan_import(draft=PlanDraft.from_dict(copy.deepcopy(SAMPLE_DRAFT)), user=office, source_file="a.json")
    changed: dict[str, Any] = copy.deepcopy(SAMPLE_DRAFT)
    changed["targets"][0]["value"] = 520.25
    changed["tasks"].append({"number": "3", "title": "引进头部企业", "lead_departments": ["区投促中心"]})
    plan_import(draft=PlanDraft.from_dict(changed), user=office, source_file="b.json")
    group = Group.objects.create(name="产业办")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_plan", "change_plan"]))
    office.groups.add(group)
    office.user_permissions.add(Permission.objects.get(codename="view_target"))


def snapshot(database: str = "default") -> dict[str, list[dict[str, Any]]]:
    """Every row of every model (and of the m2m tables), as field values, in primary-key order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in dumped_models(database):
        rows[model._meta.label_lower] = list(model._base_manager.using(database).order_by("pk").values())
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            rows[through._meta.label_lower] = sorted(
                through._base_manager.using(database).values_list(
                    field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
                )
            )
    return rows


def media_snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
