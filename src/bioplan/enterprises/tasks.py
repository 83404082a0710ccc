"""Background jobs of the registries (huey): spreadsheet imports, queued in transaction.on_commit."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def import_job_task(job_id: int) -> str:
    """Run the import job `job_id`; returns its final state."""
    from bioplan.enterprises.models import ImportJob
    from bioplan.enterprises.services import import_job_execute

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return import_job_execute(job=job).state
