"""Matching space supply to a demand (载体匹配): a pure scoring function with its explanation.

Each offer (a vacant floor space, or an available land parcel for a land demand) scores up to 100:

| criterion | points | rule |
|---|---|---|
| type | 30 | same type 30; a compatible type 15 (GMP厂房 for 标准厂房, 实验室 ↔ 研发楼, 研发楼 for 办公); else not eligible |
| area | 25 | within [min, max] 25 (max defaults to 1.5 × min); larger: 25 × max / area; at least 80 % of min: 10; smaller: not eligible |
| conditions | 25 | 25 × share of the needed conditions offered (25 when none is needed) |
| timing | 10 | available by the date needed 10; 2 points off per month late, down to 0 |
| rent | 5 | within the budget (or either unknown) 5; else 0 |
| park | 5 | the preferred park, or no preference, 5; else 0 |

Ranking: eligible offers first, by score, then by smaller surplus area, then by key (stable).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

COMPATIBLE: dict[str, set[str]] = {
    # needed type → offered types that also serve (besides the same type)
    "standard_plant": {"gmp_plant"},
    "research": {"laboratory"},
    "laboratory": {"research"},
    "office": {"research"},
}

TYPE_LABELS = {
    "standard_plant": "标准厂房",
    "gmp_plant": "GMP厂房",
    "research": "研发楼",
    "office": "办公",
    "laboratory": "实验室",
    "land": "工业用地",
}


@dataclass(frozen=True)
class Offer:
    """One piece of supply as the scorer sees it; area in m² (亩 for land)."""

    key: str
    park_id: int
    label: str
    space_type: str
    area: Decimal
    available_from: dt.date | None = None
    rent: Decimal | None = None
    facilities: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Demand:
    space_type: str
    area_min: Decimal
    area_max: Decimal | None = None
    needed_by: dt.date | None = None
    needs: frozenset[str] = field(default_factory=frozenset)
    max_rent: Decimal | None = None
    preferred_park_id: int | None = None

    @property
    def upper(self) -> Decimal:
        return self.area_max if self.area_max is not None else self.area_min * Decimal("1.5")


@dataclass(frozen=True)
class Reason:
    criterion: str
    points: Decimal
    max_points: int
    text: str


@dataclass(frozen=True)
class Match:
    offer: Offer
    score: Decimal
    eligible: bool
    reasons: tuple[Reason, ...]

    @property
    def surplus(self) -> Decimal:
        return self.offer.area


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _months_late(available: dt.date, needed: dt.date) -> int:
    months = (available.year - needed.year) * 12 + available.month - needed.month
    return months + (1 if available.day > needed.day else 0)


def score_offer(demand: Demand, offer: Offer, facility_labels: dict[str, str] | None = None) -> Match:
    """Score one offer against the demand and say why, criterion by criterion."""
    labels = facility_labels or {}
    reasons: list[Reason] = []
    eligible = True
    unit = "亩" if demand.space_type == "land" else "m²"
    # type
    want, have = (
        TYPE_LABELS.get(demand.space_type, demand.space_type),
        TYPE_LABELS.get(offer.space_type, offer.space_type),
    )
    if offer.space_type == demand.space_type:
        reasons.append(Reason("type", Decimal(30), 30, f"类型一致（{have}）"))
    elif offer.space_type in COMPATIBLE.get(demand.space_type, set()):
        reasons.append(Reason("type", Decimal(15), 30, f"{have}可替代{want}"))
    else:
        eligible = False
        reasons.append(Reason("type", Decimal(0), 30, f"类型不符：需要{want}，提供{have}"))
    # area
    area = offer.area
    if demand.area_min <= area <= demand.upper:
        reasons.append(Reason("area", Decimal(25), 25, f"面积 {area:f}{unit} 在需求范围内"))
    elif area > demand.upper:
        points = _q(Decimal(25) * demand.upper / area)
        reasons.append(Reason("area", points, 25, f"面积 {area:f}{unit} 超出需求上限 {demand.upper:f}{unit}"))
    elif area >= demand.area_min * Decimal("0.8"):
        reasons.append(
            Reason("area", Decimal(10), 25, f"面积 {area:f}{unit} 略小于需求 {demand.area_min:f}{unit}")
        )
    else:
        eligible = False
        reasons.append(
            Reason("area", Decimal(0), 25, f"面积 {area:f}{unit} 不足需求 {demand.area_min:f}{unit} 的八成")
        )
    # conditions
    if demand.needs:
        met = demand.needs & offer.facilities
        missing = sorted(demand.needs - offer.facilities)
        points = _q(Decimal(25) * len(met) / len(demand.needs))
        text = f"配套满足 {len(met)}/{len(demand.needs)}"
        if missing:
            text += "，缺少" + "、".join(labels.get(m, m) for m in missing)
        reasons.append(Reason("conditions", points, 25, text))
    else:
        reasons.append(Reason("conditions", Decimal(25), 25, "无特殊配套需求"))
    # timing
    if demand.needed_by is None or offer.available_from is None or offer.available_from <= demand.needed_by:
        reasons.append(Reason("timing", Decimal(10), 10, "可按时交付"))
    else:
        late = _months_late(offer.available_from, demand.needed_by)
        reasons.append(Reason("timing", Decimal(max(0, 10 - 2 * late)), 10, f"晚于需求约 {late} 个月"))
    # rent
    if demand.max_rent is None or offer.rent is None or offer.rent <= demand.max_rent:
        reasons.append(
            Reason("rent", Decimal(5), 5, "租金在预算内" if offer.rent is not None else "租金待议")
        )
    else:
        reasons.append(
            Reason("rent", Decimal(0), 5, f"租金 {offer.rent:f} 超出预算 {demand.max_rent:f} 元/m²·天")
        )
    # park
    if demand.preferred_park_id is None or demand.preferred_park_id == offer.park_id:
        reasons.append(
            Reason("park", Decimal(5), 5, "意向园区" if demand.preferred_park_id else "无园区偏好")
        )
    else:
        reasons.append(Reason("park", Decimal(0), 5, "非意向园区"))
    score = sum((r.points for r in reasons), Decimal(0))
    return Match(offer=offer, score=score, eligible=eligible, reasons=tuple(reasons))


def rank_offers(
    demand: Demand, offers: list[Offer], facility_labels: dict[str, str] | None = None
) -> list[Match]:
    """Every offer scored and ranked: eligible first, higher score, smaller surplus area, key."""
    matches = [score_offer(demand, o, facility_labels) for o in offers]
    return sorted(
        matches,
        key=lambda m: (not m.eligible, -m.score, abs(m.offer.area - demand.area_min), m.offer.key),
    )
