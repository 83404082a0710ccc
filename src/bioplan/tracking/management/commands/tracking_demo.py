"""manage.py tracking_demo: simulated figures (2020–2024) and progress reports for the demo (模拟数据)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bioplan.tracking.demo import demo_populate


class Command(BaseCommand):
    help = "Create simulated figures and quarterly reports for every current plan (flagged 模拟数据; fixed seed)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo_populate()
        self.stdout.write(
            "tracking demo (模拟数据): {observations} figures, {conflicts} source conflict(s), "
            "{cycles} reporting cycles, {reports} reports".format(**counts)
        )
