"""Background jobs of the registries (huey): spreadsheet imports, queued in transaction.on_commit, and\nthe minute-by-minute check that marks failed the imports whose worker died."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def import_job_task(job_id: int) -> str:
    """Run the import job `job_id`; returns its final state."""
    from bioplan.enterprises.models import ImportJob
    from bioplan.enterprises.services import import_job_execute

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_job_execute(job=job).state


@db_periodic_task(crontab(minute="*"))
def import_jobs_reap_task() -> int:
    """Mark failed the imports whose worker stopped (no heartbeat) or that no worker took."""
    from bioplan.enterprises.services import import_jobs_reap

    return import_jobs_reap()
