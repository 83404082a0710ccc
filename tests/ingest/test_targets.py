from decimal import Decimal

from bioplan.ingest.draft import PlanMeta
from bioplan.ingest.outline import build_outline
from bioplan.ingest.targets import extract_targets, targets_in_text

REGION = "嘉定区"


def goal(text: str, **kwargs):
    kwargs.setdefault("plan_start", 2023)
    kwargs.setdefault("plan_end", 2025)
    return targets_in_text(text, mode="goal", region=REGION, **kwargs)


def row(t):
    return (t.metric, t.kind, t.value, t.value_max, t.unit, t.comparator, t.year, t.level, t.scope)


def test_floor_growth_rate_and_level_in_one_clause_are_two_records():
    targets = goal("到2025年，集成电路制造业总产值确保年均增长8%以上、超过160亿元。")
    assert [row(t) for t in targets] == [
        ("集成电路制造业总产值", "growth_rate", Decimal(8), None, "%", ">=", 2025, "floor", REGION),
        ("集成电路制造业总产值", "level", Decimal(160), None, "亿元", ">", 2025, "floor", REGION),
    ]


def test_stretch_level_carries_while_the_subject_stays_and_stops_at_a_new_subject():
    targets = goal(
        "到2025年，产业总产值确保年均增长8%以上、超过160亿元，力争年均增长10%以上、超过170亿元，"
        "设备经营企业收入超过600亿元，研发服务业争取收入超过30亿元。"
    )
    assert [(t.metric, t.value, t.level) for t in targets] == [
        ("产业总产值", Decimal(8), "floor"),
        ("产业总产值", Decimal(160), "floor"),
        ("产业总产值", Decimal(10), "stretch"),
        ("产业总产值", Decimal(170), "stretch"),
        ("设备经营企业收入", Decimal(600), None),
        ("研发服务业收入", Decimal(30), "stretch"),
    ]


def test_level_word_at_sentence_start_applies_to_every_target_of_the_sentence():
    targets = goal("确保到2025年，新增集成电路设计企业30家，培育两家上市企业。")
    assert [(t.metric, t.kind, t.value, t.level) for t in targets] == [
        ("集成电路设计企业", "increment", Decimal(30), "floor"),
        ("上市企业", "increment", Decimal(2), "floor"),
    ]


def test_nuli_is_a_stretch_level():
    (t,) = goal("努力实现人工智能核心产业规模达到1000亿元。")
    assert (t.metric, t.level, t.comparator) == ("人工智能核心产业规模", "stretch", ">=")


def test_condition_in_metric_is_not_a_target_value():
    targets = goal("主营业务收入10亿元以上的制造业企业达1~2家，营收超5亿元企业达5家以上。")
    assert [row(t) for t in targets] == [
        (
            "主营业务收入10亿元以上的制造业企业",
            "level",
            Decimal(1),
            Decimal(2),
            "家",
            "range",
            2025,
            None,
            REGION,
        ),
        ("营收超5亿元企业", "level", Decimal(5), None, "家", ">=", 2025, None, REGION),
    ]


def test_increment_signals_carry_across_items_until_cumulative():
    targets = goal("新增百亿级企业1家、50亿级企业5家。新增上市企业20家、累计达50家以上。")
    assert [(t.metric, t.kind, t.value, t.comparator) for t in targets] == [
        ("百亿级企业", "increment", Decimal(1), "="),
        ("50亿级企业", "increment", Decimal(5), "="),
        ("上市企业", "increment", Decimal(20), "="),
        ("上市企业", "level", Decimal(50), ">="),
    ]


def test_noun_after_the_number_is_the_metric_for_verb_number_noun():
    targets = goal("累计培育90家高新技术企业，建设18栋柔性化工业厂房，推动15个以上创新药物进入临床。")
    assert [(t.metric, t.kind, t.value, t.unit, t.comparator) for t in targets] == [
        ("高新技术企业", "level", Decimal(90), "家", "="),
        ("柔性化工业厂房", "increment", Decimal(18), "栋", "="),
        ("创新药物", "increment", Decimal(15), "个", ">="),
    ]


