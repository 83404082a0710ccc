from bioplan.ingest.outline import build_outline, match_heading, ordinal_value


def titles(outline):
    return [(s.level, s.style, s.number, s.title) for s in outline.sections()]


def test_heading_styles_are_recognised_with_their_ordinals():
    cases = {
        "一、总体目标": ("cn_dun", 1, "总体目标"),
        "（三）加强招商": ("cn_paren", 3, "加强招商"),
        "(二) 行动目标": ("cn_paren", 2, "行动目标"),
        "1. 产业规模。围绕目标": ("num_dot", 1, "产业规模"),
        "12．着力发展。立足": ("num_dot", 12, "着力发展"),
        "10、加快项目招大引强。紧盯": ("num_dun", 10, "加快项目招大引强"),
        "（4）推动数字化转型。鼓励": ("num_paren", 4, "推动数字化转型"),
        "③完善零部件配套": ("circled", 3, "完善零部件配套"),
        "第七条 培育创新主体。支持": ("article", 7, "培育创新主体"),
        "专栏 2 生物医药产业布局": ("box", 2, "生物医药产业布局"),
        "专栏3围绕智慧医疗": ("box", 3, "围绕智慧医疗"),
        "附件 1": ("annex", 1, ""),
    }
    for line, (style, number, title) in cases.items():
        found = match_heading(line)
        assert found is not None, line
        assert found[:3] == (style, number, title), line


def test_heading_body_after_first_full_stop_is_kept_separately():
    _style, _number, title, body = match_heading("1．着力发展三大领域。立足实际，聚焦三大领域。")
    assert (title, body) == ("着力发展三大领域", "立足实际，聚焦三大领域。")


def test_numbers_that_are_not_headings():
    assert match_heading("2.15平方公里规划用地") is None
    assert match_heading("5G、人工智能等新技术") is None
    assert match_heading("2020年营收312亿元") is None
    assert match_heading("（征求意见稿）") is None
    assert match_heading("1\t推进重大科技基础设施建设\t区科委") is None


def test_missing_closing_bracket_still_reads_as_numbered_item():
    assert match_heading("（3练塘产业社区。以生物医药为主导")[:3] == ("num_paren", 3, "练塘产业社区")


def test_ordinal_value_reads_all_scripts():
    assert [ordinal_value(x) for x in ("7", "七", "十二", "⑤")] == [7, 7, 12, 5]


def test_levels_follow_order_of_appearance():
    text = "一、总体目标\n（一）产业规模\n1.产值目标。到2025年达到100亿元。\n2.企业目标。\n（二）创新能力\n二、主要任务"
    assert titles(build_outline(text)) == [
        (1, "cn_dun", 1, "总体目标"),
        (2, "cn_paren", 1, "产业规模"),
        (3, "num_dot", 1, "产值目标"),
        (3, "num_dot", 2, "企业目标"),
        (2, "cn_paren", 2, "创新能力"),
        (1, "cn_dun", 2, "主要任务"),
    ]


def test_bracketed_arabic_above_dun_numbers_works_as_a_level():
    text = (
        "四、主要任务\n（1）优化布局，促进集聚\n1、通过规划布局。\n（2）引育龙头企业\n2、聚焦龙头企业培育。"
    )
    assert titles(build_outline(text)) == [
        (1, "cn_dun", 4, "主要任务"),
        (2, "num_paren", 1, "优化布局，促进集聚"),
        (3, "num_dun", 1, "通过规划布局"),
        (2, "num_paren", 2, "引育龙头企业"),
        (3, "num_dun", 2, "聚焦龙头企业培育"),
    ]


def test_typo_in_numbering_family_continues_as_sibling():
    # "1、" written where "一、" was meant, and "（3）" followed by "（四）".
    text = "1、发展现状\n二、主要目标\n（1）规模\n（2）创新\n（3）生态\n（四）平台"
    assert titles(build_outline(text)) == [
        (1, "num_dun", 1, "发展现状"),
        (1, "cn_dun", 2, "主要目标"),
        (2, "num_paren", 1, "规模"),
        (2, "num_paren", 2, "创新"),
        (2, "num_paren", 3, "生态"),
        (2, "cn_paren", 4, "平台"),
    ]


