"""The quarterly report (季度通报) of a plan as .docx, in the 公文 layout of GB/T 9704-2012.

Page: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28 characters (a line grid of
579 twips, body characters condensed by 0.2 pt); page numbers "— 1 —" in 4号 宋体 below the 版心,
odd pages right, even pages left. 版头: the issuing office in red 小标宋, the 文号 line, a red rule.
Title in 2号 小标宋, body in 3号 仿宋_GB2312 (first-line indent of two characters), first-level
headings in 3号 黑体. Word substitutes the font table's ``altName`` (宋体) when 仿宋_GB2312 or
小标宋 are not installed. Chinese text is set through w:eastAsia (font.name alone covers Latin only).

Body: a generated summary (截至2024年三季度，19项目标中绿灯12项…), 一、总体情况, 二、主要目标完成情况
(a table: the requirement with 确保/力争, comparator and unit; status colours), 三、重点任务推进情况
(grouped by lead department), 四、需协调解决的问题, 五、逾期及未报送部门, then the 落款 and date.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bioplan.plans.models import Target
from bioplan.reports.selectors import QuarterlyReport
from bioplan.tracking.consistency import fmt
from bioplan.tracking.progress import GREEN, RED, STATUS_LABELS, UNKNOWN, YELLOW
from bioplan.web.templatetags.bioplan_format import COMPARATOR_SYMBOLS

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
NUMBER_FONT = "宋体"
FALLBACK_FONT = "宋体"  # the font table's altName for fonts a computer may lack
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
PAGE_NUMBER_SIZE = 14  # 四号
RED_INK = RGBColor(0xE6, 0x00, 0x12)
STATUS_FILL = {GREEN: "C6EFCE", YELLOW: "FFEB9C", RED: "FFC7CE", UNKNOWN: "EDEDED"}
PROGRESS_LABELS = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成", "late": "滞后"}
LEVEL_WORDS = {"floor": "确保", "stretch": "力争"}
NUMERALS = "一二三四五六七八九十"
TABLE_STYLE = "BP Table Text"
LINE_PITCH = 579  # twips: 225 mm / 22 lines
# 28 characters of 16 pt need 448 pt; the 版心 is 442 pt wide, so body text is condensed by 0.2 pt
# (w:spacing, in twentieths of a point). A character grid (linesAndChars) would do the same in Word,
# but LibreOffice spreads every character over two grid cells.
CHAR_SPACING = -4


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
    size: float = BODY_SIZE,
    font: str = BODY_FONT,
    bold: bool = False,
    align: int | None = None,
    color: RGBColor | None = None,
    indent: bool = True,
) -> Paragraph:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        p.alignment = align
    if not indent or align is not None:
        p.paragraph_format.first_line_indent = Pt(0)
    run = p.add_run(text)
    _font(run, font, size, bold)
    if color is not None:
        run.font.color.rgb = color
    return p


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
    widths_mm: list[float] | None = None,
) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    style = doc.styles[TABLE_STYLE]  # type: ignore[attr-defined]
    width = len(header)
    cells = table._cells  # every cell, row by row, computed once (row.cells recomputes the whole grid)
    if widths_mm:
        for column, mm in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(mm)  # the grid LibreOffice reads; Word reads the cells' widths
        for i, cell in enumerate(cells):
            cell.width = Mm(widths_mm[i % width])
    table.rows[0]._tr.get_or_add_trPr().append(
        parse_xml(f"<w:tblHeader {nsdecls('w')}/>")
    )  # repeat on each page
    for i, h in enumerate(header):
        _cell(cells[i], h, style=style, bold=True, fill="D9E2F3")
    for n, row in enumerate(rows):
        for i, text in enumerate(row):
            fill = fills[n] if fills is not None and i == fill_column else None
            _cell(cells[(n + 1) * width + i], text, style=style, fill=fill)


def _page_setup(doc: object) -> None:
    """A4 with the GB/T 9704 margins and the 22 × 28 document grid; page numbers in the footers."""
    section: Section = doc.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    doc.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— N —" in 4号 宋体, one character in from the edge of the 版心 (odd: right, even: left)."""
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        layout.right_indent = Pt(PAGE_NUMBER_SIZE)
    else:
        layout.left_indent = Pt(PAGE_NUMBER_SIZE)
    _font(paragraph.add_run("— "), NUMBER_FONT, PAGE_NUMBER_SIZE)
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:rPr><w:rFonts w:ascii="{NUMBER_FONT}" '
        f'w:hAnsi="{NUMBER_FONT}" w:eastAsia="{NUMBER_FONT}"/><w:sz w:val="{PAGE_NUMBER_SIZE * 2}"/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"
    )
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_SIZE)


