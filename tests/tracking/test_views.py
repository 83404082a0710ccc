"""Tracking pages: login, permissions, the reporting workflow through the browser, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bioplan.tracking import services
from bioplan.tracking.choices import ReportState
from bioplan.tracking.models import Observation, ProgressReport

pytestmark = pytest.mark.django_db


def _urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    obs = services.observation_record(
        indicator=services.indicator_get_or_create(name="工业总产值", unit="亿元"),
        region=world.region,
        year=2021,
        value=Decimal("1"),
        source="tax",
    )
    report = services.report_save(cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text="x")
    return [
        reverse("tracking:dashboard"),
        reverse("tracking:cycle_list"),
        reverse("tracking:cycle_detail", args=[world.cycle.pk]),
        reverse("tracking:report_edit", args=[world.cycle.pk, world.task1.pk]),
        reverse("tracking:report_detail", args=[report.pk]),
        reverse("tracking:observation_list"),
        reverse("tracking:observation_history", args=[obs.pk]),
        reverse("tracking:conflict_list"),
        reverse("tracking:binding_list", args=[world.plan.pk]),
    ]


def test_every_page_requires_login(client, world) -> None:
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_every_page_renders_for_the_liaison(client, world) -> None:
    urls = _urls(world)
    client.force_login(world.liaison_a)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_office_pages_render(client, world) -> None:
    urls = _urls(world)
    client.force_login(world.office)
    for url in urls:
        if "/tasks/" in url:
            continue
        assert client.get(url).status_code == 200, url


def test_liaison_cannot_open_another_departments_report(client, world) -> None:
    report = services.report_save(cycle=world.cycle, task=world.task1, user=world.liaison_a, done_text="x")
    client.force_login(world.liaison_b)
    assert client.get(reverse("tracking:report_detail", args=[report.pk])).status_code == 404
    # Task 2 is not assigned to department A.
    client.force_login(world.liaison_a)
    assert (
        client.get(reverse("tracking:report_edit", args=[world.cycle.pk, world.task2.pk])).status_code == 404
    )


def test_attachment_downloads_through_the_report_for_its_readers_only(
    client, world, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(world.liaison_a)
    client.post(
        reverse("tracking:report_edit", args=[world.cycle.pk, world.task1.pk]),
        {
            "progress": "in_progress",
            "percent_done": 10,
            "done_text": "x",
            "attachment": SimpleUploadedFile("进展.txt", "附件内容".encode()),
        },
    )
    report = ProgressReport.objects.get(task=world.task1, department=world.dep_a)
    attachment = report.attachments.get()
    url = reverse("tracking:attachment_download", args=[report.pk, attachment.pk])
    assert url in client.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "附件内容".encode()  # type: ignore[attr-defined]

    client.force_login(world.liaison_b)  # another department: the report does not exist for it
    assert client.get(url).status_code == 404


def test_liaison_files_and_submits_then_office_accepts_through_the_pages(client, world) -> None:
    client.force_login(world.liaison_a)
    page = client.get(reverse("tracking:cycle_detail", args=[world.cycle.pk]))
    assert "壮大创新药产业" in page.content.decode() and "建设特色园区" not in page.content.decode()
    response = client.post(
        reverse("tracking:report_edit", args=[world.cycle.pk, world.task1.pk]),
        {
            "progress": "in_progress",
            "percent_done": 60,
            "done_text": "完成签约",
            "next_steps": "",
            "problems": "用地指标",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.state == ReportState.SUBMITTED
    # The liaison cannot review.
    client.post(reverse("tracking:report_detail", args=[report.pk]), {"action": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    client.force_login(world.office)
    client.post(
        reverse("tracking:report_detail", args=[report.pk]), {"action": "return", "comment": "请补充"}
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED


def test_office_opens_a_cycle_and_queues_reminders(client, world) -> None:
    client.force_login(world.office)
    response = client.post(
        reverse("tracking:cycle_list"), {"year": 2024, "quarter": 3, "deadline": "2024-10-10"}
    )
    assert response.status_code == 302
    response = client.post(reverse("tracking:cycle_remind", args=[world.cycle.pk]))
    assert response.status_code == 302


def test_liaison_cannot_open_a_cycle(client, world) -> None:
    client.force_login(world.liaison_a)
    response = client.post(
        reverse("tracking:cycle_list"), {"year": 2024, "quarter": 3, "deadline": "2024-10-10"}
    )
    assert response.status_code == 403


def test_office_records_a_correction_and_chooses_a_source(client, world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    client.force_login(world.office)
    for value, source in (("240", "department"), ("241", "department"), ("169.57", "estimate")):
        client.post(
            reverse("tracking:observation_list"),
            {
                "indicator": ind.pk,
                "scope": "甲区",
                "year": 2020,
                "quarter": 0,
                "value": value,
                "source": source,
            },
        )
    assert Observation.objects.count() == 3
    page = client.get(reverse("tracking:conflict_list")).content.decode()
    assert "169.57" in page and "241" in page
    paper = Observation.objects.get(source="estimate")
    client.post(reverse("tracking:conflict_list"), {"observation": paper.pk})
    paper.refresh_from_db()
    assert paper.is_chosen


def _figures(world, n: int) -> None:  # type: ignore[no-untyped-def]
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    for year in range(2010, 2010 + n):
        services.observation_record(
            indicator=ind, region=world.region, year=year, value=Decimal(year), source="tax"
        )
        services.observation_record(
            indicator=ind, region=world.park, year=year, value=Decimal(year), source="tax", simulated=True
        )


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    ["tracking:observation_list", "tracking:cycle_list", "tracking:conflict_list", "tracking:dashboard"],
)
def test_list_pages_do_not_grow_queries_with_rows(client, world, name, django_assert_num_queries) -> None:
    client.force_login(world.office)
    _figures(world, 2)
    services.plan_bind_targets(plan=world.plan)
    url = reverse(name)
    small = _count(client, url)
    _figures(world, 6)
    for q in (3, 4):
        services.cycle_open(
            region=world.region, year=2024, quarter=q, deadline=dt.date(2024, 12, 1), user=world.office
        )
    with django_assert_num_queries(small):
        client.get(url)


def test_dashboard_shows_status_trend_chart_and_simulated_badge(client, world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    services.plan_bind_targets(plan=world.plan)
    for year, value in ((2020, "127"), (2021, "137"), (2022, "148")):
        services.observation_record(
            indicator=ind, region=world.region, year=year, value=Decimal(value), source="tax", simulated=True
        )
    client.force_login(world.leader)
    html = client.get(reverse("tracking:dashboard"), {"plan": world.plan.pk}).content.decode()
    assert "bp-status-green" in html
    assert "模拟数据" in html
    assert 'data-bp-chart="target-' in html
    assert "按当前年均增速8%" in html
    screen = client.get(
        reverse("tracking:dashboard"), {"plan": world.plan.pk, "bigscreen": 1}
    ).content.decode()
    assert "bp-bigscreen" in screen and 'data-bs-theme="dark"' in screen
    assert 'data-bp-chart="comparison-chart"' in screen and "模拟数据" in screen
    assert 'class="bp-kpi-value">1<' in screen  # one green target


def test_pages_are_chinese_first_and_english_on_request(client, world) -> None:
    client.force_login(world.office)
    zh = client.get(reverse("tracking:cycle_list")).content.decode()
    assert "季度报送" in zh
    client.cookies["django_language"] = "en"
    en = client.get(reverse("tracking:cycle_list")).content.decode()
    assert "Quarterly reports" in en and "Open a quarter" in en


def test_dashboard_counts_unresolved_source_conflicts(client, world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    services.observation_record(
        indicator=ind, region=world.region, year=2020, value=Decimal("240"), source="department"
    )
    paper = services.observation_record(
        indicator=ind, region=world.region, year=2020, value=Decimal("169.57"), source="estimate"
    )
    client.force_login(world.office)
    assert "1处数据来源冲突待选定" in client.get(reverse("tracking:dashboard")).content.decode()
    services.observation_choose(observation=paper, user=world.office)
    assert "数据来源冲突待选定" not in client.get(reverse("tracking:dashboard")).content.decode()


def test_office_sets_a_custom_expected_path(client, world) -> None:
    ind = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    for year, value in ((2020, "127"), (2021, "140")):
        services.observation_record(
            indicator=ind, region=world.region, year=year, value=Decimal(value), source="tax"
        )
    url = reverse("tracking:binding_list", args=[world.plan.pk])
    client.force_login(world.liaison_a)
    assert (
        client.post(url, {"target": world.target.pk, "indicator": ind.pk, "scope": "甲区"}).status_code == 403
    )
    client.force_login(world.office)
    bad = client.post(
        url,
        {
            "target": world.target.pk,
            "indicator": ind.pk,
            "scope": "甲区",
            "path": "custom",
            "custom_path": "2021:150",
        },
    )
    assert bad.status_code == 200 and "应写成" in bad.content.decode()
    for hostile in ("0Q1=5", "2024Q9=5", "1999=5", "2024Q-1=5"):  # periods no date can be made of
        page = client.post(
            url,
            {
                "target": world.target.pk,
                "indicator": ind.pk,
                "scope": "甲区",
                "path": "custom",
                "custom_path": hostile,
            },
        )
        assert page.status_code == 200 and "应写成" in page.content.decode(), hostile
    response = client.post(
        url,
        {
            "target": world.target.pk,
            "indicator": ind.pk,
            "scope": "甲区",
            "path": "custom",
            "custom_path": "2021=150, 2022Q2=155",
        },
    )
    assert response.status_code == 302
    world.target.refresh_from_db()
    assert world.target.binding.custom_path == {"2021": "150", "2022Q2": "155"}
    from bioplan.tracking.selectors import target_statuses

    (ts,) = target_statuses(plans=[world.plan])
    assert (ts.evaluation.expected, ts.status) == (Decimal("150.0000"), "yellow")  # 140 / 150 = 93 %
    assert "2021=150, 2022Q2=155" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["office", "liaison_b"])
def test_cycle_page_queries_do_not_grow_with_tasks(client, world, who, django_assert_num_queries) -> None:
    from tests.factories import AssignmentFactory, TaskFactory

    def add_tasks(n: int, start: int) -> None:
        for i in range(n):
            task = TaskFactory(plan=world.plan, number=str(start + i), position=start + i)
            AssignmentFactory(task=task, department=world.dep_b, role="lead")
            report = services.report_save(cycle=world.cycle, task=task, user=world.liaison_b, done_text="x")
            services.report_submit(report=report, user=world.liaison_b)

    client.force_login(getattr(world, who))
    url = reverse("tracking:cycle_detail", args=[world.cycle.pk])
    add_tasks(2, 10)
    small = _count(client, url)
    add_tasks(5, 20)
    with django_assert_num_queries(small):
        client.get(url)


def test_office_adds_an_indicator_and_sees_its_use(client, world) -> None:
    services.plan_bind_targets(plan=world.plan)
    client.force_login(world.office)
    url = reverse("tracking:indicator_list")

    bad = client.post(url, {"name": "产值", "unit": "亿英镑", "aggregation": ""})
    ok = client.post(url, {"name": "规上企业数", "unit": "家", "aggregation": "", "description": "年末数"})
    page = client.get(url).content.decode()

    assert bad.status_code == 200 and "未知单位“亿英镑”" in bad.content.decode()
    assert ok.status_code == 302
    assert "规上企业数" in page and "工业总产值" in page
    assert "期末值" in page  # counts are stocks by default


def test_indicator_catalogue_is_read_only_for_liaisons_and_leaders(client, world) -> None:
    indicator = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    for user in (world.liaison_a, world.leader):
        client.force_login(user)
        page = client.get(reverse("tracking:indicator_list"))
        assert page.status_code == 200 and 'id="indicator-form"' not in page.content.decode()
        assert client.post(reverse("tracking:indicator_list"), {"name": "x", "unit": "家"}).status_code == 403
        assert client.get(reverse("tracking:indicator_edit", args=[indicator.pk])).status_code == 403


def test_monthly_figure_entered_on_the_figures_page(client, world) -> None:
    indicator = services.indicator_get_or_create(name="工业总产值", unit="亿元")
    client.force_login(world.office)
    url = reverse("tracking:observation_list")
    form = {"indicator": indicator.pk, "scope": "甲区", "year": 2024, "value": "11.2", "source": "stat_flash"}

    both = client.post(url, {**form, "quarter": 1, "month": 2})
    ok = client.post(url, {**form, "quarter": 0, "month": 2})

    assert "季度和月份只能填一项" in both.content.decode()
    assert ok.status_code == 302
    assert Observation.objects.get(indicator=indicator).period_label == "2024年2月"


def test_researchers_do_not_see_the_chase_table_of_a_published_plan(client, world) -> None:
    """docs/permissions.md: researchers read no progress reports, so not the 催办 (late reports) table,
    even when an office user's view of the same dashboard is cached."""
    from tests.factories import UserFactory

    from bioplan.core.choices import Role

    client.force_login(world.office)
    office_html = client.get(reverse("tracking:dashboard"), {"plan": world.plan.pk}).content.decode()
    assert 'id="late-table"' in office_html and "区经委" in office_html
    client.force_login(UserFactory(username="researcher", role=Role.RESEARCHER))
    response = client.get(reverse("tracking:dashboard"), {"plan": world.plan.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="late-table"' not in html and "催办" not in html


def test_remind_shows_who_will_be_reminded_and_acts_only_when_confirmed(client, world) -> None:
    from bioplan.tracking.models import Reminder

    client.force_login(world.office)
    page = client.get(reverse("tracking:cycle_remind", args=[world.cycle.pk])).content.decode()
    assert "区科委" in page and "liaison_b" in page and "尚有2项未报送" in page
    assert Reminder.objects.count() == 0  # looking changes nothing
    client.post(reverse("tracking:cycle_remind", args=[world.cycle.pk]))
    assert Reminder.objects.filter(cycle=world.cycle).count() == 2


def test_office_moves_the_deadline_and_closes_the_cycle(client, world) -> None:
    client.force_login(world.office)
    client.post(reverse("tracking:cycle_edit", args=[world.cycle.pk]), {"deadline": "2024-07-31"})
    world.cycle.refresh_from_db()
    assert world.cycle.deadline == dt.date(2024, 7, 31)
    client.post(reverse("tracking:cycle_close", args=[world.cycle.pk]))
    world.cycle.refresh_from_db()
    assert world.cycle.state == "closed"
    page = client.get(reverse("tracking:cycle_detail", args=[world.cycle.pk])).content.decode()
    assert 'id="cycle-closed"' in page and "cycle-deadline" not in page
    bad = client.post(
        reverse("tracking:cycle_edit", args=[world.cycle.pk]), {"deadline": "2024-08-31"}, follow=True
    )
    assert "已关闭" in bad.content.decode()


def test_a_liaison_sees_only_its_own_departments_chase_rows_on_the_dashboard(world, client):
    """docs/permissions.md: liaisons read only their own department's reports and reminders."""
    from bioplan.tracking.selectors import dashboard

    office_rows = {row.department.name for _cycle, row in dashboard(user=world.office).late}
    mine = {row.department.name for _cycle, row in dashboard(user=world.liaison_a).late}
    assert office_rows == {"区经委", "区科委"}
    assert mine == {world.liaison_a.department.name} == {"区经委"}
    client.force_login(world.liaison_a)
    body = client.get("/tracking/").content.decode()
    client.force_login(world.office)
    assert "区科委" in client.get("/tracking/").content.decode()
    chase = body.split("催办", 1)[-1]
    assert "区科委" not in chase.split("</table>", 1)[0]
