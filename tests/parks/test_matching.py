"""The matching score and ranking on hand-built cases (no database)."""

import datetime as dt
from decimal import Decimal as Dec

from bioplan.parks.matching import Demand, Offer, rank_offers, score_offer

D = dt.date
NEED = Demand(
    space_type="gmp_plant",
    area_min=Dec(2000),
    area_max=Dec(3000),
    needed_by=D(2025, 1, 1),
    needs=frozenset({"hazmat_store", "discharge"}),
    max_rent=Dec("2.5"),
    preferred_park_id=1,
)


def offer(key, **kw):
    base = dict(
        key=key,
        park_id=1,
        label=key,
        space_type="gmp_plant",
        area=Dec(2500),
        available_from=D(2024, 10, 1),
        rent=Dec("2.0"),
        facilities=frozenset({"hazmat_store", "discharge"}),
    )
    base.update(kw)
    return Offer(**base)


def points(match):
    return {r.criterion: r.points for r in match.reasons}


def test_a_perfect_offer_scores_100_and_says_why():
    m = score_offer(NEED, offer("perfect"))
    assert m.eligible
    assert m.score == Dec(100)
    assert [r.text for r in m.reasons] == [
        "类型一致（GMP厂房）",
        "面积 2500m² 在需求范围内",
        "配套满足 2/2",
        "可按时交付",
        "租金在预算内",
        "意向园区",
    ]


def test_wrong_type_is_not_eligible():
    m = score_offer(NEED, offer("office", space_type="office"))
    assert not m.eligible
    assert points(m)["type"] == 0
    assert m.reasons[0].text == "类型不符：需要GMP厂房，提供办公"


def test_compatible_type_scores_half():
    need = Demand(space_type="standard_plant", area_min=Dec(1000))
    m = score_offer(need, offer("gmp", area=Dec(1200), facilities=frozenset()))
    assert m.eligible and points(m)["type"] == 15
    assert m.reasons[0].text == "GMP厂房可替代标准厂房"


def test_too_large_offer_loses_area_points_in_proportion():
    m = score_offer(NEED, offer("big", area=Dec(6000)))
    assert points(m)["area"] == Dec("12.5")  # 25 × 3000 / 6000


def test_slightly_small_offer_gets_10_and_too_small_is_not_eligible():
    assert points(score_offer(NEED, offer("small", area=Dec(1700))))["area"] == 10
    tiny = score_offer(NEED, offer("tiny", area=Dec(1500)))
    assert not tiny.eligible and points(tiny)["area"] == 0


def test_missing_conditions_are_named():
    m = score_offer(NEED, offer("half", facilities=frozenset({"discharge"})), {"hazmat_store": "危化品仓库"})
    assert points(m)["conditions"] == Dec("12.5")
    assert m.reasons[2].text == "配套满足 1/2，缺少危化品仓库"


def test_late_availability_costs_two_points_a_month():
    m = score_offer(NEED, offer("late", available_from=D(2025, 3, 15)))  # 2.5 months late → 3 months
    assert points(m)["timing"] == 4
    assert m.reasons[3].text == "晚于需求约 3 个月"


def test_rent_over_budget_and_other_park_lose_their_points():
    m = score_offer(NEED, offer("dear", rent=Dec("3.1"), park_id=2))
    assert points(m)["rent"] == 0 and points(m)["park"] == 0
    assert m.score == Dec(90)


def test_default_upper_area_is_one_and_a_half_times_the_minimum():
    need = Demand(space_type="land", area_min=Dec(20))
    assert (
        points(score_offer(need, offer("p", space_type="land", area=Dec(30), facilities=frozenset())))["area"]
        == 25
    )
    assert points(score_offer(need, offer("q", space_type="land", area=Dec(40), facilities=frozenset())))[
        "area"
    ] == Dec("18.8")


def test_ranking_puts_eligible_first_then_score_then_closest_area_then_key():
    offers = [
        offer("wrong-type", space_type="office"),  # not eligible, last
        offer("b-good", area=Dec(2400)),  # 100, surplus 400
        offer("a-good", area=Dec(2400)),  # 100, same surplus: key decides
        offer("closest", area=Dec(2100)),  # 100, surplus 100: first
        offer("other-park", park_id=9),  # 95
        offer("no-discharge", facilities=frozenset({"hazmat_store"})),  # 87.5
    ]
    ranked = [m.offer.key for m in rank_offers(NEED, offers)]
    assert ranked == ["closest", "a-good", "b-good", "other-park", "no-discharge", "wrong-type"]


def test_no_preferences_means_full_marks_for_them():
    need = Demand(space_type="laboratory", area_min=Dec(300))
    m = score_offer(
        need,
        offer(
            "lab",
            space_type="research",
            area=Dec(300),
            rent=None,
            available_from=None,
            facilities=frozenset(),
        ),
    )
    assert points(m) == {"type": 15, "area": 25, "conditions": 25, "timing": 10, "rent": 5, "park": 5}
    assert m.reasons[4].text == "租金待议" and m.reasons[5].text == "无园区偏好"
