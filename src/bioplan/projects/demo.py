"""A simulated registry per district (模拟数据) for demonstrations: enterprises with honours, figures
and pipelines, the cultivation pool, park supply and demand, key projects; and the binding of the
demo plans' count targets to derived rules. Fixed random seed, so every load gives the same data;
every row carries `simulated=True` and pages show a 模拟数据 badge."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bioplan.core.choices import DepartmentKind, RegionLevel, Role
from bioplan.core.models import Department, Region, User
from bioplan.enterprises import selectors as enterprise_selectors
from bioplan.enterprises import services as enterprise_services
from bioplan.enterprises.choices import HonourKind, ProductPhase, Segment
from bioplan.enterprises.creditcode import ALPHABET, credit_code_check_char
from bioplan.enterprises.cultivation import EnterpriseFacts, qualifying_tier
from bioplan.enterprises.models import (
    CultivationEntry,
    Enterprise,
    EnterpriseFigure,
    Honour,
    Product,
    ProductMilestone,
)
from bioplan.parks import services as park_services
from bioplan.parks.models import Building, FloorSpace, LandParcel, Park, SpaceDemand
from bioplan.plans.models import Plan, Target
from bioplan.projects import services as project_services
from bioplan.projects.choices import STAGE_ORDER
from bioplan.projects.models import Project

SEED = 20210601
REASON = "模拟数据"
# GB/T 2260 codes of the demo districts (used in the simulated credit codes).
DISTRICT_CODES = {
    "青浦区": "310118",
    "浦东新区": "310115",
    "宝山区": "310113",
    "闵行区": "310112",
    "示范区": "310199",
}
WORDS = [
    "华",
    "康",
    "瑞",
    "博",
    "泰",
    "恒",
    "源",
    "科",
    "盛",
    "达",
    "安",
    "德",
    "信",
    "普",
    "医",
    "联",
    "润",
    "和",
    "创",
    "新",
    "睿",
    "宏",
    "海",
    "天",
    "明",
    "嘉",
    "凯",
    "元",
    "景",
    "正",
]
SUFFIXES = {
    Segment.CHEMICAL_DRUG: "药业有限公司",
    Segment.BIOLOGIC: "生物技术有限公司",
    Segment.TCM: "中药饮片有限公司",
    Segment.DEVICE: "医疗器械有限公司",
    Segment.IVD: "诊断技术有限公司",
    Segment.EQUIPMENT: "制药设备有限公司",
    Segment.CXO: "医药研发服务有限公司",
    Segment.DISTRIBUTION: "医药销售有限公司",
    Segment.HEALTHCARE: "医疗管理有限公司",
    Segment.DIGITAL: "智慧医疗科技有限公司",
    Segment.OTHER: "健康科技有限公司",
}
SEGMENT_WEIGHTS = {
    Segment.CHEMICAL_DRUG: 14,
    Segment.BIOLOGIC: 12,
    Segment.TCM: 6,
    Segment.DEVICE: 22,
    Segment.IVD: 10,
    Segment.EQUIPMENT: 6,
    Segment.CXO: 10,
    Segment.DISTRIBUTION: 8,
    Segment.HEALTHCARE: 5,
    Segment.DIGITAL: 5,
    Segment.OTHER: 2,
}
HONOUR_RATES = {
    HonourKind.HIGH_TECH: 0.22,
    HonourKind.SPECIALIZED: 0.10,
    HonourKind.LITTLE_GIANT: 0.02,
    HonourKind.TECH_GIANT: 0.03,
    HonourKind.TECH_GIANT_NURTURE: 0.05,
    HonourKind.GAZELLE: 0.03,
    HonourKind.UNICORN: 0.004,
    HonourKind.QUASI_UNICORN: 0.01,
    HonourKind.TECH_CENTER: 0.06,
    HonourKind.RD_INSTITUTE: 0.06,
    HonourKind.SERVICE_PLATFORM: 0.02,
}


@dataclass
class DemoResult:
    district: str
    enterprises: int = 0
    projects: int = 0
    parks: int = 0
    bound: list[str] = field(default_factory=list)


def demo_credit_code(region_code: str, serial: int) -> str:
    org = ""
    for _ in range(9):
        serial, r = divmod(serial, 31)
        org = ALPHABET[r] + org
    first17 = "91" + region_code + org
    return first17 + credit_code_check_char(first17)


def demo_districts(plans: list[Plan] | None = None) -> list[Region]:
    """Districts of `plans` (default: of every current plan); 上海市/青浦区 when there is none."""
    query = Region.objects.filter(level=RegionLevel.DISTRICT)
    query = query.filter(plans__in=plans) if plans is not None else query.filter(plans__is_current=True)
    districts = list(query.distinct().order_by("name"))
    if districts:
        return districts
    city, _ = Region.objects.get_or_create(name="上海市", parent=None, defaults={"level": RegionLevel.CITY})
    district, _ = Region.objects.get_or_create(
        name="青浦区", parent=city, defaults={"level": RegionLevel.DISTRICT}
    )
    return [district]


def registries_demo_load(
    *,
    reset: bool = False,
    per_district: int = 300,
    today: dt.date | None = None,
    plans: list[Plan] | None = None,
) -> list[DemoResult]:
    """Load the simulated registries of the districts of `plans` (default: of every current plan) and
    bind those plans' count targets; a run again writes nothing (unless `reset`)."""
    today = today or timezone.localdate()
    results = []
    for index, district in enumerate(demo_districts(plans)):
        rng = random.Random(f"{SEED}-{district.name}")
        with transaction.atomic():
            if reset:
                registries_demo_clear(district=district)
            result = DemoResult(district.name)
            parks = _parks(district, rng, today)
            result.parks = len(parks)
            if not Enterprise.objects.filter(district=district, simulated=True).exists():
                code = DISTRICT_CODES.get(district.name, f"31{index:04d}")
                enterprises = _enterprises(district, parks, rng, today, code, per_district)
                _projects(district, parks, enterprises, rng, today)
                _demands(district, parks, enterprises, rng, today)
            result.enterprises = Enterprise.objects.filter(district=district).count()
            result.projects = Project.objects.filter(district=district).count()
            result.bound = derived_rules_bind_demo(district=district, plans=plans)
        results.append(result)
    return results


