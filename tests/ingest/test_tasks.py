from bioplan.ingest.outline import build_outline
from bioplan.ingest.tasks import extract_tasks


def tasks_of(text: str):
    return extract_tasks(build_outline(text))


def summary(tasks):
    return [(t.number, t.title, t.section, t.lead_departments, t.departments) for t in tasks]


def test_full_width_dot_tasks_under_chinese_bracket_groups_with_bracketed_departments():
    text = (
        "二、总体目标\n1. 产业规模。到2023年产值超过100亿元。\n三、主要任务\n（一）聚焦重点，侧重发展\n"
        "1．着力发展三大领域。立足实际。（责任部门与单位：区经委、区科委、相关街镇及区属公司等）\n"
        "专栏1 重点领域\n（1）药品领域。以中药为主。\n（2）器械领域。发展高端器械。\n"
        "2．潜心挖掘特色产业。跟踪前沿。（责任部门与单位：区科委、区卫健委）\n"
        "（二）优化布局，拓展空间\n3．深化产业规划布局。围绕布局。（责任部门与单位：区生态环境局、区水务局相关街镇及区属公司等）\n"
        "四、保障措施\n（一）加强组织领导\n强化领导。"
    )
    assert summary(tasks_of(text)) == [
        (
            "1",
            "着力发展三大领域",
            "聚焦重点，侧重发展",
            ["区经委"],
            ["区经委", "区科委", "相关街镇及区属公司"],
        ),
        ("2", "潜心挖掘特色产业", "聚焦重点，侧重发展", ["区科委"], ["区科委", "区卫健委"]),
        (
            "3",
            "深化产业规划布局",
            "优化布局，拓展空间",
            ["区生态环境局"],
            ["区生态环境局", "区水务局", "相关街镇及区属公司"],
        ),
    ]


def test_dun_numbered_tasks_continue_into_safeguards_when_numbering_continues():
    text = (
        "三、重点任务\n（一）创新能力提升\n1、加大新药研发支持力度。鼓励攻关。\n2、加大器械研发支持力度。鼓励研发。\n"
        "（二）产业集群培育\n3、加快项目招大引强。紧盯龙头。\n四、保障措施\n（一）体制机制保障\n"
        "4、夯实协调推进机制。组建工作专班。\n（二）强化金融赋能\n5、创新资金支持模式。建立体系。"
    )
    tasks = tasks_of(text)
    assert [(t.number, t.title, t.section) for t in tasks] == [
        ("1", "加大新药研发支持力度", "创新能力提升"),
        ("2", "加大器械研发支持力度", "创新能力提升"),
        ("3", "加快项目招大引强", "产业集群培育"),
        ("4", "夯实协调推进机制", "体制机制保障"),
        ("5", "创新资金支持模式", "强化金融赋能"),
    ]
    assert all(t.departments == [] and t.lead_departments == [] for t in tasks)


def test_safeguards_numbered_on_their_own_are_not_tasks():
    text = "三、主要任务\n1.任务甲。内容。\n2.任务乙。内容。\n四、保障措施\n1.加强领导。内容。\n2.加强考核。内容。"
    assert [t.number for t in tasks_of(text)] == ["1", "2"]


def test_circled_tasks_are_numbered_in_arabic():
    text = (
        "二、重点任务\n（一）完善产业链\n①推动整车项目落地。（责任单位：区经委）\n"
        "②完善零部件配套。（责任单位：区经委、区商务委）\n（二）优化生态\n③建设充电设施。（区建管委牵头，区电力公司配合）"
    )
    assert summary(tasks_of(text)) == [
        ("1", "推动整车项目落地", "完善产业链", ["区经委"], ["区经委"]),
        ("2", "完善零部件配套", "完善产业链", ["区经委"], ["区经委", "区商务委"]),
        ("3", "建设充电设施", "优化生态", ["区建管委"], ["区建管委", "区电力公司"]),
    ]


def test_article_numbered_tasks_with_departments_on_their_own_line():
    text = (
        "一、主要目标\n到2026年，规模达到1000亿元。\n二、主要任务\n第一条 建设算力基础设施。新建智能算力中心2个。\n"
        "责任部门：区科委、区数据局\n第二条 培育创新主体。支持企业。\n责任部门：区商务委"
    )
    assert summary(tasks_of(text)) == [
        ("1", "建设算力基础设施", "主要任务", ["区科委"], ["区科委", "区数据局"]),
        ("2", "培育创新主体", "主要任务", ["区商务委"], ["区商务委"]),
    ]


def test_chinese_bracket_tasks_when_they_are_the_only_numbering():
    text = "三、重点任务\n（一）打造创新平台。建设平台。（牵头单位：区科委；配合单位：区经委）\n（二）引进企业。招商。\n四、保障措施\n（一）加强领导。"
    assert summary(tasks_of(text)) == [
        ("1", "打造创新平台", "重点任务", ["区科委"], ["区科委", "区经委"]),
        ("2", "引进企业", "重点任务", [], []),
    ]