def test_share_and_half_share():
    targets = goal("产业规模达到4000亿元、全市占比50%。创新成果半数以上实现就地产业化。")
    assert [(t.metric, t.kind, t.value, t.unit, t.comparator) for t in targets] == [
        ("产业规模", "level", Decimal(4000), "亿元", ">="),
        ("产业规模全市占比", "share", Decimal(50), "%", "="),
        ("创新成果", "share", Decimal(50), "%", ">="),
    ]


def test_approximate_and_bare_numbers_take_equal_comparator():
    targets = goal("可新供产业用地约3469亩，规划布局产业楼宇面积约50万平方米，形成标准体系5个左右。")
    assert [(t.value, t.unit, t.comparator) for t in targets] == [
        (Decimal(3469), "亩", "="),
        (Decimal(50), "万平方米", "="),
        (Decimal(5), "个", "="),
    ]


def test_past_facts_are_not_targets_but_baselines_of_the_level_target():
    targets = goal(
        "甲工业区现有集成电路产值62.3亿，年均目标复合增长率11%，到2025年增长22.9亿元，达到85.2亿元。"
    )
    assert [(t.metric, t.kind, t.value, t.baseline_value, t.baseline_year, t.scope) for t in targets] == [
        ("集成电路产值", "growth_rate", Decimal(11), None, None, "甲工业区"),
        ("集成电路产值", "increment", Decimal("22.9"), None, None, "甲工业区"),
        ("集成电路产值", "level", Decimal("85.2"), Decimal("62.3"), 2022, "甲工业区"),
    ]


def test_explicit_past_year_gives_baseline_year():
    (t,) = goal("2020年全区人工智能企业营收312亿元，到2025年营收达到500亿元。", plan_start=2021)
    assert (t.value, t.baseline_value, t.baseline_year, t.year) == (Decimal(500), Decimal(312), 2020, 2025)


def test_doubling_and_multiples_are_relative_to_the_stated_baseline():
    (t,) = goal("2020年全区新能源汽车产业规模为120亿元，到2025年力争实现翻一番。", plan_start=2021)
    assert (t.metric, t.kind, t.value, t.unit, t.level, t.baseline_value, t.baseline_year) == (
        "新能源汽车产业规模",
        "level",
        Decimal(240),
        "亿元",
        "stretch",
        Decimal(120),
        2020,
    )
    (t,) = goal("2022年集成电路产业产值为200亿元。到2025年，集成电路产业产值达到2022年的1.5倍以上。")
    assert (t.value, t.comparator, t.baseline_value) == (Decimal(300), ">=", Decimal(200))


def test_subsidies_and_cluster_sizes_are_not_targets():
    assert goal("对新落户企业给予最高500万元补贴。") == []
    assert goal("围绕目标打造千亿级产业集群，形成500亿规模产业集群。") == []


def test_ranks_and_classes_are_not_targets():
    targets = goal("获批上市10个以上国产1类新药，引进世界500强企业2家以上。")
    assert [(t.metric, t.value, t.unit) for t in targets] == [
        ("国产1类新药", Decimal(10), "个"),
        ("世界500强企业", Decimal(2), "家"),
    ]


def test_scope_is_the_park_named_at_the_start_of_each_segment():
    targets = goal("其中，甲生命科学园可新供产业用地约3000亩；乙医疗器械科创园可新供产业用地约269亩。")
    assert [(t.scope, t.metric, t.value) for t in targets] == [
        ("甲生命科学园", "新供产业用地", Decimal(3000)),
        ("乙医疗器械科创园", "新供产业用地", Decimal(269)),
    ]


def test_decomposed_targets_take_the_sub_area_as_scope():
    targets = goal("丙园区及丁镇医健产业2025年营收规模超过50亿元。", decomposed=True)
    assert [(t.scope, t.metric, t.comparator) for t in targets] == [("丙园区及丁镇", "医健产业营收规模", ">")]


