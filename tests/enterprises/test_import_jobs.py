"""Import jobs (#12.5): a heartbeat and a timeout — a job whose worker died is marked failed with a
Chinese message, its page stops polling, it can be re-run, and a reaped job never saves."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.enterprises.factories import make_credit_code
from tests.enterprises.sheet_helpers import append_row, export_book

from bioplan.enterprises import services
from bioplan.enterprises.models import Enterprise, ImportJob


def _job(world: Any, state: str = "queued", **fields: Any) -> ImportJob:
    book = export_book("enterprises", world.office, world.other_district)
    append_row(book, {"统一社会信用代码": make_credit_code(), "企业名称": "心跳药业", "主营领域": "中药"})
    buffer = io.BytesIO()
    book.save(buffer)
    job = ImportJob(
        sheet_kind="enterprises", file_name="e.xlsx", region=world.district, created_by=world.office
    )
    job.file.save("e.xlsx", SimpleUploadedFile("e.xlsx", buffer.getvalue()), save=True)
    ImportJob.objects.filter(pk=job.pk).update(state=state, **fields)
    job.refresh_from_db()
    return job


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.BIOPLAN_JOB_STALE_SECONDS = 300
    settings.BIOPLAN_JOB_QUEUE_SECONDS = 1800


def test_a_running_job_without_heartbeat_is_marked_failed_and_its_page_stops_polling(world, media, client):
    old = timezone.now() - dt.timedelta(seconds=301)
    dead = _job(world, "running", heartbeat_at=old)
    alive = _job(world, "running", heartbeat_at=timezone.now() - dt.timedelta(seconds=30))
    client.force_login(world.office)
    html = client.get(f"/enterprises/import/{dead.pk}/", headers={"HX-Request": "true"}).content.decode()
    dead.refresh_from_db()
    assert dead.state == "error" and dead.finished_at is not None
    assert (
        dead.message
        == "导入中断：处理该任务的后台进程已停止（超过5分钟没有响应），未保存任何数据，请重新导入"
    )
    assert "hx-trigger" not in html and dead.message in html and 'id="import-retry"' in html
    alive.refresh_from_db()
    assert alive.state == "running"
    html = client.get(f"/enterprises/import/{alive.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'id="import-retry"' not in html


def test_a_job_no_worker_took_is_marked_failed(world, media):
    waited = _job(world, "queued")
    fresh = _job(world, "queued")
    ImportJob.objects.filter(pk=waited.pk).update(created_at=timezone.now() - dt.timedelta(seconds=1801))
    assert services.import_jobs_reap() == 1
    waited.refresh_from_db()
    fresh.refresh_from_db()
    assert (waited.state, fresh.state) == ("error", "queued")
    assert waited.message.startswith("排队过久仍未开始")


def test_a_failed_job_runs_again_and_saves_its_rows(world, media, client):
    job = _job(world, "running", heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    services.import_jobs_reap()
    client.force_login(world.office)
    response = client.post(f"/enterprises/import/{job.pk}/retry/")  # queued after commit: not in a test
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "queued" and job.message == "" and job.problems == []
    job = services.import_job_execute(job=job)
    assert (job.state, job.created_count, job.attempts) == ("done", 1, 1)
    assert Enterprise.objects.filter(name="心跳药业").count() == 1


def test_only_an_interrupted_job_runs_again(world, media):
    from django.core.exceptions import ValidationError

    job = _job(world, "done")
    with pytest.raises(ValidationError):
        services.import_job_retry(job=job, user=world.office)


def test_a_job_reaped_while_its_worker_still_checks_saves_nothing(world, media):
    job = _job(world, "queued")

    def reaped_meanwhile(done: int, total: int, phase: str) -> None:
        if phase == "check":  # the reaper (another process) gives up on the job
            ImportJob.objects.filter(pk=job.pk).update(state="error", message="导入中断")

    job = services.import_job_execute(job=job, progress=reaped_meanwhile)
    assert (job.state, job.message) == ("error", "导入中断")
    assert not Enterprise.objects.filter(name="心跳药业").exists()


def test_a_job_already_taken_is_left_alone(world, media):
    job = _job(world, "running", heartbeat_at=timezone.now())
    job = services.import_job_execute(job=job)
    assert job.state == "running" and job.attempts == 0
    assert not Enterprise.objects.filter(name="心跳药业").exists()


def test_a_sheet_over_the_row_limit_is_refused_with_a_message(world, media, settings):
    settings.BIOPLAN_SHEET_MAX_ROWS = 1
    job = _job(world, "queued")
    book = export_book("enterprises", world.office, world.other_district)
    for name in ("甲", "乙"):
        append_row(book, {"统一社会信用代码": make_credit_code(), "企业名称": name, "主营领域": "中药"})
    buffer = io.BytesIO()
    book.save(buffer)
    job.file.save("two.xlsx", SimpleUploadedFile("two.xlsx", buffer.getvalue()), save=True)
    job = services.import_job_execute(job=job)
    assert job.state == "error"
    assert (
        job.message
        == "工作表“企业名录”有2行数据，超过每次导入的上限1行，请拆分为多个文件分批导入；未保存任何数据"
    )
    assert not Enterprise.objects.filter(name__in=["甲", "乙"]).exists()
