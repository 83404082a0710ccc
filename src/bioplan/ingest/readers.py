"""Read an action plan (.txt, .docx, .pdf, .doc) into plain text in reading order.

Libraries do the parsing (python-docx/lxml, pypdfium2, pdfplumber, charset-normalizer, LibreOffice
for .doc); the hand-written parts fill gaps they leave, each found on real plans:

* .docx list numbers ("1．", "（一）", "第三条") live in numbering.xml, not in the paragraph text, and
  no library renders them; the task headings of a plan are exactly such numbers, so
  :class:`_Numbering` renders them (numFmt, lvlText; counters per level, shared by the lists of one
  abstract definition and restarted by a startOverride, as Word does).
* python-docx lists paragraphs and tables separately; the body XML is walked instead so a table
  (e.g. the 任务分解表) lands where it stands, one line per row with cells joined by "\\t".
  Single-column tables (专栏 boxes) and text boxes become ordinary lines.
* GBK/GB18030 text is tried explicitly before charset-normalizer, which can mistake short Chinese
  files for other code pages.

Every problem ends in one :class:`~bioplan.ingest.errors.IngestError` with a one-line message.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bioplan.ingest.errors import (
    BrokenFile,
    ConverterMissing,
    DocumentNotFound,
    EmptyDocument,
    FileTooLarge,
    IngestError,
    ScannedPdf,
    UnsupportedFormat,
)
from bioplan.ingest.language import ensure_chinese

__all__ = ["DEFAULT_MAX_BYTES", "SourceDocument", "read_bytes", "read_document"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CONVERT_TIMEOUT_SECONDS = 120
UNPACK_FACTOR = 10  # a .docx's XML is rarely more than ~5x its zip
_TEXT_EXTENSIONS = {"", "txt", "text"}
_SUPPORTED = ".txt, .docx, .pdf or .doc"


@dataclass
class SourceDocument:
    """A document's text in reading order and its real tables.

    ``text`` has "\\n" between paragraphs/lines; .docx tables appear in place, one line per row,
    cells joined by "\\t" (line breaks inside a cell become spaces). ``tables`` holds the rows of
    cell strings of the real tables (.docx tables; tables pdfplumber finds on ruled PDF pages;
    tab-separated blocks of a .txt file, with rows the source wrapped merged back).
    """

    name: str
    format: str  # "txt" | "docx" | "pdf" | "doc"
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Read the file at ``path``; its size is checked against ``max_bytes`` before it is read."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentNotFound(f"file not found: {path}", source=name) from None
    except OSError as error:
        raise DocumentNotFound(f"cannot open file ({error.strerror})", source=name) from None
    if path.is_dir():
        raise DocumentNotFound("is a directory, not a file", source=name)
    _check_size(size, max_bytes, name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentNotFound(f"cannot read file ({error.strerror})", source=name) from None
    return _read(data, name, max_bytes)


def read_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Read an uploaded file's bytes; ``name`` (the client's file name) gives the expected type."""
    _check_size(len(data), max_bytes, name)
    return _read(data, name, max_bytes)


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size > max_bytes:
        raise FileTooLarge(f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit", source=name)
    if size == 0:
        raise EmptyDocument("file is empty (0 bytes)", source=name)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --------------------------------------------------------------------------------------------------
# Dispatch on content first, extension second


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx/.xlsx is an OLE container holding an "EncryptionInfo" stream (UTF-16 name).
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")
_IMAGE_MAGICS = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}


