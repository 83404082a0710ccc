"""The cultivation path (培育路径) 潜力 → 专精特新 → 小巨人 → 上市后备 → 上市 and each tier's entry
criteria, as pure functions over plain facts: which criteria an enterprise meets for its next tier.

Thresholds follow the usual Shanghai district practice; money in 万元, ratios as fractions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bioplan.enterprises.choices import TIER_ORDER, CultivationTier, HonourKind


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the criteria look at, for one enterprise at one date."""

    years_since_founded: int | None
    revenue: Decimal | None  # latest yearly 营业收入, 万元
    rd_expense: Decimal | None  # same year, 万元
    is_above_scale: bool
    honours: frozenset[str] = field(default_factory=frozenset)
    approved_products: int = 0

    @property
    def rd_ratio(self) -> Decimal | None:
        if not self.revenue or self.rd_expense is None:
            return None
        return self.rd_expense / self.revenue


@dataclass(frozen=True)
class Criterion:
    tier: str
    label: str
    check: Callable[[EnterpriseFacts], bool]
    explain: Callable[[EnterpriseFacts], str]


@dataclass(frozen=True)
class CriterionResult:
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class TierGap:
    """Where an enterprise stands: its tier, the next one, and that tier's criteria met or not."""

    tier: str | None
    next_tier: str | None
    results: list[CriterionResult]

    @property
    def met(self) -> list[CriterionResult]:
        return [r for r in self.results if r.met]

    @property
    def missing(self) -> list[CriterionResult]:
        return [r for r in self.results if not r.met]

    @property
    def next_tier_label(self) -> str:
        return str(CultivationTier(self.next_tier).label) if self.next_tier else ""

    @property
    def ready(self) -> bool:
        return self.next_tier is not None and not self.missing


def _wan(v: Decimal | None) -> str:
    return "无数据" if v is None else f"{v.quantize(Decimal('1')):,}万元"


def _ratio(v: Decimal | None) -> str:
    return "无数据" if v is None else f"{(v * 100).quantize(Decimal('0.1'))}%"


def _revenue_at_least(
    amount: int,
) -> tuple[Callable[[EnterpriseFacts], bool], Callable[[EnterpriseFacts], str]]:
    return (
        lambda f: f.revenue is not None and f.revenue >= amount,
        lambda f: f"营业收入 {_wan(f.revenue)}，需 ≥ {amount:,}万元",
    )


def _rd_ratio_at_least(
    pct: str,
) -> tuple[Callable[[EnterpriseFacts], bool], Callable[[EnterpriseFacts], str]]:
    threshold = Decimal(pct) / 100
    return (
        lambda f: f.rd_ratio is not None and f.rd_ratio >= threshold,
        lambda f: f"研发投入占营收 {_ratio(f.rd_ratio)}，需 ≥ {pct}%",
    )


def _holds(*kinds: str) -> tuple[Callable[[EnterpriseFacts], bool], Callable[[EnterpriseFacts], str]]:
    def explain(f: EnterpriseFacts) -> str:
        labels = "或".join(str(HonourKind(k).label) for k in kinds)
        return f"{'已' if any(k in f.honours for k in kinds) else '未'}获{labels}认定"

    return (lambda f: any(k in f.honours for k in kinds), explain)


def _c(tier: CultivationTier, label: str, pair: tuple[Callable[..., bool], Callable[..., str]]) -> Criterion:
    return Criterion(tier.value, label, pair[0], pair[1])


CRITERIA: tuple[Criterion, ...] = (
    _c(
        CultivationTier.POTENTIAL,
        "成立满2年",
        (
            lambda f: f.years_since_founded is not None and f.years_since_founded >= 2,
            lambda f: (
                f"成立 {f.years_since_founded if f.years_since_founded is not None else '?'} 年，需 ≥ 2 年"
            ),
        ),
    ),
    _c(CultivationTier.POTENTIAL, "营业收入 ≥ 500万元", _revenue_at_least(500)),
    _c(CultivationTier.POTENTIAL, "研发投入占比 ≥ 3%", _rd_ratio_at_least("3")),
    _c(CultivationTier.SPECIALIZED, "营业收入 ≥ 1,000万元", _revenue_at_least(1000)),
    _c(CultivationTier.SPECIALIZED, "研发投入占比 ≥ 3%", _rd_ratio_at_least("3")),
    _c(CultivationTier.SPECIALIZED, "专精特新中小企业认定", _holds(HonourKind.SPECIALIZED)),
    _c(CultivationTier.LITTLE_GIANT, "营业收入 ≥ 1亿元", _revenue_at_least(10000)),
    _c(CultivationTier.LITTLE_GIANT, "研发投入占比 ≥ 5%", _rd_ratio_at_least("5")),
    _c(
        CultivationTier.LITTLE_GIANT,
        "小巨人认定",
        _holds(HonourKind.LITTLE_GIANT, HonourKind.TECH_GIANT, HonourKind.TECH_GIANT_NURTURE),
    ),
    _c(CultivationTier.PRE_IPO, "营业收入 ≥ 2亿元", _revenue_at_least(20000)),
    _c(CultivationTier.PRE_IPO, "高新技术企业认定", _holds(HonourKind.HIGH_TECH)),
    _c(
        CultivationTier.PRE_IPO,
        "规模以上企业",
        (lambda f: f.is_above_scale, lambda f: "规上企业" if f.is_above_scale else "尚未纳入规上统计"),
    ),
    _c(CultivationTier.LISTED, "已上市", _holds(HonourKind.LISTED)),
)


def tier_criteria(tier: str) -> list[Criterion]:
    return [c for c in CRITERIA if c.tier == tier]


def tier_results(tier: str, facts: EnterpriseFacts) -> list[CriterionResult]:
    return [CriterionResult(c.label, c.check(facts), c.explain(facts)) for c in tier_criteria(tier)]


def next_tier(tier: str | None) -> str | None:
    """The tier after `tier` on the path (the first one for an enterprise not yet in the pool)."""
    if tier is None:
        return TIER_ORDER[0]
    index = TIER_ORDER.index(tier)
    return TIER_ORDER[index + 1] if index + 1 < len(TIER_ORDER) else None


def qualifying_tier(facts: EnterpriseFacts) -> str | None:
    """The highest tier reached by climbing the path while every criterion of each tier is met."""
    reached = None
    for tier in TIER_ORDER:
        if all(c.check(facts) for c in tier_criteria(tier)):
            reached = tier
        else:
            break
    return reached


def tier_gap(tier: str | None, facts: EnterpriseFacts) -> TierGap:
    """The gap from `tier` (the pool tier the office set, None if outside the pool) to the next."""
    following = next_tier(tier)
    results = tier_results(following, facts) if following else []
    return TierGap(tier=tier, next_tier=following, results=results)
