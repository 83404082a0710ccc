"""manage.py tracking_status PLAN_ID [--as-of 2024Q2]: each target's actual, expected, status, forecast."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bioplan.tracking.consistency import fmt
from bioplan.tracking.evaluation import parse_period
from bioplan.tracking.management.commands.tracking_check import _plan
from bioplan.tracking.progress import STATUS_LABELS
from bioplan.tracking.selectors import actual_of, target_statuses


class Command(BaseCommand):
    help = "Print each target of a stored plan with its actual, expected (序时进度), status and forecast."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="plan id")
        parser.add_argument("--as-of", dest="as_of", default="", help="period such as 2024Q2 or 2023")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = _plan(options["plan"])
        try:
            as_of = parse_period(options["as_of"]) if options["as_of"] else None
        except ValueError as exc:
            raise CommandError(
                f"--as-of: {options['as_of']!r} is not a period such as 2024Q2", returncode=2
            ) from exc
        self.stdout.write(f"# {plan}")
        for ts in target_statuses(plans=[plan], as_of=as_of):
            t, ev = ts.target, ts.evaluation
            pct = "%" if t.kind == "growth_rate" else ""
            parts = [
                f"{t.code}",
                f"{t.scope + ' ' if t.scope and t.scope != plan.region.name else ''}{t.metric}",
                f"目标 {fmt(t.value)}{t.unit}（{t.year or '—'}）",
                f"实际 {fmt(ev.actual)}{pct if ev.actual is not None else ''}"
                + (f"（{ev.as_of_label}）" if ev.as_of else ""),
                f"序时 {fmt(ev.expected)}{pct}",
                f"状态 {STATUS_LABELS.get(ev.status, ev.status) if ts.bound else '未关联指标'}",
                f"来源 {actual_of(ts).source or '—'}",
            ]
            if ts.simulated:
                parts.append("[模拟数据]")
            line = " | ".join(parts)
            if ev.forecast is not None:
                line += f" | {ev.forecast.sentence}"
            self.stdout.write(line)
