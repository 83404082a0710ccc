"""Review before publish: an uploaded plan becomes a draft the office corrects, then publishes."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from tests.conftest import SAMPLE_DRAFT
from tests.factories import DepartmentFactory, RegionFactory, UserFactory, sample_district

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.concurrency import EditConflict
from bioplan.ingest.draft import PlanDraft
from bioplan.plans import review_selectors, review_services
from bioplan.plans.choices import ImportDraftState
from bioplan.plans.models import ImportDraft, Plan
from bioplan.plans.services import plan_import

pytestmark = pytest.mark.django_db

PLAN_TEXT = (Path(__file__).parent / "data" / "review_plan.txt").read_text(encoding="utf-8")


def docx_upload(text: str = PLAN_TEXT, name: str = "示范区行动方案.docx") -> io.BytesIO:
    """The plan text as a Word document, one paragraph a line."""
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def _upload(client: Any, upload: Any) -> Any:
    return client.post(reverse("plans:import"), {"file": upload})


def _draft(office_user: Any, content: dict[str, Any] | None = None, text: str = "") -> ImportDraft:
    draft = PlanDraft.from_dict(copy.deepcopy(content or SAMPLE_DRAFT))
    return review_services.import_draft_create(
        user=office_user, draft=draft, source_text=text, source_file="sample.json"
    )


# ------------------------------------------------------------------------------------- upload
def test_uploading_a_docx_makes_a_draft_and_stores_no_plan(office_client, office_user):
    response = _upload(office_client, docx_upload())

    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:draft_review", args=[draft.pk]
    )
    assert Plan.objects.count() == 0
    assert draft.state == ImportDraftState.PENDING and draft.created_by == office_user
    assert draft.region == office_user.region  # the document names 示范区, the office's district
    assert "区财政每年安排专项资金不少于2亿元" in draft.source_text
    assert [t["metric"] for t in draft.content["targets"]][-1] == "区财政每年安排专项资金"


def test_review_page_marks_each_quote_in_the_document(office_client, office_user):
    _upload(office_client, docx_upload())
    draft = ImportDraft.objects.get()

    html = office_client.get(reverse("plans:draft_review", args=[draft.pk])).content.decode()

    assert '<mark data-items="src-targets-3">引进重大产业项目20个以上</mark>' in html
    assert 'id="src-tasks-0"' in html and "壮大创新药产业" in html
    assert "量化目标" in html and "牵头" in html and "发布" in html


def test_the_extractors_doubtful_items_are_flagged_on_the_page(office_client, office_user):
    _upload(office_client, docx_upload())
    draft = ImportDraft.objects.get()

    page = review_selectors.import_draft_page(import_draft=draft)

    doubtful = [t.data["metric"] for t in page.targets if t.flagged]
    assert doubtful == ["产业用地", "区财政每年安排专项资金"]  # park land and a 保障措施 budget line
    html = office_client.get(reverse("plans:draft_review", args=[draft.pk])).content.decode()
    assert html.count("bp-review-item bp-flagged") == 2 and "识别依据" in html


def test_quote_is_found_across_line_breaks_and_full_width_digits():
    text = "到2026年，确保产业规模超过\n５００亿元；"

    found = review_selectors.locate("确保产业规模超过500亿元", text)

    assert found is not None and text[found.start : found.end] == "确保产业规模超过\n５００亿元"
    assert review_selectors.locate("不在原文中", text) is None


def test_unsure_and_incomplete_items_are_flagged(office_user):
    content = copy.deepcopy(SAMPLE_DRAFT)
    content["targets"][0]["confidence"] = 0.4
    content["targets"][1]["year"] = None
    content["tasks"][1]["lead_departments"] = []
    content["tasks"][1]["departments"] = []
    content["plan"]["evidence"] = {"issued_on": {"confidence": 0.5, "reason": "有效期至后的日期"}}
    draft = _draft(office_user)
    draft.content = content  # as the extractor wrote it (confidence is not in every PlanDraft yet)

    page = review_selectors.import_draft_page(import_draft=draft)

    assert page.targets[0].flags == ["抽取把握不足（置信度 40%）"]
    assert page.targets[1].flags == ["缺少目标年份"]
    assert page.targets[2].flags == []
    assert page.tasks[1].flags == ["未识别到责任部门"]
    issued = next(row for row in page.meta if row.name == "issued_on")
    assert issued.flags == ["抽取把握不足（置信度 50%）（有效期至后的日期）"]
    assert page.flagged_count == 4


@pytest.mark.parametrize(
    ("name", "body", "chinese", "english"),
    [
        ("plan.exe", b"MZ", "不支持的文件类型", "unsupported file type"),
        (
            "plan.txt",
            b"This is an English text without any Chinese words at all. " * 20,
            "不是中文",
            "not a Chinese",
        ),
        ("plan.docx", b"not a zip", "已损坏", "is damaged"),
        ("plan.json", b"{not json", "不符合方案导入格式", "does not follow the plan import format"),
    ],
)
def test_upload_errors_are_chinese_with_an_english_version(office_client, name, body, chinese, english):
    upload = io.BytesIO(body)
    upload.name = name
    html = _upload(office_client, upload).content.decode()
    assert chinese in html and ImportDraft.objects.count() == 0

    office_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    upload.seek(0)
    html = _upload(office_client, upload).content.decode()
    assert english in html


def test_only_the_office_uploads(client):
    liaison = UserFactory(role=Role.LIAISON, department=DepartmentFactory(), region=sample_district())
    client.force_login(liaison)

    assert _upload(client, docx_upload()).status_code == 403
    with pytest.raises(PermissionDenied):
        review_services.import_draft_create(
            user=liaison,
            draft=PlanDraft.from_dict(copy.deepcopy(SAMPLE_DRAFT)),
            source_text="",
            source_file="x",
        )
    assert ImportDraft.objects.count() == 0


# --------------------------------------------------------------------------------- corrections
def test_correct_two_items_then_publish(office_client, office_user):
    _upload(office_client, docx_upload())
    draft = ImportDraft.objects.get()
    budget = next(
        i for i, t in enumerate(draft.content["targets"]) if t["metric"] == "区财政每年安排专项资金"
    )

    response = office_client.post(
        reverse("plans:draft_item_delete", args=[draft.pk, "targets", budget]), {"version": draft.version}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    form = {
        "version": draft.version,
        "metric": "生物医药产业规模",
        "kind": "growth_rate",
        "comparator": ">=",
        "value": "12",
        "unit": "%",
        "year": "2026",
        "level": "stretch",
        "scope": "示范区",
        "quote": "力争年均增长10%以上",
    }
    response = office_client.post(reverse("plans:draft_item", args=[draft.pk, "targets", 1]), form)
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    response = office_client.post(reverse("plans:draft_publish", args=[draft.pk]), {"version": draft.version})

    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    metrics = list(plan.targets.values_list("metric", "value"))
    assert ("区财政每年安排专项资金", 2) not in [(m, int(v)) for m, v in metrics]
    assert plan.targets.count() == 5
    growth = plan.targets.get(kind="growth_rate")
    assert growth.value == 12 and growth.quote == "力争年均增长10%以上"
    assert plan.tasks.get(number="1").assignments.get(role="lead").department.name == "区经委"
    draft.refresh_from_db()
    assert (
        draft.state == ImportDraftState.PUBLISHED and draft.plan == plan and draft.decided_by == office_user
    )
    reasons = list(draft.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == [
        "plan uploaded for review (示范区行动方案.docx)",
        "target deleted in review",
        "target corrected in review",
        f"published as {plan} (new)",
    ]


def test_a_corrected_item_loses_the_extractors_doubt(office_user):
    content = copy.deepcopy(SAMPLE_DRAFT)
    content["parks"][0]["confidence"] = 0.2
    draft = _draft(office_user)
    ImportDraft.objects.filter(pk=draft.pk).update(content=content)
    draft.refresh_from_db()
    assert review_selectors.import_draft_page(import_draft=draft).parks[0].flagged

    review_services.import_draft_item_save(
        import_draft=draft,
        user=office_user,
        expected_version=draft.version,
        kind="parks",
        index=0,
        item={"name": "示范园", "type": "特色核心园", "group": "1", "focus": ["创新药"], "new_land_mu": 600},
    )

    park = draft.content["parks"][0]
    assert "confidence" not in park and park["new_land_mu"] == 600
    assert review_selectors.import_draft_page(import_draft=draft).parks[0].flags == []


def test_adding_a_task_and_a_target(office_client, office_user):
    draft = _draft(office_user)
    response = office_client.post(
        reverse("plans:draft_item_add", args=[draft.pk, "tasks"]),
        {
            "version": draft.version,
            "number": "3",
            "title": "强化要素保障",
            "leads": "区财政局",
            "cos": "区经委、区科委",
            "deadline_text": "2025年底前",
            "deadline_date": "2025-12-31",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    review_services.import_draft_item_save(
        import_draft=draft,
        user=office_user,
        expected_version=draft.version,
        kind="targets",
        index=None,
        item={
            "metric": "上市企业",
            "kind": "increment",
            "value": 2,
            "unit": "家",
            "comparator": ">=",
            "year": 2026,
        },
    )

    task = draft.content["tasks"][-1]
    assert task["departments"] == ["区财政局", "区经委", "区科委"] and task["lead_departments"] == [
        "区财政局"
    ]
    assert task["deadline"] == {"text": "2025年底前", "date": "2025-12-31"}
    assert draft.content["targets"][-1]["id"] == "T04"


def test_an_invalid_item_is_refused_with_a_chinese_message(office_client, office_user):
    draft = _draft(office_user)
    html = office_client.post(
        reverse("plans:draft_item", args=[draft.pk, "targets", 2]),
        {
            "version": draft.version,
            "metric": "高新技术企业",
            "kind": "increment",
            "comparator": "range",
            "value": "8",
            "unit": "家",
        },
    ).content.decode()

    assert "区间目标需要填写上限值" in html
    draft.refresh_from_db()
    assert draft.content["targets"][2]["value_max"] == 10


def test_a_stale_edit_is_a_conflict(office_user):
    draft = _draft(office_user)
    loaded = draft.version
    review_services.import_draft_item_delete(
        import_draft=draft, user=office_user, expected_version=loaded, kind="targets", index=0
    )

    with pytest.raises(EditConflict):
        review_services.import_draft_item_delete(
            import_draft=draft, user=office_user, expected_version=loaded, kind="targets", index=0
        )
    draft.refresh_from_db()
    assert len(draft.content["targets"]) == 2


# ------------------------------------------------------------------------------ region, versions
def test_the_office_chooses_the_region_when_the_document_names_none(office_client, office_user):
    content = copy.deepcopy(SAMPLE_DRAFT)
    content["plan"]["region"] = None
    draft = _draft(office_user, content)
    assert draft.region is None

    office_client.post(reverse("plans:draft_publish", args=[draft.pk]), {"version": draft.version})
    html = office_client.get(reverse("plans:draft_review", args=[draft.pk])).content.decode()
    assert "发布前请先选择方案所属的区" in html and "文件未写明所属区" in html
    assert Plan.objects.count() == 0

    draft.refresh_from_db()
    response = office_client.post(
        reverse("plans:draft_meta", args=[draft.pk]),
        {
            "version": draft.version,
            "region": office_user.region.pk,
            "title": content["plan"]["title"],
            "industry": "生物医药",
            "period_start": 2024,
            "period_end": 2026,
            "status": "征求意见稿",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    review_services.import_draft_publish(import_draft=draft, user=office_user, expected_version=draft.version)
    assert Plan.objects.get().region == office_user.region


def test_a_region_out_of_reach_cannot_be_chosen(office_user):
    other = RegionFactory(name="别区", level=RegionLevel.DISTRICT)
    draft = _draft(office_user)

    with pytest.raises(ValidationError):
        review_services.import_draft_meta_update(
            import_draft=draft, user=office_user, expected_version=draft.version, region=other, meta={}
        )


def test_publishing_a_stored_plan_makes_a_new_version(office_client, office_user):
    first = plan_import(draft=PlanDraft.from_dict(copy.deepcopy(SAMPLE_DRAFT)), user=office_user).plan
    content = copy.deepcopy(SAMPLE_DRAFT)
    content["targets"][0]["value"] = 550
    draft = _draft(office_user, content)

    html = office_client.get(reverse("plans:draft_review", args=[draft.pk])).content.decode()
    assert "第 2 版" in html

    result = review_services.import_draft_publish(
        import_draft=draft, user=office_user, expected_version=draft.version
    )

    assert result.created and result.plan.version == 2 and result.previous == first
    first.refresh_from_db()
    assert not first.is_current


def test_a_discarded_draft_cannot_be_published(office_client, office_user):
    draft = _draft(office_user)
    office_client.post(reverse("plans:draft_discard", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == ImportDraftState.DISCARDED

    office_client.post(reverse("plans:draft_publish", args=[draft.pk]), {"version": draft.version})

    assert Plan.objects.count() == 0
    draft.refresh_from_db()
    assert draft.state == ImportDraftState.DISCARDED


# ---------------------------------------------------------------------------------- who sees it
def test_drafts_are_the_offices_own(client, office_user):
    draft = _draft(office_user)
    other_office = UserFactory(role=Role.OFFICE_ADMIN, region=RegionFactory(name="别区"))
    leader = UserFactory(role=Role.LEADER, region=office_user.region)

    for user in (other_office, leader):
        client.force_login(user)
        assert client.get(reverse("plans:draft_review", args=[draft.pk])).status_code == 404
        assert client.post(reverse("plans:draft_publish", args=[draft.pk]), {"version": 1}).status_code == 404
        with pytest.raises(PermissionDenied):
            review_services.import_draft_publish(import_draft=draft, user=user, expected_version=None)
    assert Plan.objects.count() == 0


def test_draft_list_resumes_pending_drafts(office_client, office_user):
    pending = _draft(office_user)
    gone = _draft(office_user)
    review_services.import_draft_discard(import_draft=gone, user=office_user, expected_version=gone.version)

    html = office_client.get(reverse("plans:draft_list")).content.decode()
    assert reverse("plans:draft_review", args=[pending.pk]) in html
    assert reverse("plans:draft_review", args=[gone.pk]) not in html
    html = office_client.get(reverse("plans:draft_list"), {"state": "discarded"}).content.decode()
    assert reverse("plans:draft_review", args=[gone.pk]) in html


def test_the_review_page_in_english(office_client, office_user):
    draft = _draft(office_user)
    with translation.override("en"):
        office_client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = office_client.get(reverse("plans:draft_review", args=[draft.pk])).content.decode()
    assert "Publish" in html and "Plan details" in html and "发布" not in html


def test_a_document_of_another_district_waits_for_a_district_of_ones_own(office_user):
    RegionFactory(name="别区", level=RegionLevel.DISTRICT)
    content = copy.deepcopy(SAMPLE_DRAFT)
    content["plan"]["region"] = "别区"

    draft = _draft(office_user, content)

    assert draft.region is None
    page = review_selectors.import_draft_page(import_draft=draft)
    assert page.meta[0].flags == ["文件写明的地区为 别区，不在您的管辖范围内，请选择所属区"]
    with pytest.raises(ValidationError, match="发布前请先选择方案所属的区"):
        review_services.import_draft_publish(
            import_draft=draft, user=office_user, expected_version=draft.version
        )
    assert Plan.objects.count() == 0
