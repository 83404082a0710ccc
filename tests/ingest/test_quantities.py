from decimal import Decimal

import pytest

from bioplan.ingest.quantities import find_quantities, parse_number


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def test_arabic_number_with_money_unit_keeps_value_in_unit_as_written():
    q = one("产值超过160亿元")
    assert (q.value, q.unit, q.comparator, q.prefix) == (Decimal(160), "亿元", ">", "超过")


def test_decimal_value_is_exact_decimal():
    q = one("达到85.2亿元")
    assert q.value == Decimal("85.2")
    assert isinstance(q.value, Decimal)


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("达1~2家", 1, 2, "家"),
        ("8-10家", 8, 10, "家"),
        ("3—5个", 3, 5, "个"),
        ("8至10家", 8, 10, "家"),
        ("形成2-3个", 2, 3, "个"),
        ("三至五家", 3, 5, "家"),
    ],
)
def test_range_gives_min_and_max_with_range_comparator(text, low, high, unit):
    q = one(text)
    assert (q.value, q.value_max, q.unit, q.comparator) == (Decimal(low), Decimal(high), unit, "range")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("两家", 2, "家"), ("五个", 5, "个"), ("一百二十亿元", 120, "亿元"), ("两千万元", 2000, "万元")],
)
def test_chinese_numerals_are_read_with_cn2an(text, value, unit):
    q = one(text)
    assert (q.value, q.unit, q.chinese) == (Decimal(value), unit, True)


def test_size_class_ten_yi_ji_is_a_class_unit():
    q = one("十亿级")
    assert (q.value, q.unit) == (Decimal(10), "亿级")


def test_percent_written_in_words_becomes_percent():
    q = one("超过百分之十五")
    assert (q.value, q.unit, q.comparator) == (Decimal(15), "%", ">")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("200万方", 200, "万方"),
        ("50万平方米", 50, "万平方米"),
        ("1.5万亿元", Decimal("1.5"), "万亿元"),
        ("3469亩", 3469, "亩"),
        ("2.15平方公里", Decimal("2.15"), "平方公里"),
        ("18栋", 18, "栋"),
        ("一批", 1, "批"),
        ("300人", 300, "人"),
        ("20名", 20, "名"),
        ("50件", 50, "件"),
        ("400条", 400, "条"),
        ("6项", 6, "项"),
    ],
)
def test_magnitudes_and_units_from_the_unit_file(text, value, unit):
    q = one(text)
    assert (q.value, q.unit, q.known_unit) == (Decimal(value), unit, True)


def test_bare_yi_after_number_means_yi_yuan():
    q = one("营收200亿，")
    assert (q.value, q.unit) == (Decimal(200), "亿元")


def test_unknown_unit_after_number_is_kept_as_written():
    q = one("新建3台")
    assert (q.value, q.unit, q.known_unit) == (Decimal(3), "台", True)
    q = one("引进5只")
    assert (q.unit, q.known_unit) == ("只", False)


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("超过60家", ">"),
        ("超200万方", ">"),
        ("突破100亿元", ">"),
        ("10家以上", ">="),
        ("不少于2家", ">="),
        ("不低于30%", ">="),
        ("达到2家", ">="),
        ("累计达到20家", ">="),
        ("至少5个", ">="),
        ("约3469亩", "="),
        ("50家左右", "="),
        ("达5家", "="),
        ("5家", "="),
        ("不超过3个", "<="),
        ("150余家", ">"),
        ("产值过100亿元", ">"),
    ],
)
def test_comparator_words(text, comparator):
    assert one(text).comparator == comparator


def test_spaces_between_number_and_unit_are_allowed():
    q = one("超过 160 亿元")
    assert (q.value, q.unit, q.comparator) == (Decimal(160), "亿元", ">")


@pytest.mark.parametrize(
    "text", ["到2023年", "2021-2023年", "（2022—2024年）", "2020年9月", "十四五期间", "51号"]
)
def test_years_dates_and_document_numbers_are_never_quantities(text):
    assert find_quantities(text) == []


def test_ordinals_fractions_and_model_names_are_not_quantities():
    assert find_quantities("第三方物流") == []
    assert find_quantities("三分之一") == []
    assert find_quantities("推进5G应用") == []


def test_offsets_cover_comparator_and_unit():
    text = "力争收入超过30亿元。"
    q = one(text)
    assert text[q.start : q.end] == "超过30亿元"
    assert text[q.number_start : q.number_start + 2] == "30"


def test_several_quantities_in_order():
    found = find_quantities("确保年均增长8%以上、超过160亿元")
    assert [(q.value, q.unit, q.comparator) for q in found] == [
        (Decimal(8), "%", ">="),
        (Decimal(160), "亿元", ">"),
    ]


def test_parse_number_handles_both_scripts():
    assert parse_number("7.0") == Decimal("7.0")
    assert parse_number("两千") == Decimal(2000)
    assert parse_number("百") == Decimal(100)
    assert parse_number("十四五") is None
