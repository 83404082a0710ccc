"""The 终期评估报告 of an ended plan as .docx (A4, python-docx): targets met / not met on their own
year's figure with the gap, and each task's final state (bioplan.tracking.final)."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bioplan.tracking.consistency import fmt
from bioplan.tracking.final import FinalEvaluation
from bioplan.web.templatetags.bioplan_format import COMPARATOR_SYMBOLS

FONT = "宋体"


def _num(v: Decimal | None) -> str:
    return "—" if v is None else fmt(v)


def _verdict(met: bool | None) -> str:
    return "无数据" if met is None else ("达成" if met else "未达成")


def build_final_docx(final: FinalEvaluation) -> bytes:
    """The report as bytes: title, summary, the targets table, the tasks table."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # type: ignore[union-attr]

    plan = final.plan
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{plan.title}\n终期评估报告")
    run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph(
        f"{plan.region.name} · 实施期{plan.period_label} · 已到期。"
        f"共{len(final.targets)}项目标：达成{final.met}项，未达成{final.not_met}项，"
        f"无当年数据{final.unjudged}项；{len(final.tasks)}项任务中已完成{final.tasks_done}项。"
        "目标按其目标年度的数据评价，不使用之后年度的数据。"
    )
    if any(t.simulated for t in final.targets):
        doc.add_paragraph("注：部分数据为模拟数据（演示用）。")

    doc.add_paragraph().add_run("一、目标完成情况").bold = True
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("指标", "目标", "年度", "实际", "评价", "差距"), strict=True):
        cell.text = text
    for row in final.targets:
        t = row.target
        target = f"{COMPARATOR_SYMBOLS.get(t.comparator, t.comparator)}{fmt(t.value)}{t.unit}"
        cells = table.add_row().cells
        values = (
            f"{t.metric}{'（' + t.scope + '）' if t.scope and t.scope != plan.region.name else ''}",
            target,
            str(row.year),
            _num(row.actual),
            _verdict(row.met),
            _num(row.gap) if row.met is False else "—",
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text

    doc.add_paragraph().add_run("二、任务完成情况").bold = True
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "任务", "最终状态", "最后报送"), strict=True):
        cell.text = text
    for task_row in final.tasks:
        cells = table.add_row().cells
        state = task_row.progress_label
        if task_row.percent_done is not None and task_row.progress != "done":
            state += f"（{task_row.percent_done}%）"
        for cell, text in zip(
            cells, (task_row.task.number, task_row.task.title, state, task_row.reported or "—"), strict=True
        ):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