def test_year_is_stated_or_the_plan_end_or_the_five_year_plan_end():
    assert goal("到2024年，企业数达到50家。")[0].year == 2024
    assert goal("企业数达到50家。")[0].year == 2025
    (t,) = targets_in_text("“十四五”期间，全区企业总产值将超过260亿元。", mode="fact", region=REGION)
    assert (t.year, t.comparator) == (2025, ">")


def test_quote_is_an_exact_substring_of_at_most_80_characters():
    text = "到2025年，集成电路制造业总产值确保年均增长8%以上、超过160亿元。"
    for t in goal(text):
        assert t.quote in text
        assert len(t.quote) <= 80


def test_numbers_outside_goal_sections_need_a_goal_word():
    assert targets_in_text("“3”，指3个“区域型”园区，即甲园、乙园、丙园。", mode="other", region=REGION) == []
    assert targets_in_text("由某公司投资，用地77亩。", mode="other", region=REGION) == []
    (t,) = targets_in_text(
        "到2026年，引进培育不少于2家专业孵化器。", mode="other", region=REGION, plan_end=2026
    )
    assert (t.metric, t.kind, t.value, t.comparator) == ("专业孵化器", "increment", Decimal(2), ">=")


def test_facts_about_the_present_are_skipped_in_fact_sections():
    text = "截至2020年9月，全区共有企业109家，年均增速超过了7.5%。近年来新增注册证超过70件。"
    assert targets_in_text(text, mode="fact", region=REGION, plan_start=2021) == []


def test_goals_section_and_task_section_in_a_document():
    text = (
        "嘉定区集成电路产业行动方案（2023-2025年）\n一、发展目标\n到2025年，产业规模突破500亿元。\n"
        "二、发展现状\n现有企业300家。\n三、重点任务\n1.引进龙头企业。到2025年，引进5家以上龙头企业。\n"
        "专栏1 重点园区\n（1）甲产业基地。新增2平方公里规划用地，建设10栋标准厂房。"
    )
    meta = PlanMeta(region=REGION, period_start=2023, period_end=2025)
    targets = extract_targets(build_outline(text), meta)
    assert [(t.id, t.metric, t.value, t.scope) for t in targets] == [
        ("T01", "产业规模", Decimal(500), REGION),
        ("T02", "龙头企业", Decimal(5), REGION),
        ("T03", "规划用地", Decimal(2), "甲产业基地"),
        ("T04", "标准厂房", Decimal(10), "甲产业基地"),
    ]


def test_level_of_the_introducing_sentence_applies_to_the_rows_of_a_table():
    text = (
        "一、主要目标\n力争实现以下主要指标：\n序号\t指标名称\t2022年现状\t2025年目标\n"
        "1\t规上工业产值（亿元）\t120\t≥300\n2\t研发投入占比（%）\t5\t8"
    )
    meta = PlanMeta(region=REGION, period_start=2023, period_end=2025)
    targets = extract_targets(build_outline(text), meta)
    assert [
        (t.metric, t.kind, t.value, t.unit, t.comparator, t.level, t.baseline_value, t.baseline_year)
        for t in targets
    ] == [
        ("规上工业产值", "level", Decimal(300), "亿元", ">=", "stretch", Decimal(120), 2022),
        ("研发投入占比", "share", Decimal(8), "%", "=", "stretch", None, None),
    ]


def test_clause_without_verb_after_a_comma_continues_the_previous_verb():
    targets = targets_in_text(
        "新建公共充电桩3000个，换电站50座。", mode="other", region=REGION, plan_end=2026
    )
    assert [(t.metric, t.kind, t.value, t.unit) for t in targets] == [
        ("公共充电桩", "increment", Decimal(3000), "个"),
        ("换电站", "increment", Decimal(50), "座"),
    ]


def test_clause_with_its_own_subject_after_a_semicolon_does_not_inherit_increment():
    targets = goal("其中商业营收200亿，新增128亿元；规上工业企业产值300亿元。")
    assert [(t.metric, t.kind) for t in targets] == [
        ("商业营收", "level"),
        ("商业营收", "increment"),
        ("规上工业企业产值", "level"),
    ]


