"""Reads of the key-project registry: the 清单式管理 list, a project's stages and warnings, the
挂图作战 map and timeline, and the expected output feeding the output targets' forecast."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.plans.models import Target
from bioplan.projects.choices import STAGE_ORDER, ProjectStage, WarningLevel
from bioplan.projects.models import Project, ProjectMilestone
from bioplan.projects.stages import STAGE_LABELS, StageDates, StageWarning, stage_warnings, warning_level
from bioplan.web.search import SearchGroup, SearchHit, all_terms_match, counted

# Targets whose metric names one of these words measure output (产值), which 达产 projects add to.
OUTPUT_METRIC_WORDS = ("产值",)


@dataclass(frozen=True)
class ProjectFilter:
    q: str = ""
    stage: str = ""
    park: int | None = None
    department: int | None = None
    warning: str | None = None  # None: any; "" : no warning; else a WarningLevel


def project_list(*, user: Any, filters: ProjectFilter, today: dt.date | None = None) -> QuerySet[Project]:
    """Projects the user sees matching the filters, largest investment first."""
    qs = Project.objects.visible_to(user).select_related("park", "responsible_department", "enterprise")
    if filters.q:
        qs = qs.filter(name__icontains=filters.q) | qs.filter(investor_name__icontains=filters.q)
    if filters.stage:
        qs = qs.filter(stage=filters.stage) if filters.stage != "none" else qs.filter(stage="")
    if filters.park:
        qs = qs.filter(park_id=filters.park)
    if filters.department:
        qs = qs.filter(responsible_department_id=filters.department)
    if filters.warning is not None:
        qs = qs.with_warning(filters.warning, today or timezone.localdate())
    return qs.order_by("-total_investment", "name", "pk")


def with_milestones(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.prefetch_related(Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("pk")))


def project_stages(project: Project) -> list[StageDates]:
    by_stage = {m.stage: m for m in project.milestones.all()}
    return [
        StageDates(s, by_stage[s].planned_on, by_stage[s].actual_on) if s in by_stage else StageDates(s)
        for s in STAGE_ORDER
    ]


def project_warnings(project: Project, today: dt.date | None = None) -> list[StageWarning]:
    return stage_warnings(project_stages(project), today or timezone.localdate())


def project_warning_level(project: Project, today: dt.date | None = None) -> str:
    return warning_level(project_stages(project), today or timezone.localdate())


def warning_counts(*, user: Any, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    visible = Project.objects.visible_to(user)
    return {level.value: visible.with_warning(level.value, today).count() for level in WarningLevel}


def stage_counts(*, user: Any) -> dict[str, int]:
    rows = Project.objects.visible_to(user).values("stage").annotate(n=Count("id"))
    counts = {"": 0, **{s: 0 for s in STAGE_ORDER}}
    counts.update({r["stage"]: r["n"] for r in rows})
    return counts


# ----------------------------------------------------------------------------- output forecast
def expected_output_by_year(region: Region, year: int) -> Decimal:
    """Expected yearly output (亿元) of the region's projects that reach 达产 by the end of `year`,
    by actual 达产 date or, failing that, the planned one. Tracking adds it to the forecast of
    output targets (产值) as capacity coming on stream."""
    total = (
        Project.objects.in_scope(region)
        .filter(full_output_on__lte=dt.date(year, 12, 31), expected_output__isnull=False, output_unit="亿元")
        .aggregate(total=Sum("expected_output"))["total"]
    )
    return Decimal(total or 0).quantize(Decimal("0.0001"))  # SQLite sums decimals as floats


def expected_output_new_in_year(region: Region, year: int) -> Decimal:
    """Expected output (亿元) of projects whose 达产 falls within `year` only."""
    total = (
        Project.objects.in_scope(region)
        .filter(full_output_on__year=year, expected_output__isnull=False, output_unit="亿元")
        .aggregate(total=Sum("expected_output"))["total"]
    )
    return Decimal(total or 0).quantize(Decimal("0.0001"))  # SQLite sums decimals as floats


# ------------------------------------------------------------------------------------ timeline
@dataclass(frozen=True)
class GanttBar:
    stage: str
    label: str
    left: float  # percent of the track
    width: float
    done: bool
    late: bool
    planned_on: dt.date | None
    actual_on: dt.date | None


@dataclass(frozen=True)
class GanttRow:
    project: Project
    bars: list[GanttBar]
    level: str


@dataclass(frozen=True)
class Gantt:
    start: dt.date
    end: dt.date
    years: list[tuple[int, float]]  # (year, left percent)
    today_left: float | None
    rows: list[GanttRow]


def gantt(projects: list[Project], today: dt.date | None = None) -> Gantt:
    """A stage timeline: for each project one bar per stage from the previous stage's date to this
    one's (actual when reached, else planned), positioned as percentages of a common time axis."""
    today = today or timezone.localdate()
    dates = [d for p in projects for s in project_stages(p) for d in (s.planned_on, s.actual_on) if d]
    start = dt.date(min([*dates, today]).year, 1, 1)
    end = dt.date(max([*dates, today]).year, 12, 31)
    span = (end - start).days or 1

    def pos(day: dt.date) -> float:
        return round(100 * (day - start).days / span, 2)

    rows = []
    for p in projects:
        stages = project_stages(p)
        bars = []
        previous: dt.date | None = None
        for s in stages:
            day = s.actual_on or s.planned_on
            if day is None:
                continue
            begin = previous or day
            late = bool(
                (s.actual_on and s.planned_on and s.actual_on > s.planned_on)
                or (not s.actual_on and s.planned_on and s.planned_on < today)
            )
            bars.append(
                GanttBar(
                    s.stage,
                    STAGE_LABELS[s.stage],
                    pos(begin),
                    max(pos(day) - pos(begin), 0.6),
                    s.actual_on is not None,
                    late,
                    s.planned_on,
                    s.actual_on,
                )
            )
            previous = day
        rows.append(GanttRow(p, bars, warning_level(stages, today)))
    years = [(y, pos(dt.date(y, 1, 1))) for y in range(start.year, end.year + 1)]
    return Gantt(start, end, years, pos(today) if start <= today <= end else None, rows)


