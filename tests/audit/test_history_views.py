"""The 变更记录 page of an object, the office's 已删除记录 page and its 恢复 button."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.enterprises.factories import EnterpriseFactory, FigureFactory, HonourFactory
from tests.factories import PlanFactory

from bioplan.audit.selectors import deletable_kinds
from bioplan.core.services import audited_save, record_delete
from bioplan.enterprises.choices import Segment
from bioplan.enterprises.models import Enterprise
from bioplan.enterprises.services import enterprise_update
from bioplan.parks.models import Park, SpaceDemand
from bioplan.plans.models import Target, Task
from bioplan.projects.models import Project
from bioplan.tracking.choices import Progress
from bioplan.tracking.services import report_save

pytestmark = pytest.mark.django_db


def history_url(obj_or_model, pk=None):  # type: ignore[no-untyped-def]
    meta = obj_or_model._meta
    return reverse("audit:object_history", args=[meta.app_label, meta.model_name, pk or obj_or_model.pk])


def restore_url(model, pk):  # type: ignore[no-untyped-def]
    return reverse("audit:restore", args=[model._meta.app_label, model._meta.model_name, pk])


def test_history_page_shows_who_when_and_before_after_of_an_update(client, world):
    world.office.first_name = "李主任"
    world.office.department = world.dep
    world.office.save()
    enterprise_update(
        enterprise=world.enterprise,
        user=world.office,
        segment=Segment.DEVICE,
        park=world.park,
        is_above_scale=True,
    )
    client.force_login(world.leader)

    response = client.get(history_url(world.enterprise))

    assert response.status_code == 200
    rows = response.context["history"].entries
    assert [e.kind for e in rows] == ["updated", "created"]
    update = rows[0]
    assert (update.user_name, update.department, update.reason) == ("李主任", "区经委", "修改企业")
    changes = {c.label: (c.old, c.new) for c in update.changes}
    assert changes == {
        "主营领域": ("化学药", "医疗器械"),
        "园区": ("—", "甲园"),
        "规上企业": ("否", "是"),
    }
    html = response.content.decode()
    for text in ("李主任", "区经委", "修改", "新建", "化学药", "医疗器械", "甲园"):
        assert text in html


def test_history_of_a_report_shows_the_liaisons_edit(client, world):
    report_save(
        cycle=world.report.cycle,
        task=world.task,
        user=world.liaison,
        progress=Progress.LATE,
        done_text="完成立项和环评",
    )
    client.force_login(world.office)

    response = client.get(history_url(world.report))

    update = response.context["history"].entries[0]
    assert update.user_name == "小王"
    assert update.department == "区经委"
    changes = {c.field: (c.old, c.new) for c in update.changes}
    assert changes == {"progress": ("推进中", "滞后"), "done_text": ("完成立项", "完成立项和环评")}


def test_foreign_keys_show_the_related_name_even_when_it_was_deleted(client, world):
    moved = Task.objects.get(pk=world.other_task.pk)
    old_plan = PlanFactory(region=world.district, title="旧方案")
    moved.plan = old_plan
    audited_save(moved, user=world.office, reason="挂到旧方案")
    moved.plan = PlanFactory(region=world.district, title="新方案")
    audited_save(moved, user=world.office, reason="移到新方案")
    record_delete(instance=old_plan, user=world.office, reason="作废")
    client.force_login(world.office)

    response = client.get(history_url(moved))

    change = response.context["history"].entries[0].changes[0]
    assert (change.field, change.label, change.old, change.new) == (
        "plan",
        "方案",
        "旧方案 (v1)（已删除）",
        "新方案 (v1)",
    )


def test_a_user_who_cannot_see_the_object_gets_404_and_a_researcher_403(client, world):
    client.force_login(world.other_office)
    assert client.get(history_url(world.enterprise)).status_code == 404
    assert client.get(history_url(world.other_enterprise)).status_code == 200
    client.force_login(world.liaison)
    assert client.get(history_url(world.report)).status_code == 200
    client.force_login(world.researcher)
    assert client.get(history_url(world.target)).status_code == 403


def test_unknown_kinds_and_rows_give_404(client, world):
    client.force_login(world.office)
    assert client.get("/history/core/user/1/").status_code == 404
    assert client.get("/history/plans/target/999999/").status_code == 404


def test_deleted_records_page_lists_only_the_offices_region(client, world):
    record_delete(instance=world.enterprise, user=world.office, reason="注销")
    record_delete(instance=world.other_enterprise, user=world.other_office, reason="注销")

    client.force_login(world.office)
    page = client.get(reverse("audit:deleted_list"))
    client.force_login(world.other_office)
    other_page = client.get(reverse("audit:deleted_list"))

    assert [r.title for r in page.context["page"]] == ["甲生物"]
    assert [r.title for r in other_page.context["page"]] == ["乙生物"]
    record = page.context["page"][0]
    assert (record.region, record.user_name, record.reason) == ("甲区", "office", "注销")


def test_deleted_records_page_filters_by_kind(client, world):
    record_delete(instance=world.enterprise, user=world.office, reason="注销")
    record_delete(instance=world.target, user=world.office, reason="误删")
    client.force_login(world.office)

    response = client.get(reverse("audit:deleted_list"), {"kind": "plans.target"})

    assert [r.entry.key for r in response.context["page"]] == ["plans.target"]


def test_only_the_office_sees_the_deleted_records_page(client, world):
    for user in (world.liaison, world.leader, world.researcher):
        client.force_login(user)
        assert client.get(reverse("audit:deleted_list")).status_code == 403


def test_deleted_records_page_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.office)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit:deleted_list")).status_code == 200
        return len(queries)

    record_delete(instance=EnterpriseFactory(district=world.district), user=world.office, reason="x")
    record_delete(instance=Target.objects.get(pk=world.target.pk), user=world.office, reason="x")
    few = count()
    for _ in range(6):
        record_delete(instance=EnterpriseFactory(district=world.district), user=world.office, reason="x")
    many = count()

    assert many == few
    # one query per kind of record, plus the session, the user, the region tree, the target's plan and region names
    assert few <= len(deletable_kinds()) + 6


def test_restore_button_restores_and_the_history_shows_the_restore(client, world):
    pk = world.target.pk
    record_delete(instance=world.target, user=world.office, reason="误删")
    client.force_login(world.office)

    response = client.post(restore_url(Target, pk))

    assert response.status_code == 302
    assert Target.objects.filter(pk=pk).exists()
    page = client.get(response.url)
    assert [e.kind for e in page.context["history"].entries][:2] == ["restored", "deleted"]
    assert "恢复" in page.content.decode()


def test_restore_refused_with_a_message_when_the_parent_is_deleted(client, world):
    pk = world.task.pk
    record_delete(instance=world.task, user=world.office, reason="误删")
    record_delete(instance=world.plan, user=world.office, reason="误删")
    client.force_login(world.office)

    response = client.post(restore_url(Task, pk), follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "请先恢复" in text and "甲区行动方案" in text
    assert not Task.objects.filter(pk=pk).exists()


def test_restore_refused_with_a_message_when_the_record_exists(client, world):
    client.force_login(world.office)

    response = client.post(restore_url(Enterprise, world.enterprise.pk), follow=True)

    assert "现已存在" in response.content.decode()


def test_non_office_users_cannot_restore(client, world):
    pk = world.target.pk
    record_delete(instance=world.target, user=world.office, reason="误删")
    for user in (world.liaison, world.leader, world.researcher):
        client.force_login(user)
        assert client.post(restore_url(Target, pk)).status_code == 403
    client.force_login(world.other_office)  # another district's record does not exist for it
    assert client.post(restore_url(Target, pk)).status_code == 404
    assert not Target.objects.filter(pk=pk).exists()


def test_restore_needs_post(client, world):
    client.force_login(world.office)
    assert client.get(restore_url(Target, world.target.pk)).status_code == 405


def test_history_of_a_deleted_record_is_for_the_office_of_its_region(client, world):
    pk = world.enterprise.pk
    record_delete(instance=world.enterprise, user=world.office, reason="注销")

    client.force_login(world.office)
    response = client.get(history_url(Enterprise, pk))
    assert response.status_code == 200
    assert response.context["can_restore"] is True
    assert [e.kind for e in response.context["history"].entries] == ["deleted", "created"]
    client.force_login(world.other_office)
    assert client.get(history_url(Enterprise, pk)).status_code == 404
    client.force_login(world.leader)
    assert client.get(history_url(Enterprise, pk)).status_code == 404


@pytest.mark.parametrize(
    "page",
    [
        lambda w: (reverse("plans:detail", args=[w.plan.pk]), [w.plan, w.target, w.task]),
        lambda w: (
            reverse("enterprises:detail", args=[w.enterprise.pk]),
            [w.enterprise, FigureFactory(enterprise=w.enterprise), HonourFactory(enterprise=w.enterprise)],
        ),
        lambda w: (reverse("tracking:observation_list"), [w.observation]),
        lambda w: (reverse("tracking:report_detail", args=[w.report.pk]), [w.report]),
        lambda w: (reverse("tracking:observation_history", args=[w.observation.pk]), [w.observation]),
        lambda w: (reverse("tracking:cycle_detail", args=[w.report.cycle_id]), [w.report.cycle]),
        lambda w: (reverse("core:department_detail", args=[w.dep.pk]), [w.dep]),
    ],
)
def test_object_pages_link_to_their_history(client, world, page):
    url, objects = page(world)
    client.force_login(world.office)

    html = client.get(url).content.decode()

    for obj in objects:
        assert f'href="{history_url(obj)}"' in html


def test_registry_pages_link_to_their_history(client, world):
    park = Park.objects.create(region=world.park, district=world.district, name="甲园")
    project = Project.objects.create(
        name="甲项目", investor_name="甲投资", district=world.district, project_type="new", total_investment=1
    )
    demand = SpaceDemand.objects.create(
        requester_name="甲生物", district=world.district, space_type="standard_plant", area_min=500
    )
    client.force_login(world.office)

    for url, obj in (
        (reverse("parks:detail", args=[park.pk]), park),
        (reverse("parks:demand", args=[demand.pk]), demand),
        (reverse("projects:detail", args=[project.pk]), project),
    ):
        assert f'href="{history_url(obj)}"' in client.get(url).content.decode()


def test_the_office_menu_links_to_the_deleted_records(client, world):
    client.force_login(world.office)
    assert reverse("audit:deleted_list") in client.get(reverse("plans:list")).content.decode()
    client.force_login(world.leader)
    assert reverse("audit:deleted_list") not in client.get(reverse("plans:list")).content.decode()


def test_history_page_in_english(client, world):
    enterprise_update(enterprise=world.enterprise, user=world.office, segment=Segment.DEVICE)
    client.force_login(world.office)
    client.cookies["django_language"] = "en"

    html = client.get(history_url(world.enterprise)).content.decode()

    for text in ("Change history", "Changes (before → after)", "Changed", "Created"):
        assert text in html


def test_researchers_see_no_history_links(client, world):
    client.force_login(world.researcher)

    html = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()

    assert "bp-history-link" not in html


def test_history_page_query_count_does_not_grow_with_changes(client, world):
    client.force_login(world.office)
    task = Task.objects.get(pk=world.task.pk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(task)).status_code == 200
        return len(queries)

    def move(n: int) -> None:
        for i in range(n):
            task.plan = PlanFactory(region=world.district)
            task.title = f"任务{i}"
            audited_save(task, user=world.office, reason="移动")

    move(1)
    few = count()
    move(5)

    assert count() == few


def test_records_deleted_with_their_parent_are_folded_into_it(client, world):
    task_pk = world.task.pk
    record_delete(instance=world.task, user=world.office, reason="误删")
    client.force_login(world.office)

    listed = client.get(reverse("audit:deleted_list")).context["page"]
    assignments = client.get(reverse("audit:deleted_list"), {"kind": "plans.assignment"}).context["page"]

    assert [(r.entry.key, r.pk, r.cascaded) for r in listed] == [("plans.task", task_pk, 2)]
    assert [(r.entry.key, r.with_parent) for r in assignments] == [("plans.assignment", True)]
    assert "连同 2 条下级记录" in client.get(reverse("audit:deleted_list")).content.decode()


def test_demo_rows_removed_by_a_system_job_are_not_listed(client, world):
    demo = EnterpriseFactory(district=world.district, simulated=True, name="模拟企业")
    kept = EnterpriseFactory(district=world.district, simulated=True, name="用户删的模拟企业")
    record_delete(instance=demo, user=None, reason="demo reload")
    record_delete(instance=kept, user=world.office, reason="清理")
    client.force_login(world.office)

    listed = client.get(reverse("audit:deleted_list")).context["page"]

    assert [r.title for r in listed] == ["用户删的模拟企业"]