def test_box_items_are_not_tasks_and_their_promoting_departments_belong_to_the_task():
    text = (
        "四、主要任务\n（1）优化规划布局\n1、通过规划布局，促进集聚。“4”指的是甲园区。\n专栏1 建设特色片区\n"
        "（1）北部中心。打造。（推进部门：区科委、区发改委、华漕镇）\n（2）南部基地。建设。（推进部门：区科委、区经委、南滨江及相关街镇）\n"
        "（2）引育龙头企业\n2、聚焦龙头企业培育。鼓励企业。\n专栏2 重点企业\n（1）培育龙头企业。支持。（推进部门：区经委、区科委）\n"
        "（2）支持重点产品。支持。\n（推进部门：区科委、区市场监管局）"
    )
    assert summary(tasks_of(text)) == [
        (
            "1",
            "通过规划布局，促进集聚",
            "优化规划布局",
            ["区科委"],
            ["区科委", "区发改委", "华漕镇", "区经委", "南滨江及相关街镇"],
        ),
        ("2", "聚焦龙头企业培育", "引育龙头企业", ["区经委"], ["区经委", "区科委", "区市场监管局"]),
    ]


def test_task_table_at_the_end_gives_the_departments_of_the_same_number():
    text = (
        "三、重点任务\n（一）打造战略科技力量\n1.打造战略创新载体。推进建设。\n2.强化前沿基础研究。依托实验室。\n"
        "四、落实保障措施\n（一）加强组织领导\n完善机制。\n附件\n任务分解表\n重点任务\t序号\t具体工作\t责任部门\n"
        "打造战略科技力量\t1\t推进设施建设。\t张江管理局、区科经委、区发改委\n\t2\t依托国家实验室，组织参与国际大科学\t区科经委、张江\n"
        "\t\t计划。\t管理局"
    )
    assert summary(tasks_of(text)) == [
        ("1", "打造战略创新载体", "打造战略科技力量", ["张江管理局"], ["张江管理局", "区科经委", "区发改委"]),
        ("2", "强化前沿基础研究", "打造战略科技力量", ["区科经委"], ["区科经委", "张江管理局"]),
    ]


def test_document_without_task_section_has_no_tasks():
    assert tasks_of("一、引言\n1.背景。内容。\n二、结论\n内容。") == []


def test_bracket_tasks_with_restarting_sub_points_are_the_tasks():
    text = (
        "二、重点任务\n（一）建设算力基础设施。到2026年，新建智能算力中心2个。\n1.推进数据中心建设。\n2.推进网络建设。\n"
        "（责任单位：区科委、区数据局）\n（二）培育创新主体。\n1.支持企业研发。\n2.引进人才。\n"
        "（牵头部门：区人才办；责任部门：区人社局、区科委）"
    )
    assert summary(tasks_of(text)) == [
        ("1", "建设算力基础设施", "重点任务", ["区科委"], ["区科委", "区数据局"]),
        ("2", "培育创新主体", "重点任务", ["区人才办"], ["区人才办", "区人社局", "区科委"]),
    ]


def test_indicator_table_with_a_unit_column_is_not_a_responsibility_table():
    text = (
        "一、发展目标\n序号\t指标\t单位\t2026年目标\n1\t产业规模\t亿元\t1000\n"
        "二、重点任务\n1.建设平台。推进建设。（责任单位：区科委）"
    )
    assert summary(tasks_of(text)) == [("1", "建设平台", "重点任务", ["区科委"], ["区科委"])]


def test_tasks_without_a_task_section_title_are_found_from_their_annotations():
    text = (
        "一、发展基础\n（一）产业规模。2023年产值达500亿元。\n（二）创新能力。已建成平台10个。\n"
        "二、发展目标\n（一）规模目标。到2026年产值突破800亿元。\n（二）创新目标。新建平台5个。\n"
        "三、增强科技驱动力\n1．夯实基础研究。建设中心。（市科技局牵头，市教育局配合）\n"
        "2．推动攻关突破。实施项目。（市科技局牵头，市经信局配合）\n四、构建产业体系\n"
        "3．增强竞争力。推动产业化。（市经信局牵头，市卫健委配合）\n五、保障措施\n（一）加强组织领导。建立机制。\n（二）强化要素保障。保障用地。"
    )
    assert summary(tasks_of(text)) == [
        ("1", "夯实基础研究", "增强科技驱动力", ["市科技局"], ["市科技局", "市教育局"]),
        ("2", "推动攻关突破", "增强科技驱动力", ["市科技局"], ["市科技局", "市经信局"]),
        ("3", "增强竞争力", "构建产业体系", ["市经信局"], ["市经信局", "市卫健委"]),
    ]


