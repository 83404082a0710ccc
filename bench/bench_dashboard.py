"""Benchmark: the leaders' dashboard and the quarterly .docx.

Builds a database of 16 districts, each with one plan (30 targets bound to indicators, 60 tasks with
lead and co-operating departments), yearly and quarterly figures for 2020–2024 (a second source for
some), three quarters of progress reports, then times in-process requests (Django test client, so
server time without network):

* the city-wide dashboard (all 16 plans), one district's dashboard, one plan's dashboard — p50/p95
  over --repeat requests; target ≤ 150 ms p95;
* the quarterly report .docx of a plan with 100 tasks; target ≤ 2 s.

Usage (from the repository root):
    .venv/bin/python bench/bench_dashboard.py                     # SQLite file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bioplan_bench .venv/bin/python bench/bench_dashboard.py
Options: --repeat N (default 30), --keep (reuse an existing bench database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench_support import migrated, reset_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bioplan.settings_test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_dashboard.sqlite3'}")

DISTRICTS = 16
TARGETS = 30
TASKS = 60
DEPARTMENTS = 12


def build(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from bioplan.core.choices import RegionLevel, Role
    from bioplan.core.models import Department, Region
    from bioplan.plans.models import Assignment, Plan, Target, Task
    from bioplan.tracking.models import (
        Indicator,
        Observation,
        ProgressReport,
        ReportingCycle,
        TargetBinding,
    )

    User = get_user_model()
    with transaction.atomic():
        city = Region.objects.create(name="上海市", level=RegionLevel.CITY)
        indicators = [
            Indicator.objects.create(
                name=f"指标{i}", unit="亿元" if i % 3 else "家", aggregation="sum" if i % 3 else "last"
            )
            for i in range(TARGETS)
        ]
        for d in range(DISTRICTS):
            region = Region.objects.create(name=f"第{d + 1}区", level=RegionLevel.DISTRICT, parent=city)
            plan = Plan.objects.create(
                region=region,
                industry="生物医药",
                title=f"第{d + 1}区生物医药行动方案",
                period_start=2022,
                period_end=2024,
                status="印发",
                lineage=f"bench|{d}",
            )
            deps = Department.objects.bulk_create(
                Department(name=f"区部门{k}", region=region) for k in range(DEPARTMENTS)
            )
            targets = Target.objects.bulk_create(
                Target(
                    plan=plan,
                    code=f"T{i:02d}",
                    position=i,
                    metric=ind.name,
                    kind="level" if i % 5 else "increment",
                    value=Decimal(rng.randint(50, 500)),
                    unit=ind.unit,
                    comparator=">=",
                    year=2024,
                    level=("floor", "stretch", "")[i % 3],
                    scope=region.name,
                    baseline_value=Decimal(rng.randint(30, 45)) if i % 5 else None,
                    baseline_year=2021,
                )
                for i, ind in enumerate(indicators)
            )
            TargetBinding.objects.bulk_create(
                TargetBinding(target=t, indicator=ind, region=region)
                for t, ind in zip(targets, indicators, strict=True)
            )
            observations = []
            for ind in indicators:
                for year in range(2020, 2025):
                    base = Decimal(rng.uniform(30, 60)) * (Decimal("1.08") ** (year - 2020))
                    observations.append(
                        Observation(
                            indicator=ind, region=region, year=year, value=round(base, 2), source="stat_flash"
                        )
                    )
                    if rng.random() < 0.1:
                        observations.append(
                            Observation(
                                indicator=ind,
                                region=region,
                                year=year,
                                value=round(base * Decimal("0.8"), 2),
                                source="estimate",
                            )
                        )
                    for q in range(1, 5):
                        observations.append(
                            Observation(
                                indicator=ind,
                                region=region,
                                year=year,
                                quarter=q,
                                value=round(base / 4, 2),
                                source="stat_flash",
                            )
                        )
            Observation.objects.bulk_create(observations, batch_size=2000)
            tasks = Task.objects.bulk_create(
                Task(plan=plan, number=str(n + 1), position=n, title=f"重点任务{n + 1}") for n in range(TASKS)
            )
            Assignment.objects.bulk_create(
                a
                for n, task in enumerate(tasks)
                for a in (
                    Assignment(
                        task=task,
                        department=deps[n % DEPARTMENTS],
                        role="lead",
                        position=0,
                        name_as_written=deps[n % DEPARTMENTS].name,
                    ),
                    Assignment(
                        task=task,
                        department=deps[(n + 1) % DEPARTMENTS],
                        role="co",
                        position=1,
                        name_as_written=deps[(n + 1) % DEPARTMENTS].name,
                    ),
                )
            )
            for q in (1, 2, 3):
                cycle = ReportingCycle.objects.create(
                    region=region,
                    year=2024,
                    quarter=q,
                    deadline=dt.date(2024, q * 3, 28) + dt.timedelta(days=12),
                )
                ProgressReport.objects.bulk_create(
                    ProgressReport(
                        cycle=cycle,
                        task=task,
                        department=deps[n % DEPARTMENTS],
                        state="accepted",
                        progress="in_progress",
                        percent_done=20 * q,
                        done_text="推进",
                        problems="需协调" if n % 9 == 0 else "",
                        submitted_at=dt.datetime(2024, q * 3, 28, tzinfo=dt.UTC),
                    )
                    for n, task in enumerate(tasks)
                    if not (q == 3 and n % 7 == 0)
                )
            User.objects.create(username=f"leader{d}", role=Role.LEADER, region=region)
        User.objects.create(username="cityleader", role=Role.LEADER)
        # A plan of 100 tasks for the .docx timing.
        region = Region.objects.get(name="第1区")
        big = Plan.objects.create(
            region=region,
            industry="生物医药",
            title="百项任务方案",
            period_start=2022,
            period_end=2024,
            status="印发",
            lineage="bench|big",
            is_current=False,
        )
        dep = Department.objects.filter(region=region).first()
        tasks = Task.objects.bulk_create(
            Task(plan=big, number=str(n + 1), position=n, title=f"任务{n + 1}") for n in range(100)
        )
        Assignment.objects.bulk_create(
            Assignment(task=t, department=dep, role="lead", name_as_written=dep.name) for t in tasks
        )
        Target.objects.bulk_create(
            Target(
                plan=big,
                code=f"T{i:02d}",
                position=i,
                metric=f"指标{i}",
                kind="level",
                value=Decimal(100),
                unit="亿元",
                comparator=">=",
                year=2024,
            )
            for i in range(30)
        )


def timed(fn, repeat: int, before=None) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """p50, p95 and worst of `fn` in ms; `before` runs untimed ahead of each call."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95, max(samples)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the bench database if it is already built")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bioplan.core.models import User
    from bioplan.plans.models import Plan

    settings.ALLOWED_HOSTS = ["testserver"]
    engine = connection.vendor
    built = False
    reuse = args.keep and migrated() and Plan.objects.filter(lineage="bench|big").exists()
    if not reuse:
        reset_database(engine)
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        build(random.Random(7))
        built = True
        print(f"built bench data in {time.perf_counter() - t0:.1f} s")

    client = Client()
    results = []
    city = User.objects.get(username="cityleader")
    leader = User.objects.get(username="leader0")
    plan = Plan.objects.get(lineage="bench|0")
    url = reverse("tracking:dashboard")

    from bioplan.tracking.models import Observation
    from bioplan.tracking.services import observation_record

    figure = Observation.objects.filter(region__plans=plan, quarter=0, is_latest=True).first()
    assert figure is not None
    step = iter(range(1, 10**6))

    def write_one_figure() -> None:
        """A correction of one yearly figure of district 1 (the timed request is the next page view)."""
        observation_record(
            indicator=figure.indicator,
            region=figure.region,
            year=figure.year,
            value=figure.value + next(step),
            source=figure.source,
        )

    client.force_login(city)
    client.get(url)  # warm up templates and connections
    import bioplan.wsgi  # noqa: F401  the served process: start-up objects frozen out of the GC (wsgi.py)

    for label, user, path in (
        ("dashboard, 16 districts' plans", city, url),
        ("dashboard, one district", leader, url),
        ("dashboard, one plan", leader, f"{url}?plan={plan.pk}"),
    ):
        client.force_login(user)
        assert client.get(path).status_code == 200, path
        p50, p95, worst = timed(lambda p=path: client.get(p), args.repeat)
        results.append((label, p50, p95, worst))
        after_write = timed(lambda p=path: client.get(p), max(3, args.repeat // 3), before=write_one_figure)
        results.append(("  same, after a figure of one district is corrected", *after_write))
        cold = timed(lambda p=path: client.get(p), max(3, args.repeat // 3), before=cache.clear)
        results.append(("  same, cache cleared each time", *cold))

    from bioplan.reports.quarterly_docx import build_quarterly_docx
    from bioplan.reports.selectors import quarterly_report

    big = Plan.objects.get(lineage="bench|big")
    p50, p95, worst = timed(
        lambda: build_quarterly_docx(quarterly_report(plan=big, year=2024, quarter=2)),
        max(3, args.repeat // 5),
    )
    results.append(("quarterly .docx, 100 tasks", p50, p95, worst))

    print(f"database: {engine}{' (freshly built)' if built else ''}; {args.repeat} requests each")
    print("| case | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    for label, a, b, c in results:
        print(f"| {label.strip()} | {a:.1f} | {b:.1f} | {c:.1f} |")
    ok = (
        all(p95 <= 150 for label, _, p95, _ in results if label.startswith("dashboard") or "after a" in label)
        and results[-1][2] <= 2000
    )
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
