"""manage.py tracking_check PLAN_ID: the consistency findings of a stored plan (exit 1 on a failure)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.plans.models import Plan
from bioplan.tracking.cli import print_findings
from bioplan.tracking.consistency import plan_findings
from bioplan.tracking.selectors import plan_facts


class Command(BaseCommand):
    help = "Print the consistency findings of a stored plan, one line each; exit 1 when any check fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="plan id")
        parser.add_argument("--quiet", action="store_true", help="print failures only")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = _plan(options["plan"])
        failed = print_findings(
            plan_findings(plan_facts(plan=plan)), out=self.stdout, title=str(plan), quiet=options["quiet"]
        )
        if failed:
            raise CommandError("consistency checks failed", returncode=1)


def _plan(ref: str) -> Plan:
    if not str(ref).isdigit():
        raise CommandError(f"{ref!r} is not a plan id (use a .json path for a file)", returncode=2)
    plan = Plan.objects.select_related("region").filter(pk=int(ref)).first()
    if plan is None:
        raise CommandError(f"no plan with id {ref}", returncode=2)
    return plan
