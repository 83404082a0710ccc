import subprocess
import sys
from decimal import Decimal

import pytest

from bioplan.ingest.errors import EmptyDocument, IngestError, NotChinese
from bioplan.ingest.extract import extract_document, extract_text

PLAN = (
    "嘉定区促进集成电路产业高质量发展行动方案\n（2023-2025年）\n（征求意见稿）\n"
    "为推动本区集成电路产业发展，制定本方案。\n一、发展目标\n"
    "到2025年，全区集成电路产业规模力争突破500亿元，年均增长15%以上；新增设计企业30家。\n"
    "二、重点任务\n（一）强化创新策源\n1.建设共性技术平台。支持企业建设平台。（牵头单位：区科委；配合单位：区经委）\n"
    "2.引进龙头企业。到2025年，引进5家以上龙头企业。（区经委牵头，区投促中心配合）\n"
    "三、保障措施\n（一）加强组织领导\n建立由区科委牵头，联动发改委、经委等部门形成的工作机制。成立产业发展领导小组。\n"
)


def test_extract_text_gives_the_whole_contract():
    draft = extract_text(PLAN, name="plan.txt")
    assert draft.document == "plan.txt"
    assert (draft.plan.region, draft.plan.industry, draft.plan.status) == ("嘉定区", "集成电路", "征求意见稿")
    assert (draft.plan.period_start, draft.plan.period_end) == (2023, 2025)
    assert [(t.id, t.metric, t.value, t.unit) for t in draft.targets] == [
        ("T01", "集成电路产业规模", Decimal(500), "亿元"),
        ("T02", "集成电路产业规模", Decimal(15), "%"),
        ("T03", "设计企业", Decimal(30), "家"),
        ("T04", "龙头企业", Decimal(5), "家"),
    ]
    assert [(t.number, t.lead_departments, t.departments) for t in draft.tasks] == [
        ("1", ["区科委"], ["区科委", "区经委"]),
        ("2", ["区经委"], ["区经委", "区投促中心"]),
    ]
    assert draft.departments == ["区科委", "区经委", "区投促中心", "发改委", "经委"]
    assert draft.warnings == []


def test_contract_json_round_trips_through_plandraft():
    from bioplan.ingest.draft import PlanDraft

    draft = extract_text(PLAN)
    again = PlanDraft.from_dict(draft.to_dict())
    assert again.to_dict() == draft.to_dict()


def test_document_without_targets_gives_empty_list_and_a_warning():
    draft = extract_text("徐汇区人工智能产业发展行动方案\n一、主要任务\n1.建设平台。支持企业建设平台。")
    assert draft.targets == []
    assert "no quantitative targets found" in draft.warnings


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_raises_empty_document(text):
    with pytest.raises(EmptyDocument):
        extract_text(text)


def test_non_chinese_text_raises_not_chinese():
    with pytest.raises(NotChinese):
        extract_text("This is an English report about industrial policy. " * 20)


