"""Consistency checks on plain values: no database (bioplan/tracking/consistency.py)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from bioplan.ingest.draft import PlanDraft
from bioplan.tracking.consistency import (
    FAIL,
    INFO,
    OK,
    PlanFacts,
    TargetFacts,
    Tolerances,
    compound,
    facts_from_draft,
    fmt,
    implied_start,
    metric_key,
    plan_findings,
)

GOLD = Path("/work/shared/eval/gold")


def t(
    code: str,
    metric: str,
    kind: str,
    value: str,
    unit: str = "亿元",
    *,
    scope: str = "",
    level: str = "",
    year: int = 2023,
    baseline: str | None = None,
    baseline_year: int | None = None,
) -> TargetFacts:
    return TargetFacts(
        code=code,
        metric=metric,
        kind=kind,
        value=D(value),
        unit=unit,
        year=year,
        level=level,
        scope=scope,
        baseline_value=D(baseline) if baseline else None,
        baseline_year=baseline_year,
    )


def plan(
    *targets: TargetFacts, region: str = "甲区", start: int | None = 2021, end: int | None = 2023
) -> PlanFacts:
    return PlanFacts(region=region, period_start=start, period_end=end, targets=targets)


# The bases of a district plan: 2020 value, CAGR and the 2023 level, plus the district's whole.
BASES = [
    ("莘庄工业区", "62.3", "11", "22.9", "85.2"),
    ("开发区", "107.3", "4.5", "15.1", "122.5"),
    ("浦江园", "31.9", "14", "15.4", "47.4"),
    ("紫竹高新区", "5.6", "8", "1.4", "7.0"),
    ("其他街镇", "32.7", "5", "5.2", "37.8"),
]


def bases_plan() -> PlanFacts:
    targets = [
        t("W1", "规上工业企业产值", "level", "300"),
        t("W2", "规上工业企业产值", "increment", "60"),
        t("W3", "规上工业企业产值", "growth_rate", "7.8", "%"),
    ]
    for i, (scope, base, rate, inc, level) in enumerate(BASES):
        targets += [
            t(f"R{i}", "生物医药工业总产值", "growth_rate", rate, "%", scope=scope),
            t(f"I{i}", "生物医药工业总产值", "increment", inc, scope=scope),
            t(f"L{i}", "生物医药工业总产值", "level", level, scope=scope, baseline=base, baseline_year=2020),
        ]
    return plan(*targets)


def test_compound_is_base_times_one_plus_rate_to_the_n() -> None:
    assert compound(D("62.3"), D("11"), 3) == D("62.3") * D("1.11") ** 3
    assert fmt(compound(D("62.3"), D("11"), 3)) == "85.2"
    assert fmt(compound(D("107.3"), D("4.5"), 3)) == "122.45"


def test_every_base_grows_to_its_stated_level_within_one_percent() -> None:
    findings = [
        f for f in plan_findings(bases_plan()) if f.check == "compound" and f.codes[-1].startswith("L")
    ]
    assert len(findings) == 5
    assert all(f.verdict == OK for f in findings)
    zizhu = next(f for f in findings if "紫竹高新区" in f.subject)
    # 5.6 × 1.08³ = 7.0544 against 7.0: 0.78 %, inside the 1 % tolerance, and the arithmetic is shown.
    assert "5.6 × (1+8%)^3 = 7.05亿元" in zizhu.arithmetic
    assert "相差 0.78%（容差 1%）" in zizhu.arithmetic


def test_region_compound_uses_level_minus_increment_as_baseline() -> None:
    f = next(f for f in plan_findings(bases_plan()) if f.check == "compound" and "W1" in f.codes)
    assert f.verdict == OK
    assert "240 × (1+7.8%)^3 = 300.65亿元（基数 300 − 60 = 240）" in f.arithmetic


def test_parts_add_up_to_the_whole_for_levels_increments_and_baselines() -> None:
    sums = [f for f in plan_findings(bases_plan()) if f.check == "parts_sum"]
    by_text = {f.arithmetic.split("，")[0]: f.verdict for f in sums}
    assert by_text["各分项 85.2 + 122.5 + 47.4 + 7 + 37.8 = 299.9亿元"] == OK
    assert by_text["各分项基数 62.3 + 107.3 + 31.9 + 5.6 + 32.7 = 239.8亿元"] == OK
    assert by_text["各分项 22.9 + 15.1 + 15.4 + 1.4 + 5.2 = 60亿元"] == OK


def test_parts_that_do_not_add_up_fail() -> None:
    facts = plan(
        t("W", "新供产业用地", "increment", "3469", "亩"),
        t("A", "新供产业用地", "increment", "3000", "亩", scope="园区甲"),
        t("B", "新供产业用地", "increment", "200", "亩", scope="园区乙"),
    )
    (f,) = [f for f in plan_findings(facts) if f.check == "parts_sum"]
    assert f.verdict == FAIL
    assert f.computed == D("3200")
    assert f.failed


def test_sector_breakdown_found_by_value() -> None:
    facts = plan(
        t("T1", "生物医药产业规模", "level", "4000"),
        t("T2", "制造业工业产值", "level", "1000"),
        t("T3", "高技术服务业营收", "level", "600"),
        t("T4", "商业营收", "level", "2400"),
        region="乙区",
        start=2022,
        end=2024,
    )
    (f,) = [f for f in plan_findings(facts) if f.check == "parts_sum"]
    assert f.verdict == OK
    assert f.arithmetic.startswith("1000 + 600 + 2400 = 4000亿元")


def test_floor_must_be_below_stretch() -> None:
    good = plan(
        t("F", "总产值", "level", "160", level="floor"), t("S", "总产值", "level", "170", level="stretch")
    )
    bad = plan(
        t("F", "总产值", "level", "170", level="floor"), t("S", "总产值", "level", "160", level="stretch")
    )
    assert [f.verdict for f in plan_findings(good) if f.check == "floor_stretch"] == [OK]
    (f,) = [f for f in plan_findings(bad) if f.check == "floor_stretch"]
    assert f.verdict == FAIL
    assert f.arithmetic.startswith("确保 170亿元 ≥ 力争 160亿元")


def test_growth_targets_imply_about_127_in_the_baseline_year() -> None:
    facts = plan(
        t("T01", "总产值", "growth_rate", "8", "%", level="floor"),
        t("T02", "总产值", "level", "160", level="floor"),
        t("T03", "总产值", "growth_rate", "10", "%", level="stretch"),
        t("T04", "总产值", "level", "170", level="stretch"),
    )
    findings = [f for f in plan_findings(facts) if f.check == "implied_baseline"]
    infos = sorted(f.computed for f in findings if f.verdict == INFO and f.computed is not None)
    assert [fmt(x) for x in infos] == ["127.01", "127.72"]
    (agreement,) = [f for f in findings if f.verdict != INFO]
    assert agreement.verdict == OK
    assert "最大相差 0.56%（容差 2%）" in agreement.arithmetic


def test_implied_baselines_far_apart_fail() -> None:
    facts = plan(
        t("T01", "总产值", "growth_rate", "8", "%", level="floor"),
        t("T02", "总产值", "level", "160", level="floor"),
        t("T03", "总产值", "growth_rate", "20", "%", level="stretch"),
        t("T04", "总产值", "level", "170", level="stretch"),
    )
    (agreement,) = [f for f in plan_findings(facts) if f.check == "implied_baseline" and f.verdict != INFO]
    assert agreement.verdict == FAIL


def test_implied_start_inverts_compound() -> None:
    assert fmt(implied_start(D("160"), D("8"), 3)) == "127.01"


def test_tolerance_is_configurable() -> None:
    strict = Tolerances(compound=D("0.001"))
    zizhu = plan(
        t("R", "产值", "growth_rate", "8", "%", scope="园"),
        t("L", "产值", "level", "7.0", scope="园", baseline="5.6", baseline_year=2020),
    )
    assert [f.verdict for f in plan_findings(zizhu) if f.check == "compound"] == [OK]
    assert [f.verdict for f in plan_findings(zizhu, strict) if f.check == "compound"] == [FAIL]


def test_metric_key_drops_qualifiers_only() -> None:
    assert metric_key("规上工业企业产值") == metric_key("生物医药工业总产值") == "工业产值"
    assert metric_key("上市企业") != metric_key("工业产值")


def test_failures_come_first() -> None:
    facts = plan(
        t("F", "总产值", "level", "170", level="floor"),
        t("S", "总产值", "level", "160", level="stretch"),
        t("A", "用地", "increment", "10", "亩", scope="甲"),
        t("B", "用地", "increment", "5", "亩", scope="乙"),
        t("W", "用地", "increment", "15", "亩"),
    )
    verdicts = [f.verdict for f in plan_findings(facts)]
    assert verdicts[0] == FAIL
    assert OK in verdicts


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold files not available")
def test_gold_plans_have_no_failing_check() -> None:
    for path in sorted(GOLD.glob("*.gold.json")):
        findings = plan_findings(facts_from_draft(PlanDraft.from_json_file(path)))
        assert not [f.line() for f in findings if f.failed], path.name


@pytest.mark.skipif(not (GOLD / "003_772da566bbe32ddc.gold.json").exists(), reason="gold file missing")
def test_minhang_draft_checks_each_base_and_the_district_whole() -> None:
    draft = PlanDraft.from_json_file(GOLD / "003_772da566bbe32ddc.gold.json")
    findings = plan_findings(facts_from_draft(draft))
    assert len([f for f in findings if f.check == "compound"]) == 6
    assert any("整体 300亿元" in f.arithmetic for f in findings)
    assert any("整体 240亿元" in f.arithmetic for f in findings)