def _font_fallbacks(doc: object) -> None:
    """Declare 仿宋_GB2312 and 小标宋 in the font table with 宋体 as ``altName``."""
    part = next(
        (p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),  # type: ignore[attr-defined]
        None,
    )
    if part is None:
        return
    table = parse_xml(part.blob)
    for name in (BODY_FONT, TITLE_FONT):
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{FALLBACK_FONT}"/>'
            '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        )
        table.append(font)
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc: object) -> None:
    # The document defaults set the grid's character pitch (LibreOffice reads it from there): 三号.
    defaults = doc.styles.element.find(qn("w:docDefaults"))  # type: ignore[attr-defined]
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        run_defaults.find(qn(tag)).set(qn("w:val"), str(BODY_SIZE * 2))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), BODY_FONT)
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), str(CHAR_SPACING))
    normal.element.get_or_add_rPr().append(condensed)
    body = normal.paragraph_format
    body.first_line_indent = Pt(BODY_SIZE * 2)  # 首行缩进两字
    body.space_before = body.space_after = Pt(0)
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = Pt(LINE_PITCH / 20)
    table_text = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
    table_text.base_style = normal
    table_text.font.size = Pt(10.5)
    table_text.paragraph_format.first_line_indent = Pt(0)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table_text.paragraph_format.space_after = Pt(0)
    # Table rows follow their text, not the page's 22-line grid.
    table_text.element.get_or_add_pPr().append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))


def _masthead(doc: object, report: QuarterlyReport) -> None:
    """版头 (issuing office in red, 文号, red rule) and the title."""
    plan = report.plan
    _para(
        doc,
        f"{plan.region.name}{plan.industry}产业发展推进办公室",
        size=TITLE_SIZE,
        font=TITLE_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED_INK,
    )
    number = _para(doc, document_number(report), align=WD_ALIGN_PARAGRAPH.CENTER)
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="6" w:color="E60012"/></w:pBdr>'
    )
    number._p.get_or_add_pPr().append(border)
    _para(doc, "", indent=False)
    _para(
        doc,
        f"{plan.region.name}{plan.industry}产业行动方案推进情况通报",
        size=TITLE_SIZE,
        font=TITLE_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, f"（{report.period_label}）", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "", indent=False)


def document_number(report: QuarterlyReport) -> str:
    """The 文号 line: issuing office's short name, 〔year〕 and the quarter as the serial number."""
    plan = report.plan
    return f"{plan.region.name}{plan.industry}办〔{report.year}〕{report.quarter}号"


def target_requirement(target: Target) -> str:
    """The target as the plan states it: 确保/力争, comparator, value(s), unit and year.

    ``确保≥160亿元（2025年）``, ``力争10~15家（2027年）``; a growth rate keeps its % unit."""
    level = LEVEL_WORDS.get(target.level, "")
    if target.comparator == "range" and target.value_max is not None:
        amount = f"{fmt(target.value)}~{fmt(target.value_max)}{target.unit}"
    else:
        amount = f"{COMPARATOR_SYMBOLS.get(target.comparator, '')}{fmt(target.value)}{target.unit}"
    year = f"（{target.year}年）" if target.year else ""
    return f"{level}{amount}{year}"


def summary_paragraphs(report: QuarterlyReport) -> list[str]:
    """The generated opening: 截至2024年三季度，19项目标中绿灯12项、黄灯4项、红灯3项…"""
    tc, kc = report.target_counts, report.task_counts
    as_of = f"截至{report.year}年{NUMERALS[report.quarter - 1]}季度"
    tracked = tc[GREEN] + tc[YELLOW] + tc[RED] + tc[UNKNOWN]
    untracked = len(report.targets) - tracked
    lines = [
        f"{as_of}，{len(report.targets)}项目标中绿灯{tc[GREEN]}项、黄灯{tc[YELLOW]}项、红灯{tc[RED]}项"
        + (f"、暂无数据{tc[UNKNOWN]}项" if tc[UNKNOWN] else "")
        + (f"、未关联指标{untracked}项" if untracked else "")
        + "。"
    ]
    reds = [ts for ts in report.targets if ts.bound and ts.status == RED]
    if reds:
        names = "、".join(
            f"{ts.target.metric}（完成率{fmt(ts.evaluation.attainment * 100, 1)}%）"
            if ts.evaluation.attainment is not None
            else ts.target.metric
            for ts in reds
        )
        lines.append(f"红灯目标为：{names}，请牵头部门重点推进。")
    lines.append(
        f"{sum(kc.values())}项重点任务中绿灯{kc[GREEN]}项、黄灯{kc[YELLOW]}项、红灯{kc[RED]}项"
        + (f"、暂无报告{kc[UNKNOWN]}项" if kc[UNKNOWN] else "")
        + "。"
    )
    return lines


