"""manage.py report_quarterly PLAN_ID --quarter 2024Q2 --docx FILE: write the quarterly report."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.plans.models import Plan
from bioplan.reports.quarterly_docx import write_quarterly_docx
from bioplan.reports.selectors import quarterly_report
from bioplan.tracking.evaluation import parse_period


class Command(BaseCommand):
    help = "Write the quarterly report (季度通报) of a stored plan as .docx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="plan id")
        parser.add_argument("--quarter", required=True, help="such as 2024Q2")
        parser.add_argument("--docx", required=True, help="output path")

    def handle(self, *args: Any, **options: Any) -> None:
        ref = str(options["plan"])
        plan = Plan.objects.select_related("region").filter(pk=int(ref)).first() if ref.isdigit() else None
        if plan is None:
            raise CommandError(f"no plan with id {ref}", returncode=2)
        try:
            year, quarter = parse_period(options["quarter"])
        except ValueError:
            year, quarter = 0, 0
        if not 1 <= quarter <= 4:
            raise CommandError(
                f"--quarter: {options['quarter']!r} is not a quarter such as 2024Q2", returncode=2
            )
        path = write_quarterly_docx(quarterly_report(plan=plan, year=year, quarter=quarter), options["docx"])
        self.stdout.write(f"wrote {path}")
