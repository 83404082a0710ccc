from bioplan.ingest.layout import is_generic, layout_parks
from bioplan.ingest.outline import build_outline


def parks_of(text: str):
    return [(p.name, p.group, p.type) for p in layout_parks(build_outline(text))]


def test_zone_formula_gives_each_named_zone_its_slot():
    text = (
        "二、重点领域与空间布局\n构建“一核两带两圈”发展格局。\n——一核：甲市医药创新策源核，集聚研发机构。\n"
        "——两带：乙丙制药创新赋能带串联甲市、丁市；戊己器械创新赋能带串联庚市。\n"
        "——两圈：辛山生态医药产业圈重点发展中药；壬海海洋医药产业圈重点发展海洋药物。\n三、重点任务\n"
    )
    assert parks_of(text) == [
        ("甲市医药创新策源核", "一核", None),
        ("乙丙制药创新赋能带", "两带", None),
        ("戊己器械创新赋能带", "两带", None),
        ("辛山生态医药产业圈", "两圈", None),
        ("壬海海洋医药产业圈", "两圈", None),
    ]


def test_numeric_formula_slots_from_quoted_markers_and_counts_and_the_type_after_a_name():
    text = (
        "二、空间布局\n构建“1+N”产业布局。“1”为苏州工业园区核心区，集聚创新药企业。“N”为多个特色增长极："
        "昆山小核酸及生物医药特色产业基地，重点发展小核酸药物；太仓市生物医药产业园，重点发展生物制药。\n"
    )
    assert parks_of(text) == [
        ("苏州工业园区", "1", "核心区"),
        ("昆山小核酸及生物医药特色产业基地", "N", None),
        ("太仓市生物医药产业园", "N", None),
    ]


def test_counted_slots_and_a_list_of_mostly_named_areas_keeps_the_name_without_a_park_word():
    text = (
        "二、空间布局\n按照“2+4”格局推进。制造端布局两个专业园区：燕罗集成电路专业制造园区主攻汽车半导体。"
        "设计端布局四个片区：宝安中心区、大铲湾、铁仔山片区和机场片区，主攻芯片设计。\n"
    )
    assert parks_of(text) == [
        ("燕罗集成电路专业制造园区", "2", None),
        ("宝安中心区", "4", None),
        ("大铲湾", "4", None),
        ("铁仔山片区", "4", None),
        ("机场片区", "4", None),
    ]


def test_areas_named_only_by_their_industry_are_not_parks():
    text = (
        "三、空间布局\n以天府国际生物城、成都医学城为主要承载区。依托都市现代农业园区和节能环保产业园区，推动融合应用。\n"
        "（一）“三医+”生物经济核心区。发展生物技术药。\n"
    )
    assert [name for name, _, _ in parks_of(text)] == [
        "天府国际生物城",
        "成都医学城",
        "“三医+”生物经济核心区",
    ]
    assert is_generic("节能环保产业园区") and is_generic("主要承载区") and not is_generic("临港新片区")


def test_names_outside_a_layout_part_are_not_read_here():
    assert parks_of("一、发展目标\n到2025年，甲生物医药产业园产值达100亿元。\n") == []