def test_section_about_infrastructure_is_not_a_section_about_the_past():
    text = "二、重点任务\n（二）完善基础设施\n③建设充电设施。新建公共充电桩3000个。"
    meta = PlanMeta(region=REGION, period_start=2024, period_end=2026)
    assert [(t.metric, t.value) for t in extract_targets(build_outline(text), meta)] == [
        ("公共充电桩", Decimal(3000))
    ]


def test_table_with_unit_and_base_year_columns():
    text = (
        "一、发展目标\n确保实现以下目标：\n序号\t指标\t单位\t2023年基数\t2026年目标\n"
        "1\t人工智能核心产业规模\t亿元\t600\t1000\n2\t人工智能企业数量\t家\t800\t1200"
    )
    meta = PlanMeta(region=REGION, period_start=2024, period_end=2026)
    targets = extract_targets(build_outline(text), meta)
    assert [
        (t.metric, t.value, t.unit, t.year, t.level, t.baseline_value, t.baseline_year) for t in targets
    ] == [
        ("人工智能核心产业规模", Decimal(1000), "亿元", 2026, "floor", Decimal(600), 2023),
        ("人工智能企业数量", Decimal(1200), "家", 2026, "floor", Decimal(800), 2023),
    ]


def test_integrated_circuit_goals_with_size_conditions_and_counted_wafers():
    targets = goal(
        "到2025年，集成电路产业规模突破3000亿元，年均增速保持在15%左右。12英寸晶圆月产能达到30万片。"
        "引育10家以上营收超50亿元的龙头企业，培育专精特新企业100家。"
    )
    assert [(t.metric, t.kind, t.value, t.unit, t.comparator) for t in targets] == [
        ("集成电路产业规模", "level", Decimal(3000), "亿元", ">"),
        ("集成电路产业规模", "growth_rate", Decimal(15), "%", "="),
        ("12英寸晶圆月产能", "level", Decimal(30), "万片", ">="),
        ("营收超50亿元的龙头企业", "increment", Decimal(10), "家", ">="),
        ("专精特新企业", "increment", Decimal(100), "家", "="),
    ]


def test_goal_stated_in_a_heading_line_without_full_stop():
    text = "一、发展目标\n（一）产业规模：到2025年，产业规模达到1000亿元\n（二）创新能力\n新增创新平台20个。"
    meta = PlanMeta(region=REGION, period_start=2023, period_end=2025)
    targets = extract_targets(build_outline(text), meta)
    assert [(t.metric, t.value, t.unit) for t in targets] == [
        ("产业规模", Decimal(1000), "亿元"),
        ("创新平台", Decimal(20), "个"),
    ]


def test_growth_compared_with_a_past_year_is_a_target():
    (t,) = goal("到2025年，集成电路产业规模比2020年增长50%。", plan_start=2021)
    assert (t.metric, t.kind, t.value, t.unit, t.year) == (
        "集成电路产业规模",
        "growth_rate",
        Decimal(50),
        "%",
        2025,
    )


def test_table_column_of_a_year_before_the_plan_holds_baselines():
    text = "一、发展目标\n指标名称\t2022年\t2025年\t属性\n新能源汽车产量（万辆）\t20\t50\t预期性"
    meta = PlanMeta(region=REGION, period_start=2023, period_end=2025)
    (t,) = extract_targets(build_outline(text), meta)
    assert (t.metric, t.value, t.unit, t.year, t.baseline_value, t.baseline_year) == (
        "新能源汽车产量",
        Decimal(50),
        "万辆",
        2025,
        Decimal(20),
        2022,
    )


def test_subsidy_percentages_are_not_targets():
    assert goal("对符合条件的企业给予不超过50%的补贴，租金减免30%。") == []


def _plan_targets(text: str, meta: PlanMeta):
    from bioplan.ingest.outline import build_outline

    return extract_targets(build_outline(text), meta)


def test_label_and_value_lines_of_a_box_are_targets():
    found = targets_in_text(
        "新增获批上市创新药：10个", mode="goal", region="北京市", plan_start=2024, plan_end=2026
    )
    assert [(t.metric, t.value, t.unit, t.kind) for t in found] == [
        ("上市创新药", Decimal(10), "个", "increment")
    ]
    ranged = targets_in_text(
        "新建研究型医院：1~2家", mode="goal", region="北京市", plan_start=2024, plan_end=2026
    )
    assert [(t.value, t.value_max, t.comparator) for t in ranged] == [(Decimal(1), Decimal(2), "range")]


