"""Two people editing the same progress report or target binding at once: the second is told of the
conflict (who, when, what) instead of silently overwriting the first; pages keep the typed input."""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient
from tests.factories import UserFactory

from bioplan.core.choices import Role
from bioplan.core.concurrency import EditConflict
from bioplan.tracking import services
from bioplan.tracking.choices import ReportState
from bioplan.tracking.models import Observation, ProgressReport, TargetBinding

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(world):  # type: ignore[no-untyped-def]
    """A second liaison of department A, who edits the same reports as liaison_a."""
    return UserFactory(
        username="liaison_a2",
        first_name="王小",
        last_name="",
        role=Role.LIAISON,
        department=world.dep_a,
        region=world.region,
    )


def _draft(world, text: str = "完成调研") -> ProgressReport:  # type: ignore[no-untyped-def]
    return services.report_save(
        cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text=text, percent_done=10
    )


def _version_in(html: str, form_marker: str = 'name="version"') -> int:
    tag = next(t for t in re.findall(r"<input[^>]*>", html) if form_marker in t)
    return int(re.search(r'value="(\d+)"', tag).group(1))  # type: ignore[union-attr]


# ------------------------------------------------------------------------------ services
def test_each_save_raises_the_version(world) -> None:
    report = _draft(world)
    assert report.version == 1
    report = services.report_save(
        cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text="二稿", expected_version=1
    )
    assert report.version == 2
    report = services.report_submit(report=report, user=world.liaison_a, expected_version=2)
    assert (report.version, report.state) == (3, ReportState.SUBMITTED)
    report = services.report_accept(report=report, user=world.office, expected_version=3)
    assert (report.version, report.state) == (4, ReportState.ACCEPTED)


def test_second_save_from_a_stale_version_is_refused_and_names_the_first_editor(world, colleague) -> None:
    loaded = _draft(world).version  # both open the report at version 1
    services.report_save(
        cycle=world.cycle,
        task=world.task1,
        user=colleague,
        done_text="王的版本",
        percent_done=50,
        expected_version=loaded,
    )
    with pytest.raises(EditConflict) as caught:
        services.report_save(
            cycle=world.cycle,
            task=world.task1,
            user=world.liaison_a,
            done_text="甲的版本",
            expected_version=loaded,
        )
    conflict = caught.value
    stored = ProgressReport.objects.get()
    assert (stored.done_text, stored.percent_done, stored.version) == ("王的版本", 50, 2)
    assert (conflict.expected_version, conflict.current_version) == (1, 2)
    assert conflict.changed_by == "王小"  # the full name where there is one, else the username
    assert set(conflict.changed_fields) == {"done_text", "percent_done"}
    assert conflict.messages == [conflict.sentence()]
    assert re.fullmatch(
        r"该记录已被 王小 于 \d\d:\d\d 修改，请刷新后再编辑。对方修改了：\S+、\S+。", conflict.sentence()
    )


def test_two_people_creating_the_same_report_conflict(world, colleague) -> None:
    # Both opened the empty form (version 0); the second to save is told the report now exists.
    services.report_save(
        cycle=world.cycle, task=world.task1, user=colleague, done_text="先建", expected_version=0
    )
    with pytest.raises(EditConflict) as caught:
        services.report_save(
            cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text="后建", expected_version=0
        )
    assert caught.value.changed_by == "王小"
    assert ProgressReport.objects.get().done_text == "先建"


def test_stale_accept_after_return_and_resubmit_is_refused(world) -> None:
    """Office A opened the submitted report; office B returned it, the liaison changed and submitted it
    again. Without the version, A's accept would accept content A never saw."""
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    seen_by_a = report.version
    services.report_return(report=report, user=world.office2, comment="补充数据")
    report = services.report_save(
        cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text="补充后", expected_version=None
    )
    report = services.report_submit(report=report, user=world.liaison_a)
    with pytest.raises(EditConflict) as caught:
        services.report_accept(report=report, user=world.office, expected_version=seen_by_a)
    assert caught.value.changed_by == "liaison_a"
    stored = ProgressReport.objects.get()
    assert (stored.state, stored.reviewed_by) == (ReportState.SUBMITTED, world.office2)


def test_a_refused_claim_changes_nothing(world) -> None:
    report = _draft(world)
    with pytest.raises(EditConflict):
        services.report_submit(report=report, user=world.liaison_a, expected_version=7)
    stored = ProgressReport.objects.get()
    assert (stored.version, stored.state, stored.history.count()) == (1, ReportState.DRAFT, 1)