def _heading(doc: object, sections: object, title: str) -> None:
    _para(doc, f"{next(sections)}、{title}", font=HEADING_FONT)  # type: ignore[call-overload]


def build_quarterly_docx(report: QuarterlyReport) -> bytes:
    """The .docx bytes of a quarterly report."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _font_fallbacks(doc)
    _masthead(doc, report)
    plan = report.plan
    if report.simulated:
        _para(
            doc,
            "【模拟数据】本通报中的数据为演示用模拟数据，不是真实统计数据。",
            bold=True,
            color=RGBColor(0xC0, 0x50, 0x00),
        )
    _para(doc, f"为推进《{plan.title}》落实，现将{report.period_label}推进情况通报如下。")
    sections = iter(NUMERALS)
    _heading(doc, sections, "总体情况")
    for line in summary_paragraphs(report):
        _para(doc, line)
    tc, kc = report.target_counts, report.task_counts
    _para(
        doc,
        f"方案共设目标{len(report.targets)}项，已跟踪{tc[GREEN] + tc[YELLOW] + tc[RED] + tc[UNKNOWN]}项；"
        f"重点任务{sum(kc.values())}项。",
    )
    _heading(doc, sections, "主要目标完成情况")
    _targets_table(doc, report)
    _heading(doc, sections, "重点任务推进情况")
    _tasks_table(doc, report)
    _heading(doc, sections, "需协调解决的问题")
    if report.problems:
        for n, r in enumerate(report.problems, start=1):
            _para(doc, f"{n}. {r.department.name}（任务{r.task.number}）：{r.problems.strip()}")
    else:
        _para(doc, "本季度各部门未提出需协调解决的问题。")
    _heading(doc, sections, "逾期及未报送部门")
    _late(doc, report)
    _para(doc, "", indent=False)
    office = f"{plan.region.name}{plan.industry}产业发展推进办公室"
    for text in (office, f"{report.issued_on.year}年{report.issued_on.month}月{report.issued_on.day}日"):
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(BODY_SIZE * 4)  # 右空四字
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _targets_table(doc: object, report: QuarterlyReport) -> None:
    rows, fills = [], []
    for i, ts in enumerate(report.targets, start=1):
        t, ev = ts.target, ts.evaluation
        unit = t.unit
        scope = f"（{t.scope}）" if t.scope and t.scope != report.plan.region.name else ""
        rows.append(
            [
                str(i),
                f"{t.metric}{scope}",
                target_requirement(t),
                f"{fmt(ev.actual)}{unit}" if ev.actual is not None else "—",
                f"{fmt(ev.expected)}{unit}" if ev.expected is not None else "—",
                f"{fmt(ev.attainment * 100, 1)}%" if ev.attainment is not None else "—",
                STATUS_LABELS.get(ev.status, ev.status) if ts.bound else "未关联",
            ]
        )
        fills.append(STATUS_FILL.get(ev.status) if ts.bound else None)
    _table(
        doc,
        ["序号", "指标", "目标", "实际", "序时进度", "完成率", "状态"],
        rows,
        fills,
        fill_column=6,
        widths_mm=[10, 42, 36, 20, 20, 16, 12],
    )


def _tasks_table(doc: object, report: QuarterlyReport) -> None:
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
        widths_mm=[20, 36, 20, 14, 14, 40, 12],
    )


def _late(doc: object, report: QuarterlyReport) -> None:
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


def write_quarterly_docx(report: QuarterlyReport, path: str | Path) -> Path:
    target = Path(path)
    target.write_bytes(build_quarterly_docx(report))
    return target