def registries_demo_clear(*, district: Region) -> None:
    """Delete the simulated rows of a district (registered parks stay; their simulated space goes)."""
    SpaceDemand.objects.filter(district=district, simulated=True).delete()
    Project.objects.filter(district=district, simulated=True).delete()
    Enterprise.objects.filter(district=district, simulated=True).delete()
    FloorSpace.objects.filter(building__park__district=district, simulated=True).delete()
    Building.objects.filter(park__district=district, simulated=True).delete()
    LandParcel.objects.filter(park__district=district, simulated=True).delete()


# ----------------------------------------------------------------------------------------- parks
def _parks(district: Region, rng: random.Random, today: dt.date) -> list[Park]:
    parks = park_services.park_sync_from_plans(district=district)
    if not parks:
        for name in (f"{district.name[:2]}生物医药产业园", f"{district.name[:2]}医疗器械创新园"):
            region, _ = Region.objects.get_or_create(
                name=name, parent=district, defaults={"level": RegionLevel.PARK}
            )
            registered = Park.objects.filter(region=region).first()
            parks.append(registered or park_services.park_register(region=region, simulated=True))
    has_operator = Park.objects.filter(district=district, operator_department__isnull=False).exists()
    for i, park in enumerate(parks):
        if park.map_x is None:
            # A schematic layout: parks on two rings, the first (core) parks inside.
            ring = 18 if i < 3 else 38
            count = min(len(parks), 3) if i < 3 else max(len(parks) - 3, 1)
            k = i if i < 3 else i - 3
            angle = 6.283185 * k / count + (0.5 if i >= 3 else 0)
            import math

            park.map_x = Decimal(str(round(50 + ring * math.cos(angle), 1)))
            park.map_y = Decimal(str(round(50 + ring * math.sin(angle), 1)))
            park.save(update_fields=["map_x", "map_y"])
        if i == 0 and not has_operator:
            operator, _ = Department.objects.get_or_create(
                region=district, name=f"{park.name}运营公司", defaults={"kind": DepartmentKind.PARK_OPERATOR}
            )
            park.operator_department = operator
            park.save(update_fields=["operator_department"])
            # The demo park operator (demo_load's user "park") runs the first park of its district.
            User.objects.filter(role=Role.PARK_OPERATOR, region=district, department__isnull=True).update(
                department=operator
            )
        if not park.parcels.exists() and not park.buildings.exists():
            _supply(park, rng, today)
    return parks