def _sniff(data: bytes) -> str:
    """The kind of file its first bytes show: docx, zip, pdf, ole, image:<kind>, or "" (none known)."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:8] == _OLE_MAGIC:
        return "ole"
    for magic, kind in _IMAGE_MAGICS.items():
        if data.startswith(magic):
            return f"image:{kind}"
    return ""


def _read(data: bytes, name: str, max_bytes: int) -> SourceDocument:
    extension = Path(name).suffix.lower().lstrip(".")
    kind = _sniff(data)
    if kind == "docx":
        _check_unpacked_size(data, max_bytes, name)
        document = _guarded(_read_docx, data, name, "docx")
    elif kind == "pdf":
        document = _guarded(_read_pdf, data, name, "pdf")
    elif kind == "ole" and _ENCRYPTED_OOXML in data:
        raise BrokenFile("document is password-protected: save it again without a password", source=name)
    elif kind == "ole" and extension not in {"xls", "ppt", "msg", "xlt", "pps"}:
        document = _read_doc(data, name)
    elif extension == "doc" and data.lstrip()[:5] == b"{\\rtf":
        document = _read_doc(data, name)  # RTF saved as .doc: LibreOffice reads it too
    elif kind.startswith("image:"):
        raise UnsupportedFormat(
            f"an image ({kind[6:]}) has no text layer: scanned pages need OCR, which bioplan does not do",
            source=name,
        )
    elif extension == "docx":
        reason = "a zip archive without word/document.xml" if kind == "zip" else "not a zip archive"
        raise BrokenFile(f"not a valid .docx file ({reason})", source=name)
    elif extension == "pdf":
        raise BrokenFile("not a valid PDF file (no %PDF header)", source=name)
    elif extension == "doc":
        raise BrokenFile("not a valid .doc file (no Word 97-2003 signature)", source=name)
    elif kind or extension not in _TEXT_EXTENSIONS:
        shown = f".{extension} files" if extension else "this file type"
        raise UnsupportedFormat(f"{shown} cannot be read: use {_SUPPORTED}", source=name)
    else:
        text = _decode_text(data, name)
        document = SourceDocument(name=name, format="txt", text=text, tables=_text_tables(text))

    if not document.text.strip():
        raise EmptyDocument("document has no text", source=name)
    ensure_chinese(document.text, source=name)
    return document


def _check_unpacked_size(data: bytes, max_bytes: int, name: str) -> None:
    """Refuse a .docx whose parts unpack to more than UNPACK_FACTOR x max_bytes (a zip bomb)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    if unpacked > UNPACK_FACTOR * max_bytes:
        raise FileTooLarge(
            f"file unpacks to {_megabytes(unpacked)}, over {UNPACK_FACTOR} x the {_megabytes(max_bytes)} limit",
            source=name,
        )


def _guarded(reader: Any, data: bytes, name: str, label: str) -> SourceDocument:
    """Run a format reader, turning any parser exception into a one-line BrokenFile."""
    try:
        document: SourceDocument = reader(data, name)
    except IngestError:
        raise
    except Exception as error:  # parsers raise many types (BadZipFile, KeyError, XMLSyntaxError…)
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise BrokenFile(f"cannot read this .{label} file: {detail}", source=name) from None
    return document


# --------------------------------------------------------------------------------------------------
# Plain text