# ------------------------------------------------------------------------------------- the map
WARNING_COLOURS = {
    "": "#2fb344",
    "due_soon": "#f59f00",
    "no_plan": "#868e96",
    "overdue": "#f76707",
    "severe": "#d63939",
}


def battle_map(
    *, user: Any, projects: list[Project], parks: list[Any], today: dt.date | None = None
) -> dict[str, Any]:
    """An ECharts graph option: the district's parks laid out schematically (their registry
    position, else on a circle), each project a dot linked to its park, coloured by warning.
    `parks` are parks.Park rows (region, name, map_x, map_y); no boundary data is involved."""
    today = today or timezone.localdate()
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, str]] = []
    centre: dict[int, tuple[float, float]] = {}
    for i, park in enumerate(parks):
        if park.map_x is not None and park.map_y is not None:
            x, y = float(park.map_x), float(park.map_y)
        else:
            angle = 2 * math.pi * i / max(len(parks), 1)
            x, y = 50 + 35 * math.cos(angle), 50 + 35 * math.sin(angle)
        centre[park.region_id] = (x, y)
        nodes.append(
            {
                "id": f"park-{park.region_id}",
                "name": park.name,
                "x": x * 10,
                "y": y * 10,
                "symbolSize": 46,
                "category": 0,
                "label": {"show": True, "position": "bottom"},
                "itemStyle": {"color": "#206bc4"},
            }
        )
    per_park: dict[int | None, int] = {}
    for p in projects:
        k = per_park.get(p.park_id, 0)
        per_park[p.park_id] = k + 1
        cx, cy = centre.get(p.park_id or -1, (50.0, 95.0))
        angle = 2.399963 * k  # golden angle: dots spread evenly around their park
        radius = 4 + 1.2 * math.sqrt(k)
        level = project_warning_level(p, today)
        nodes.append(
            {
                "id": f"project-{p.pk}",
                "name": p.name,
                "x": (cx + radius * math.cos(angle)) * 10,
                "y": (cy + radius * math.sin(angle)) * 10,
                "symbolSize": 8 + min(float(p.total_investment), 50) / 3,
                "category": 1,
                "value": f"{p.get_stage_display() or '未签约'} · {p.total_investment.normalize():f}亿元",
                "itemStyle": {"color": WARNING_COLOURS.get(level, "#2fb344")},
            }
        )
        if p.park_id in centre:
            links.append({"source": f"project-{p.pk}", "target": f"park-{p.park_id}"})
    return {
        "tooltip": {"formatter": "{b}<br/>{c}"},
        "legend": {"show": False},
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": True,
                "data": nodes,
                "links": links,
                "categories": [{"name": "园区"}, {"name": "项目"}],
                "lineStyle": {"color": "#adb5bd", "opacity": 0.5},
            }
        ],
    }


