"""GET /api/history/<app_label>/<model>/<id>/: the change record of an object, read-only."""

from __future__ import annotations

import pytest

from bioplan.enterprises.choices import Segment
from bioplan.enterprises.services import enterprise_update

pytestmark = pytest.mark.django_db


def url(obj) -> str:  # type: ignore[no-untyped-def]
    return f"/api/history/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/"


def test_api_gives_the_changes_newest_first(client, world):
    enterprise_update(enterprise=world.enterprise, user=world.office, segment=Segment.DEVICE)
    client.force_login(world.leader)

    response = client.get(url(world.enterprise))

    assert response.status_code == 200
    update, created = response.json()
    assert (update["kind"], update["user_name"], update["reason"]) == (
        "updated",
        "office",
        "修改企业",  # the stored reason in the request's language (audit.reasons)
    )
    assert update["changes"] == [
        {"field": "segment", "label": "主营领域", "old": "化学药", "new": "医疗器械"}
    ]
    assert created["kind"] == "created"


def test_api_refuses_users_who_cannot_see_the_object(client, world):
    client.force_login(world.other_office)
    assert client.get(url(world.enterprise)).status_code == 404
    client.force_login(world.researcher)
    assert client.get(url(world.target)).status_code == 403
    client.logout()
    assert client.get(url(world.target)).status_code in (401, 403)


def test_api_gives_404_for_unknown_kinds_and_huge_ids(client, world):
    client.force_login(world.office)
    assert client.get("/api/history/core/user/1/").status_code == 404
    assert client.get(f"/api/history/plans/target/{2**70}/").status_code == 404
