from bioplan.ingest.metadata import extract_metadata, five_year_plan_years

DRAFT = "嘉定区促进集成电路产业高质量发展行动方案（2023-2025年）\n（征求意见稿）\n为推动本区集成电路产业发展，制定本方案。"

ISSUED = (
    "上海市徐汇区人民政府办公室文件\n徐府办〔2023〕7号\n"
    "徐汇区人民政府办公室关于印发《徐汇区人工智能产业发展三年行动计划（2024—2026年）》的通知\n"
    "各委、办、局：\n现印发给你们，请认真按照执行。\n2023年12月1日\n"
    "徐汇区人工智能产业发展三年行动计划（2024—2026年）\n一、主要目标\n到2026年，规模达到1000亿元。\n"
    "抄送：区委各部门。\n上海市徐汇区人民政府办公室\n2023年12月5日印发"
)

PAPER = (
    "新能源汽车产业集群发展路径研究\n——以上海市嘉定区为例\n张三 李四\n某某大学经济学院\n"
    "摘要：本文分析嘉定区新能源汽车产业的现状。\n一、引言\n嘉定区新能源汽车产业发展迅速。"
)


def test_plan_title_region_industry_period_and_draft_status():
    meta = extract_metadata(DRAFT)
    assert meta.title == "嘉定区促进集成电路产业高质量发展行动方案（2023-2025年）"
    assert (meta.region, meta.industry) == ("嘉定区", "集成电路")
    assert (meta.period_start, meta.period_end) == (2023, 2025)
    assert meta.status == "征求意见稿"
    assert meta.doc_number is None and meta.issued_on is None


def test_review_draft_marker_gives_songshengao():
    meta = extract_metadata(DRAFT.replace("征求意见稿", "送审稿"))
    assert meta.status == "送审稿"


def test_issued_document_has_number_status_and_issue_date():
    meta = extract_metadata(ISSUED)
    assert meta.title == "徐汇区人工智能产业发展三年行动计划（2024—2026年）"
    assert (meta.region, meta.industry) == ("徐汇区", "人工智能")
    assert (meta.period_start, meta.period_end) == (2024, 2026)
    assert meta.doc_number == "徐府办〔2023〕7号"
    assert meta.status == "印发"
    assert meta.issued_on == "2023-12-05"


def test_document_number_with_draft_marker_stays_a_draft():
    text = "浦府办〔2022〕2号\n浦东新区生物医药产业行动方案（2022-2024年）\n（征求意见稿）\n正文。"
    meta = extract_metadata(text)
    assert meta.doc_number == "浦府办〔2022〕2号"
    assert meta.status == "征求意见稿"


def test_cited_document_numbers_in_brackets_are_not_the_plan_number():
    text = "闵行区生物医药产业三年行动计划（2021-2023年）\n根据《实施意见》（沪府办发〔2017〕51号），制定本计划。"
    assert extract_metadata(text).doc_number is None


def test_title_wrapped_over_two_lines_with_period_on_the_second():
    text = "宝山区促进新能源汽车产业高质量发展行动方案\n（2024-2026年）\n（送审稿）\n正文。"
    meta = extract_metadata(text)
    assert meta.title == "宝山区促进新能源汽车产业高质量发展行动方案（2024-2026年）"
    assert (meta.period_start, meta.period_end, meta.industry) == (2024, 2026, "新能源汽车")


def test_fourteenth_five_year_plan_in_title_gives_2021_to_2025():
    meta = extract_metadata("松江区“十四五”集成电路产业发展规划\n正文。")
    assert (meta.period_start, meta.period_end) == (2021, 2025)
    assert five_year_plan_years("十五五") == (2026, 2030)


def test_research_paper_is_a_paper_with_region_from_its_subtitle():
    meta = extract_metadata(PAPER)
    assert meta.status == "论文"
    assert meta.title == "新能源汽车产业集群发展路径研究——以上海市嘉定区为例"
    assert meta.region == "嘉定区"
    assert meta.industry == "新能源汽车"
    assert (meta.period_start, meta.period_end) == (None, None)


def test_city_wide_plan_has_the_city_as_region():
    meta = extract_metadata("上海市促进集成电路产业高质量发展行动方案（2023-2025年）\n正文。")
    assert meta.region == "上海市"
    assert extract_metadata("上海市浦东新区集成电路产业行动方案（2023-2025年）\n正文。").region == "浦东新区"


def test_title_taken_from_the_covering_notice_when_the_plan_has_no_title_line():
    text = "金山区人民政府办公室关于印发《金山区生物医药产业发展行动方案（2024-2026年）》的通知\n各委办局：\n现印发给你们。"
    meta = extract_metadata(text)
    assert meta.title == "金山区生物医药产业发展行动方案（2024-2026年）"
    assert (meta.region, meta.period_start, meta.period_end) == ("金山区", 2024, 2026)


def test_province_plan_for_one_year_has_its_region_and_period():
    meta = extract_metadata("山西省现代医药产业链2024年行动计划\n为夯实产业链基础，制定本计划。\n")
    assert (meta.region, meta.period_start, meta.period_end) == ("山西省", 2024, 2024)
    assert meta.evidence["region"].confidence > 0.5 and "山西省" in meta.evidence["region"].reason
