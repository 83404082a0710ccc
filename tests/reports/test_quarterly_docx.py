"""The quarterly report (.docx) opens with python-docx and holds the expected tables."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from bioplan.reports.quarterly_docx import build_quarterly_docx
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
    assert [c.text for c in targets.rows[1].cells][:3] == ["1", "工业总产值", "160亿元（2023）"]
    status_cell = targets.rows[1].cells[6]
    assert status_cell.text in ("绿", "黄", "红")
    assert status_cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) in ("C6EFCE", "FFEB9C", "FFC7CE")
    assert [c.text for c in tasks.rows[0].cells][:3] == ["牵头部门", "任务", "配合部门"]
    assert {r.cells[0].text for r in tasks.rows[1:]} == {"区经委", "区科委"}


def test_chinese_text_uses_an_east_asian_font(tracked) -> None:
    report = quarterly_report(plan=tracked.plan, year=2024, quarter=2)
    doc = Document(io.BytesIO(build_quarterly_docx(report)))
    run = doc.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


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
