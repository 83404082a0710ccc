from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bioplan.plans.models import Plan
from bioplan.projects.demo import registries_demo_load


class Command(BaseCommand):
    help = "Load the simulated registries (模拟数据: enterprises, parks, projects) of every demo district and bind the plans' count targets to derived rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="delete the simulated registry rows first")
        parser.add_argument("--plan", type=int, nargs="+", metavar="ID", help="only these plans' districts")
        parser.add_argument(
            "--per-district", type=int, default=300, help="enterprises per district (default 300)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plans = list(Plan.objects.filter(pk__in=options["plan"])) if options["plan"] else None
        for r in registries_demo_load(
            reset=options["reset"], per_district=options["per_district"], plans=plans
        ):
            self.stdout.write(
                f"{r.district}: {r.enterprises} enterprises, {r.projects} projects, {r.parks} parks, "
                f"{len(r.bound)} targets bound to derived rules"
            )
            for code in r.bound:
                self.stdout.write(f"  {code}")
