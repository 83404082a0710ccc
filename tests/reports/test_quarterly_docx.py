"""The quarterly report (.docx) opens with python-docx and holds the expected tables."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from bioplan.reports.quarterly_docx import build_quarterly_docx, summary_paragraphs, target_requirement
from bioplan.reports.selectors import quarterly_report

pytestmark = pytest.mark.django_db


def test_quarterly_report_has_title_summary_tables_problems_and_late_departments(tracked) -> None:
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=2, today=dt.date(2024, 7, 20))
    doc = Document(io.BytesIO(build_quarterly_docx(report)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "甲区生物医药产业行动方案推进情况通报" in text
    assert "（2024年第2季度）" in text
    assert "一、总体情况" in text and "五、逾期及未报送部门" in text
    assert "方案共设目标1项" in text
    assert "区经委（任务1）：需协调用地指标" in text
    assert "区经委：逾期报送1项。" in text
    assert "区科委：未报送2项。" in text
    targets, tasks = doc.tables
    assert [c.text for c in targets.rows[0].cells] == [
        "序号",
        "指标",
        "目标",
        "实际",
        "序时进度",
        "完成率",
        "状态",
    ]
    assert [c.text for c in targets.rows[1].cells][:3] == ["1", "工业总产值", "确保＞160亿元（2023年）"]
    assert targets.rows[1].cells[3].text.endswith("亿元")  # the actual value carries its unit
    status_cell = targets.rows[1].cells[6]
    assert status_cell.text in ("绿", "黄", "红")
    assert status_cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) in ("C6EFCE", "FFEB9C", "FFC7CE")
    assert [c.text for c in tasks.rows[0].cells][:3] == ["牵头部门", "任务", "配合部门"]
    assert {r.cells[0].text for r in tasks.rows[1:]} == {"区经委", "区科委"}


def test_chinese_text_uses_the_official_document_fonts_with_a_fallback(tracked) -> None:
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=2)
    data = build_quarterly_docx(report)
    doc = Document(io.BytesIO(data))
    title = next(p for p in doc.paragraphs if p.text.endswith("推进情况通报"))
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22  # 二号
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.styles["Normal"].font.size.pt == 16  # 三号
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="宋体"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts


def test_page_is_a4_with_gbt_9704_margins_grid_and_page_numbers(tracked) -> None:
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=2)
    doc = Document(io.BytesIO(build_quarterly_docx(report)))
    section = doc.sections[0]

    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")  # 22 lines of 225 mm
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert (
            'w:instr="PAGE"' in xml
            and "— " in footer.paragraphs[0].text
            and " —" in footer.paragraphs[0].text
        )
    text = [p.text for p in doc.paragraphs]
    assert "甲区生物医药办〔2024〕2号" in text  # 文号


def test_summary_counts_targets_by_colour_and_names_the_red_ones(tracked) -> None:
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=3, today=dt.date(2024, 10, 20))
    lines = summary_paragraphs(report)

    tc = report.target_counts
    assert lines[0].startswith(
        f"截至2024年三季度，{len(report.targets)}项目标中绿灯{tc['green']}项、黄灯{tc['yellow']}项、红灯{tc['red']}项"
    )
    reds = [ts.target.metric for ts in report.targets if ts.bound and ts.status == "red"]
    assert all(name in lines[1] for name in reds) if reds else "红灯目标" not in "".join(lines)
    assert lines[-1].startswith(f"{sum(report.task_counts.values())}项重点任务中绿灯")


def test_simulated_figures_are_marked(tracked) -> None:
    from bioplan.tracking.models import Observation

    Observation.objects.update(simulated=True)
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=2)
    doc = Document(io.BytesIO(build_quarterly_docx(report)))
    assert any("【模拟数据】" in p.text for p in doc.paragraphs)


def test_quarter_without_a_cycle(world) -> None:
    report = quarterly_report(plan=world.plan, year=2023, quarter=4)
    doc = Document(io.BytesIO(build_quarterly_docx(report)))
    assert any(p.text == "本季度未开启报送。" for p in doc.paragraphs)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (
            {"level": "floor", "comparator": ">=", "value": "160", "unit": "亿元", "year": 2025},
            "确保≥160亿元（2025年）",
        ),
        (
            {
                "level": "stretch",
                "comparator": "range",
                "value": "10",
                "value_max": "15",
                "unit": "家",
                "year": 2027,
            },
            "力争10~15家（2027年）",
        ),
        ({"level": "", "comparator": "=", "value": "2.4964", "unit": "%", "year": None}, "2.5%"),
    ],
)
def test_target_requirement_states_level_comparator_value_and_unit(fields, text) -> None:
    from decimal import Decimal

    from bioplan.plans.models import Target

    values = {k: Decimal(v) if k in ("value", "value_max") else v for k, v in fields.items()}
    assert target_requirement(Target(metric="x", kind="level", **values)) == text