def _supply(park: Park, rng: random.Random, today: dt.date) -> None:
    planned = float(park.planned_land_mu or rng.choice([120, 200, 300, 450]))
    parcels, remaining = [], planned
    for n in range(1, rng.randint(3, 6) + 1):
        area = round(min(remaining, planned * rng.uniform(0.1, 0.35)), 2)
        if area <= 1:
            break
        remaining -= area
        supplied = rng.random() < 0.55
        day = dt.date(rng.randint(2021, today.year), rng.randint(1, 12), rng.randint(1, 28))
        supplied = supplied and day <= today
        parcels.append(
            LandParcel(
                park=park,
                code=f"{park.name[:2]}-{n:02d}",
                name=f"{n}号地块",
                area_mu=Decimal(str(area)),
                land_use=rng.choice(["industrial", "industrial", "research"]),
                status="supplied" if supplied else rng.choice(["available", "reserve"]),
                supplied_on=day if supplied else None,
                supplied_to="模拟受让企业" if supplied else "",
                available_from=None if supplied else day,
                facilities=rng.sample(["discharge", "dual_power", "hazmat_store"], rng.randint(0, 2)),
                simulated=True,
            )
        )
    bulk_create_with_history(parcels, LandParcel, default_change_reason=REASON)
    buildings = [
        Building(park=park, name=f"{n}号楼", floors=rng.randint(3, 8), simulated=True)
        for n in range(1, rng.randint(2, 4) + 1)
    ]
    bulk_create_with_history(buildings, Building, default_change_reason=REASON)
    spaces = []
    for b in buildings:
        kind = rng.choice(["standard_plant", "gmp_plant", "research", "laboratory", "office"])
        for f in range(1, b.floors + 1):
            status = rng.choices(["occupied", "reserved", "vacant"], [6, 1, 3])[0]
            spaces.append(
                FloorSpace(
                    building=b,
                    floor=f"{f}F",
                    space_type=kind,
                    area_m2=Decimal(rng.choice([800, 1200, 1500, 2000, 2500])),
                    available_from=today + dt.timedelta(days=rng.randint(-200, 300))
                    if status == "vacant"
                    else None,
                    rent=Decimal(str(round(rng.uniform(1.5, 4.5), 2))),
                    status=status,
                    tenant_name="模拟入驻企业" if status != "vacant" else "",
                    facilities=rng.sample(
                        [
                            "hazmat_store",
                            "animal_house",
                            "p2_lab",
                            "discharge",
                            "cleanroom",
                            "dual_power",
                            "heavy_lift",
                            "pure_water",
                        ],
                        rng.randint(0, 4),
                    ),
                    simulated=True,
                )
            )
    bulk_create_with_history(spaces, FloorSpace, default_change_reason=REASON)


# ----------------------------------------------------------------------------------- enterprises
def _name(rng: random.Random, segment: str, used: set[str]) -> str:
    while True:
        name = "上海" + "".join(rng.sample(WORDS, 2)) + SUFFIXES[Segment(segment)]
        if name not in used:
            used.add(name)
            return name


