"""Plan consistency checks (方案内部一致性校核) as pure functions over plain values.

The checks read a plan's targets and say, with the arithmetic written out, whether its numbers
agree with one another:

* ``compound`` — a baseline grown at a stated rate reaches the stated level:
  ``baseline × (1+r)^n`` against the target, n = target year − baseline year;
* ``increment`` — baseline + stated increment equals the stated level;
* ``parts_sum`` — parts add up to the whole: the same quantity in sub-scopes (parks, bases, towns)
  adds up to the region's figure, for the target and for the baselines; and a region figure that
  is the sum of other figures of the same unit and year (a "其中" breakdown) is reported as found;
* ``floor_stretch`` — a 确保 (floor) value is below the 力争 (stretch) value of the same quantity;
* ``implied_baseline`` — a growth-rate target with a level target implies a starting value
  ``level / (1+r)^n``; several such pairs of one quantity should imply the same start.

Nothing here imports Django: the input is `PlanFacts` (built from a PlanDraft by `facts_from_draft`,
or from a stored plan by `bioplan.tracking.selectors.plan_facts`). Tolerances are explicit
(`Tolerances`) and printed in every finding.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bioplan.ingest.draft import PlanDraft

OK = "ok"
FAIL = "fail"
INFO = "info"

VERDICT_LABELS = {OK: "通过", FAIL: "不一致", INFO: "提示"}
CHECK_LABELS = {
    "compound": "复合增长校核",
    "increment": "基数+增量校核",
    "parts_sum": "分项加总校核",
    "floor_stretch": "确保/力争校核",
    "implied_baseline": "隐含基数校核",
}


@dataclass(frozen=True)
class Tolerances:
    """How far stated and computed figures may differ before a check fails (relative, as fractions).

    Plans round their figures (62.3 × 1.11³ = 85.18 is written 85.2), so the defaults allow for
    rounding of one decimal place on rates and values.
    """

    compound: Decimal = Decimal("0.01")  # 1 % of the stated level
    increment: Decimal = Decimal("0.005")  # 0.5 % of the stated level
    parts_sum: Decimal = Decimal("0.01")  # 1 % of the whole
    implied_baseline: Decimal = Decimal("0.02")  # 2 % between implied baselines


@dataclass(frozen=True)
class TargetFacts:
    """The plain values of one target, as in the contract JSON."""

    code: str
    metric: str
    kind: str
    value: Decimal
    unit: str
    year: int | None
    level: str = ""
    scope: str = ""
    comparator: str = "="
    value_max: Decimal | None = None
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    quote: str = ""


@dataclass(frozen=True)
class PlanFacts:
    region: str
    period_start: int | None
    period_end: int | None
    targets: tuple[TargetFacts, ...]


@dataclass(frozen=True)
class Finding:
    """One check's result: which targets, the arithmetic, the verdict."""

    check: str
    verdict: str
    codes: tuple[str, ...]
    subject: str
    arithmetic: str
    computed: Decimal | None = None
    stated: Decimal | None = None
    tolerance: Decimal | None = None

    @property
    def failed(self) -> bool:
        return self.verdict == FAIL

    def line(self) -> str:
        """One line for the terminal: verdict, check, targets, subject, arithmetic."""
        return (
            f"[{self.verdict.upper():4}] {CHECK_LABELS.get(self.check, self.check)} "
            f"{'/'.join(self.codes)} {self.subject}: {self.arithmetic}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "verdict": self.verdict,
            "codes": list(self.codes),
            "subject": self.subject,
            "arithmetic": self.arithmetic,
            "computed": None if self.computed is None else str(self.computed),
            "stated": None if self.stated is None else str(self.stated),
            "tolerance": None if self.tolerance is None else str(self.tolerance),
        }


# ---------------------------------------------------------------------------------- helpers
# Words that qualify a quantity without changing what is counted; removing them lets the region's
# "规上工业企业产值" meet its parks' "生物医药工业总产值". Generic industry words only.
_QUALIFIERS = re.compile(r"生物医药|医药|产业|规模以上|规上|企业|总|的|[\s“”\"'（）()]")


