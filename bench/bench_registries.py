"""Benchmark: the registries (enterprises, projects, parks) at district scale.

Builds 50,000 enterprises in one district with 5 years of figures (250,000 rows), honours, a
cultivation pool, 2,000 key projects with their stages and 2,000 floor spaces, then measures:

* list pages with filters — server time of in-process requests (Django test client), p50/p95 over
  --repeat requests; target ≤ 200 ms p95;
* importing a 50,000-row 企业名录 sheet (.xlsx) into an empty district: read + validate + save in one
  transaction with history; target ≤ 30 s; rows per second;
* on PostgreSQL, COPY of the same 50,000 rows into the same table (psycopg `cursor.copy`), the floor
  any importer can reach.

Usage (from the repository root):
    .venv/bin/python bench/bench_registries.py                        # SQLite file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bioplan_bench_registries .venv/bin/python bench/bench_registries.py
Options: --enterprises N (50000), --import-rows N (50000), --repeat N (20), --keep (reuse the data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench_support import reset_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bioplan.settings_test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_registries.sqlite3'}")

SEGMENTS = [
    "chemical_drug",
    "biologic",
    "tcm",
    "device",
    "ivd",
    "equipment",
    "cxo",
    "distribution",
    "healthcare",
]
HONOURS = [
    ("high_tech", 0.25),
    ("specialized", 0.1),
    ("tech_giant", 0.03),
    ("gazelle", 0.03),
    ("listed", 0.01),
    ("rd_institute", 0.05),
]
PARKS = 20


def credit_code(serial: int, region: str) -> str:
    from bioplan.enterprises.creditcode import ALPHABET, credit_code_check_char

    org = ""
    for _ in range(9):
        serial, r = divmod(serial, 31)
        org = ALPHABET[r] + org
    first17 = "91" + region + org
    return first17 + credit_code_check_char(first17)


def build(rng: random.Random, enterprises: int) -> None:
    from django.db import transaction

    from bioplan.core.choices import RegionLevel, Role
    from bioplan.core.models import Department, Region, User
    from bioplan.enterprises.models import CultivationEntry, Enterprise, EnterpriseFigure, Honour
    from bioplan.parks.models import Building, FloorSpace, Park
    from bioplan.projects.choices import STAGE_ORDER
    from bioplan.projects.models import Project, ProjectMilestone

    with transaction.atomic():
        city = Region.objects.create(name="上海市", level=RegionLevel.CITY)
        district = Region.objects.create(name="青浦区", level=RegionLevel.DISTRICT, parent=city)
        Region.objects.create(name="闵行区", level=RegionLevel.DISTRICT, parent=city)
        departments = Department.objects.bulk_create(
            Department(name=f"区部门{i}", region=district) for i in range(12)
        )
        User.objects.create(username="office", role=Role.OFFICE_ADMIN, region=district)
        User.objects.create(
            username="office2", role=Role.OFFICE_ADMIN, region=Region.objects.get(name="闵行区")
        )
        regions = [
            Region.objects.create(name=f"园区{i:02d}", level=RegionLevel.PARK, parent=district)
            for i in range(PARKS)
        ]
        parks = [Park.objects.create(region=r, district=district, name=r.name) for r in regions]
        rows = [
            Enterprise(
                name=f"上海测试{i:05d}生物医药有限公司",
                credit_code=credit_code(i, "310118"),
                district=district,
                park=rng.choice(regions) if rng.random() < 0.8 else None,
                segment=rng.choice(SEGMENTS),
                is_above_scale=rng.random() < 0.3,
                founded_on=dt.date(rng.randint(1995, 2022), 1, 1),
            )
            for i in range(enterprises)
        ]
        Enterprise.objects.bulk_create(rows, batch_size=5000)
        ids = list(Enterprise.objects.filter(district=district).values_list("pk", flat=True))
        figures = []
        for pk in ids:
            base = rng.lognormvariate(8, 1.2)
            for year in range(2019, 2024):
                revenue = Decimal(round(base * (1.1 ** (year - 2019)), 2))
                figures.append(
                    EnterpriseFigure(
                        enterprise_id=pk,
                        year=year,
                        revenue=revenue,
                        industrial_output=revenue,
                        rd_expense=round(revenue / 20, 2),
                        tax=round(revenue / 20, 2),
                        employees=50,
                        source="statistics",
                    )
                )
            if len(figures) >= 20000:
                EnterpriseFigure.objects.bulk_create(figures, batch_size=5000)
                figures = []
        EnterpriseFigure.objects.bulk_create(figures, batch_size=5000)
        honours = [
            Honour(
                enterprise_id=pk,
                kind=kind,
                valid_from=dt.date(rng.randint(2018, 2023), 3, 1),
                board="star" if kind == "listed" else "",
            )
            for pk in ids
            for kind, rate in HONOURS
            if rng.random() < rate
        ]
        Honour.objects.bulk_create(honours, batch_size=5000)
        CultivationEntry.objects.bulk_create(
            (
                CultivationEntry(
                    enterprise_id=pk,
                    tier=rng.choice(["potential", "specialized", "little_giant"]),
                    entered_on=dt.date(2023, 1, 1),
                )
                for pk in rng.sample(ids, min(5000, len(ids)))
            ),
            batch_size=5000,
        )
        today = dt.date.today()
        projects = Project.objects.bulk_create(
            Project(
                name=f"重点项目{i:04d}",
                investor_name="投资方",
                district=district,
                park=rng.choice(regions),
                project_type="new",
                total_investment=Decimal(rng.randint(1, 50)),
                responsible_department=rng.choice(departments),
                stage=rng.choice(["", *STAGE_ORDER[:-1]]),
                next_stage="signed",
                next_planned_on=today + dt.timedelta(days=rng.randint(-400, 400)),
            )
            for i in range(2000)
        )
        ProjectMilestone.objects.bulk_create(
            (
                ProjectMilestone(project=p, stage=s, planned_on=today + dt.timedelta(days=30 * k))
                for p in projects
                for k, s in enumerate(STAGE_ORDER)
            ),
            batch_size=5000,
        )
        buildings = Building.objects.bulk_create(
            Building(park=p, name=f"{n}号楼") for p in parks for n in range(10)
        )
        FloorSpace.objects.bulk_create(
            (
                FloorSpace(
                    building=b,
                    floor=f"{f}F",
                    space_type="gmp_plant",
                    area_m2=Decimal(1000),
                    facilities=rng.sample(["p2_lab", "discharge", "hazmat_store"], 1),
                )
                for b in buildings
                for f in range(10)
            ),
            batch_size=5000,
        )


def timed(fn, repeat: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95, max(samples)


def import_sheet(rows: int) -> bytes:
    """A 企业名录 sheet of `rows` new enterprises (the layout the export writes)."""
    import xlsxwriter

    from bioplan.enterprises.sheets import ENTERPRISE_COLUMNS

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("企业名录")
    for c, column in enumerate(ENTERPRISE_COLUMNS):
        sheet.write_string(0, c, column.header)
    labels = ["化学药", "生物药", "中药", "医疗器械", "体外诊断", "CXO"]
    for r in range(1, rows + 1):
        sheet.write_row(
            r,
            0,
            [
                credit_code(900_000 + r, "310112"),
                f"闵行导入{r:05d}医药有限公司",
                "",
                f"闵行区{r}号",
                labels[r % 6],
                "",
                "是" if r % 3 == 0 else "否",
                f"20{10 + r % 12}-0{1 + r % 9}-15",
            ],
        )
    book.close()
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bioplan.core.models import Region, User
    from bioplan.enterprises.models import Enterprise
    from bioplan.sheets import import_file, read_sheet, sheet_spec

    settings.ALLOWED_HOSTS = ["testserver"]
    engine = connection.vendor
    if not (
        args.keep
        and "enterprises_enterprise" in connection.introspection.table_names()
        and Enterprise.objects.filter(district__name="青浦区").exists()
    ):
        reset_database(engine)
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        build(random.Random(11), args.enterprises)
        print(
            f"built {args.enterprises} enterprises with 5 years of figures in {time.perf_counter() - t0:.1f} s"
        )
    call_command("migrate", verbosity=0)  # no-op unless --keep met an older schema
    minhang = Region.objects.get(name="闵行区")
    Enterprise.objects.filter(district=minhang).delete()

    client = Client()
    client.force_login(User.objects.get(username="office"))
    park = Region.objects.filter(name="园区03").first()
    dep = User.objects.get(username="office").region.departments.first()
    pages = [
        ("enterprises, no filter", "/enterprises/"),
        ("enterprises, page 500", "/enterprises/?page=500"),
        ("enterprises, segment", "/enterprises/?segment=biologic"),
        ("enterprises, honour held today", "/enterprises/?honour=high_tech"),
        ("enterprises, park + 规上 + segment", f"/enterprises/?park={park.pk}&above_scale=1&segment=device"),
        ("enterprises, tier", "/enterprises/?tier=little_giant"),
        ("enterprises, name search", "/enterprises/?q=测试1234"),
        ("cultivation pool, one tier (first 100 rows)", "/enterprises/pool/?tier=specialized"),
        ("projects, no filter", "/projects/"),
        (
            "projects, stage + park + department",
            f"/projects/?stage=signed&park={park.pk}&department={dep.pk}",
        ),
        ("projects, warning severe", "/projects/?warning=severe"),
        ("floor space, condition filter", "/registry/parks/spaces/?facility=p2_lab"),
        ("parks with occupancy", "/registry/parks/"),
    ]
    results = []
    for label, path in pages:
        assert client.get(path).status_code == 200, path  # warm up
        results.append((label, *timed(lambda p=path: client.get(p), args.repeat)))

    content = import_sheet(args.import_rows)
    user = User.objects.get(username="office2")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "企业名录.xlsx"
        path.write_bytes(content)
        t0 = time.perf_counter()
        read_sheet(path, "企业名录", max_rows=args.import_rows)
        read_seconds = time.perf_counter() - t0
        phases: dict[str, float] = {}
        t0 = time.perf_counter()
        outcome = import_file(
            sheet_spec("enterprises"),
            path,
            region=minhang,
            user=user,
            progress=lambda d, t, ph: phases.setdefault(ph, time.perf_counter() - t0),
        )
        import_seconds = time.perf_counter() - t0
    assert outcome.ok and outcome.created == args.import_rows, outcome.problems[:5]

    copy_seconds = None
    if engine == "postgresql":
        copy_seconds = _copy(minhang.pk, args.import_rows)

    print(f"\nengine: {engine}; {args.enterprises} enterprises, {args.repeat} requests per page\n")
    print("| page | p50 (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|")
    for label, p50, p95, worst in results:
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {worst:.0f} |")
    n = args.import_rows
    print("\n| import of a 企业名录 sheet | rows | time (s) | rows/s |\n|---|---|---|---|")
    print(f"| read .xlsx only (calamine) | {n} | {read_seconds:.1f} | {n / read_seconds:,.0f} |")
    print(
        f"| read + validate + save with history, one transaction | {n} | {import_seconds:.1f} | {n / import_seconds:,.0f} |"
    )
    print(
        f"|  of which: reading and cell parsing until the first progress report | | {phases.get('parse', 0):.1f} | |"
    )
    print(
        f"|  of which: until checks start / until saving starts | | {phases.get('check', 0):.1f} / {phases.get('save', 0):.1f} | |"
    )
    if copy_seconds is not None:
        print(
            f"| PostgreSQL COPY of the same rows (no validation, no history) | {n} | {copy_seconds:.2f} | {n / copy_seconds:,.0f} |"
        )
    return 0


def _copy(district_id: int, rows: int) -> float:
    """COPY the same rows (credit codes of another range) into enterprises_enterprise; seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    labels = ["chemical_drug", "biologic", "tcm", "device", "ivd", "cxo"]
    with transaction.atomic(), connection.cursor() as cursor:
        t0 = time.perf_counter()
        with cursor.cursor.copy(
            "COPY enterprises_enterprise (name, credit_code, district_id, address, segment, other_segments, "
            "is_above_scale, founded_on, simulated, created_at, updated_at, version) FROM STDIN"
        ) as copy:
            for r in range(1, rows + 1):
                copy.write_row(
                    (
                        f"闵行COPY{r:05d}医药有限公司",
                        credit_code(2_000_000 + r, "310112"),
                        district_id,
                        f"闵行区{r}号",
                        labels[r % 6],
                        "[]",
                        r % 3 == 0,
                        dt.date(2010 + r % 12, 1 + r % 9, 15),
                        False,
                        now,
                        now,
                        0,
                    )
                )
        seconds = time.perf_counter() - t0
        transaction.set_rollback(True)
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
