"""Property tests of the quantity parser (bioplan.ingest.quantities): any text is safe, and a
number written with a bound word and a unit always comes back with that value, unit and comparator."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bioplan.ingest.quantities import find_quantities

UNITS = ["亿元", "万元", "家", "个", "件", "条", "项", "亩", "万平方米", "万方", "平方公里", "%"]
BOUNDS = [("超过", "", ">"), ("突破", "", ">"), ("不少于", "", ">="), ("", "以上", ">="), ("达到", "", ">=")]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_list_of_quantities_and_never_raises(text):
    for q in find_quantities(text):
        assert q.value.is_finite()
        assert q.value_max is None or q.value_max >= q.value


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(99999), places=1),
    unit=st.sampled_from(UNITS),
    bound=st.sampled_from(BOUNDS),
    lead=st.sampled_from(["到2026年，", "产业规模", "", "其中，"]),
)
def test_a_bounded_number_with_a_unit_is_read_back_exactly(value, unit, bound, lead):
    prefix, suffix, comparator = bound
    written = format(value.normalize(), "f")
    text = f"{lead}{prefix}{written}{unit}{suffix}。"

    found = [q for q in find_quantities(text) if q.unit == unit]

    assert len(found) == 1, (text, found)
    assert (found[0].value, found[0].comparator) == (Decimal(written), comparator), text


@settings(max_examples=200, deadline=None)
@given(
    low=st.integers(min_value=1, max_value=500),
    span=st.integers(min_value=1, max_value=50),
    sep=st.sampled_from(["~", "-", "—", "至", "～"]),
    unit=st.sampled_from(["家", "个", "项"]),
)
def test_a_range_gives_its_two_ends(low, span, sep, unit):
    text = f"新增{low}{sep}{low + span}{unit}"

    [q] = find_quantities(text)

    assert (q.value, q.value_max, q.comparator, q.unit) == (Decimal(low), Decimal(low + span), "range", unit)