def metric_key(metric: str) -> str:
    """A normalised form of a metric for grouping: qualifiers and punctuation removed."""
    key = _QUALIFIERS.sub("", metric or "")
    return key or (metric or "").strip()


def fmt(value: Decimal | float | int | None, places: int = 2) -> str:
    """A number for people: at most `places` decimals, trailing zeros dropped (85.20 → 85.2)."""
    if value is None:
        return "—"
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def pct(fraction: Decimal | float, places: int = 2) -> str:
    return f"{fmt(Decimal(str(fraction)) * 100, places)}%"


def compound(base: Decimal, rate_percent: Decimal, years: int) -> Decimal:
    """base × (1 + r)^years, r given in percent."""
    return base * (1 + rate_percent / 100) ** years


def implied_start(level: Decimal, rate_percent: Decimal, years: int) -> Decimal:
    """The start value from which `rate_percent` a year for `years` years reaches `level`."""
    return level / (1 + rate_percent / 100) ** years


def relative_gap(computed: Decimal, stated: Decimal) -> Decimal:
    if stated == 0:
        return Decimal(0) if computed == 0 else Decimal(1)
    return abs(computed - stated) / abs(stated)


def _verdict(gap: Decimal, tolerance: Decimal) -> str:
    return OK if gap <= tolerance else FAIL


def _scope(t: TargetFacts, region: str) -> str:
    return t.scope or region


def _is_region(t: TargetFacts, region: str) -> bool:
    return not t.scope or t.scope == region


def default_baseline_year(facts: PlanFacts) -> int | None:
    """The year before the plan starts (2021—2023 → 2020), else the year stated by any target."""
    if facts.period_start:
        return facts.period_start - 1
    years = {t.baseline_year for t in facts.targets if t.baseline_year}
    return years.pop() if len(years) == 1 else None


# ---------------------------------------------------------------------------------- the checks
@dataclass
class _Quantity:
    """The targets of one quantity in one scope, year and level (floor/stretch/none)."""

    level_targets: list[TargetFacts] = field(default_factory=list)
    rates: list[TargetFacts] = field(default_factory=list)
    increments: list[TargetFacts] = field(default_factory=list)


def _group(facts: PlanFacts) -> dict[tuple[str, str, int | None, str], _Quantity]:
    groups: dict[tuple[str, str, int | None, str], _Quantity] = defaultdict(_Quantity)
    for t in facts.targets:
        key = (metric_key(t.metric), _scope(t, facts.region), t.year, t.level or "")
        if t.kind == "level":
            groups[key].level_targets.append(t)
        elif t.kind == "growth_rate":
            groups[key].rates.append(t)
        elif t.kind == "increment":
            groups[key].increments.append(t)
    return groups


def _baseline(
    level: TargetFacts, q: _Quantity, default_year: int | None
) -> tuple[Decimal, int, str, tuple[str, ...]] | None:
    """The baseline of a level target: stated on it, or level − a stated increment of the same unit."""
    if level.baseline_value is not None:
        year = level.baseline_year or default_year
        if year is not None:
            return level.baseline_value, year, "基数", (level.code,)
    for inc in q.increments:
        if inc.unit == level.unit and default_year is not None:
            return (
                level.value - inc.value,
                default_year,
                f"{fmt(level.value)} − {fmt(inc.value)}",
                (inc.code,),
            )
    return None


def check_compound(facts: PlanFacts, tol: Tolerances) -> list[Finding]:
    """baseline × (1+r)^n against each stated level that has a rate and a known baseline."""
    out: list[Finding] = []
    default_year = default_baseline_year(facts)
    for (_, scope, year, _level), q in _group(facts).items():
        for level in q.level_targets:
            base = _baseline(level, q, default_year)
            for rate in q.rates:
                if base is None or year is None or rate.unit != "%":
                    continue
                b, b_year, how, b_codes = base
                n = year - b_year
                if n <= 0:
                    continue
                computed = compound(b, rate.value, n)
                gap = relative_gap(computed, level.value)
                verdict = _verdict(gap, tol.compound)
                source = f"（基数 {how} = {fmt(b)}）" if how != "基数" else ""
                out.append(
                    Finding(
                        check="compound",
                        verdict=verdict,
                        codes=(*[c for c in b_codes if c != level.code], rate.code, level.code),
                        subject=f"{scope} {level.metric} {year}",
                        arithmetic=(
                            f"{fmt(b)} × (1+{fmt(rate.value)}%)^{n} = {fmt(computed)}{level.unit}{source}，"
                            f"目标 {fmt(level.value)}{level.unit}，相差 {pct(gap)}（容差 {pct(tol.compound, 1)}）"
                            f" → {VERDICT_LABELS[verdict]}"
                        ),
                        computed=computed,
                        stated=level.value,
                        tolerance=tol.compound,
                    )
                )
    return out