def _enterprises(
    district: Region, parks: list[Park], rng: random.Random, today: dt.date, code: str, count: int
) -> list[Enterprise]:
    used = set(Enterprise.objects.values_list("name", flat=True))
    serial_base = 10_000 * (int(code[-3:]) + 1)
    enterprises = []
    for n in range(count):
        segment = rng.choices(list(SEGMENT_WEIGHTS), list(SEGMENT_WEIGHTS.values()))[0]
        park = rng.choice(parks).region if parks and rng.random() < 0.8 else None
        enterprises.append(
            Enterprise(
                name=_name(rng, segment, used),
                credit_code=demo_credit_code(code, serial_base + n),
                district=district,
                park=park,
                segment=segment,
                is_above_scale=rng.random() < 0.3,
                founded_on=dt.date(rng.randint(1998, today.year - 1), rng.randint(1, 12), rng.randint(1, 28)),
                address=f"{district.name}{rng.choice(['华新镇', '重固镇', '徐泾镇', '莘庄镇', '罗店镇', '张江镇'])}{rng.randint(1, 999)}号",
                simulated=True,
            )
        )
    bulk_create_with_history(enterprises, Enterprise, default_change_reason=REASON)
    years = range(max(today.year - 5, 2019), today.year)
    figures, honours, products, milestones = [], [], [], []
    for e in enterprises:
        scale = rng.lognormvariate(8.0, 1.3) * (3 if e.is_above_scale else 1)  # 万元
        growth = rng.uniform(-0.05, 0.25)
        for y in years:
            revenue = Decimal(str(round(scale * (1 + growth) ** (y - years[0]), 2)))
            making = e.segment in (
                Segment.CHEMICAL_DRUG,
                Segment.BIOLOGIC,
                Segment.TCM,
                Segment.DEVICE,
                Segment.IVD,
                Segment.EQUIPMENT,
            )
            figures.append(
                EnterpriseFigure(
                    enterprise=e,
                    year=y,
                    revenue=revenue,
                    industrial_output=(revenue * Decimal(str(round(rng.uniform(0.7, 1.0), 2)))).quantize(
                        Decimal("0.01")
                    )
                    if making
                    else None,
                    rd_expense=(revenue * Decimal(str(round(rng.uniform(0.01, 0.15), 3)))).quantize(
                        Decimal("0.01")
                    ),
                    tax=(revenue * Decimal("0.05")).quantize(Decimal("0.01")),
                    employees=int(20 + float(revenue) / 80),
                    source="statistics",
                    simulated=True,
                )
            )
        for kind, rate in HONOUR_RATES.items():
            if rng.random() < rate * (2 if e.is_above_scale else 1):
                start = dt.date(rng.randint(2018, today.year), rng.randint(1, 12), 1)
                if start > today:
                    continue
                until = dt.date(start.year + 3, start.month, 1) - dt.timedelta(days=1)
                honours.append(
                    Honour(
                        enterprise=e,
                        kind=kind,
                        valid_from=start,
                        valid_until=until,
                        level=rng.choice(["national", "city", "city", "district"]),
                        certificate_no=f"SIM{start.year}{rng.randint(100000, 999999)}",
                        simulated=True,
                    )
                )
                if kind == HonourKind.HIGH_TECH and until < today:  # renewed
                    honours.append(
                        Honour(
                            enterprise=e,
                            kind=kind,
                            valid_from=until + dt.timedelta(days=1),
                            valid_until=dt.date(start.year + 6, start.month, 1) - dt.timedelta(days=1),
                            certificate_no=f"SIM{until.year + 1}{rng.randint(100000, 999999)}",
                            simulated=True,
                        )
                    )
        if rng.random() < (0.06 if e.is_above_scale else 0.01):
            day = dt.date(rng.randint(2015, today.year), rng.randint(1, 12), rng.randint(1, 28))
            if day <= today:
                honours.append(
                    Honour(
                        enterprise=e,
                        kind=HonourKind.LISTED,
                        valid_from=day,
                        simulated=True,
                        board=rng.choice(["star", "star", "chinext", "sse_main", "hkex"]),
                        stock_code=str(rng.randint(600000, 689999)),
                    )
                )
        if (
            e.segment in (Segment.CHEMICAL_DRUG, Segment.BIOLOGIC, Segment.TCM, Segment.DEVICE, Segment.IVD)
            and rng.random() < 0.35
        ):
            for k in range(rng.randint(1, 3)):
                drug = e.segment in (Segment.CHEMICAL_DRUG, Segment.BIOLOGIC, Segment.TCM)
                chain = (
                    ["preclinical", "ind", "phase1", "phase2", "phase3", "nda", "approved"]
                    if drug
                    else rng.choice([["class2"], ["innovative_review", "class3"], ["class3"]])
                )
                reached = chain[: rng.randint(1, len(chain))]
                p = Product(
                    enterprise=e,
                    name=f"{e.name[2:4]}-{k + 1:02d}{'注射液' if drug else '系统'}",
                    kind="drug" if drug else ("ivd" if e.segment == Segment.IVD else "device"),
                    phase=reached[-1],
                    category="1类创新药" if drug else "",
                    simulated=True,
                )
                products.append(p)
                day = dt.date(rng.randint(2016, 2020), rng.randint(1, 12), 1)
                for phase in reached:
                    day = min(day + dt.timedelta(days=rng.randint(150, 500)), today)
                    milestones.append((p, phase, day))
    bulk_create_with_history(figures, EnterpriseFigure, batch_size=2000, default_change_reason=REASON)
    bulk_create_with_history(honours, Honour, batch_size=2000, default_change_reason=REASON)
    bulk_create_with_history(products, Product, batch_size=2000, default_change_reason=REASON)
    bulk_create_with_history(
        [ProductMilestone(product=p, phase=ph, reached_on=d) for p, ph, d in milestones],
        ProductMilestone,
        batch_size=2000,
        default_change_reason=REASON,
    )
    _pool(enterprises, today, rng)
    return enterprises