def battle_geo_map(
    *, layer: Any, projects: list[Project], parks: list[Any], today: dt.date | None = None
) -> dict[str, Any]:
    """An ECharts option on the office's map layer (parks.MapLayer, registered in the browser as
    ``bpMap``): parks and projects placed by their latitude/longitude, projects coloured by warning.
    Rows without coordinates are left off the map; the page says how many."""
    today = today or timezone.localdate()
    name = f"bioplan-layer-{layer.pk}"
    park_points = [
        {"name": p.name, "value": [float(p.longitude), float(p.latitude)]}
        for p in parks
        if p.latitude is not None and p.longitude is not None
    ]
    project_points = [
        {
            "name": p.name,
            "value": [float(p.longitude), float(p.latitude), float(p.total_investment)],
            "stage": p.get_stage_display() or "未签约",
            "itemStyle": {"color": WARNING_COLOURS.get(project_warning_level(p, today), "#2fb344")},
        }
        for p in projects
        if p.latitude is not None and p.longitude is not None
    ]
    return {
        "bpMap": {"name": name, "geojson": "battle-map-layer"},
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "legend": {"top": 0, "data": ["园区", "重点项目"]},
        "geo": {
            "map": name,
            "roam": True,
            "label": {"show": True, "color": "#495057"},
            "itemStyle": {"areaColor": "#e9f2fb", "borderColor": "#74a3d8"},
            "emphasis": {"itemStyle": {"areaColor": "#cfe2f7"}},
        },
        "series": [
            {
                "name": "园区",
                "type": "scatter",
                "coordinateSystem": "geo",
                "symbol": "diamond",
                "symbolSize": 18,
                "itemStyle": {"color": "#206bc4"},
                "label": {"show": True, "position": "right", "formatter": "{b}"},
                "data": park_points,
            },
            {
                "name": "重点项目",
                "type": "scatter",
                "coordinateSystem": "geo",
                "symbolSize": 12,
                "data": project_points,
            },
        ],
        "bpPlaced": {"parks": len(park_points), "projects": len(project_points)},
    }


def investment_by_stage(*, user: Any) -> list[tuple[str, Decimal]]:
    rows = dict(
        Project.objects.visible_to(user)
        .values_list("stage")
        .annotate(total=Sum("total_investment"))
        .values_list("stage", "total")
    )
    return [(str(ProjectStage(s).label), rows.get(s) or Decimal(0)) for s in STAGE_ORDER]


def _capacity_rows(district_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Expected output (亿元) of key projects per district, park and year of 达产."""
    return list(
        Project.objects.filter(
            district_id__in=list(district_ids), expected_output__isnull=False, output_unit="亿元"
        )
        .exclude(full_output_on__isnull=True)
        .values("district_id", "park_id", year=ExtractYear("full_output_on"))
        .annotate(total=Sum("expected_output"))
        .order_by("district_id", "park_id", "year")
    )


def output_capacity_version(district_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Per district, what `output_capacity_by_year` reads (registered with tracking beside it, so a
    cached dashboard changes when a project's 达产 date or expected output does)."""
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in _capacity_rows(district_ids):
        out[row["district_id"]].append((row["park_id"], row["year"], str(row["total"])))
    return {d: tuple(rows) for d, rows in out.items()}


def output_capacity_by_year(pairs: Sequence[tuple[Target, int | None]]) -> dict[int, dict[int, Decimal]]:
    """For each output target (a 亿元 level of 产值), the expected output of key projects in its scope
    reaching 达产 in each year up to the target year, by actual 达产 date or else the planned one.

    Registered with tracking (`register_capacity_source`), which adds the output coming on stream
    after the last figure to the target's forecast. Two queries at most, whatever the number of targets.
    """
    wanted = [
        (t, region_id)
        for t, region_id in pairs
        if t.kind == "level" and t.unit == "亿元" and any(word in t.metric for word in OUTPUT_METRIC_WORDS)
    ]
    if not wanted:
        return {}
    region_ids = {region_id or t.plan.region_id for t, region_id in wanted}
    regions = Region.objects.in_bulk(region_ids)
    district_ids = {r.pk if r.level != RegionLevel.PARK else r.parent_id for r in regions.values()}
    rows = _capacity_rows(d for d in district_ids if d is not None)
    out: dict[int, dict[int, Decimal]] = {}
    for target, region_id in wanted:
        region = regions.get(region_id or target.plan.region_id)
        if region is None or target.year is None:
            continue
        by_year: dict[int, Decimal] = {}
        for row in rows:
            in_scope = (
                row["park_id"] == region.pk
                if region.level == RegionLevel.PARK
                else row["district_id"] == region.pk
            )
            if in_scope and row["year"] <= target.year:
                by_year[row["year"]] = by_year.get(row["year"], Decimal(0)) + Decimal(str(row["total"]))
        if by_year:
            out[target.pk] = {y: v.quantize(Decimal("0.0001")) for y, v in by_year.items()}
    return out


def project_search(terms: list[str], user: Any, limit: int) -> SearchGroup:
    """Key projects (name, investor, enterprise) the user may see, for the global search."""
    qs = (
        Project.objects.visible_to(user)
        .filter(all_terms_match(["name", "investor_name", "enterprise__name"], terms))
        .select_related("district")
        .order_by("name", "pk")
    )
    rows, total = counted(qs, limit)
    hits = [
        SearchHit(
            p.name,
            reverse("projects:detail", args=[p.pk]),
            f"{p.district.name} · {p.get_stage_display() or '—'}",
        )
        for p in rows
    ]
    more = reverse("projects:list") + "?" + urlencode({"q": " ".join(terms)})
    return SearchGroup("projects", _("Key projects"), hits, total, more)
