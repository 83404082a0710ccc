"""Reads of the enterprise registry: filtered lists, an enterprise's page, the cultivation pool and
its gaps, and derived-indicator values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bioplan.core.choices import RegionLevel, Role
from bioplan.core.models import Region
from bioplan.enterprises.choices import CultivationTier, HonourKind, ProductPhase
from bioplan.enterprises.cultivation import EnterpriseFacts, TierGap, qualifying_tier, tier_gap
from bioplan.enterprises.derived import Period, registered_rules, rule_description, rule_value
from bioplan.enterprises.models import (
    CultivationEntry,
    DerivedRule,
    Enterprise,
    EnterpriseFigure,
    Honour,
    Product,
    ProductMilestone,
)
from bioplan.plans.models import Plan, Target
from bioplan.web.search import SearchGroup, SearchHit, all_terms_match, counted


def enterprise_list(*, user: Any) -> QuerySet[Enterprise]:
    """The enterprises `user` may see, with what the list shows (filter and sort them with
    ``enterprises.filters.EnterpriseFilterSet``)."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("district", "park", "cultivation")
        .order_by("name", "pk")
    )


def with_current_honours(
    enterprises: QuerySet[Enterprise], on: dt.date | None = None
) -> QuerySet[Enterprise]:
    """Prefetch each enterprise's honours valid on `on` as `current_honours` (one query per page)."""
    held = Honour.objects.held_on(on or timezone.localdate()).order_by("kind")
    return enterprises.prefetch_related(Prefetch("honours", queryset=held, to_attr="current_honours"))


def park_choices(*, user: Any) -> QuerySet[Region]:
    """Park-level regions in the user's scope, for the filter drop-down (no scan of the enterprises)."""
    parks = Region.objects.filter(level=RegionLevel.PARK)
    region = getattr(user, "region", None)
    if getattr(user, "is_superuser", False):
        return parks.order_by("name")
    if region is None or getattr(user, "role", None) == Role.RESEARCHER:
        return parks.none()
    if getattr(user, "role", None) == Role.PARK_OPERATOR:
        department_id = getattr(user, "department_id", None)
        return parks.filter(Q(pk=region.pk) | Q(park_profile__operator_department_id=department_id)).order_by(
            "name"
        )
    return parks.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region)).order_by("name")


def enterprise_facts(enterprise: Enterprise, on: dt.date | None = None) -> EnterpriseFacts:
    """The facts the cultivation criteria look at: latest yearly figures and honours held on `on`."""
    on = on or timezone.localdate()
    latest = (
        EnterpriseFigure.objects.filter(enterprise=enterprise, quarter=0, year__lte=on.year)
        .order_by("-year")
        .first()
    )
    honours = frozenset(
        Honour.objects.held_on(on).filter(enterprise=enterprise).values_list("kind", flat=True)
    )
    approved = ProductMilestone.objects.filter(
        product__enterprise=enterprise,
        phase__in=[ProductPhase.APPROVED, ProductPhase.CLASS_2, ProductPhase.CLASS_3],
        reached_on__lte=on,
    ).count()
    years = None
    if enterprise.founded_on:
        years = (
            on.year
            - enterprise.founded_on.year
            - ((on.month, on.day) < (enterprise.founded_on.month, enterprise.founded_on.day))
        )
    return EnterpriseFacts(
        years_since_founded=years,
        revenue=latest.revenue if latest else None,
        rd_expense=latest.rd_expense if latest else None,
        is_above_scale=enterprise.is_above_scale,
        honours=honours,
        approved_products=approved,
    )


@dataclass
class EnterprisePage:
    enterprise: Enterprise
    honours: list[Honour]
    figures: list[EnterpriseFigure]
    products: list[Product]
    gap: TierGap
    qualifying_tier: str | None

    @property
    def qualifying_tier_label(self) -> str:
        """The highest tier whose criteria the figures and honours meet (may differ from the pool tier)."""
        return str(CultivationTier(self.qualifying_tier).label) if self.qualifying_tier else ""


def enterprise_page(*, enterprise: Enterprise, on: dt.date | None = None) -> EnterprisePage:
    facts = enterprise_facts(enterprise, on)
    entry = CultivationEntry.objects.filter(enterprise=enterprise).first()
    return EnterprisePage(
        enterprise=enterprise,
        honours=list(enterprise.honours.order_by("kind", "-valid_from")),
        figures=list(enterprise.figures.order_by("-year", "-quarter")),
        products=list(enterprise.products.prefetch_related("milestones").order_by("name")),
        gap=tier_gap(entry.tier if entry else None, facts),
        qualifying_tier=qualifying_tier(facts),
    )


