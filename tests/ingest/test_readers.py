"""read_document()/read_bytes(): encodings, .docx structure and numbering, PDF, .doc, bad input."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bioplan.ingest.errors import (
    BrokenFile,
    ConverterMissing,
    DocumentNotFound,
    EmptyDocument,
    FileTooLarge,
    IngestError,
    NotChinese,
    ScannedPdf,
    UnsupportedFormat,
)
from bioplan.ingest.readers import SourceDocument, read_bytes, read_document

PLAN_TEXT = "示范区生物医药产业行动方案\n一、总体目标\n到2026年，产业规模超过500亿元。\n"
CHINESE_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3．")]
TASK_TABLE = [
    ["重点任务", "序号", "具体工作", "责任部门"],
    ["打造创新引擎", "1", "推进平台建设。", "区科委、区经委"],
    ["", "2", "建设实验室。", "区科委"],
    ["优化产业空间", "3", "盘活存量土地。", "区规划资源局"],
]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- plain text --------------------------------------------------------------------------------------


def test_utf8_text_is_read(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode("utf-8")))

    assert document == SourceDocument(name="plan.txt", format="txt", text=PLAN_TEXT, tables=[])


def test_text_file_without_tabs_has_no_tables(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode("utf-8"))).tables == []


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "plan.txt", b"\xef\xbb\xbf" + PLAN_TEXT.encode("utf-8")))

    assert document.text == PLAN_TEXT


def test_gbk_text_is_detected(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode("gbk")))

    assert document.text == PLAN_TEXT


def test_gb18030_text_with_characters_outside_gbk_is_detected(tmp_path: Path) -> None:
    text = PLAN_TEXT + "㐀䶵字符。\n"  # CJK extension A: four-byte sequences in GB18030

    document = read_document(write(tmp_path, "plan.txt", text.encode("gb18030")))

    assert document.text == text


def test_big5_text_is_not_mistaken_for_gbk(tmp_path: Path) -> None:
    text = "示範區生物醫藥產業行動方案\n一、總體目標\n到2026年，產業規模超過500億元，年均增長百分之十以上。\n"

    document = read_document(write(tmp_path, "plan.txt", text.encode("big5")))

    assert document.text == text


def test_utf16_text_with_bom_is_read(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.encode("utf-16")))

    assert document.text == PLAN_TEXT


def test_crlf_line_endings_become_newlines(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "plan.txt", PLAN_TEXT.replace("\n", "\r\n").encode("utf-8")))

    assert document.text == PLAN_TEXT


def test_tab_separated_rows_of_a_text_file_are_returned_as_a_table(tmp_path: Path) -> None:
    text = (
        "附件：任务分解表\n"
        "重点任务\t序号\t具体工作\t责任部门\n"
        "打造创新引擎\t1\t推进平台建设。\t区科委、区规 划资源局\n"
        "\t2\t深化特殊物品入境便利化试点。推进研发进口微量耗\t区科经委、区国资委、区市\n"
        "\n"
        "\t\t材服务管理平台。\t场监管局、张江管理局\n"
        "抄送：各部门。\n"
    )

    document = read_document(write(tmp_path, "plan.txt", text.encode("utf-8")))

    assert document.text == text
    assert document.tables == [
        [
            ["重点任务", "序号", "具体工作", "责任部门"],
            ["打造创新引擎", "1", "推进平台建设。", "区科委、区规划资源局"],
            [
                "",
                "2",
                "深化特殊物品入境便利化试点。推进研发进口微量耗材服务管理平台。",
                "区科经委、区国资委、区市场监管局、张江管理局",
            ],
        ]
    ]


def test_upload_bytes_read_like_a_file(tmp_path: Path) -> None:
    data = PLAN_TEXT.encode("gbk")

    assert read_bytes(data, "plan.txt") == read_document(write(tmp_path, "plan.txt", data))


# --- .docx -------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_keep_body_order(docx_file: Callable[..., Path]) -> None:
    path = docx_file(["前言段落。", ("table", [["甲", "乙"], ["丙", "丁"]]), "结尾段落。"])

    assert read_document(path).text == "前言段落。\n甲\t乙\n丙\t丁\n结尾段落。"


def test_docx_table_is_returned_in_tables(docx_file: Callable[..., Path]) -> None:
    path = docx_file(["前言。", ("table", [["甲", "乙"], ["丙", "丁"]])])

    assert read_document(path).tables == [[["甲", "乙"], ["丙", "丁"]]]


def test_docx_newlines_inside_a_cell_become_spaces(docx_file: Callable[..., Path]) -> None:
    path = docx_file(["前言。", ("table", [["区科委、区规\n划资源局", "第二段落"], ["甲", "乙"]])])

    document = read_document(path)

    assert document.text.split("\n")[1] == "区科委、区规 划资源局\t第二段落"


def test_docx_task_decomposition_table_with_merged_cells_is_read_in_place(
    docx_file: Callable[..., Path],
) -> None:
    path = docx_file(["附件", "任务分解表", ("merged_table", TASK_TABLE), "抄送：各部门。"])

    document = read_document(path)

    assert document.text.split("\n") == [
        "附件",
        "任务分解表",
        "重点任务\t序号\t具体工作\t责任部门",
        "打造创新引擎\t1\t推进平台建设。\t区科委、区经委",
        "\t2\t建设实验室。\t区科委",
        "优化产业空间\t3\t盘活存量土地。\t区规划资源局",
        "抄送：各部门。",
    ]
    assert document.tables == [TASK_TABLE]


def test_docx_chinese_counting_numbers_are_rendered(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [
            ("list", 0, 0, "总体目标"),
            ("list", 0, 1, "产业规模"),
            ("list", 0, 1, "创新能力"),
            ("list", 0, 0, "主要任务"),
        ],
        lists=[CHINESE_LEVELS],
    )

    assert read_document(path).text.split("\n") == [
        "一、总体目标",
        "（一）产业规模",
        "（二）创新能力",
        "二、主要任务",
    ]


def test_docx_deeper_level_restarts_after_a_higher_level(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [
            ("list", 0, 0, "主要任务"),
            ("list", 0, 1, "聚焦重点"),
            ("list", 0, 2, "着力发展三大领域。"),
            ("list", 0, 2, "潜心挖掘特色产业。"),
            ("list", 0, 1, "优化布局"),
            ("list", 0, 2, "深化产业规划布局。"),
        ],
        lists=[CHINESE_LEVELS],
    )

    assert read_document(path).text.split("\n") == [
        "一、主要任务",
        "（一）聚焦重点",
        "1．着力发展三大领域。",
        "2．潜心挖掘特色产业。",
        "（二）优化布局",
        "1．深化产业规划布局。",
    ]


def test_docx_separate_lists_count_separately(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [("list", 0, 0, "甲项"), ("list", 1, 0, "乙项"), ("list", 0, 0, "丙项")],
        lists=[[("decimal", "%1．")], [("ideographTraditional", "%1、")]],
    )

    assert read_document(path).text.split("\n") == ["1．甲项", "甲、乙项", "2．丙项"]


def test_docx_lists_sharing_a_definition_continue_each_other(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [("list", 0, 0, "甲项"), "中间段落。", ("list", 1, 0, "乙项")],
        lists=[[("decimal", "%1．")]],
        more_instances=[(0, None)],
    )

    assert read_document(path).text.split("\n") == ["1．甲项", "中间段落。", "2．乙项"]


def test_docx_list_with_a_start_override_restarts(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [("list", 0, 0, "甲项"), ("list", 0, 0, "乙项"), ("list", 1, 0, "丙项"), ("list", 1, 0, "丁项")],
        lists=[[("decimal", "%1．")]],
        more_instances=[(0, 1)],
    )

    assert read_document(path).text.split("\n") == ["1．甲项", "2．乙项", "1．丙项", "2．丁项"]


def test_docx_list_number_style_is_rendered(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [("style", "List Number", "壮大创新药产业。"), ("style", "List Number", "建设特色园区。")]
    )

    assert read_document(path).text.split("\n") == ["1.壮大创新药产业。", "2.建设特色园区。"]


def test_docx_header_is_ignored(docx_file: Callable[..., Path]) -> None:
    path = docx_file([("header", "页眉：内部资料"), "正文段落。"])

    assert read_document(path).text == "正文段落。"


def test_docx_one_column_box_becomes_lines(docx_file: Callable[..., Path]) -> None:
    path = docx_file(["前言。", ("table", [["专栏 1 重点领域"], ["（1）药品领域。发展现代中药。"]])])

    assert read_document(path).text.split("\n") == [
        "前言。",
        "专栏 1 重点领域",
        "（1）药品领域。发展现代中药。",
    ]


def test_docx_numbering_inside_a_box_counts_once(docx_file: Callable[..., Path]) -> None:
    path = docx_file(
        [
            ("list", 0, 0, "着力发展三大领域。"),
            ("box", ["专栏 1 重点领域", ("list", 1, 0, "药品领域。"), ("list", 1, 0, "器械领域。")]),
            ("list", 0, 0, "潜心挖掘特色产业。"),
        ],
        lists=[[("decimal", "%1．")], [("decimal", "（%1）")]],
    )

    assert read_document(path).text.split("\n") == [
        "1．着力发展三大领域。",
        "专栏 1 重点领域",
        "（1）药品领域。",
        "（2）器械领域。",
        "2．潜心挖掘特色产业。",
    ]


def test_docx_tab_in_a_paragraph_becomes_a_space(docx_file: Callable[..., Path]) -> None:
    path = docx_file(["第一章\t总则。"])

    assert read_document(path).text == "第一章 总则。"


def test_docx_hyperlink_and_inserted_text_are_kept_and_deleted_text_dropped(
    docx_file: Callable[..., Path],
) -> None:
    path = docx_file(
        [
            (
                "raw",
                '<w:r><w:t>详见</w:t></w:r><w:hyperlink r:id="rId99"><w:r><w:t>政策文件</w:t></w:r></w:hyperlink>'
                '<w:del w:id="1" w:author="a"><w:r><w:delText>旧文字</w:delText></w:r></w:del>'
                '<w:ins w:id="2" w:author="a"><w:r><w:t>新文字</w:t></w:r></w:ins><w:r><w:t>。</w:t></w:r>',
            )
        ]
    )

    assert read_document(path).text == "详见政策文件新文字。"


def test_docx_text_box_is_read_once_after_its_paragraph(docx_file: Callable[..., Path]) -> None:
    box = "<w:txbxContent><w:p><w:r><w:t>专栏 1 重点领域</w:t></w:r></w:p></w:txbxContent>"
    path = docx_file(
        [
            (
                "raw",
                "<w:r><w:t>正文段落。</w:t></w:r><w:r><mc:AlternateContent>"
                f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
                f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
                "</mc:AlternateContent></w:r>",
            ),
            "下一段。",
        ]
    )

    assert read_document(path).text.split("\n") == ["正文段落。", "专栏 1 重点领域", "下一段。"]


def test_docx_named_file_that_is_not_a_zip_gives_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.docx", PLAN_TEXT.encode("utf-8"))

    with pytest.raises(BrokenFile, match=r"^plan\.docx: not a valid \.docx file \(not a zip archive\)$"):
        read_document(path)


def test_docx_named_zip_without_a_word_document_gives_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(BrokenFile, match=r"a zip archive without word/document\.xml"):
        read_document(path)


def test_docx_with_corrupt_xml_gives_broken_file(tmp_path: Path, docx_file: Callable[..., Path]) -> None:
    source = docx_file(["正文。"])
    path = tmp_path / "corrupt.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as archive:
        for item in original.infolist():
            data = original.read(item)
            archive.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)

    with pytest.raises(BrokenFile, match=r"^corrupt\.docx: cannot read this \.docx file: "):
        read_document(path)


def test_docx_content_with_a_wrong_extension_is_read_by_content(docx_file: Callable[..., Path]) -> None:
    path = docx_file(["正文段落。"], name="plan.bin")

    document = read_document(path)

    assert (document.format, document.text) == ("docx", "正文段落。")


# --- .pdf --------------------------------------------------------------------------------------------


def test_pdf_text_layer_is_read_page_by_page(pdf_file: Callable[..., Path]) -> None:
    path = pdf_file([["一、总体目标", "到2026年，产业规模超过500亿元。"], ["二、主要任务"]])

    document = read_document(path)

    assert document.format == "pdf"
    assert document.text.split("\n") == ["一、总体目标", "到2026年，产业规模超过500亿元。", "二、主要任务"]


def test_pdf_ruled_table_is_returned_in_tables(pdf_file: Callable[..., Path]) -> None:
    path = pdf_file([["任务分解表"]], table=[["序号", "任务", "部门"], ["1", "建设平台", "区科委"]])

    assert read_document(path).tables == [[["序号", "任务", "部门"], ["1", "建设平台", "区科委"]]]


def test_pdf_ruled_table_stands_in_the_text_as_tab_separated_rows(pdf_file: Callable[..., Path]) -> None:
    path = pdf_file([["任务分解表"]], table=[["序号", "任务", "部门"], ["1", "建设平台", "区科委"]])
    text = read_document(path).text
    assert "序号\t任务\t部门\n1\t建设平台\t区科委" in text
    assert text.index("任务分解表") < text.index("序号\t任务")


def test_pdf_without_extension_is_read_by_content(tmp_path: Path, pdf_file: Callable[..., Path]) -> None:
    path = pdf_file([["一、总体目标"]], name="upload")

    assert read_document(path).format == "pdf"


def test_scanned_pdf_gives_scanned_pdf_error(scanned_pdf: Path) -> None:
    path = scanned_pdf

    with pytest.raises(ScannedPdf, match=r"^scan\.pdf: no text layer: scanned PDF needs OCR$"):
        read_document(path)


def test_corrupt_pdf_gives_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.pdf", b"%PDF-1.7\n" + os.urandom(2000))

    with pytest.raises(BrokenFile, match=r"^plan\.pdf: not a readable PDF"):
        read_document(path)


def test_pdf_named_file_without_pdf_header_gives_broken_file(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.pdf", PLAN_TEXT.encode("utf-8"))

    with pytest.raises(BrokenFile, match=r"not a valid PDF file \(no %PDF header\)"):
        read_document(path)


# --- .doc --------------------------------------------------------------------------------------------

OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_doc_without_libreoffice_gives_converter_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    path = write(tmp_path, "old.doc", OLE_DOC)

    with pytest.raises(ConverterMissing, match=r"install LibreOffice or save the file as \.docx$"):
        read_document(path)


def _fake_soffice(folder: Path, docx: Path) -> None:
    """A stand-in 'soffice' that 'converts' by copying a prepared .docx into --outdir."""
    script = folder / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'while [ "$#" -gt 1 ]; do\n'
        '  if [ "$1" = "--outdir" ]; then out="$2"; fi\n'
        "  shift\n"
        "done\n"
        f'name=$(basename "$1" .doc)\ncp "{docx}" "$out/$name.docx"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_doc_is_converted_with_libreoffice_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docx_file: Callable[..., Path]
) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    _fake_soffice(bin_folder, docx_file(["一、总体目标", "转换后的正文。"], name="converted.docx"))
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")

    document = read_document(write(tmp_path, "old.doc", OLE_DOC))

    assert (document.name, document.format, document.text) == (
        "old.doc",
        "doc",
        "一、总体目标\n转换后的正文。",
    )


def test_password_protected_docx_gives_broken_file(tmp_path: Path) -> None:
    encrypted = OLE_DOC + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64

    with pytest.raises(BrokenFile, match=r"^plan\.docx: document is password-protected"):
        read_document(write(tmp_path, "plan.docx", encrypted))


def test_doc_that_libreoffice_cannot_convert_gives_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    script = bin_folder / "soffice"
    script.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_folder))

    with pytest.raises(
        BrokenFile, match=r"LibreOffice could not convert the \.doc file \(Error: source file"
    ):
        read_document(write(tmp_path, "old.doc", OLE_DOC))


# --- bad input ---------------------------------------------------------------------------------------


def test_missing_file_gives_document_not_found(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound, match=r"^nowhere\.txt: file not found: "):
        read_document(tmp_path / "nowhere.txt")


def test_directory_gives_document_not_found(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound, match=r"is a directory, not a file$"):
        read_document(tmp_path)


def test_empty_file_gives_empty_document(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocument, match=r"^empty\.txt: file is empty \(0 bytes\)$"):
        read_document(write(tmp_path, "empty.txt", b""))


def test_whitespace_only_text_gives_empty_document(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocument, match=r"^blank\.txt: document has no text$"):
        read_document(write(tmp_path, "blank.txt", " \n\u3000\n".encode()))


def test_docx_without_text_gives_empty_document(docx_file: Callable[..., Path]) -> None:
    with pytest.raises(EmptyDocument, match=r"document has no text$"):
        read_document(docx_file(["", "  "]))


def test_binary_junk_gives_broken_file(tmp_path: Path) -> None:
    junk = bytes(range(256)) * 8

    with pytest.raises(BrokenFile, match=r"^junk\.txt: binary data, not text$"):
        read_document(write(tmp_path, "junk.txt", junk))


def test_file_over_max_bytes_gives_file_too_large_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "big.txt", PLAN_TEXT.encode("utf-8") * 100)

    def never_read(self: Path) -> bytes:
        raise AssertionError("the file was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", never_read)

    with pytest.raises(FileTooLarge, match=r"^big\.txt: file is 0\.0 MB, over the 0\.0 MB limit$"):
        read_document(path, max_bytes=1000)


def test_upload_over_max_bytes_gives_file_too_large() -> None:
    with pytest.raises(FileTooLarge, match=r"file is 3\.0 MB, over the 2\.0 MB limit$"):
        read_bytes(b"x" * (3 * 1024 * 1024), "big.txt", max_bytes=2 * 1024 * 1024)


def test_docx_that_unpacks_far_beyond_max_bytes_gives_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (2 * 1024 * 1024))

    with pytest.raises(
        FileTooLarge, match=r"^bomb\.docx: file unpacks to 2\.0 MB, over 10 x the 0\.1 MB limit$"
    ):
        read_document(path, max_bytes=100 * 1024)


def test_unknown_extension_gives_unsupported_format(tmp_path: Path) -> None:
    with pytest.raises(
        UnsupportedFormat, match=r"^plan\.xlsx: \.xlsx files cannot be read: use \.txt, \.docx"
    ):
        read_document(write(tmp_path, "plan.xlsx", PLAN_TEXT.encode("utf-8")))


def test_image_gives_unsupported_format_naming_ocr(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"an image \(PNG\) has no text layer"):
        read_document(write(tmp_path, "scan.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 100))


def test_english_text_gives_not_chinese_naming_the_share(tmp_path: Path) -> None:
    text = "Action plan for the biomedicine industry. " * 20 + "生物医药"

    with pytest.raises(NotChinese, match=r"^plan\.txt: document is not in Chinese \(1% CJK characters\)$"):
        read_document(write(tmp_path, "plan.txt", text.encode("utf-8")))


def test_long_english_document_with_a_chinese_title_gives_not_chinese(tmp_path: Path) -> None:
    text = "生物医药产业行动方案\n" + "The district will support biomedicine companies. " * 3000

    with pytest.raises(NotChinese, match=r"\(0% CJK characters\)$"):
        read_document(write(tmp_path, "plan.txt", text.encode("utf-8")))


def test_chinese_text_with_english_terms_is_accepted(tmp_path: Path) -> None:
    text = "发展CAR-T疗法和CDMO服务，推动First-in-class药物上市，提升生物医药产业能级。"

    assert read_document(write(tmp_path, "plan.txt", text.encode("utf-8"))).text == text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.docx", b"not a zip"),
        ("plan.pdf", b"%PDF-1.4 garbage"),
        ("junk.txt", bytes(range(256))),
        ("plan.txt", b"only english words here"),
        ("plan.zip", b"PK\x03\x04broken"),
    ],
)
def test_bad_input_gives_a_one_line_ingest_error(name: str, data: bytes) -> None:
    with pytest.raises(IngestError) as raised:
        read_bytes(data, name)

    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith(f"{name}: ")
