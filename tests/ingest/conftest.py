"""Builders for small .docx and .pdf documents, written at test time into tmp_path.

The texts are written for the tests in the conventions of real plans (numbered headings, a task
table, hard wraps); none is copied from a real document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# One numbering definition per list: a tuple of (numFmt, lvlText) per level.
ListLevels = Sequence[tuple[str, str]]
# Body items: "text" (a paragraph), ("list", list_index, level, "text"), ("style", "List Number", "text"),
# ("table", [[cell, ...], ...]), ("merged_table", rows) (first column merged vertically per group),
# ("box", [paragraph or ("list", …), …]) (a one-cell table), ("raw", "<w:r>…</w:r>") (paragraph
# content as XML), ("header", "text").
BodyItem = Any


_DRAWING_NAMESPACES = (
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def build_docx(
    path: Path,
    body: Sequence[BodyItem],
    lists: Sequence[ListLevels] = (),
    more_instances: Sequence[tuple[int, int | None]] = (),
) -> Path:
    """Write a .docx with the given body; ``lists`` define numbering (numId = index + 100).

    ``more_instances`` adds lists (w:num) reusing the definition of ``lists[index]``, with a
    level-0 startOverride when the second item is not None; the body refers to them as list
    ``len(lists) + k``.
    """
    document = Document()
    num_ids = _add_numbering(document, lists)
    num_ids += _add_instances(document, num_ids, more_instances)
    for item in body:
        if isinstance(item, str):
            document.add_paragraph(item)
        elif item[0] == "list":
            _, list_index, level, text = item
            paragraph = document.add_paragraph(text)
            _set_num_pr(paragraph, num_ids[list_index], level)
        elif item[0] == "style":
            document.add_paragraph(item[2], style=item[1])
        elif item[0] == "table":
            rows = item[1]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        elif item[0] == "box":
            # A one-cell table (专栏) holding paragraphs, numbered ones as ("list", list_index, level, text).
            cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
            for index, entry in enumerate(item[1]):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                if isinstance(entry, str):
                    paragraph.text = entry
                else:
                    paragraph.text = entry[3]
                    _set_num_pr(paragraph, num_ids[entry[1]], entry[2])
        elif item[0] == "merged_table":
            _add_merged_table(document, item[1])
        elif item[0] == "raw":
            # Paragraph content as raw WordprocessingML (runs, hyperlinks, revisions, text boxes).
            paragraph = document.add_paragraph()
            wrapper = parse_xml(f"<w:p {nsdecls('w', 'r')} {_DRAWING_NAMESPACES}>{item[1]}</w:p>")
            for child in list(wrapper):
                paragraph._p.append(child)
        elif item[0] == "header":
            document.sections[0].header.paragraphs[0].text = item[1]
        else:
            raise ValueError(item)
    document.save(str(path))
    return path


def _add_numbering(document: Any, lists: Sequence[ListLevels]) -> list[str]:
    if not lists:
        return []
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    num_ids = []
    for index, levels in enumerate(lists):
        abstract_id = str(900 + index)
        level_xml = "".join(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
            for ilvl, (fmt, text) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{level_xml}</w:abstractNum>'
        )
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num_id = str(100 + index)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )
        num_ids.append(num_id)
    return num_ids


def _add_instances(
    document: Any, num_ids: list[str], instances: Sequence[tuple[int, int | None]]
) -> list[str]:
    numbering = document.part.numbering_part.element
    added = []
    for offset, (list_index, start) in enumerate(instances):
        num_id = str(200 + offset)
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start is not None
            else ""
        )
        abstract_id = str(900 + int(num_ids[list_index]) - 100)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
            )
        )
        added.append(num_id)
    return added


def _set_num_pr(paragraph: Any, num_id: str, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _add_merged_table(document: Any, rows: Sequence[Sequence[str]]) -> None:
    """A table whose first column is merged downwards wherever a row's first cell is ""."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for index, values in enumerate(rows):
        tc_pr = table.rows[index].cells[0]._tc.get_or_add_tcPr()
        if values[0]:
            following_empty = index + 1 < len(rows) and rows[index + 1][0] == ""
            if following_empty:
                tc_pr.append(parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))
        else:
            tc_pr.append(deepcopy(parse_xml(f"<w:vMerge {nsdecls('w')}/>")))


def build_pdf(
    path: Path, pages: Sequence[Sequence[str]], *, table: Sequence[Sequence[str]] | None = None
) -> Path:
    """Write a PDF with a CJK text layer (reportlab's built-in STSong-Light, no font file needed).

    ``pages`` are lists of lines; ``table`` (optional) is drawn with ruling lines on the last page.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    drawing = canvas.Canvas(str(path))
    for page_number, lines in enumerate(pages, start=1):
        drawing.setFont("STSong-Light", 12)
        y = 800
        for line in lines:
            drawing.drawString(60, y, line)
            y -= 20
        if table is not None and page_number == len(pages):
            _draw_table(drawing, table, top=y - 10)
        drawing.showPage()
    drawing.save()
    return path


def _draw_table(drawing: Any, rows: Sequence[Sequence[str]], *, top: float) -> None:
    widths = [150.0] * len(rows[0])
    height = 24.0
    xs = [60.0]
    for width in widths:
        xs.append(xs[-1] + width)
    ys = [top - height * index for index in range(len(rows) + 1)]
    drawing.grid(xs, ys)
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            drawing.drawString(xs[column] + 4, ys[row_index] - 16, value)


def build_scanned_pdf(path: Path) -> Path:
    """A PDF whose page holds only drawing, no text (as a scan without OCR)."""
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path))
    drawing.rect(60, 500, 300, 200, fill=1)
    drawing.showPage()
    drawing.save()
    return path


@pytest.fixture
def docx_file(tmp_path: Path) -> Callable[..., Path]:
    def make(
        body: Sequence[BodyItem],
        lists: Sequence[ListLevels] = (),
        name: str = "plan.docx",
        more_instances: Sequence[tuple[int, int | None]] = (),
    ) -> Path:
        return build_docx(tmp_path / name, body, lists, more_instances)

    return make


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> Path:
    return build_scanned_pdf(tmp_path / "scan.pdf")


@pytest.fixture
def pdf_file(tmp_path: Path) -> Callable[..., Path]:
    def make(
        pages: Sequence[Sequence[str]], table: Sequence[Sequence[str]] | None = None, name: str = "plan.pdf"
    ) -> Path:
        return build_pdf(tmp_path / name, pages, table=table)

    return make
