from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bioplan.plans.models import Plan


class Command(BaseCommand):
    help = "List stored plans: id, region, period, status, version, counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all-versions", action="store_true", dest="all_versions")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = (
            Plan.objects.select_related("region").with_counts().order_by("region__name", "title", "version")
        )
        if not options["all_versions"]:
            plans = plans.current()
        for p in plans:
            self.stdout.write(
                f"#{p.pk}\t{p.region.name}\t{p.period_label or '-'}\t{p.status or '-'}\tv{p.version}"
                f"{'' if p.is_current else ' (superseded)'}\t{getattr(p, 'target_count', 0)} targets\t{getattr(p, 'task_count', 0)} tasks\t{p.title}"
            )
