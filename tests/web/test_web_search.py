"""The global search: plans, departments, enterprises, projects and parks, grouped by kind, and only
what the user may open (its region; researchers no registries)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.trust.permission_world import PermissionWorld, build_permission_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PermissionWorld:
    return build_permission_world()


def _groups(client: Client, user, query: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("plans:search"), {"q": query})
    assert response.status_code == 200
    return {g.kind: [hit.title for hit in g.hits] for g in response.context["groups"]}


def test_groups_by_kind_in_the_users_region(client: Client, world: PermissionWorld) -> None:
    groups = _groups(client, world.users["office-A"], "甲区")

    assert list(groups) == ["plans", "departments", "parks"]
    assert groups["plans"] == ["甲区生物医药行动方案PLANA", "甲区生物医药行动方案（征求意见稿）DRAFTPLAN"]
    assert set(groups["departments"]) >= {"甲区经委", "甲区科委"}
    assert all(title.startswith("甲区") for titles in groups.values() for title in titles)


def test_enterprises_and_projects_are_found_by_name_only_within_reach(
    client: Client, world: PermissionWorld
) -> None:
    assert _groups(client, world.users["office-A"], "ENTP1") == {"enterprises": ["一园药业ENTP1A"]}
    assert _groups(client, world.users["office-A"], "PROJP") == {
        "projects": ["一园项目PROJP1A", "二园项目PROJP2A"]
    }
    assert _groups(client, world.users["office-A"], "乙区") == {}  # district B is out of reach


def test_a_researcher_finds_no_registry_rows(client: Client, world: PermissionWorld) -> None:
    assert _groups(client, world.users["researcher"], "ENTP1") == {}
    assert _groups(client, world.users["researcher"], "PROJP") == {}


def test_search_runs_a_fixed_number_of_queries(
    client: Client, world: PermissionWorld, django_assert_max_num_queries
) -> None:
    client.force_login(world.users["office-A"])

    with django_assert_max_num_queries(24):
        response = client.get(reverse("plans:search"), {"q": "园"})

    assert {g.kind for g in response.context["groups"]} >= {"enterprises", "projects", "parks"}