def test_box_items_belong_to_the_box_and_the_box_to_the_task_before_it():
    text = (
        "三、主要任务\n（一）聚焦重点\n1．发展三大领域。立足实际。\n专栏1 重点领域\n"
        "（1）药品领域。以现代中药为主。\n（2）器械领域。发展高端器械。\n2．挖掘特色产业。跟踪前沿。\n（二）优化布局\n3．深化布局。"
    )
    outline = build_outline(text)
    sections = {s.title: s for s in outline.sections()}
    box = sections["重点领域"]
    assert box.in_box and box.parent is sections["发展三大领域"]
    assert [c.title for c in box.children] == ["药品领域", "器械领域"]
    assert all(c.in_box for c in box.children)
    assert sections["挖掘特色产业"].parent is sections["聚焦重点"]
    assert not sections["挖掘特色产业"].in_box


def test_box_items_numbered_like_sections_end_the_box_when_numbering_breaks():
    text = (
        "四、主要任务\n（1）优化布局\n1、规划布局。\n专栏1 特色片区\n（1）北部中心。打造。\n（2）南部基地。建设。\n"
        "（3）东部承载区。新增。\n（2）引育龙头企业\n2、龙头企业培育。"
    )
    outline = build_outline(text)
    sections = {s.title: s for s in outline.sections()}
    assert [c.title for c in sections["特色片区"].children] == ["北部中心", "南部基地", "东部承载区"]
    assert sections["引育龙头企业"].parent is sections["主要任务"]
    assert not sections["引育龙头企业"].in_box


def test_box_item_numbering_may_restart_inside_one_box():
    text = "专栏2 产业布局\n“3”：3个园区\n（1）甲园。\n（2）乙园。\n“2”：2个园区\n（1）丙园。\n（2）丁园。"
    box = next(build_outline(text).sections())
    assert [c.title for c in box.children] == ["甲园", "乙园", "丙园", "丁园"]


def test_tab_separated_lines_form_one_table_block_with_rows():
    text = "附件\n任务分解表\n重点任务\t序号\t责任部门\n打造载体\t1\t区科委、区发改委\n\t2\t区经委\n抄送：各部门。"
    outline = build_outline(text)
    tables = list(outline.tables())
    assert len(tables) == 1
    _section, table = tables[0]
    assert table.rows == [
        ["重点任务", "序号", "责任部门"],
        ["打造载体", "1", "区科委、区发改委"],
        ["", "2", "区经委"],
    ]
    assert text[table.start : table.end] == table.text


def test_offsets_of_sections_and_blocks_point_into_the_text():
    text = "一、总体目标\n到2025年，产值达到100亿元。\n二、主要任务\n1.建设平台。支持建设。"
    outline = build_outline(text)
    for section in outline.sections():
        assert text[section.start : section.start + len(section.line)] == section.line
        for block in section.blocks:
            assert text[block.start : block.end] == block.text
    first = next(outline.sections())
    assert text[first.start : first.end].startswith("一、总体目标")
    assert text[first.start : first.end].endswith("。\n")


def test_annex_starts_again_at_top_level():
    text = "一、主要任务\n1.任务甲。\n附件\n表格标题"
    sections = list(build_outline(text).sections())
    assert sections[-1].style == "annex" and sections[-1].level == 1


def test_chapters_and_sections_nest_above_chinese_numbers():
    text = "第一章 发展基础\n第一节 发展现状\n一、产业规模\n第二章 发展目标\n一、总体目标"
    assert titles(build_outline(text)) == [
        (1, "chapter", 1, "发展基础"),
        (2, "part", 1, "发展现状"),
        (3, "cn_dun", 1, "产业规模"),
        (1, "chapter", 2, "发展目标"),
        (2, "cn_dun", 1, "总体目标"),
    ]