def check_increment(facts: PlanFacts, tol: Tolerances) -> list[Finding]:
    """A stated baseline plus a stated increment against the stated level."""
    out: list[Finding] = []
    for (_, scope, year, _level), q in _group(facts).items():
        for level in q.level_targets:
            if level.baseline_value is None:
                continue
            for inc in q.increments:
                if inc.unit != level.unit:
                    continue
                computed = level.baseline_value + inc.value
                gap = relative_gap(computed, level.value)
                verdict = _verdict(gap, tol.increment)
                out.append(
                    Finding(
                        check="increment",
                        verdict=verdict,
                        codes=(inc.code, level.code),
                        subject=f"{scope} {level.metric} {year}",
                        arithmetic=(
                            f"{fmt(level.baseline_value)} + {fmt(inc.value)} = {fmt(computed)}{level.unit}，"
                            f"目标 {fmt(level.value)}{level.unit}，相差 {pct(gap)}（容差 {pct(tol.increment, 1)}）"
                            f" → {VERDICT_LABELS[verdict]}"
                        ),
                        computed=computed,
                        stated=level.value,
                        tolerance=tol.increment,
                    )
                )
    return out


def check_floor_stretch(facts: PlanFacts, tol: Tolerances) -> list[Finding]:
    """Every 确保 value of a quantity lies below its 力争 value (same scope, year, kind and unit)."""
    out: list[Finding] = []
    by_quantity: dict[tuple[str, str, int | None, str, str], dict[str, list[TargetFacts]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for t in facts.targets:
        if t.level in ("floor", "stretch"):
            key = (metric_key(t.metric), _scope(t, facts.region), t.year, t.kind, t.unit)
            by_quantity[key][t.level].append(t)
    for (_, scope, year, _kind, unit), levels in by_quantity.items():
        for floor in levels.get("floor", []):
            for stretch in levels.get("stretch", []):
                verdict = OK if floor.value < stretch.value else FAIL
                sign = "<" if floor.value < stretch.value else "≥"
                out.append(
                    Finding(
                        check="floor_stretch",
                        verdict=verdict,
                        codes=(floor.code, stretch.code),
                        subject=f"{scope} {floor.metric} {year}",
                        arithmetic=(
                            f"确保 {fmt(floor.value)}{unit} {sign} 力争 {fmt(stretch.value)}{unit}"
                            f" → {VERDICT_LABELS[verdict]}"
                        ),
                        computed=floor.value,
                        stated=stretch.value,
                    )
                )
    return out


def check_implied_baseline(facts: PlanFacts, tol: Tolerances) -> list[Finding]:
    """level / (1+r)^n for each rate/level pair without a stated baseline; pairs of one quantity must agree."""
    out: list[Finding] = []
    start = default_baseline_year(facts)
    if start is None:
        return out
    implied: dict[tuple[str, str], list[tuple[Decimal, TargetFacts, TargetFacts]]] = defaultdict(list)
    for (key, scope, year, _level), q in _group(facts).items():
        if year is None or year <= start:
            continue
        n = year - start
        for level in q.level_targets:
            if level.baseline_value is not None:
                continue
            for rate in q.rates:
                if rate.unit != "%":
                    continue
                b = implied_start(level.value, rate.value, n)
                implied[(key, scope)].append((b, rate, level))
                out.append(
                    Finding(
                        check="implied_baseline",
                        verdict=INFO,
                        codes=(rate.code, level.code),
                        subject=f"{scope} {level.metric} {start}",
                        arithmetic=(
                            f"{fmt(level.value)} ÷ (1+{fmt(rate.value)}%)^{n} = {fmt(b)}{level.unit}"
                            f"（{year}年目标隐含的{start}年基数）"
                        ),
                        computed=b,
                    )
                )
    for (_key, scope), pairs in implied.items():
        if len(pairs) < 2:
            continue
        values = [b for b, _, _ in pairs]
        low, high = min(values), max(values)
        gap = relative_gap(high, low)
        verdict = _verdict(gap, tol.implied_baseline)
        codes = tuple(dict.fromkeys(c for _, r, lv in pairs for c in (r.code, lv.code)))
        listed = "、".join(f"{fmt(b)}" for b in values)
        out.append(
            Finding(
                check="implied_baseline",
                verdict=verdict,
                codes=codes,
                subject=f"{scope} {pairs[0][2].metric} {start}",
                arithmetic=(
                    f"各组目标隐含基数 {listed}{pairs[0][2].unit}，最大相差 {pct(gap)}"
                    f"（容差 {pct(tol.implied_baseline, 1)}） → {VERDICT_LABELS[verdict]}"
                ),
                computed=high,
                stated=low,
                tolerance=tol.implied_baseline,
            )
        )
    return out


def _sum_finding(
    *,
    whole_value: Decimal,
    parts: list[tuple[str, Decimal]],
    unit: str,
    codes: tuple[str, ...],
    subject: str,
    what: str,
    tol: Decimal,
) -> Finding:
    total = sum((v for _, v in parts), Decimal(0))
    gap = relative_gap(total, whole_value)
    verdict = _verdict(gap, tol)
    terms = " + ".join(fmt(v) for _, v in parts)
    return Finding(
        check="parts_sum",
        verdict=verdict,
        codes=codes,
        subject=subject,
        arithmetic=(
            f"{what}{terms} = {fmt(total)}{unit}，整体 {fmt(whole_value)}{unit}，相差 {pct(gap)}"
            f"（容差 {pct(tol, 1)}） → {VERDICT_LABELS[verdict]}"
        ),
        computed=total,
        stated=whole_value,
        tolerance=tol,
    )


def check_parts_by_scope(facts: PlanFacts, tol: Tolerances) -> list[Finding]:
    """The same quantity (metric, unit, year, kind) in ≥ 2 sub-scopes adds up to the region's figure."""
    out: list[Finding] = []
    groups: dict[tuple[str, str, int | None, str, str], list[TargetFacts]] = defaultdict(list)
    for t in facts.targets:
        if t.kind in ("level", "increment"):
            groups[(metric_key(t.metric), t.unit, t.year, t.kind, t.level or "")].append(t)
    default_year = default_baseline_year(facts)
    for (_key, unit, year, _kind, _level), members in groups.items():
        wholes = [t for t in members if _is_region(t, facts.region)]
        parts: dict[str, TargetFacts] = {}
        for t in members:
            if not _is_region(t, facts.region):
                parts.setdefault(t.scope, t)
        if len(wholes) != 1 or len(parts) < 2:
            continue
        whole = wholes[0]
        part_list = list(parts.values())
        codes = (*(p.code for p in part_list), whole.code)
        out.append(
            _sum_finding(
                whole_value=whole.value,
                parts=[(p.code, p.value) for p in part_list],
                unit=unit,
                codes=codes,
                subject=f"{facts.region} {whole.metric} {year}",
                what="各分项 ",
                tol=tol.parts_sum,
            )
        )
        # Baselines of the parts against the region's baseline (stated, or level − increment).
        if all(p.baseline_value is not None for p in part_list):
            whole_base = whole.baseline_value
            how_codes: tuple[str, ...] = (whole.code,)
            if whole_base is None:
                incs = [
                    t
                    for t in facts.targets
                    if t.kind == "increment"
                    and _is_region(t, facts.region)
                    and t.unit == unit
                    and t.year == year
                    and metric_key(t.metric) == metric_key(whole.metric)
                ]
                if len(incs) == 1:
                    whole_base = whole.value - incs[0].value
                    how_codes = (whole.code, incs[0].code)
            if whole_base is not None:
                b_year = part_list[0].baseline_year or default_year
                out.append(
                    _sum_finding(
                        whole_value=whole_base,
                        parts=[(p.code, p.baseline_value or Decimal(0)) for p in part_list],
                        unit=unit,
                        codes=(*(p.code for p in part_list), *how_codes),
                        subject=f"{facts.region} {whole.metric} {b_year or ''}基数".strip(),
                        what="各分项基数 ",
                        tol=tol.parts_sum,
                    )
                )
    return out


def check_parts_by_value(facts: PlanFacts, tol: Tolerances, max_parts: int = 4) -> list[Finding]:
    """A region figure equal to the sum of 2–`max_parts` other figures of the region with the same unit,
    year and kind (a "其中" breakdown such as 1000 + 600 + 2400 = 4000). Only matches are reported:
    without a stated link, a figure that is no sum is not an error."""
    out: list[Finding] = []
    groups: dict[tuple[str, int | None, str, str], list[TargetFacts]] = defaultdict(list)
    for t in facts.targets:
        if t.kind == "level" and _is_region(t, facts.region) and t.value > 0:
            groups[(t.unit, t.year, t.kind, t.level or "")].append(t)
    for (unit, year, _kind, _level), members in groups.items():
        if len(members) < 3 or len(members) > 16:
            continue
        for whole in members:
            candidates = [
                t
                for t in members
                if t is not whole
                and t.value < whole.value
                and metric_key(t.metric) != metric_key(whole.metric)
            ]
            found: tuple[TargetFacts, ...] | None = None
            for size in range(2, min(max_parts, len(candidates)) + 1):
                for combo in itertools.combinations(candidates, size):
                    total = sum((t.value for t in combo), Decimal(0))
                    if relative_gap(total, whole.value) <= tol.parts_sum / 2:
                        found = combo
                        break
                if found:
                    break
            if found:
                names = "、".join(t.metric for t in found)
                out.append(
                    _sum_finding(
                        whole_value=whole.value,
                        parts=[(t.code, t.value) for t in found],
                        unit=unit,
                        codes=(*(t.code for t in found), whole.code),
                        subject=f"{facts.region} {whole.metric} {year}（其中 {names}）",
                        what="",
                        tol=tol.parts_sum,
                    )
                )
    return out


def plan_findings(facts: PlanFacts, tolerances: Tolerances | None = None) -> list[Finding]:
    """Every consistency finding of a plan, failures first, then in check order."""
    tol = tolerances or Tolerances()
    findings: list[Finding] = [
        *check_compound(facts, tol),
        *check_increment(facts, tol),
        *check_parts_by_scope(facts, tol),
        *check_parts_by_value(facts, tol),
        *check_floor_stretch(facts, tol),
        *check_implied_baseline(facts, tol),
    ]
    order = {FAIL: 0, OK: 1, INFO: 2}
    return sorted(findings, key=lambda f: order[f.verdict])


def facts_from_targets(
    *, region: str, period_start: int | None, period_end: int | None, targets: Iterable[TargetFacts]
) -> PlanFacts:
    return PlanFacts(region=region, period_start=period_start, period_end=period_end, targets=tuple(targets))


def facts_from_draft(draft: PlanDraft) -> PlanFacts:
    """The plain values of a contract-format PlanDraft."""
    region = draft.plan.region or ""
    return facts_from_targets(
        region=region,
        period_start=draft.plan.period_start,
        period_end=draft.plan.period_end,
        targets=(
            TargetFacts(
                code=t.id,
                metric=t.metric,
                kind=t.kind,
                value=t.value,
                unit=t.unit,
                year=t.year if t.year is not None else draft.plan.period_end,
                level=t.level or "",
                scope=t.scope or "",
                comparator=t.comparator,
                value_max=t.value_max,
                baseline_value=t.baseline_value,
                baseline_year=t.baseline_year,
                quote=t.quote,
            )
            for t in draft.targets
        ),
    )