def test_extract_document_reads_txt_files(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    draft = extract_document(path)
    assert draft.document == "plan.txt"
    assert len(draft.targets) == 4


def test_extract_document_reads_docx_with_a_task_table(docx_file):
    path = docx_file(
        [
            "浦东新区集成电路产业高质量发展行动方案（2022-2024年）",
            "一、行动目标",
            "到2024年，集成电路产业规模达到4000亿元。",
            "二、重点任务",
            "（一）打造创新载体",
            "1.建设公共平台。推进建设。",
            "2.强化基础研究。依托实验室。",
            "附件",
            (
                "table",
                [
                    ["重点任务", "序号", "具体工作", "责任部门"],
                    ["打造创新载体", "1", "推进建设", "区科经委、张江管理局"],
                    ["", "2", "依托实验室", "区发改委"],
                ],
            ),
        ]
    )
    draft = extract_document(path)
    assert [(t.metric, t.value) for t in draft.targets] == [("集成电路产业规模", Decimal(4000))]
    assert [(t.number, t.departments) for t in draft.tasks] == [
        ("1", ["区科经委", "张江管理局"]),
        ("2", ["区发改委"]),
    ]


def test_unreadable_files_raise_ingest_errors(tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"this is not a zip archive")
    with pytest.raises(IngestError):
        extract_document(fake)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(IngestError):
        extract_document(empty)


def test_extraction_modules_never_import_django():
    code = (
        "import sys\n"
        "import bioplan.ingest.extract, bioplan.ingest.cli, bioplan.ingest.score\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_departments_named_outside_the_tasks_are_listed_too():
    text = (
        "徐汇区人工智能产业行动方案（2024-2026年）\n一、主要任务\n1.建设平台。推进。（责任单位：区科委）\n"
        "二、保障措施\n（一）加大资金支持。设立专项资金。（责任单位：区财政局、区发改委）\n"
        "（二）加强组织领导。成立领导小组。"
    )
    draft = extract_text(text)
    assert draft.departments == ["区科委", "区财政局", "区发改委"]
    assert [t.departments for t in draft.tasks] == [["区科委"]]


def test_docx_with_automatic_heading_numbers_gives_tasks_and_targets(docx_file):
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3．")]
    path = docx_file(
        [
            "闵行区集成电路产业发展行动方案（2024-2026年）",
            ("list", 0, 0, "发展目标"),
            "到2026年，集成电路产业规模力争达到500亿元。",
            ("list", 0, 0, "重点任务"),
            ("list", 0, 1, "强化创新"),
            ("list", 0, 2, "建设公共平台。推进建设。（责任单位：区科委、区经委）"),
            ("list", 0, 2, "引进龙头企业。引进5家以上龙头企业。（责任单位：区投促办）"),
        ],
        lists=[levels],
    )
    draft = extract_document(path)
    assert [(t.metric, t.value, t.level) for t in draft.targets] == [
        ("集成电路产业规模", Decimal(500), "stretch"),
        ("龙头企业", Decimal(5), None),
    ]
    assert [(t.number, t.title, t.section, t.departments) for t in draft.tasks] == [
        ("1", "建设公共平台", "强化创新", ["区科委", "区经委"]),
        ("2", "引进龙头企业", "强化创新", ["区投促办"]),
    ]


def test_hard_wrapped_pdf_with_page_numbers(pdf_file):
    path = pdf_file(
        [
            [
                "嘉定区促进集成电路产业发展行动方案（2023-2025年）",
                "一、发展目标",
                "到2025年，全区集成电路产业规模确保突破",
                "500亿元，新增设计企业30家。",
                "—1—",
            ],
            ["二、重点任务", "1.建设公共平台。支持企业建设共性技术", "平台。（责任单位：区科委、区经委）"],
        ]
    )
    draft = extract_document(path)
    assert [(t.metric, t.value, t.level) for t in draft.targets] == [
        ("集成电路产业规模", Decimal(500), "floor"),
        ("设计企业", Decimal(30), None),
    ]
    assert [(t.number, t.departments) for t in draft.tasks] == [("1", ["区科委", "区经委"])]


def test_quotes_are_given_as_written_in_the_source_without_line_breaks():
    text = "嘉定区集成电路产业行动方案（2023-2025年）\n一、发展目标\n到 2025 年，集成电路产业规模突破\n\n５００ 亿元。\n"
    (target,) = extract_text(text).targets
    assert target.value == Decimal(500)
    assert target.quote == "集成电路产业规模突破５００ 亿元"


EVIDENCE_PLAN = (
    "某某县生物医药产业发展行动方案（2024-2026年）\n一、发展目标\n"
    "到2026年，全县生物医药产业产值达到100亿元以上，单位产值能耗下降15%。\n"
    "二、重点任务\n1.建设创新平台。支持企业建设研发平台。（责任单位：县科技局，各镇街；完成时限：2024年底前）\n"
    "2.招引龙头企业。（县商务局牵头，县发改局配合）\n"
)


def test_every_extracted_item_carries_confidence_reason_and_deadline():
    draft = extract_text(EVIDENCE_PLAN, name="plan.txt")
    first, second = draft.tasks
    assert first.departments == ["县科技局", "各镇街"]
    assert first.deadline is not None and (first.deadline.text, first.deadline.date) == (
        "2024年底前",
        "2024-12-31",
    )
    assert second.deadline is None
    assert [a.department for a in first.assignments] == first.departments
    assert [a.lead for a in second.assignments] == [True, False]
    energy = next(t for t in draft.targets if "能耗" in t.metric)
    assert energy.direction == "down"
    assert next(t for t in draft.targets if t.unit == "亿元").direction == "up"
    items = [*draft.targets, *draft.tasks, *draft.parks, *(a for t in draft.tasks for a in t.assignments)]
    assert all(0 < item.confidence <= 1 and item.reason for item in items)
    assert {"region", "title", "period_end"} <= set(draft.plan.evidence)