def test_edit_while_the_office_accepts_is_refused(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    services.report_return(report=report, user=world.office, comment="补充")
    loaded = ProgressReport.objects.get().version  # the liaison opens the returned report
    services.report_submit(report=ProgressReport.objects.get(), user=world.liaison_a)  # in another tab
    with pytest.raises(EditConflict) as caught:
        services.report_save(
            cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text="改", expected_version=loaded
        )
    assert "state" in caught.value.changed_fields


# ------------------------------------------------------------------------------ pages
def test_report_page_tells_the_second_editor_and_keeps_the_typed_text(client, world, colleague) -> None:
    _draft(world, "原稿")
    url = reverse("tracking:report_edit", args=[world.cycle.pk, world.task1.pk])
    other = client.__class__()
    client.force_login(world.liaison_a)
    other.force_login(colleague)
    version_a = _version_in(client.get(url).content.decode())
    version_b = _version_in(other.get(url).content.decode())
    assert version_a == version_b == 1

    form = {"progress": "in_progress", "percent_done": 20, "next_steps": "", "problems": "", "save": ""}
    first = other.post(url, {**form, "done_text": "王填写的进展", "version": version_b})
    assert first.status_code == 302
    second = client.post(url, {**form, "done_text": "甲填写的进展，很长的一段", "version": version_a})
    html = second.content.decode()
    assert second.status_code == 200
    assert "该记录已被 王小 于" in html and "请刷新后再编辑" in html
    assert "甲填写的进展，很长的一段" in html  # the typed text is still in the form
    assert "王填写的进展" in html  # and the other user's stored text is shown beside it
    assert _version_in(html) == 2  # saving again now knowingly replaces theirs
    assert ProgressReport.objects.get().done_text == "王填写的进展"

    again = client.post(url, {**form, "done_text": "甲填写的进展，很长的一段", "version": 2})
    assert again.status_code == 302
    assert ProgressReport.objects.get().done_text == "甲填写的进展，很长的一段"


def test_stale_review_on_the_page_is_refused(client, world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    url = reverse("tracking:report_detail", args=[report.pk])
    client.force_login(world.office)
    loaded = _version_in(client.get(url).content.decode())
    services.report_return(report=report, user=world.office2, comment="退回补充")
    services.report_submit(report=ProgressReport.objects.get(), user=world.liaison_a)
    response = client.post(url, {"action": "accept", "comment": "", "version": loaded})
    html = response.content.decode()
    assert response.status_code == 200 and "该记录已被 liaison_a 于" in html
    assert ProgressReport.objects.get().state == ReportState.SUBMITTED


def test_binding_page_tells_the_second_office_user(client, world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    url = reverse("tracking:binding_list", args=[world.plan.pk])
    other = client.__class__()
    client.force_login(world.office)
    other.force_login(world.office2)
    assert _version_in(client.get(url).content.decode()) == 0  # unbound yet
    form = {"target": world.target.pk, "indicator": ind.pk, "scope": "甲区", "path": "linear"}
    assert other.post(url, {**form, "baseline_value": "120", "version": 0}).status_code == 302
    response = client.post(url, {**form, "baseline_value": "99", "version": 0})
    html = response.content.decode()
    assert response.status_code == 200 and "该记录已被 office2 于" in html
    assert 'value="99"' in html  # the typed value stays in the form
    assert TargetBinding.objects.get().baseline_value == Decimal("120")

    assert other.post(url, {**form, "baseline_value": "121", "version": 1}).status_code == 302
    assert client.post(url, {**form, "baseline_value": "98", "version": 1}).status_code == 200
    binding = TargetBinding.objects.get()
    assert (binding.baseline_value, binding.version) == (Decimal("121"), 2)


def test_target_bind_service_refuses_a_stale_version(world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    binding = services.target_bind(target=world.target, indicator=ind, region=world.region, user=world.office)
    services.target_bind(
        target=world.target,
        indicator=ind,
        region=world.region,
        baseline_value=Decimal("1"),
        user=world.office2,
        expected_version=binding.version,
    )
    with pytest.raises(EditConflict) as caught:
        services.target_bind(
            target=world.target,
            indicator=ind,
            region=world.region,
            baseline_value=Decimal("2"),
            user=world.office,
            expected_version=binding.version,
        )
    assert (caught.value.changed_by, caught.value.changed_fields) == ("office2", ["baseline_value"])
    assert TargetBinding.objects.get().baseline_value == Decimal("1")


# ------------------------------------------------------------------------------ API
def test_api_answers_409_naming_the_conflict(world, colleague) -> None:
    first, second = APIClient(), APIClient()
    first.force_authenticate(colleague)
    second.force_authenticate(world.liaison_a)
    pk = _draft(world).pk
    v1 = first.get(f"/api/progress-reports/{pk}/").json()["version"]
    v2 = second.get(f"/api/progress-reports/{pk}/").json()["version"]
    body = {"cycle": world.cycle.pk, "task": world.task1.pk, "progress": "in_progress", "percent_done": 30}
    ok = first.post("/api/progress-reports/", {**body, "done_text": "王", "version": v1}, format="json")
    assert ok.status_code == 201 and ok.json()["version"] == 2
    clash = second.post("/api/progress-reports/", {**body, "done_text": "甲", "version": v2}, format="json")
    assert clash.status_code == 409
    answer = clash.json()
    assert answer["code"] == "edit_conflict"
    assert (answer["expected_version"], answer["current_version"], answer["changed_by"]) == (1, 2, "王小")
    assert sorted(answer["changed_fields"]) == ["done_text", "percent_done"]
    assert "王小" in answer["detail"] and answer["current"]["done_text"] == "王"
    assert ProgressReport.objects.get().done_text == "王"


def test_api_stale_submit_and_accept_are_409(world, colleague) -> None:
    api = APIClient()
    pk = _draft(world).pk
    services.report_save(cycle=world.cycle, task=world.task1, user=colleague, done_text="改过")
    api.force_authenticate(world.liaison_a)
    assert api.post(f"/api/progress-reports/{pk}/submit/", {"version": 1}, format="json").status_code == 409
    assert api.post(f"/api/progress-reports/{pk}/submit/", {"version": 2}, format="json").status_code == 200
    api.force_authenticate(world.office)
    stale = api.post(f"/api/progress-reports/{pk}/accept/", {"comment": "", "version": 2}, format="json")
    assert stale.status_code == 409 and stale.json()["changed_by"] == "liaison_a"
    assert ProgressReport.objects.get().state == ReportState.SUBMITTED
    fresh = api.post(f"/api/progress-reports/{pk}/accept/", {"comment": "", "version": 3}, format="json")
    assert fresh.status_code == 200 and fresh.json()["state"] == "accepted"


def test_api_schema_documents_the_version_and_the_409(client, world) -> None:
    client.force_login(world.office)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "EditConflict" in schema and "Optimistic concurrency" in schema


# ------------------------------------------------------------------------------ real concurrency
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_version_let_exactly_one_through(world, colleague) -> None:
    """Two connections claim the same version at the same moment: one wins, the other conflicts."""
    if connection.vendor != "postgresql":
        pytest.skip("simultaneous connections need PostgreSQL (SQLite's test database is one connection)")
    _draft(world)
    barrier, outcomes = threading.Barrier(2), []

    def save(user, text: str) -> None:  # type: ignore[no-untyped-def]
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.report_save(
                cycle=world.cycle, task=world.task1, user=user, done_text=text, expected_version=1
            )
            outcomes.append(("saved", text))
        except EditConflict:
            outcomes.append(("conflict", text))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(world.liaison_a, "甲")),
        threading.Thread(target=save, args=(colleague, "王")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    winner = next(text for kind, text in outcomes if kind == "saved")
    stored = ProgressReport.objects.get()
    assert (stored.done_text, stored.version) == (winner, 2)


def test_api_version_for_a_report_that_does_not_exist_is_409(world) -> None:
    api = APIClient()
    api.force_authenticate(world.liaison_a)
    body = {"cycle": world.cycle.pk, "task": world.task1.pk, "done_text": "x", "version": 3}
    response = api.post("/api/progress-reports/", body, format="json")
    assert response.status_code == 409
    assert (response.json()["current_version"], response.json()["changed_by"]) == (0, "另一用户")
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_corrections_of_a_figure_both_become_revisions(world) -> None:
    """A correction is a new revision, never an overwrite: two at once give revisions 2 and 3."""
    if connection.vendor != "postgresql":
        pytest.skip("simultaneous connections need PostgreSQL (SQLite's test database is one connection)")
    indicator = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    services.observation_record(
        indicator=indicator, region=world.region, year=2023, value=Decimal("100"), source="tax"
    )
    barrier, errors = threading.Barrier(2), []

    def correct(user, value: str) -> None:  # type: ignore[no-untyped-def]
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.observation_record(
                indicator=indicator,
                region=world.region,
                year=2023,
                value=Decimal(value),
                source="tax",
                user=user,
            )
        except Exception as exc:  # any failure of either writer fails the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=correct, args=(world.office, "110")),
        threading.Thread(target=correct, args=(world.office2, "120")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    revisions = list(Observation.objects.order_by("revision").values_list("revision", "value", "is_latest"))
    assert [r for r, _, _ in revisions] == [1, 2, 3]
    assert {v for _, v, _ in revisions} == {Decimal("100"), Decimal("110"), Decimal("120")}
    assert [latest for _, _, latest in revisions] == [False, False, True]


def test_stale_return_is_refused_when_another_office_user_accepted_first(world) -> None:
    report = services.report_submit(report=_draft(world), user=world.liaison_a)
    loaded = report.version  # both office users open the submitted report
    services.report_accept(report=report, user=world.office2, expected_version=loaded)
    with pytest.raises(EditConflict) as caught:
        services.report_return(
            report=ProgressReport.objects.get(), user=world.office, comment="补充", expected_version=loaded
        )
    assert caught.value.changed_by == "office2"
    assert ProgressReport.objects.get().state == ReportState.ACCEPTED