@dataclass
class PoolRow:
    entry: CultivationEntry
    gap: TierGap


def pool_entries(*, user: Any) -> QuerySet[CultivationEntry]:
    """The cultivation pool's entries of the enterprises `user` may see (filter and sort them with
    ``enterprises.filters.PoolFilterSet``)."""
    return (
        CultivationEntry.objects.filter(enterprise__in=Enterprise.objects.visible_to(user))
        .select_related("enterprise", "enterprise__park")
        .order_by("tier", "enterprise__name", "pk")
    )


def pool_rows(entries: Iterable[CultivationEntry], *, on: dt.date | None = None) -> list[PoolRow]:
    """Each entry with the gap to its next tier, in a fixed number of queries whatever the number
    of entries (one page of the pool, or all of it for the export)."""
    on = on or timezone.localdate()
    rows = list(entries)
    ids = [r.enterprise_id for r in rows]
    latest: dict[
        int, tuple[Decimal | None, Decimal | None]
    ] = {}  # enterprise → (revenue, R&D) of its latest year
    for eid, revenue, rd in (
        EnterpriseFigure.objects.filter(
            enterprise_id__in=ids, quarter=0, year__lte=on.year, year__gte=on.year - 3
        )
        .order_by("year")
        .values_list("enterprise_id", "revenue", "rd_expense")
    ):
        latest[eid] = (revenue, rd)
    honours: dict[int, set[str]] = {}
    for eid, kind in (
        Honour.objects.held_on(on).filter(enterprise_id__in=ids).values_list("enterprise_id", "kind")
    ):
        honours.setdefault(eid, set()).add(kind)
    result = []
    for entry in rows:
        e = entry.enterprise
        revenue, rd = latest.get(e.pk, (None, None))
        facts = EnterpriseFacts(
            years_since_founded=(on.year - e.founded_on.year) if e.founded_on else None,
            revenue=revenue,
            rd_expense=rd,
            is_above_scale=e.is_above_scale,
            honours=frozenset(honours.get(e.pk, set())),
        )
        result.append(PoolRow(entry=entry, gap=tier_gap(entry.tier, facts)))
    return result


def honour_counts(*, region: Region, on: dt.date) -> dict[str, int]:
    """Enterprises of `region` holding each honour on `on`: {kind: count}."""
    counts = {k.value: 0 for k in HonourKind}
    held = Honour.objects.held_on(on).filter(enterprise__in=Enterprise.objects.in_scope(region))
    for kind in held.values_list("kind", flat=True).distinct():
        counts[kind] = held.filter(kind=kind).values("enterprise_id").distinct().count()
    return counts


# ---------------------------------------------------------------------------- derived indicators
def derived_value(*, rule: DerivedRule, year: int, quarter: int = 0) -> Decimal:
    """The rule's value for its scope in that period."""
    return rule_value(
        kind=rule.kind, region=rule.region, parameters=rule.parameters, period=Period(year, quarter)
    )


@dataclass(frozen=True)
class DerivedRow:
    rule: DerivedRule
    description: str
    values: list[tuple[int, Decimal]]  # (year, value), oldest first
    actual: Any = None  # tracking's TargetActual: the value every other page shows for the target

    @property
    def latest(self) -> Decimal | None:
        return self.values[-1][1] if self.values else None


def plan_derived_rows(*, plan: Plan, today: dt.date | None = None) -> list[DerivedRow]:
    """Live values of the plan's derived targets, per year from the plan's start to this year, each
    with the actual value tracking judges the target on (`tracking.selectors.target_actuals`)."""
    from bioplan.tracking.selectors import target_actuals

    today = today or timezone.localdate()
    rules = list(
        DerivedRule.objects.filter(target__plan=plan)
        .select_related("target", "region")
        .order_by("target__position")
    )
    if not rules:
        return []
    actuals = target_actuals(plans=[plan])
    first = plan.period_start or today.year - 2
    last = min(today.year, max(plan.period_end or today.year, first))
    rows = []
    for rule in rules:
        values = [(y, derived_value(rule=rule, year=y)) for y in range(first, last + 1)]
        rows.append(
            DerivedRow(
                rule=rule,
                description=rule_description(rule.kind, rule.parameters),
                values=values,
                actual=actuals.get(rule.target_id),
            )
        )
    return rows