def test_table_after_a_caption_takes_year_and_level_from_the_sentence_before_it():
    text = (
        "一、主要目标\n到2023年，力争实现表1所列目标。\n表1　2023年主要目标\n"
        "序号\t指标\t单位\t目标值\n1\t生物医药产业规模\t亿元\t突破3300\n2\t年均新申报上市药品\t个\t5个以上\n"
    )
    found = _plan_targets(text, PlanMeta(region="苏州市"))
    assert [(t.metric, t.value, t.year, t.level) for t in found] == [
        ("生物医药产业规模", Decimal(3300), 2023, "stretch"),
        ("年均新申报上市药品", Decimal(5), 2023, "stretch"),
    ]


def test_a_sentence_dated_before_the_plan_is_a_report_across_its_semicolons():
    text = "2023年全市产业营业收入达9761亿元；上市企业累计达到84家，获批创新药14个。"
    assert targets_in_text(text, mode="other", region="北京市", plan_start=2024, plan_end=2026) == []


def test_land_in_a_park_description_of_the_layout_is_not_a_target():
    text = (
        "一、发展目标\n到2025年，产值突破500亿元。\n二、空间布局\n构建“一核两区”空间格局。\n"
        "一核：甲乙生物医药特色产业园。重点发展创新药，规划新增产业用地约2000亩。\n"
    )
    found = _plan_targets(text, PlanMeta(region="临港新片区", period_start=2021, period_end=2025))
    assert [(t.value, t.unit) for t in found] == [(Decimal(500), "亿元")]


def test_a_decrease_has_direction_down():
    found = targets_in_text(
        "到2025年，单位工业增加值能耗下降15%。", mode="goal", region="某市", plan_start=2021, plan_end=2025
    )
    assert [(t.value, t.unit, t.direction) for t in found] == [(Decimal(15), "%", "down")]


def test_from_baseline_to_target_is_one_target_and_doubling_restates_it():
    found = targets_in_text(
        "到2026年，全县生物医药产业产值由2023年的60亿元增长到2026年的120亿元，实现翻一番；单位产值能耗下降10%。",
        mode="goal",
        region="扶风县",
        plan_start=2024,
        plan_end=2026,
    )
    assert [(t.metric, t.value, t.baseline_value, t.baseline_year, t.year) for t in found[:1]] == [
        ("全县生物医药产业产值", Decimal(120), Decimal(60), 2023, 2026)
    ]
    assert [(t.value, t.unit, t.kind, t.direction) for t in found[1:]] == [
        (Decimal(10), "%", "growth_rate", "down")
    ]


def test_an_earlier_five_year_period_is_the_past():
    text = "“十三五”期间，全市产业持续壮大，2020年规模以上企业达到45家，产业产值达到320亿元。"
    assert targets_in_text(text, mode="fact", region="福州市", plan_start=2021, plan_end=2025) == []


def test_a_past_from_to_is_a_fact_and_a_size_class_range_is_not_a_target():
    text = "产业产值由2016年的20亿元增加至2019年的51.32亿元。"
    assert targets_in_text(text, mode="fact", region="泉州市", plan_start=2021, plan_end=2025) == []
    found = targets_in_text(
        "到2025年，力争培育1亿—5亿元企业2—3家。", mode="goal", region="泉州市", plan_start=2021, plan_end=2025
    )
    assert [(t.value, t.value_max, t.unit) for t in found] == [(Decimal(2), Decimal(3), "家")]


def test_a_total_investment_is_a_budget_not_a_target():
    found = targets_in_text(
        "到2016年，建设重点项目89个，总投资243亿元。",
        mode="goal",
        region="宜昌市",
        plan_start=2013,
        plan_end=2016,
    )
    assert [(t.value, t.unit) for t in found] == [(Decimal(89), "个")]
