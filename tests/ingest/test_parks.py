from decimal import Decimal

from bioplan.ingest.draft import PlanMeta
from bioplan.ingest.outline import build_outline
from bioplan.ingest.parks import extract_parks
from bioplan.ingest.targets import extract_targets


def parks_of(text: str):
    outline = build_outline(text)
    meta = PlanMeta(region="嘉定区", period_start=2023, period_end=2025)
    return extract_parks(outline, extract_targets(outline, meta))


def test_slot_definitions_with_ji_give_names_type_and_group_and_the_layout_box_gives_focus():
    text = (
        "三、主要任务\n（一）优化布局\n1．深化产业规划布局。深化“2+3+X”产业布局：“2”，指2个“区域型”产业园区，即甲生命科学园、乙科创园；"
        "“3”，指3个“楼宇型”特色产业园区，即丙 e港产业园、丁健康产业园区、戊服务业功能区；“X”，指其它认定的特色产业园区。\n"
        "专栏1 产业布局\n“2”：2个“区域型”产业园区\n（1）甲生命科学园。重点发展现代中药和生物医学工程产业领域的生产制造。\n"
        "（2）乙科创园。重点发展医疗器械、医工结合、智慧医疗。\n“3”：3个“楼宇型”特色产业园区\n"
        "（1）丙e港产业园及其供应链项目。重点发展高值耗材。\n（2）丁健康产业园区。重点发展传统中医药的开发。\n（3）戊服务业功能区。聚焦高端研发。\n"
        "2．优化拓展产业空间。到2025年，甲生命科学园可新供产业用地约3000亩；乙科创园可新供产业用地约269亩。"
    )
    parks = parks_of(text)
    assert [(p.name, p.type, p.group) for p in parks] == [
        ("甲生命科学园", "区域型", "2"),
        ("乙科创园", "区域型", "2"),
        ("丙 e港产业园", "楼宇型", "3"),
        ("丁健康产业园区", "楼宇型", "3"),
        ("戊服务业功能区", "楼宇型", "3"),
    ]
    assert parks[0].focus == ["现代中药", "生物医学工程"]
    assert parks[1].focus == ["医疗器械", "医工结合", "智慧医疗"]
    assert [p.new_land_mu for p in parks] == [Decimal(3000), Decimal(269), None, None, None]


def test_slot_definitions_with_count_and_head_noun_and_open_slot_filled_from_the_box():
    text = (
        "四、主要任务\n（1）优化规划布局\n1、以“4+2+X”园区为载体。“4”指的是甲工业区（含乙园）、丙开发区、丁园、戊高新区四大具有良好基础的产业基地，"
        "以提质增效为主；“2”指的是北部研发创新中心，南部示范基地及机器人产业园，建设特色园区；“X”指的是己科技园庚基地等面向成果转化的转化基地。\n"
        "专栏1 优化产业布局，建设特色片区\n（1）北部研发创新中心。打造总部集聚区。\n（2）南部示范基地和机器人产业园。重点打造融合发展示范基地。\n"
        "（3）己科技园庚基地。致力建设转化基地。\n（4）辛健康产业基地。用地77亩，建设18栋柔性化工业厂房。"
    )
    parks = parks_of(text)
    assert [(p.name, p.type, p.group) for p in parks] == [
        ("甲工业区", "基地", "4"),
        ("丙开发区", "基地", "4"),
        ("丁园", "基地", "4"),
        ("戊高新区", "基地", "4"),
        ("北部研发创新中心", "片区", "2"),
        ("南部示范基地和机器人产业园", "片区", "2"),
        ("己科技园庚基地", "基地", "X"),
        ("辛健康产业基地", "基地", "X"),
    ]
    assert parks[-1].extra == {"land_mu": 77}


def test_enumerated_zones_and_directional_headings_without_slot_definitions():
    text = (
        "一、产业布局\n提出在现有甲工业区、乙开发区、丙园、丁高新区四个具有良好基础的产业基地的基础上，"
        "将进一步向戊国际健康城、己大数据产业基地和庚国际医学中心几个重点区域集聚，形成“北服务、南研发、东转化”的格局。\n"
        "（一）东部——戊国际健康城\n形成以生命科学为核心的大健康产业集群。\n"
        "（二）南部——己大数据产业基地\n重点发展大数据中心、干细胞。\n（三）北部——国际化的医疗服务基地\n将建设以庚国际医学中心为核心的服务基地。"
    )
    parks = parks_of(text)
    assert [(p.name, p.type, p.group) for p in parks] == [
        ("甲工业区", "基地", None),
        ("乙开发区", "基地", None),
        ("丙园", "基地", None),
        ("丁高新区", "基地", None),
        ("戊国际健康城", None, "东转化"),
        ("己大数据产业基地", None, "南研发"),
        ("庚国际医学中心", None, "北服务"),
    ]


def test_names_in_a_layout_section_when_nothing_else_is_stated():
    text = (
        "一、总体要求\n（三）空间布局\n打造“特色核心园+专业精品园”体系。甲生物医药产业园为本区引领性空间，积极推动资源向该园区集中。"
        "乙园区打响品牌。持续做强做精丙疫苗科技园、丁诊疗设备产业创新基地等优质专业园区。"
    )
    assert [p.name for p in parks_of(text)] == [
        "甲生物医药产业园",
        "乙园区",
        "丙疫苗科技园",
        "丁诊疗设备产业创新基地",
    ]


def test_area_targets_scoped_to_a_park_become_its_extra_areas():
    text = (
        "三、主要任务\n1、建设园区。“1”指的是北部承载区。\n专栏1 建设特色片区\n"
        "（1）北部承载区。新增2.15平方公里规划用地，联片打造约3平方公里的承载区。"
    )
    (park,) = parks_of(text)
    assert park.extra == {"new_land_km2": 2.15, "area_km2": 3}


def test_document_without_layout_has_no_parks():
    assert parks_of("一、主要任务\n1.引进企业。到2025年引进5家企业。") == []


def test_word_slots_of_a_core_and_wings_formula():
    text = (
        "一、空间布局\n构建“一核两翼”空间布局：“一核”即张江集成电路产业园，重点发展芯片设计；"
        "“两翼”即临港集成电路产业基地、金桥科技园。推进“双招双引”，即招商引资和招才引智。"
    )
    parks = parks_of(text)
    assert [(p.name, p.group, p.focus) for p in parks] == [
        ("张江集成电路产业园", "一核", ["芯片设计"]),
        ("临港集成电路产业基地", "两翼", []),
        ("金桥科技园", "两翼", []),
    ]


def test_consecutive_word_slots_in_one_clause_each_get_their_park():
    text = "三、重点任务\n3.打造特色园区。围绕“一谷一园”布局，“一谷”即甲美谷生物科技园，“一园”即乙生物医药产业园，新增产业用地500亩。"
    assert [(p.name, p.group) for p in parks_of(text)] == [
        ("甲美谷生物科技园", "一谷"),
        ("乙生物医药产业园", "一园"),
    ]
