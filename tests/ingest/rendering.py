"""Render a plan .txt as the .docx a drafting office would make (real tables) and as its PDF.

Used by the corpus test and by bench/bench_ingest.py to measure .docx and .pdf against the same
gold as the .txt. Paragraphs stay paragraphs; a block of tab-separated lines becomes a Word
table, and a row whose first filled column is empty (a cell hard-wrapped onto the next line in the
.txt) is joined to the row above, as it was one row in the original table. A row whose first
cell repeats the cell above is rendered as a vertically merged cell (合并单元格). A hard-wrapped
text (most lines stop mid-sentence, like the seed plans copied out of PDFs) is first joined into its
paragraphs with ``bioplan.ingest.normalize``, as the original .docx would have had them.

The PDF comes from LibreOffice (``soffice --headless --convert-to pdf``); ``pdf_available()``
says whether it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.shared import Pt

__all__ = ["docx_to_pdf", "pdf_available", "render", "txt_to_docx"]


def _table_blocks(lines: list[str]) -> list[tuple[str, list[str] | list[list[str]]]]:
    out: list[tuple[str, list[str] | list[list[str]]]] = []
    block: list[list[str]] = []
    for line in [*lines, ""]:
        if "\t" in line.strip("\t ") or line.count("\t") >= 2:
            block.append([" ".join(c.split()) for c in line.strip(" ").split("\t")])
            continue
        if block:
            out.append(("table", _join_wrapped(block)))
            block = []
        if line.strip():
            out.append(("paragraph", [line.strip()]))
    return out


def _join_wrapped(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    key = next((c for c in range(width) if sum(1 for r in rows if r[c]) >= 0.7 * len(rows)), 0)
    merged: list[list[str]] = []
    for row in rows:
        if merged and not row[key]:
            merged[-1] = [a + b for a, b in zip(merged[-1], row, strict=True)]
        else:
            merged.append(row)
    return merged


def txt_to_docx(source: Path, target: Path) -> Path:
    """Write ``target`` (.docx) from the UTF-8 plan text ``source``."""
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    text = source.read_text(encoding="utf-8")
    lines = text.split("\n")
    body = [line for line in lines if line.strip() and "\t" not in line]
    ended = sum(1 for line in body if line.rstrip().endswith(("。", "；", "：", "）", "！", "？")))
    if body and ended < 0.5 * len(body):
        # A hard-wrapped text (a PDF's text copied out): its paragraphs, as the original .docx had them.
        from bioplan.ingest.normalize import normalize

        lines = normalize(text).text.split("\n")
    for kind, content in _table_blocks(lines):
        if kind == "paragraph":
            document.add_paragraph(str(content[0]))
            continue
        rows = [list(r) for r in content]  # type: ignore[union-attr]
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                above = rows[r - 1][c] if r > 1 else None
                if above is not None and text and text == above and c == 0 and not text.isdigit():
                    table.cell(r - 1, c).merge(table.cell(r, c))
                    continue
                table.cell(r, c).text = text
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def pdf_available() -> bool:
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def docx_to_pdf(sources: list[Path], out_dir: Path) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice, one call for all (a private profile dir)."""
    converter = shutil.which("soffice") or shutil.which("libreoffice")
    if converter is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                converter,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return [out_dir / (s.stem + ".pdf") for s in sources]


def render(txt_files: list[Path], out_dir: Path, *, pdf: bool = True) -> None:
    """<stem>.docx (and <stem>.pdf) in ``out_dir`` for every .txt in ``txt_files``."""
    docs = [txt_to_docx(t, out_dir / (t.stem + ".docx")) for t in txt_files]
    if pdf:
        docx_to_pdf(docs, out_dir)