def test_named_actions_are_tasks_and_goal_paragraphs_are_not():
    text = (
        "一、发展目标\n（一）规模目标。到2026年产值突破800亿元。\n（二）主体目标。培育企业10家。\n"
        "二、推进路径\n行动一：实施创新平台建设行动。建设平台。\n责任单位：县科技局、县发改局\n"
        "行动二：实施龙头企业培育行动。招引企业。\n责任单位：县商务局\n"
    )
    assert summary(tasks_of(text)) == [
        ("1", "实施创新平台建设行动", "推进路径", ["县科技局"], ["县科技局", "县发改局"]),
        ("2", "实施龙头企业培育行动", "推进路径", ["县商务局"], ["县商务局"]),
    ]


def test_tasks_numbered_afresh_in_every_chapter_are_numbered_through():
    text = (
        "一、总体要求\n（一）指导思想。坚持创新。\n（二）基本原则。坚持市场主导。\n"
        "二、做强创新药\n（一）加快新药研发。支持企业。（责任单位：市科技局）\n（二）推进临床转化。建设平台。（责任单位：市卫健委）\n"
        "三、做优医疗器械\n（一）发展高端器械。支持研发。（责任单位：市经信局）\n（二）培育龙头企业。招引企业。（责任单位：市商务局）\n"
        "四、保障措施\n（一）加强组织领导。建立机制。\n"
    )
    tasks = tasks_of(text)
    assert [(t.number, t.title, t.section) for t in tasks] == [
        ("1", "加快新药研发", "做强创新药"),
        ("2", "推进临床转化", "做强创新药"),
        ("3", "发展高端器械", "做优医疗器械"),
        ("4", "培育龙头企业", "做优医疗器械"),
    ]
    assert tasks[3].departments == ["市商务局"]


def test_task_confidence_is_higher_with_annotations_than_without():
    annotated = tasks_of(
        "二、重点任务\n1.建设平台。推进。（责任单位：区科委）\n2.引进企业。招商。（责任单位：区商务委）"
    )
    bare = tasks_of("二、重点任务\n1.建设平台。推进。\n2.引进企业。招商。")
    assert min(t.confidence for t in annotated) > max(t.confidence for t in bare)
    assert all("重点任务" in t.reason for t in annotated)


def test_tasks_only_in_a_table_with_deadline_column():
    text = (
        "一、工作目标\n力争营收增长10%以上。\n二、重点任务\n重点任务安排如下：\n"
        "序号\t重点任务\t具体措施\t牵头单位\t配合单位\t完成时限\n"
        "1\t实施精准招商\t举办推介活动\t省商务厅\t省工信厅、各市人民政府\t2024年12月底\n"
        "2\t强化金融支撑\t开发金融产品\t省地方金融管理局\t人民银行山西省\t2024年下半年\n"
        "\t\t\t\t分行\t\n"
    )
    tasks = tasks_of(text)
    assert summary(tasks) == [
        ("1", "实施精准招商", "重点任务", ["省商务厅"], ["省商务厅", "省工信厅", "各市人民政府"]),
        ("2", "强化金融支撑", "重点任务", ["省地方金融管理局"], ["省地方金融管理局", "人民银行山西省分行"]),
    ]
    assert [(t.deadline.text, t.deadline.date) for t in tasks if t.deadline] == [
        ("2024年12月底", "2024-12-31"),
        ("2024年下半年", "2024-12-31"),
    ]


def test_cross_reference_paragraph_assigns_units_to_the_sections_it_names():
    text = (
        "第二章 重点任务\n第一节 延伸产业链条。补齐短板。\n第二节 加快项目招引。推动落地。\n第三节 建设产业园。完善设施。\n"
        "第一节、第二节由县工信局牵头，县发改局配合；第三节由县发改局牵头，县财政局按职责分工负责。\n"
    )
    assert summary(tasks_of(text)) == [
        ("1", "延伸产业链条", "重点任务", ["县工信局"], ["县工信局", "县发改局"]),
        ("2", "加快项目招引", "重点任务", ["县工信局"], ["县工信局", "县发改局"]),
        ("3", "建设产业园", "重点任务", ["县发改局"], ["县发改局", "县财政局"]),
    ]


def test_a_responsibility_line_after_a_group_covers_every_task_of_the_group():
    text = (
        "二、主要任务\n（一）实施中药工程\n1．推动标准化建设。支持企业。\n2．提升南药产业。推动开发。\n"
        "牵头单位：市发展改革委；配合单位：市科技创新委\n完成时限：2019年第四季度\n"
        "（二）实施创新工程\n3．建设研发平台。支持共建。\n牵头单位：市科技创新委\n"
    )
    tasks = tasks_of(text)
    assert [t.departments for t in tasks] == [
        ["市发展改革委", "市科技创新委"],
        ["市发展改革委", "市科技创新委"],
        ["市科技创新委"],
    ]
    assert tasks[1].deadline is not None and tasks[1].deadline.date == "2019-12-31"