_GB2312_PAIR = re.compile(rb"[\xb0-\xf7][\xa1-\xfe]")
_GBK_PAIR = re.compile(rb"[\x81-\xfe][\x40-\x7e\x80-\xfe]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode_text(data: bytes, name: str) -> str:
    text = _decode(data, name)
    if len(_CONTROL.findall(text[:100_000])) > max(8, len(text[:100_000]) // 100):
        raise BrokenFile("binary data, not text", source=name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise BrokenFile(
                    f"text is not valid {encoding.upper()} despite its BOM", source=name
                ) from None
    if b"\x00" in data[:65536]:
        raise BrokenFile("binary data, not text", source=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # GB18030 accepts many byte strings; trust it when the two-byte pairs are mostly in the
        # common GB2312 area (Big5 or mis-sniffed files are not).
        sample = data[:200_000]
        pairs = len(_GBK_PAIR.findall(sample))
        if pairs and len(_GB2312_PAIR.findall(sample)) >= 0.7 * pairs:
            return text
    from charset_normalizer import from_bytes  # imported late: only odd files get this far

    best = from_bytes(data).best()
    if best is None:
        raise BrokenFile("binary data, not text (no text encoding fits)", source=name)
    return str(best)


# A space between two non-ASCII characters in a text table is a wrap artefact ("区规 划资源局"), as in
# normalize().
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")


def _text_tables(text: str) -> list[list[list[str]]]:
    """Tab-separated blocks of a text file as tables (blank lines inside a block are skipped).

    A row whose key column (the first column filled in ≥ 70% of the rows, e.g. 序号) is empty
    continues the row above it, cell by cell: a task-decomposition table hard-wrapped in the
    source ("…区国资委、区市" / "场监管局…") comes out whole.
    """
    if "\t" not in text:
        return []
    tables: list[list[list[str]]] = []
    block: list[list[str]] = []
    for line in [*text.split("\n"), "end"]:
        stripped = line.strip(" ")
        if "\t" in stripped.strip("\t") or stripped.count("\t") >= 2:
            block.append([_CJK_GAP.sub("", " ".join(cell.split())) for cell in stripped.split("\t")])
        elif stripped:
            if len(block) > 1:
                tables.append(_merge_continued_rows(block))
            block = []
    return tables


def _merge_continued_rows(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    key = next((c for c in range(width) if sum(1 for row in rows if row[c]) >= 0.7 * len(rows)), None)
    if key is None:
        return rows
    merged: list[list[str]] = []
    for row in rows:
        if merged and not row[key]:
            merged[-1] = [above + below for above, below in zip(merged[-1], row, strict=True)]
        else:
            merged.append(row)
    return merged


# --------------------------------------------------------------------------------------------------
# .docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {
    _W + "pPr",
    _W + "rPr",
    _W + "delText",
    _W + "instrText",
    _W + "del",
    _W + "moveFrom",
    _W + "footnoteReference",
    _W + "endnoteReference",
    _W + "commentReference",
    _MC_FALLBACK,  # the VML copy of a drawing already read from mc:Choice
}


def _read_docx(data: bytes, name: str) -> SourceDocument:
    import docx  # python-docx; imported here so reading .txt/.pdf does not pay for it

    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    _read_blocks(document.element.body, numbering, lines, tables)
    return SourceDocument(name=name, format="docx", text="\n".join(lines), tables=tables)


def _read_blocks(
    container: Any, numbering: _Numbering, lines: list[str], tables: list[list[list[str]]]
) -> None:
    """Append the lines of the paragraphs and tables in ``container`` (body, cell, text box)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            text, boxes = _paragraph_text(child, numbering)
            if text.strip():
                lines.extend(text.split("\n"))
            for box in boxes:
                _read_blocks(box, numbering, lines, tables)
        elif tag == _W + "tbl":
            cells = _table_cells(child, numbering)
            if not cells:
                continue
            rows = [[" ".join(" ".join(line.split()) for line in cell) for cell in row] for row in cells]
            tables.append(rows)
            if all(len(row) == 1 for row in rows):
                # A one-column table is a box (专栏): keep its paragraphs as lines.
                lines.extend(line for row in cells for line in row[0])
            else:
                lines.extend("\t".join(row) for row in rows)
        elif tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if tag == _W + "sdt" else child
            if content is not None:
                _read_blocks(content, numbering, lines, tables)


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> tuple[str, list[Any]]:
    """The paragraph's visible text with its list number, and the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[Any] = []
    _collect_runs(paragraph, parts, boxes)
    text = "".join(parts)
    prefix = numbering.label(paragraph)
    if prefix:
        text = prefix + text
    return text, boxes


def _collect_runs(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            parts.append(" ")  # only table cells are tab-separated
        elif tag in (_W + "br", _W + "cr"):
            if child.get(_W + "type") not in ("page", "column"):
                parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "txbxContent":
            boxes.append(child)
        else:
            _collect_runs(child, parts, boxes)


def _table_cells(table: Any, numbering: _Numbering) -> list[list[list[str]]]:
    """Rows of cells of ``table``, each cell as its lines (numbering rendered once, in order)."""
    rows: list[list[list[str]]] = []
    for tr in table.iterchildren(_W + "tr"):
        cells: list[list[str]] = []
        for tc in tr.iterchildren(_W + "tc"):
            span, continued = 1, False
            properties = tc.find(_W + "tcPr")
            if properties is not None:
                grid_span = properties.find(_W + "gridSpan")
                if grid_span is not None:
                    span = max(1, int(grid_span.get(_W + "val", "1")))
                merge = properties.find(_W + "vMerge")
                continued = merge is not None and merge.get(_W + "val", "continue") == "continue"
            lines: list[str] = []
            _read_blocks(tc, numbering, lines, [])
            # A vertically merged cell shows its text once, in its first row (as in the PDF).
            cells.append([] if continued else [line.replace("\t", " ") for line in lines if line.strip()])
            cells.extend([] for _ in range(span - 1))
        if cells:
            rows.append(cells)
    return rows


# --------------------------------------------------------------------------------------------------
# .docx list numbering

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _chinese_number(value: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """一, 十, 十一, 二十三, 一百零五 (counting style, as Word's chineseCounting)."""
    if value <= 0 or value >= 10000:
        return str(value)
    if 10 <= value < 20:
        return units[0] + (digits[value % 10] if value % 10 else "")
    out = ""
    zero_pending = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // power % 10
        if digit:
            if zero_pending:
                out += digits[0]
            out += digits[digit] + unit
            zero_pending = False
        elif out:
            zero_pending = True
    return out


def _letters(value: int) -> str:
    out = ""
    while value > 0:
        value, remainder = divmod(value - 1, 26)
        out = chr(ord("a") + remainder) + out
    return out


def _roman(value: int) -> str:
    out = ""
    for amount, numeral in _ROMAN:
        while value >= amount:
            out += numeral
            value -= amount
    return out


def _format_number(value: int, number_format: str) -> str:
    if number_format in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                         "taiwaneseCountingThousand", "japaneseDigitalTenThousand"):  # fmt: skip
        return _chinese_number(value)
    if number_format in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _chinese_number(value, _CN_LEGAL, "拾佰仟")
    if number_format in ("ideographDigital", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if number_format in ("ideographTraditional", "ideographEnclosedCircle") and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if number_format in ("ideographZodiac", "ideographZodiacTraditional") and 1 <= value <= 12:
        return _EARTHLY_BRANCHES[value - 1]
    if number_format.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return _CIRCLED[value - 1]
    if number_format == "decimalEnclosedParen":
        return f"({value})"
    if number_format == "decimalEnclosedFullstop":
        return f"{value}."
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "upperLetter":
        return _letters(value).upper()
    if number_format == "lowerLetter":
        return _letters(value)
    if number_format == "upperRoman":
        return _roman(value).upper()
    if number_format == "lowerRoman":
        return _roman(value)
    return str(value)  # decimal, decimalFullWidth, ordinal and anything unknown


@dataclass
class _Level:
    start: int = 1
    number_format: str = "decimal"
    text: str = "%1."
    legal: bool = False  # isLgl: every placeholder in decimal
    suffix: str = "tab"
    style: str | None = None


_PLACEHOLDER = re.compile(r"%([1-9])")


class _Numbering:
    """Renders the list labels Word computes from numbering.xml ("1．", "（一）", "第三条")."""

    def __init__(self, document: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, list[int | None]] = {}  # per abstract definition, per level
        self._started: set[str] = set()  # numIds already used
        self._restart: dict[tuple[str, int], int] = {}  # pending startOverride per (abstract, level)
        self._style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self._style_parent: dict[str, str] = {}
        self._style_links: dict[str, str] = {}
        root = _numbering_root(document)
        if root is not None:
            self._load_numbering(root)
        self._load_styles(document)

    def _load_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(_W + "abstractNum"):
            abstract_id = abstract.get(_W + "abstractNumId")
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterchildren(_W + "lvl"):
                levels[int(lvl.get(_W + "ilvl", "0"))] = _parse_level(lvl)
            link = abstract.find(_W + "numStyleLink")
            if link is not None:
                self._style_links[abstract_id] = link.get(_W + "val")
            self._abstract[abstract_id] = levels
        for num in root.iterchildren(_W + "num"):
            num_id = num.get(_W + "numId")
            abstract_ref = num.find(_W + "abstractNumId")
            if abstract_ref is None:
                continue
            starts: dict[int, int] = {}
            for override in num.iterchildren(_W + "lvlOverride"):
                start = override.find(_W + "startOverride")
                if start is not None:
                    starts[int(override.get(_W + "ilvl", "0"))] = int(start.get(_W + "val", "1"))
            self._nums[num_id] = (abstract_ref.get(_W + "val"), starts)

    def _load_styles(self, document: Any) -> None:
        try:
            styles = document.styles.element
        except Exception:  # a package without styles.xml
            return
        for style in styles.iterchildren(_W + "style"):
            style_id = style.get(_W + "styleId")
            based_on = style.find(_W + "basedOn")
            if based_on is not None:
                self._style_parent[style_id] = based_on.get(_W + "val")
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                self._style_numbering[style_id] = _num_pr_values(num_pr)

    def label(self, paragraph: Any) -> str:
        num_id, level = self._paragraph_numbering(paragraph)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, starts = self._nums[num_id]
        levels = self._levels(abstract_id)
        if level not in levels:
            return ""
        # As in Word, lists (w:num) sharing an abstract definition share its counters and continue
        # each other; a list with a startOverride ("restart at 1") restarts that level at first use.
        counters = self._counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self._started:
            self._started.add(num_id)
            for override_level, start in starts.items():
                self._restart[(abstract_id, override_level)] = start
        current = levels[level]
        restart = self._restart.pop((abstract_id, level), None)
        previous = counters[level]
        counters[level] = (
            restart if restart is not None else (current.start if previous is None else previous + 1)
        )
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        if current.number_format in ("bullet", "none") and "%" not in current.text:
            return "" if current.number_format == "bullet" else current.text

        def placeholder(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            definition = levels.get(index, _Level())
            value = counters[index]
            if value is None:
                value = starts.get(index, definition.start)
            number_format = "decimal" if current.legal and index < level else definition.number_format
            return _format_number(value, number_format)

        rendered = _PLACEHOLDER.sub(placeholder, current.text)
        if current.number_format == "bullet" or not rendered:
            return ""
        if current.suffix == "nothing" or rendered[-1] in "、．.）)：:":
            return rendered
        return rendered + " "

    def _levels(self, abstract_id: str) -> dict[int, _Level]:
        levels = self._abstract.get(abstract_id, {})
        linked_style = self._style_links.get(abstract_id)
        if not levels and linked_style:
            linked_num, _ = self._style_numbering.get(linked_style, (None, None))
            if linked_num and linked_num in self._nums:
                levels = self._abstract.get(self._nums[linked_num][0], {})
        return levels

    def _paragraph_numbering(self, paragraph: Any) -> tuple[str | None, int]:
        num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
        num_id: str | None = None
        level: int | None = None
        if num_pr is not None:
            num_id, level = _num_pr_values(num_pr)
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(_W + "val") if style is not None else None
        if num_id is None and style_id:
            num_id, style_level = self._style_chain_numbering(style_id)
            level = level if level is not None else style_level
            if level is None and num_id in self._nums:
                level = self._level_for_style(self._nums[num_id][0], style_id)
        return num_id, level or 0

    def _style_chain_numbering(self, style_id: str) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen:
            seen.add(current)
            if current in self._style_numbering:
                return self._style_numbering[current]
            current = self._style_parent.get(current)
        return None, None

    def _level_for_style(self, abstract_id: str, style_id: str) -> int | None:
        for index, definition in self._levels(abstract_id).items():
            if definition.style == style_id:
                return index
        return None


def _numbering_root(document: Any) -> Any:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = document.part.part_related_by(RT.NUMBERING)
    except KeyError:
        return None
    return getattr(part, "element", None)


def _num_pr_values(num_pr: Any) -> tuple[str | None, int | None]:
    num_id = num_pr.find(_W + "numId")
    level = num_pr.find(_W + "ilvl")
    return (
        num_id.get(_W + "val") if num_id is not None else None,
        int(level.get(_W + "val", "0")) if level is not None else None,
    )


def _parse_level(lvl: Any) -> _Level:
    definition = _Level()
    start = lvl.find(_W + "start")
    if start is not None:
        definition.start = int(start.get(_W + "val", "1"))
    number_format = lvl.find(_W + "numFmt")
    if number_format is not None:
        definition.number_format = number_format.get(_W + "val", "decimal")
    text = lvl.find(_W + "lvlText")
    if text is not None:
        definition.text = text.get(_W + "val", "")
    definition.legal = lvl.find(_W + "isLgl") is not None
    suffix = lvl.find(_W + "suff")
    if suffix is not None:
        definition.suffix = suffix.get(_W + "val", "tab")
    style = lvl.find(_W + "pStyle")
    if style is not None:
        definition.style = style.get(_W + "val")
    return definition


# --------------------------------------------------------------------------------------------------
# .pdf

_PDF_NOISE = str.maketrans({"\ufffe": None, "\x02": None, "\x00": None, "\ufeff": None})


def _read_pdf(data: bytes, name: str) -> SourceDocument:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise BrokenFile("PDF is password-protected", source=name) from None
        raise BrokenFile(f"not a readable PDF ({message.splitlines()[0]})", source=name) from None
    pages: list[str] = []
    ruled_pages: list[int] = []
    try:
        if len(pdf) == 0:
            raise EmptyDocument("PDF has no pages", source=name)
        for index in range(len(pdf)):
            page = pdf[index]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            if next(page.get_objects(filter=(pdfium_raw.FPDF_PAGEOBJ_PATH,)), None) is not None:
                ruled_pages.append(index)  # vector paths: maybe ruling lines of a table
            page.close()
    finally:
        pdf.close()
    if not "".join(pages).strip():
        raise ScannedPdf("no text layer: scanned PDF needs OCR", source=name)
    try:
        tables = _pdf_tables(data, ruled_pages, pages)
    except Exception:  # tables are a bonus: a pdfminer failure must not lose the text
        tables = []
    text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n").translate(_PDF_NOISE)
    text = _STRAY_QUOTE.sub("", text)
    return SourceDocument(name=name, format="pdf", text=text, tables=tables)


# Quotes set in a fallback font come out of the text layer away from their place, each alone
# between spaces ("中小企业 两个赛道 并进，支持龙头企 “ ”"); they are dropped (the spaces they leave
# between Chinese characters are removed by normalize()).
_STRAY_QUOTE = re.compile(r"(?:(?<=\s)|^)[“”‘’](?=\s|$)", re.MULTILINE)


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _pdf_tables(data: bytes, page_indexes: list[int], pages: list[str]) -> list[list[list[str]]]:
    """Tables of the ruled pages; each such page's text in ``pages`` is rewritten with its tables
    in place, one tab-separated line per row (a cell's wrapped lines joined), as in a .docx."""
    if not page_indexes:
        return []
    import pdfplumber

    tables: list[list[list[str]]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index in page_indexes:
            page = pdf.pages[index]
            found = [t for t in page.find_tables() if len(t.rows) > 1 or len(t.rows[0].cells) > 1]
            if not found:
                continue
            pieces: list[tuple[float, str]] = []
            for table in found:
                rows = [
                    [_CJK_GAP.sub("", " ".join((cell or "").split())) for cell in row]
                    for row in table.extract()
                ]
                tables.append(rows)
                pieces.append((table.bbox[1], "\n".join("\t".join(row) for row in rows)))
            boxes = [t.bbox for t in found]

            def keep(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                return "x0" not in obj or not any(_inside(obj, b) for b in boxes)

            outside = page.filter(keep)
            for line in outside.extract_text_lines(layout=False, strip=True):
                pieces.append((line["top"], line["text"]))
            pieces.sort(key=lambda piece: piece[0])
            pages[index] = "\n".join(text for _top, text in pieces)
    return tables


# --------------------------------------------------------------------------------------------------
# .doc through LibreOffice


def _read_doc(data: bytes, name: str) -> SourceDocument:
    converter = shutil.which("soffice") or shutil.which("libreoffice")
    if converter is None:
        raise ConverterMissing(
            "reading .doc needs LibreOffice (soffice), which is not installed: "
            "install LibreOffice or save the file as .docx",
            source=name,
        )
    with tempfile.TemporaryDirectory(prefix="bioplan-doc-") as folder:
        work = Path(folder)
        source = work / "input.doc"
        source.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        command = [
            converter,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",  # own profile: parallel-safe
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                timeout=CONVERT_TIMEOUT_SECONDS,
                env={**os.environ, "HOME": folder},  # LibreOffice writes under HOME
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BrokenFile(
                f"LibreOffice did not convert the .doc file within {CONVERT_TIMEOUT_SECONDS} s", source=name
            ) from None
        except OSError as error:
            raise ConverterMissing(f"cannot run LibreOffice ({error.strerror})", source=name) from None
        converted = out_dir / "input.docx"
        if not converted.is_file():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1][:120] if detail else f"exit status {result.returncode}"
            raise BrokenFile(f"LibreOffice could not convert the .doc file ({reason})", source=name)
        document = _guarded(_read_docx, converted.read_bytes(), name, "doc")
    document.format = "doc"
    return document
