from bioplan.ingest.departments import (
    assignments_in,
    is_department_name,
    prose_departments,
    split_departments,
    table_assignments,
)


def only(text: str):
    found = assignments_in(text)
    assert len(found) == 1, found
    return found[0]


def test_responsibility_bracket_lists_units_and_first_is_lead():
    a = only("推进园区建设。（责任部门与单位：区经委、区科委、区商务委等）")
    assert a.departments == ["区经委", "区科委", "区商务委"]
    assert a.leads == ["区经委"] and not a.explicit_lead


def test_lead_and_cooperating_labels_separate_roles():
    a = only("建设平台。（牵头单位：区科委；配合单位：区经委、区发改委）")
    assert a.departments == ["区科委", "区经委", "区发改委"]
    assert a.leads == ["区科委"] and a.explicit_lead


def test_lead_written_before_qiantou_and_others_before_peihe():
    a = only("引进龙头企业。（区经委牵头，区投促中心、各街镇配合）")
    assert a.departments == ["区经委", "区投促中心", "各街镇"]
    assert a.leads == ["区经委"]


def test_two_leads_are_both_leads():
    a = only("推进审评。（区市场监管局、区卫健委牵头，区科委配合）")
    assert a.leads == ["区市场监管局", "区卫健委"]
    assert a.departments == ["区市场监管局", "区卫健委", "区科委"]


def test_responsible_units_on_their_own_line():
    a = only("建设特色园区。\n责任单位：区规划资源局、嘉定工业区管委会")
    assert a.departments == ["区规划资源局", "嘉定工业区管委会"]


def test_promoting_departments_inside_a_box_item():
    a = only("（1）北部中心。打造研发总部集聚区。（推进部门：区科委、区发改委、华漕镇、南虹桥）")
    assert a.departments == ["区科委", "区发改委", "华漕镇", "南虹桥"]


def test_separators_and_trailing_deng_are_handled():
    assert split_departments("区经委、区科委、区卫健委、区医保局等") == [
        "区经委",
        "区科委",
        "区卫健委",
        "区医保局",
    ]
    assert split_departments("区经委，区科委；区卫健委等") == ["区经委", "区科委", "区卫健委"]


def test_a_unit_list_separated_by_commas_keeps_a_joint_unit_joined_by_dun():
    # Beijing style: 市科委、中关村管委会 lead together and count as one responsible unit.
    assert split_departments("市科委、中关村管委会，市发展改革委，市教委") == [
        "市科委、中关村管委会",
        "市发展改革委",
        "市教委",
    ]


def test_joint_units_stay_whole():
    assert split_departments("相关街镇及区属公司、各街镇各园区、南滨江及相关街镇") == [
        "相关街镇及区属公司",
        "各街镇各园区",
        "南滨江及相关街镇",
    ]


def test_missing_separator_between_two_units_is_split_by_suffix():
    assert split_departments("区生态环境局、区水务局相关街镇及区属公司等") == [
        "区生态环境局",
        "区水务局",
        "相关街镇及区属公司",
    ]
    assert split_departments("区经委区科委") == ["区经委", "区科委"]


def test_spaces_from_wrapped_table_cells_are_removed():
    assert split_departments("区科经委、保税 区管理局、临港新片区 管委会") == [
        "区科经委",
        "保税区管理局",
        "临港新片区管委会",
    ]


def test_coordination_bodies_are_not_departments():
    assert split_departments("区产业发展领导小组、区科委、产业联席会议、工作专班、推进办公室") == ["区科委"]


def test_department_suffix_dictionary():
    assert is_department_name("区投资促进中心")
    assert is_department_name("临港新片区管委会")
    assert not is_department_name("生物医药")


def test_task_table_maps_numbers_to_units_and_merges_wrapped_rows():
    rows = [
        ["重点任务", "序号", "具体工作", "责任部门"],
        ["打造载体", "1", "推进设施建设。", "张江管理局、区科经委"],
        ["", "2", "深化试点。推进企业研发进口微量耗", "区科经委、区国资委、区市"],
        ["", "", "材服务管理平台。", "场监管局、保税区管理局"],
    ]
    table = table_assignments(rows)
    assert table["1"].departments == ["张江管理局", "区科经委"]
    assert table["1"].leads == ["张江管理局"]
    assert table["2"].departments == ["区科经委", "区国资委", "区市场监管局", "保税区管理局"]


def test_task_table_lead_column_gives_leads():
    rows = [["序号", "任务", "牵头单位", "配合单位"], ["1", "建设平台", "区科委", "区经委、区财政局"]]
    a = table_assignments(rows)["1"]
    assert a.leads == ["区科委"]
    assert a.departments == ["区科委", "区经委", "区财政局"]


def test_table_without_number_and_department_columns_is_ignored():
    assert table_assignments([["指标", "2025年"], ["产值", "100"]]) == {}


def test_units_named_in_running_text():
    text = "建立由区科委牵头，联动发改委、经委、卫健委、市场监督局、投促中心等部门形成服务联动机制。"
    assert prose_departments(text) == ["区科委", "发改委", "经委", "卫健委", "市场监督局", "投促中心"]
    text = "其中区发改委、区经委、区人社局、区财政局按照职责分工牵头协调相关政策，各街镇、园区承担主体职责。"
    assert prose_departments(text) == ["区发改委", "区经委", "区人社局", "区财政局"]


def test_labels_separated_by_a_comma_keep_their_roles():
    a = only("推进。（牵头单位：区经委，配合单位：区科委、区商务委）")
    assert a.departments == ["区经委", "区科委", "区商务委"]
    assert a.leads == ["区经委"] and a.explicit_lead


def test_units_followed_by_fuze_in_brackets():
    a = only("推进。（区经委、区科委负责）")
    assert a.departments == ["区经委", "区科委"]
    assert a.leads == ["区经委"]


def test_task_table_numbers_written_in_chinese_are_read_as_arabic():
    rows = [
        ["序号", "重点任务", "责任单位"],
        ["（一）", "建设平台", "区科委"],
        ["二、", "引进企业", "区商务委、区投促办"],
    ]
    table = table_assignments(rows)
    assert sorted(table) == ["1", "2"]
    assert table["2"].departments == ["区商务委", "区投促办"]


def test_a_prose_line_naming_the_lead_and_the_others_is_an_assignment():
    (found,) = assignments_in("县农业农村局牵头，县发改局、县工贸局按职责分工负责。")
    assert (found.leads, found.departments) == (["县农业农村局"], ["县农业农村局", "县发改局", "县工贸局"])
    assert assignments_in("企业牵头，高校配合开展研发。") == []


def test_a_separator_inside_brackets_does_not_split_a_unit():
    assert split_departments("各县（市、区）人民政府，市工信局") == ["各县（市、区）人民政府", "市工信局"]
