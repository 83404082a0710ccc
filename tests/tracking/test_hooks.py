"""What tracking plugs into the other apps (tracking/hooks.py): checks on import, plan and start panels."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from bioplan.ingest.draft import PlanDraft
from bioplan.plans.services import plan_import
from bioplan.tracking import hooks
from bioplan.tracking.models import ConsistencyFinding
from bioplan.tracking.views import consistency_panel, reminders_panel_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected():  # type: ignore[no-untyped-def]
    """Connect the hooks for one test and put the registries back afterwards."""
    from bioplan.plans import selectors as plan_selectors
    from bioplan.plans import services as plan_services
    from bioplan.web import panels

    saved = (list(plan_services._after_import), list(plan_selectors._plan_panels), dict(panels._panels))
    hooks.connect()
    yield
    plan_services._after_import[:] = saved[0]
    plan_selectors._plan_panels[:] = saved[1]
    panels._panels.clear()
    panels._panels.update(saved[2])


def test_import_runs_the_consistency_checks(draft_dict, connected) -> None:
    hooks.connect()  # registering twice adds nothing
    draft_dict["targets"].append({**draft_dict["targets"][0], "id": "T09", "level": "stretch", "value": 400})
    plan = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan
    findings = list(ConsistencyFinding.objects.filter(plan=plan))
    assert [f.verdict for f in findings if f.check_name == "floor_stretch"] == ["fail"]
    template, context = consistency_panel(plan)  # type: ignore[misc]
    assert template == "tracking/panels/consistency.html"
    assert context["findings"] == findings


def test_start_panel_lists_open_reminders(world) -> None:
    import datetime as dt

    from bioplan.tracking import services

    services.reminders_queue(cycle=world.cycle, today=dt.date(2024, 8, 1), user=world.office)
    request = RequestFactory().get("/")
    request.user = world.liaison_b
    context = reminders_panel_context(request)
    assert context is not None
    assert context["items"][0]["label"].startswith("区科委：请于2024年07月10日前报送")
    request.user = world.leader
    assert reminders_panel_context(request) is not None  # the office and leaders see the region's


def test_plan_page_shows_the_findings_with_their_arithmetic(
    client, draft_dict, connected, office_user
) -> None:
    from django.urls import reverse

    draft_dict["targets"].append({**draft_dict["targets"][0], "id": "T09", "level": "stretch", "value": 400})
    plan = plan_import(draft=PlanDraft.from_dict(draft_dict)).plan
    client.force_login(office_user)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="consistency-findings"' in html
    assert "确保 500亿元 ≥ 力争 400亿元" in html
