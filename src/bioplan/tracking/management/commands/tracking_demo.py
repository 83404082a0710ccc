"""manage.py tracking_demo: simulated figures (2020–2024) and progress reports for the demo (模拟数据)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bioplan.plans.models import Plan
from bioplan.tracking.demo import demo_populate


class Command(BaseCommand):
    help = "Create simulated figures and quarterly reports for every current plan (flagged 模拟数据; fixed seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--plan", type=int, nargs="+", metavar="ID", help="only these plans (default: every current plan)"
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete every simulated figure and cycle first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plans = (
            list(Plan.objects.filter(pk__in=options["plan"]).select_related("region").order_by("pk"))
            if options["plan"]
            else None
        )
        counts = demo_populate(plans=plans, reset=options["reset"])
        self.stdout.write(
            "tracking demo (模拟数据): {observations} figures, {conflicts} source conflict(s), "
            "{cycles} reporting cycles, {reports} reports".format(**counts)
        )