def _pool(enterprises: list[Enterprise], today: dt.date, rng: random.Random) -> None:
    """Put the enterprises that qualify for a tier (and a few hopefuls) in the cultivation pool."""
    entries = []
    for e in enterprises:
        facts: EnterpriseFacts = enterprise_selectors.enterprise_facts(e, today)
        tier = qualifying_tier(facts)
        if tier is None and rng.random() < 0.05:
            tier = "potential"
        if tier is not None:
            entries.append(
                CultivationEntry(
                    enterprise=e, tier=tier, entered_on=dt.date(today.year - 1, 3, 1), simulated=True
                )
            )
    bulk_create_with_history(entries, CultivationEntry, default_change_reason=REASON)


# -------------------------------------------------------------------------------------- projects
def _projects(
    district: Region, parks: list[Park], enterprises: list[Enterprise], rng: random.Random, today: dt.date
) -> None:
    departments = list(Department.objects.filter(region=district).order_by("name")[:8])
    kinds = ["new", "new", "expansion", "renovation", "research"]
    for n in range(30):
        e = rng.choice(enterprises) if rng.random() < 0.6 else None
        start = today - dt.timedelta(days=rng.randint(30, 1100))
        planned, day = {}, start
        for stage in STAGE_ORDER:
            planned[stage] = day
            day = day + dt.timedelta(days=rng.randint(60, 360))
        investment = Decimal(str(round(rng.lognormvariate(1.5, 0.9), 2)))
        project = project_services.project_create(
            name=f"{(e.name[2:4] if e else rng.choice(WORDS) + rng.choice(WORDS))}{rng.choice(['生物药产业化', '高端医疗器械生产基地', '研发中心', '创新药CDMO平台', '体外诊断试剂', '智能制造工厂'])}项目{n + 1:02d}",
            investor_name=e.name
            if e
            else f"{rng.choice(['某央企', '某外资', '某上市公司', '某产业基金'])}{n + 1:02d}",
            enterprise=e,
            district=district,
            park=rng.choice(parks).region if parks else None,
            project_type=rng.choice(kinds),
            total_investment=investment,
            land_mu=Decimal(str(rng.randint(10, 120))) if rng.random() < 0.6 else None,
            floor_area_m2=Decimal(rng.randint(5, 80) * 1000),
            expected_output=(investment * Decimal(str(round(rng.uniform(1.2, 3.0), 2)))).quantize(
                Decimal("0.01")
            ),
            responsible_department=rng.choice(departments) if departments else None,
            leader_name=rng.choice(["王副区长", "李副区长", "张副区长", "陈副区长"]),
            planned=planned,
            simulated=True,
        )
        for stage in STAGE_ORDER:
            due = planned[stage]
            if due > today or rng.random() < 0.18:  # not reached yet, or late
                break
            actual = min(due + dt.timedelta(days=rng.randint(-20, 60)), today)
            previous = project.milestones.filter(actual_on__isnull=False).order_by("-actual_on").first()
            if previous is not None and previous.actual_on is not None and actual < previous.actual_on:
                actual = previous.actual_on
            project = project_services.project_advance(
                project=project, stage=stage, actual_on=actual, today=today
            )


def _demands(
    district: Region, parks: list[Park], enterprises: list[Enterprise], rng: random.Random, today: dt.date
) -> None:
    demands = []
    for n in range(12):
        e = rng.choice(enterprises)
        kind = rng.choice(["gmp_plant", "standard_plant", "laboratory", "research", "office", "land"])
        low = (
            Decimal(rng.randint(10, 80))
            if kind == "land"
            else Decimal(rng.choice([500, 800, 1200, 2000, 3000]))
        )
        demands.append(
            SpaceDemand(
                requester_name=e.name,
                enterprise=e,
                district=district,
                preferred_park=rng.choice(parks) if parks and rng.random() < 0.6 else None,
                space_type=kind,
                area_min=low,
                area_max=(low * Decimal("1.5")).quantize(Decimal("0.01")),
                needed_by=today + dt.timedelta(days=rng.randint(30, 360)),
                needs=rng.sample(
                    ["hazmat_store", "animal_house", "p2_lab", "discharge", "cleanroom"], rng.randint(0, 3)
                ),
                max_rent=Decimal(str(round(rng.uniform(2, 4), 1))) if kind != "land" else None,
                simulated=True,
                note=f"模拟需求{n + 1}",
            )
        )
    bulk_create_with_history(demands, SpaceDemand, default_change_reason=REASON)


