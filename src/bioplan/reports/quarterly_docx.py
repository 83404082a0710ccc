"""The quarterly report (季度通报) of a plan as .docx, in the usual 通报 layout.

Title (宋体, bold), period line, 一、总体情况 with counts by status, 二、主要目标完成情况 (a table with
status colours), 三、重点任务推进情况 (a table grouped by lead department), 四、需协调解决的问题,
五、逾期及未报送部门. Chinese text is set in 仿宋 through w:eastAsia (font.name alone covers Latin only).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import _Cell
from docx.text.run import Run

from bioplan.reports.selectors import QuarterlyReport
from bioplan.tracking.consistency import fmt
from bioplan.tracking.progress import GREEN, RED, STATUS_LABELS, UNKNOWN, YELLOW

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
STATUS_FILL = {GREEN: "C6EFCE", YELLOW: "FFEB9C", RED: "FFC7CE", UNKNOWN: "EDEDED"}
PROGRESS_LABELS = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "late": "滞后"}
NUMERALS = "一二三四五六七八九十"
TABLE_STYLE = "BP Table Text"


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _para(
    doc: object,
    text: str,
    *,
    size: float = 14,
    font: str = BODY_FONT,
    bold: bool = False,
    align: int | None = None,
    color: RGBColor | None = None,
) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    _font(run, font, size, bold)
    if color is not None:
        run.font.color.rgb = color


def _cell(cell: _Cell, text: str, *, style: object, bold: bool = False, fill: str | None = None) -> None:
    # Table text takes its fonts (仿宋, w:eastAsia) and size from the paragraph style: setting them per
    # run would cost most of the build time for a 100-task table.
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style.style_id  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)


def _table(
    doc: object,
    header: list[str],
    rows: list[list[str]],
    fills: list[str | None] | None = None,
    fill_column: int | None = None,
) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    style = doc.styles[TABLE_STYLE]  # type: ignore[attr-defined]
    width = len(header)
    cells = table._cells  # every cell, row by row, computed once (row.cells recomputes the whole grid)
    for i, h in enumerate(header):
        _cell(cells[i], h, style=style, bold=True, fill="D9E2F3")
    for n, row in enumerate(rows):
        for i, text in enumerate(row):
            fill = fills[n] if fills is not None and i == fill_column else None
            _cell(cells[(n + 1) * width + i], text, style=style, fill=fill)


def build_quarterly_docx(report: QuarterlyReport) -> bytes:
    """The .docx bytes of a quarterly report."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    table_text = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(10.5)
    table_text.paragraph_format.space_after = Pt(0)

    plan = report.plan
    _para(
        doc,
        f"{plan.region.name}{plan.industry}产业行动方案推进情况通报",
        size=22,
        font=TITLE_FONT,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, f"（{report.period_label}）", size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        f"{plan.region.name}{plan.industry}产业发展推进办公室　{report.issued_on:%Y年%m月%d日}",
        size=12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    if report.simulated:
        _para(
            doc,
            "【模拟数据】本通报中的数据为演示用模拟数据，不是真实统计数据。",
            size=12,
            bold=True,
            color=RGBColor(0xC0, 0x50, 0x00),
        )
    _para(doc, f"为推进《{plan.title}》落实，现将{report.period_label}推进情况通报如下。")

    tc, kc = report.target_counts, report.task_counts
    sections = iter(NUMERALS)
    _para(doc, f"{next(sections)}、总体情况", font=HEADING_FONT, size=16)
    _para(
        doc,
        f"方案共设目标{len(report.targets)}项，已跟踪{tc[GREEN] + tc[YELLOW] + tc[RED] + tc[UNKNOWN]}项，其中"
        f"绿色（进度正常）{tc[GREEN]}项、黄色（略有滞后）{tc[YELLOW]}项、红色（明显滞后）{tc[RED]}项、"
        f"暂无数据{tc[UNKNOWN]}项。重点任务{sum(kc.values())}项，其中绿色{kc[GREEN]}项、黄色{kc[YELLOW]}项、"
        f"红色{kc[RED]}项、暂无报告{kc[UNKNOWN]}项。",
    )

    _para(doc, f"{next(sections)}、主要目标完成情况", font=HEADING_FONT, size=16)
    rows, fills = [], []
    for i, ts in enumerate(report.targets, start=1):
        t, ev = ts.target, ts.evaluation
        pct = "%" if t.kind == "growth_rate" else ""
        scope = f"（{t.scope}）" if t.scope and t.scope != plan.region.name else ""
        rows.append(
            [
                str(i),
                f"{t.metric}{scope}",
                f"{fmt(t.value)}{t.unit}（{t.year or '—'}）",
                f"{fmt(ev.actual)}{pct}" if ev.actual is not None else "—",
                f"{fmt(ev.expected)}{pct}" if ev.expected is not None else "—",
                f"{fmt(ev.attainment * 100, 1)}%" if ev.attainment is not None else "—",
                STATUS_LABELS.get(ev.status, ev.status) if ts.bound else "未关联",
            ]
        )
        fills.append(STATUS_FILL.get(ev.status) if ts.bound else None)
    _table(doc, ["序号", "指标", "目标", "实际", "序时进度", "完成率", "状态"], rows, fills, fill_column=6)

    _para(doc, f"{next(sections)}、重点任务推进情况", font=HEADING_FONT, size=16)
    task_rows, task_fills = [], []
    for lead, lines in report.tasks_by_lead.items():
        for line in lines:
            latest = next((r for r in line.reports if r.department.name == lead), None) or (
                line.reports[0] if line.reports else None
            )
            task_rows.append(
                [
                    lead,
                    f"{line.task.number}. {line.task.title}",
                    "、".join(line.co) or "—",
                    PROGRESS_LABELS.get(latest.progress, latest.progress) if latest else "未报送",
                    f"{latest.percent_done}%" if latest else "—",
                    (latest.done_text[:120] if latest else ""),
                    STATUS_LABELS.get(line.status, line.status),
                ]
            )
            task_fills.append(STATUS_FILL.get(line.status))
    _table(
        doc,
        ["牵头部门", "任务", "配合部门", "进展", "完成比例", "本季度完成情况", "状态"],
        task_rows,
        task_fills,
        fill_column=6,
    )

    _para(doc, f"{next(sections)}、需协调解决的问题", font=HEADING_FONT, size=16)
    if report.problems:
        for n, r in enumerate(report.problems, start=1):
            _para(doc, f"{n}. {r.department.name}（任务{r.task.number}）：{r.problems.strip()}")
    else:
        _para(doc, "本季度各部门未提出需协调解决的问题。")

    _para(doc, f"{next(sections)}、逾期及未报送部门", font=HEADING_FONT, size=16)
    if report.late:
        for row in report.late:
            parts = []
            if row.missing:
                parts.append(f"未报送{row.missing}项")
            if row.late:
                parts.append(f"逾期报送{row.late}项")
            _para(doc, f"{row.department.name}：{'，'.join(parts)}。")
    elif report.cycle is None:
        _para(doc, "本季度未开启报送。")
    else:
        _para(doc, "各部门均按时报送。")

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_quarterly_docx(report: QuarterlyReport, path: str | Path) -> Path:
    target = Path(path)
    target.write_bytes(build_quarterly_docx(report))
    return target
