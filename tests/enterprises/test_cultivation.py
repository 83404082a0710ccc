"""The cultivation path and its gaps as pure functions."""

from decimal import Decimal as Dec

from bioplan.enterprises.cultivation import EnterpriseFacts, next_tier, qualifying_tier, tier_gap


def facts(**kw):
    base = dict(
        years_since_founded=5, revenue=Dec(800), rd_expense=Dec(40), is_above_scale=False, honours=frozenset()
    )
    base.update(kw)
    return EnterpriseFacts(**base)


def test_path_order():
    assert [
        next_tier(t) for t in (None, "potential", "specialized", "little_giant", "pre_ipo", "listed")
    ] == [
        "potential",
        "specialized",
        "little_giant",
        "pre_ipo",
        "listed",
        None,
    ]


def test_gap_to_specialized_lists_met_and_missing_criteria():
    gap = tier_gap("potential", facts())
    assert gap.next_tier == "specialized"
    assert [(r.label, r.met) for r in gap.results] == [
        ("营业收入 ≥ 1,000万元", False),
        ("研发投入占比 ≥ 3%", True),
        ("专精特新中小企业认定", False),
    ]
    assert gap.missing[0].detail == "营业收入 800万元，需 ≥ 1,000万元"
    assert gap.met[0].detail == "研发投入占营收 5.0%，需 ≥ 3%"
    assert not gap.ready


def test_enterprise_meeting_every_criterion_is_ready():
    gap = tier_gap(
        "potential", facts(revenue=Dec(1500), rd_expense=Dec(100), honours=frozenset({"specialized"}))
    )
    assert gap.ready


def test_outside_the_pool_the_gap_is_to_potential():
    gap = tier_gap(None, facts(years_since_founded=1))
    assert gap.next_tier == "potential"
    assert [r.met for r in gap.results] == [False, True, True]
    assert gap.results[0].detail == "成立 1 年，需 ≥ 2 年"


def test_missing_figures_never_count_as_met():
    gap = tier_gap("potential", facts(revenue=None, rd_expense=None))
    assert gap.results[0].detail == "营业收入 无数据，需 ≥ 1,000万元"
    assert not gap.results[1].met


def test_listed_is_the_top():
    assert tier_gap("listed", facts()).next_tier is None


def test_qualifying_tier_climbs_while_every_tier_is_met():
    assert qualifying_tier(facts(years_since_founded=1)) is None
    assert qualifying_tier(facts()) == "potential"
    big = facts(
        revenue=Dec(30000),
        rd_expense=Dec(2000),
        is_above_scale=True,
        honours=frozenset({"specialized", "little_giant", "high_tech"}),
    )
    assert qualifying_tier(big) == "pre_ipo"
    assert (
        qualifying_tier(facts(revenue=Dec(30000), rd_expense=Dec(2000), honours=frozenset({"listed"})))
        == "potential"
    )
