"""Derived indicators (派生指标): rules that compute a target's actual value from the registries.

A rule kind is registered with a function `(region, parameters, period) -> Decimal` and a checker
of its parameters. The enterprise rules are registered here; other registries add theirs from
their AppConfig.ready() (parks: land supplied), so this module never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from bioplan.core.models import Region
from bioplan.enterprises.choices import (
    FigureField,
    HonourKind,
    ListingBoard,
    ProductKind,
    ProductPhase,
    RuleKind,
    Segment,
)


@dataclass(frozen=True)
class Period:
    """A year (quarter 0) or a quarter; a quarter's figures are the year to date."""

    year: int
    quarter: int = 0

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1) if self.quarter == 0 else dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter in (0, 4):
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def window_start(self, parameters: dict[str, Any]) -> dt.date:
        """Start of the counting window: the period, or 1 January of `since_year` when cumulative."""
        since = parameters.get("since_year")
        return dt.date(int(since), 1, 1) if since else self.start

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.quarter == 0 else f"{self.year}年Q{self.quarter}"


RuleCompute = Callable[[Region, dict[str, Any], Period], Decimal]
ParameterCheck = Callable[[dict[str, Any]], list[str]]


# Per district, a summary of the rows a rule kind reads (counts, latest changes), so a cached
# dashboard changes when they do.
RuleVersion = Callable[[list[int]], dict[int, Any]]


@dataclass(frozen=True)
class RuleSpec:
    """A rule kind. `flow`: the value counts what happened within the period (listings, land
    supplied; a quarter is the year to date) rather than what holds at its end (honours held).
    `simulated` says whether demo rows (模拟数据) are in a scope; `version` summarises per district
    what the rule reads."""

    kind: str
    compute: RuleCompute
    check: ParameterCheck
    describe: Callable[[dict[str, Any]], str]
    flow: bool = False
    simulated: Callable[[Region, dict[str, Any]], bool] | None = None
    version: RuleVersion | None = None


_RULES: dict[str, RuleSpec] = {}


def register_rule(spec: RuleSpec) -> None:
    _RULES[spec.kind] = spec


def registered_rules() -> dict[str, RuleSpec]:
    return dict(_RULES)


def rule_parameter_problems(kind: str, parameters: Any) -> list[str]:
    spec = _RULES.get(kind)
    if spec is None:
        return [f"未注册的规则：{kind}"]
    if not isinstance(parameters, dict):
        return ["参数应为 JSON 对象"]
    problems = spec.check(parameters)
    since = parameters.get("since_year")
    if since is not None and not (isinstance(since, int) and 1990 <= since <= 2100):
        problems.append("since_year 应为年份")
    return problems