def derived_figures(pairs: Sequence[tuple[Target, tuple[int, int]]]) -> dict[int, Any]:
    """The figures of targets bound to a derived rule, for tracking (`register_figure_source`): each
    year from the target's baseline year (else the year before its plan starts) up to the period it is
    judged at; in a year judged at a quarter, the value at that quarter's end (a flow: 1—q季度累计). A
    rule counted since a year (`since_year`) is cumulative. Targets without a rule are left out."""
    from bioplan.tracking.selectors import SourcedFigures

    rules = {
        r.target_id: r
        for r in DerivedRule.objects.filter(target_id__in=[t.pk for t, _ in pairs]).select_related("region")
    }
    specs = registered_rules()
    out: dict[int, Any] = {}
    for target, (year, quarter) in pairs:
        rule = rules.get(target.pk)
        spec = specs.get(rule.kind) if rule is not None else None
        if rule is None or spec is None:
            continue
        cumulative = bool(rule.parameters.get("since_year"))
        flow = spec.flow and not cumulative
        first = min(target.baseline_year or (target.plan.period_start or year) - 1, year)
        values = {(y, 0): derived_value(rule=rule, year=y) for y in range(first, year + (quarter == 0))}
        if quarter:
            # A flow's quarter is given as the year to date (1—q季度累计), counted from 1 January.
            parameters = {**rule.parameters, "since_year": year} if flow else rule.parameters
            values[(year, quarter)] = rule_value(
                kind=rule.kind, region=rule.region, parameters=parameters, period=Period(year, quarter)
            )
        out[target.pk] = SourcedFigures(
            values=values,
            aggregation="sum" if flow else "last",
            source=f"派生指标：{rule_description(rule.kind, rule.parameters)}",
            cumulative=cumulative,
            simulated=bool(spec.simulated and spec.simulated(rule.region, rule.parameters)),
        )
    return out


def derived_version(district_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Per district, what `derived_figures` reads: the derived rules of its plans and each rule
    kind's registry rows (enterprises, honours, figures, products, land parcels)."""
    from django.db.models import Count, Max

    ids = list(district_ids)
    out: dict[int, list[Any]] = {d: [] for d in ids}
    for row in (
        DerivedRule.objects.filter(target__plan__region_id__in=ids)
        .values("target__plan__region_id")
        .annotate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
        .order_by("target__plan__region_id")
    ):
        out[row["target__plan__region_id"]].append(("DerivedRule", row["n"], row["last"], row["top"]))
    versions = {spec.version for spec in registered_rules().values() if spec.version is not None}
    for version in sorted(versions, key=lambda f: f.__module__ + f.__qualname__):
        for district, summary in version(ids).items():
            if district in out:
                out[district].append(summary)
    return {d: tuple(parts) for d, parts in out.items()}


def derived_rules_visible_to(user: Any) -> QuerySet[DerivedRule]:
    """Rules of current plans whose scope is in the user's region (the region, its parks, its districts)."""
    rules = DerivedRule.objects.filter(target__plan__is_current=True).select_related(
        "target", "target__plan", "region"
    )
    if getattr(user, "is_superuser", False):
        return rules
    region = getattr(user, "region", None)
    if region is None or getattr(user, "role", None) == Role.RESEARCHER:
        return rules.none()
    return rules.filter(Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region))


def enterprise_dependants(*, enterprise: Enterprise) -> list[str]:
    """What deleting the enterprise removes with it, for the confirmation page ("2 项资质" …)."""
    from django.utils.translation import gettext as _

    counts = [
        (enterprise.honours.count(), _("%(n)d honours")),
        (enterprise.figures.count(), _("%(n)d periods of figures")),
        (enterprise.products.count(), _("%(n)d products")),
        (1 if hasattr(enterprise, "cultivation") else 0, _("its cultivation pool entry")),
    ]
    return [label % {"n": n} if "%(n)d" in label else label for n, label in counts if n]


def enterprise_search(terms: list[str], user: Any, limit: int) -> SearchGroup:
    """Enterprises (name, credit code) the user may see, for the global search."""
    qs = enterprise_list(user=user).filter(all_terms_match(["name", "credit_code"], terms))
    rows, total = counted(qs, limit)
    hits = [
        SearchHit(
            e.name, reverse("enterprises:detail", args=[e.pk]), e.park.name if e.park else e.credit_code
        )
        for e in rows
    ]
    more = reverse("enterprises:list") + "?" + urlencode({"q": " ".join(terms)})
    return SearchGroup("enterprises", _("Enterprises"), hits, total, more)