# ------------------------------------------------------------------------------ derived bindings
_AMOUNT = re.compile(r"(百|\d+)亿(?:元)?(?:以上|级)|超(\d+)亿元|超亿元")


def _revenue_min(metric: str) -> int | None:
    """万元 of a revenue threshold written in a metric (10亿元以上 → 100000, 超亿元 → 10000)."""
    m = _AMOUNT.search(metric)
    if not m:
        return None
    if m.group(0) == "超亿元":
        return 10000
    number = m.group(1) or m.group(2)
    return (100 if number == "百" else int(number)) * 10000


def rule_for_target(target: Target, plan: Plan) -> tuple[str, dict[str, Any]] | None:
    """The derived rule a demo target's metric suggests (count and 亩 targets only), or None."""
    m, unit = target.metric, target.unit
    since = plan.period_start or ((target.year or timezone.localdate().year) - 2)
    if unit == "亩" and "用地" in m:
        return "land_supplied", {"since_year": since}
    if unit not in ("家", "个"):
        return None
    if "注册证" in m:
        return "products_reaching", {
            "phases": [ProductPhase.APPROVED, ProductPhase.CLASS_3],
            "since_year": since,
        }
    if "医疗器械" in m and ("申报" in m or "产品" in m):
        return "products_reaching", {
            "phases": [ProductPhase.CLASS_2, ProductPhase.CLASS_3],
            "kinds": ["device", "ivd"],
            "since_year": since,
        }
    if "创新医疗器械" in m:
        return "products_reaching", {"phases": [ProductPhase.INNOVATIVE_REVIEW], "since_year": since}
    if "新药" in m or "创新药" in m:
        return "products_reaching", {
            "phases": [ProductPhase.APPROVED],
            "kinds": ["drug"],
            "since_year": since,
        }
    if "企业上市" in m or "新增上市" in m:
        return "newly_listed", {"since_year": since}
    honours = [
        ("专精特新", ["specialized", "little_giant"]),
        ("小巨人", ["tech_giant", "tech_giant_nurture"]),
        ("高新技术企业", ["high_tech"]),
        ("研发机构", ["rd_institute"]),
        ("企业技术中心", ["tech_center"]),
        ("技术服务平台", ["service_platform"]),
        ("瞪羚", ["gazelle"]),
        ("独角兽", ["unicorn", "quasi_unicorn"]),
        ("上市企业", ["listed"]),
    ]
    for word, kinds in honours:
        if word in m:
            return "honour_count", {"honours": kinds}
    if "规模以上" in m or "规上" in m:
        return "enterprise_count", {"above_scale": True}
    minimum = _revenue_min(m)
    if minimum is not None and "企业" in m:
        return "enterprise_count", {"field": "revenue", "min": minimum}
    if "智慧医疗" in m:
        return "enterprise_count", {"segments": [Segment.DIGITAL]}
    return None


def derived_rules_bind_demo(*, district: Region, plans: list[Plan] | None = None) -> list[str]:
    """Bind the count targets of the district's current plans (of those among `plans` when given) to
    derived rules; returns the codes bound."""
    bound = []
    parks = {r.name: r for r in Region.objects.filter(parent=district, level=RegionLevel.PARK)}
    chosen = Plan.objects.filter(region=district, is_current=True)
    if plans is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in plans])
    for plan in chosen:
        for target in plan.targets.all().order_by("position"):
            rule = rule_for_target(target, plan)
            if rule is None:
                continue
            kind, parameters = rule
            scope = parks.get(target.scope, district)
            enterprise_services.derived_rule_bind(
                target=target, kind=kind, region=scope, parameters=parameters
            )
            bound.append(f"{target.code} {target.metric}")
    return bound