def rule_value(*, kind: str, region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    """The rule's value for a scope and period (a count, 亩, or money in the rule's unit)."""
    return _RULES[kind].compute(region, parameters, period)


def rule_description(kind: str, parameters: dict[str, Any]) -> str:
    spec = _RULES.get(kind)
    return spec.describe(parameters) if spec else kind


# ---------------------------------------------------------------------------------------- checks
def _values_problem(parameters: dict[str, Any], key: str, allowed: list[str], required: bool) -> list[str]:
    values = parameters.get(key)
    if values is None:
        return [f"缺少参数 {key}"] if required else []
    if not isinstance(values, list) or not values:
        return [f"{key} 应为非空列表"]
    bad = [v for v in values if v not in allowed]
    return [f"{key} 含未知取值：{', '.join(map(str, bad))}"] if bad else []


def _labels(choices: Any, values: list[str]) -> str:
    return "、".join(str(choices(v).label) for v in values)


# ------------------------------------------------------------------------------ enterprise rules
def _enterprises(region: Region, parameters: dict[str, Any]) -> Any:
    from bioplan.enterprises.models import Enterprise

    qs = Enterprise.objects.in_scope(region)
    if parameters.get("segments"):
        qs = qs.filter(segment__in=parameters["segments"])
    if parameters.get("above_scale"):
        qs = qs.filter(is_above_scale=True)
    if parameters.get("include_simulated") is False:
        qs = qs.filter(simulated=False)
    return qs


def _honour_count(region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    from bioplan.enterprises.models import Honour

    held = Honour.objects.held_on(period.end).filter(kind__in=parameters["honours"])
    return Decimal(_enterprises(region, parameters).filter(pk__in=held.values("enterprise_id")).count())


def _newly_listed(region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    from bioplan.enterprises.models import Honour

    listings = Honour.objects.filter(
        kind=HonourKind.LISTED, valid_from__gte=period.window_start(parameters), valid_from__lte=period.end
    )
    if parameters.get("boards"):
        listings = listings.filter(board__in=parameters["boards"])
    return Decimal(_enterprises(region, parameters).filter(pk__in=listings.values("enterprise_id")).count())


def _figure_filter(parameters: dict[str, Any], period: Period) -> Q:
    field = parameters["field"]
    return Q(
        figures__year=period.year,
        figures__quarter=period.quarter,
        **{f"figures__{field}__gte": parameters["min"]},
    )


def _enterprise_count(region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    qs = _enterprises(region, parameters)
    if parameters.get("field"):
        qs = qs.filter(_figure_filter(parameters, period))
    return Decimal(qs.distinct().count())


_MONEY_DIVISORS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}


def _figure_sum(region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    from bioplan.enterprises.models import EnterpriseFigure

    field = parameters["field"]
    total = EnterpriseFigure.objects.filter(
        enterprise__in=_enterprises(region, parameters), year=period.year, quarter=period.quarter
    ).aggregate(total=Sum(field))["total"] or Decimal(0)
    if field == FigureField.EMPLOYEES:
        return Decimal(total)
    return (Decimal(total) / _MONEY_DIVISORS[parameters.get("in_unit", "亿元")]).quantize(Decimal("0.0001"))


def _products_reaching(region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    from bioplan.enterprises.models import ProductMilestone

    qs = ProductMilestone.objects.filter(
        phase__in=parameters["phases"],
        reached_on__gte=period.window_start(parameters),
        reached_on__lte=period.end,
        product__enterprise__in=_enterprises(region, parameters),
    )
    if parameters.get("kinds"):
        qs = qs.filter(product__kind__in=parameters["kinds"])
    return Decimal(qs.values("product_id").distinct().count())


def _check_honour_count(p: dict[str, Any]) -> list[str]:
    return _values_problem(p, "honours", HonourKind.values, True) + _values_problem(
        p, "segments", Segment.values, False
    )


def _check_newly_listed(p: dict[str, Any]) -> list[str]:
    return _values_problem(p, "boards", [b for b in ListingBoard.values if b], False)


def _check_enterprise_count(p: dict[str, Any]) -> list[str]:
    problems = _values_problem(p, "segments", Segment.values, False)
    if p.get("field") is not None:
        if p["field"] not in FigureField.values:
            problems.append(f"未知指标字段：{p['field']}")
        if not isinstance(p.get("min"), int | float):
            problems.append("按指标计数时需给出 min（万元）")
    return problems


def _check_figure_sum(p: dict[str, Any]) -> list[str]:
    problems = [] if p.get("field") in FigureField.values else [f"未知指标字段：{p.get('field')}"]
    if p.get("in_unit", "亿元") not in _MONEY_DIVISORS:
        problems.append("in_unit 应为 元、万元 或 亿元")
    return problems


def _check_products(p: dict[str, Any]) -> list[str]:
    return _values_problem(p, "phases", ProductPhase.values, True) + _values_problem(
        p, "kinds", ProductKind.values, False
    )


def _since(p: dict[str, Any]) -> str:
    return f"（自{p['since_year']}年起累计）" if p.get("since_year") else ""


def _enterprises_simulated(region: Region, parameters: dict[str, Any]) -> bool:
    return bool(_enterprises(region, parameters).filter(simulated=True).exists())


def registry_version(district_ids: list[int]) -> dict[int, Any]:
    """Per district: row count, latest change and highest id of its enterprises, honours, figures,
    products and milestones — what the enterprise rules read."""
    from django.db.models import Count, Max

    from bioplan.enterprises.models import Enterprise, EnterpriseFigure, Honour, Product, ProductMilestone

    out: dict[int, list[Any]] = {d: [] for d in district_ids}
    for model, path in (
        (Enterprise, "district_id"),
        (Honour, "enterprise__district_id"),
        (EnterpriseFigure, "enterprise__district_id"),
        (Product, "enterprise__district_id"),
        (ProductMilestone, "product__enterprise__district_id"),
    ):
        rows = (
            model.objects.filter(**{f"{path}__in": district_ids})  # type: ignore[attr-defined]
            .values(path)
            .annotate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
            .order_by(path)
        )
        for row in rows:
            out[row[path]].append((model.__name__, row["n"], row["last"], row["top"]))
    return out


def register_enterprise_rules() -> None:
    common: dict[str, Any] = {"simulated": _enterprises_simulated, "version": registry_version}
    register_rule(
        RuleSpec(
            RuleKind.HONOUR_COUNT,
            _honour_count,
            _check_honour_count,
            lambda p: f"期末持有{_labels(HonourKind, p.get('honours', []))}的企业数",
            **common,
        )
    )
    register_rule(
        RuleSpec(
            RuleKind.NEWLY_LISTED,
            _newly_listed,
            _check_newly_listed,
            lambda p: f"期内新上市企业数{_since(p)}",
            flow=True,
            **common,
        )
    )
    register_rule(
        RuleSpec(
            RuleKind.ENTERPRISE_COUNT,
            _enterprise_count,
            _check_enterprise_count,
            lambda p: (
                (
                    f"{FigureField(p['field']).label} ≥ {p.get('min')}万元的企业数"
                    if p.get("field")
                    else "企业数"
                )
                + ("（规上）" if p.get("above_scale") else "")
            ),
            **common,
        )
    )
    register_rule(
        RuleSpec(
            RuleKind.FIGURE_SUM,
            _figure_sum,
            _check_figure_sum,
            lambda p: (
                f"{FigureField(p['field']).label}合计" if p.get("field") in FigureField.values else "合计"
            ),
            flow=True,
            **common,
        )
    )
    register_rule(
        RuleSpec(
            RuleKind.PRODUCTS_REACHING,
            _products_reaching,
            _check_products,
            lambda p: f"期内达到{_labels(ProductPhase, p.get('phases', []))}的产品数{_since(p)}",
            flow=True,
            **common,
        )
    )
