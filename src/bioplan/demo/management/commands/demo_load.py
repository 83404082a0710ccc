from __future__ import annotations

from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser

from bioplan.demo.services import DEMO_USERS, demo_load, demo_plans


class Command(BaseCommand):
    help = "Load the demo plans and users (idempotent), then the simulated tracking data when available."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="delete every stored plan first")
        parser.add_argument(
            "--per-district", type=int, default=300, help="simulated enterprises per district (default 300)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results = demo_load(reset=options["reset"])
        for r in results:
            state = "imported" if r.created else "already loaded"
            self.stdout.write(f"{state}: {r.plan.region.name} {r.plan.title} v{r.plan.version}")
        # Simulated data of the other apps, each clearly marked as simulated on its pages.
        # Only for the plans the demo stored itself: a plan the office imported gets no simulated rows.
        available = get_commands()
        plan_ids = [str(p.pk) for p in demo_plans()]
        for command in ("registries_demo", "tracking_demo"):
            if command in available and plan_ids:
                extra = (
                    ["--per-district", str(options["per_district"])] if command == "registries_demo" else []
                )
                call_command(command, "--plan", *plan_ids, *extra, stdout=self.stdout)
        self.stdout.write(f"demo users (password for all: {DEMO_USERS[0].password}):")
        for u in DEMO_USERS:
            self.stdout.write(f"  {u.username:<11} {u.label}")
