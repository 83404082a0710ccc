"""normalize(): de-wrapping, character folding, page numbers, URLs, spaces, and the offset map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioplan.ingest.normalize import NormalizedText, fold_characters, normalize


def wrap(paragraphs: list[str], width: int = 20) -> str:
    """Hard-wrap like the seed plans: every visual line followed by a blank line."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(paragraph[i : i + width] for i in range(0, len(paragraph), width))
    return "\n\n".join(lines) + "\n"


BODY = "支持企业开展创新药研发，推动一批品种进入临床试验阶段，加快形成产业集群，提升区域产业能级。"
PLAN = [
    "示范区促进生物医药产业高质量发展",
    "行动方案（2024—2026 年）",
    "（征求意见稿）",
    "为加快示范区生物医药产业集聚发展，提升产业能级和创新能力，结合本区实际，制定本行动方案。",
    "一、总体目标",
    "到 2026 年，生物医药产业规模力争超过 500 亿元，年均增长 10%以上，新增高新技术企业 8-10 家。",
    "二、主要任务",
    "（一）聚焦重点领域，壮大产业规模",
    "1．壮大创新药产业。" + BODY,
    "2．建设特色产业园区。" + BODY,
]


def lines_of(text: str) -> list[str]:
    return normalize(text).text.split("\n")


# --- de-wrapping -------------------------------------------------------------------------------------


def test_hard_wrapped_paragraph_is_joined_into_one_line() -> None:
    lines = lines_of(wrap(PLAN))

    assert "为加快示范区生物医药产业集聚发展，提升产业能级和创新能力，结合本区实际，制定本行动方案。" in lines


def test_short_heading_is_not_glued_to_the_next_paragraph() -> None:
    lines = lines_of(wrap(PLAN))

    assert lines[lines.index("一、总体目标") + 1].startswith("到2026年，生物医药产业规模")


def test_parenthesised_heading_stays_on_its_own_line() -> None:
    assert "（一）聚焦重点领域，壮大产业规模" in lines_of(wrap(PLAN))


def test_numbered_task_heading_starts_a_new_line_and_keeps_its_body() -> None:
    lines = lines_of(wrap(PLAN))

    assert "1．壮大创新药产业。" + BODY in lines
    assert "2．建设特色产业园区。" + BODY in lines


def test_title_wrapped_over_two_lines_is_joined() -> None:
    assert lines_of(wrap(PLAN))[0] == "示范区促进生物医药产业高质量发展行动方案（2024—2026年）"


def test_bracketed_status_line_stays_on_its_own_line() -> None:
    assert lines_of(wrap(PLAN))[1] == "（征求意见稿）"


def test_full_line_ending_with_a_full_stop_ends_the_paragraph() -> None:
    first = "第一段写到这里刚好写满了这一整行为止啊。"  # exactly one wrapped line of 20 characters
    second = "第二段从这里开始写起来写满一整行以后还要再写几个字。"
    assert len(first) == 20

    lines = lines_of(wrap([*PLAN[:4], first, second]))

    assert lines[-2:] == [first, second]


@pytest.mark.parametrize(
    "heading",
    ["专栏 1 重点发展领域", "第三条 总则", "附件 1", "（1）创新药领域", "①创新药"],
)
def test_heading_patterns_start_their_own_line(heading: str) -> None:
    text = wrap([BODY[:-1] + "，并且", heading, BODY])

    assert normalize(text).text.split("\n")[1] == heading.replace(" ", "")


def test_department_bracket_on_its_own_line_joins_the_paragraph_before_it() -> None:
    text = wrap(["3．优化产业空间。" + BODY, "（责任部门：区经委、区规划资源局）"])

    assert lines_of(text) == ["3．优化产业空间。" + BODY + "（责任部门：区经委、区规划资源局）"]


def test_colon_inside_an_open_bracket_does_not_end_the_paragraph() -> None:
    text = wrap([BODY + "（责任部门与单位：区经委、区科委、区商务委、区市场监管局等）"])

    assert lines_of(text) == [BODY + "（责任部门与单位：区经委、区科委、区商务委、区市场监管局等）"]


def test_number_split_by_a_wrap_is_joined_without_a_space() -> None:
    text = wrap([*PLAN[:4], "新增生物医药产业领域创新研发中心8家达23家，新增上市企业1家。"])

    assert lines_of(text)[-1] == "新增生物医药产业领域创新研发中心8家达23家，新增上市企业1家。"


def test_latin_words_split_by_a_wrap_keep_a_space() -> None:
    text = wrap(PLAN[:4]) + "\n推动更多全球首创产品进入国际主流市场First in\n\nclass药物获批上市。\n"

    assert lines_of(text)[-1] == "推动更多全球首创产品进入国际主流市场First in class药物获批上市。"


def test_table_rows_with_tabs_stay_separate_lines() -> None:
    text = (
        wrap(PLAN[:4])
        + "重点任务\t序号\t具体工作\t责任部门\n打造创新引擎\t1\t推进平台建设。\t区科委\n\t2\t建设实验室。\t区科委\n"
    )

    lines = lines_of(text)

    assert lines[-3:] == [
        "重点任务\t序号\t具体工作\t责任部门",
        "打造创新引擎\t1\t推进平台建设。\t区科委",
        "\t2\t建设实验室。\t区科委",
    ]


def test_paragraphs_of_an_unwrapped_document_stay_separate() -> None:
    text = (
        "一、总体目标\n到2026年，产业规模超过500亿元。\n二、主要任务\n（一）壮大产业\n1. 壮大创新药产业。"
        + BODY
        + "\n"
    )

    assert lines_of(text) == [
        "一、总体目标",
        "到2026年，产业规模超过500亿元。",
        "二、主要任务",
        "（一）壮大产业",
        "1.壮大创新药产业。" + BODY,
    ]


def test_line_ending_with_a_comma_is_joined_even_when_unwrapped() -> None:
    text = "一、目标\n产业生态不断优化，金融服务精准助力，\n人才规模持续领先。\n二、任务\n"

    assert lines_of(text) == [
        "一、目标",
        "产业生态不断优化，金融服务精准助力，人才规模持续领先。",
        "二、任务",
    ]


# --- page numbers and URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("page_line", ["—3—", "- 3 -", "－ 12 －", "第 3 页", "第3页 共10页", "3/10"])
def test_page_number_inside_a_paragraph_is_dropped_and_the_paragraph_continues(page_line: str) -> None:
    text = (
        wrap(PLAN[:4])
        + "\n在医疗器械领域着重发展高端医疗器械提高\n\n\n\n"
        + page_line
        + "\n\n研发能力与数字化水平，同时推动关键零部件\n\n产业升级。\n"
    )

    lines = lines_of(text)

    assert (
        lines[-1]
        == "在医疗器械领域着重发展高端医疗器械提高研发能力与数字化水平，同时推动关键零部件产业升级。"
    )


def test_url_line_is_removed() -> None:
    text = wrap(PLAN[:6]).replace("年均增长", "https://example.org/item/%E7%89%B9?from=x\n\n年均增长", 1)

    normalized = normalize(text).text

    assert "http" not in normalized
    assert "超过500亿元，年均增长10%以上" in normalized


def test_url_inside_a_line_is_removed() -> None:
    assert normalize("详见www.example.gov.cn/plan.html。").text == "详见。"


# --- characters and spaces ---------------------------------------------------------------------------


def test_fullwidth_digits_letters_and_percent_become_ascii() -> None:
    assert normalize("增长１０％，ＣＡＲ－Ｔ疗法").text == "增长10%，CAR-T疗法"


def test_fullwidth_dot_between_digits_becomes_a_period() -> None:
    assert normalize("用地２．１５平方公里").text == "用地2.15平方公里"


def test_fullwidth_dot_after_a_heading_number_stays() -> None:
    assert normalize("1．着力发展三大领域。").text == "1．着力发展三大领域。"


def test_fullwidth_tilde_becomes_an_ascii_range_sign() -> None:
    assert normalize("达 1～2家").text == "达1~2家"


def test_lookalike_signs_become_ascii() -> None:
    assert normalize("达1〜2家，CAR\u2011T疗法，降低\u22125﹪").text == "达1~2家，CAR-T疗法，降低-5%"


def test_chinese_punctuation_stays_fullwidth() -> None:
    text = "“专精特新”《方案》【附】（一）甲，乙；丙：丁、戊。"

    assert normalize(text).text == text


def test_spaces_between_chinese_and_digits_percent_or_latin_are_removed() -> None:
    assert (
        normalize("到 2023 年，增长 8 % 以上，发展 CAR-T 疗法").text == "到2023年，增长8%以上，发展CAR-T疗法"
    )


def test_spaces_between_latin_words_are_kept_and_collapsed() -> None:
    assert normalize("推动 First-in-class   drug 上市").text == "推动First-in-class drug上市"


def test_ideographic_and_nonbreaking_spaces_are_removed_between_chinese() -> None:
    assert normalize("\u3000\u3000生物医药\xa0产业").text == "生物医药产业"


def test_crlf_and_form_feed_are_line_breaks() -> None:
    assert normalize("一、目标\r\n二、任务\x0c三、保障").text == "一、目标\n二、任务\n三、保障"


def test_empty_text_gives_empty_result() -> None:
    assert normalize(" \n\n \t\n") == NormalizedText("", [])


# --- offsets -----------------------------------------------------------------------------------------


def test_offsets_point_at_each_characters_source() -> None:
    normalized = normalize("到 2023\n\n年，")

    assert normalized.text == "到2023年，"
    assert normalized.offsets == [0, 2, 3, 4, 5, 8, 9]


def test_source_span_gives_the_original_slice() -> None:
    original = "确保年均增长 8%以上、超过\n\n 160亿元，"
    normalized = normalize(original)
    start = normalized.text.index("确保")
    end = normalized.text.index("亿元") + 2

    first, last = normalized.source_span(start, end)

    assert original[first:last] == "确保年均增长 8%以上、超过\n\n 160亿元"


def test_source_span_of_an_empty_span_at_the_end_is_after_the_last_character() -> None:
    normalized = normalize("目标。 ")

    assert normalized.source_span(3, 3) == (3, 3)


def test_source_span_outside_the_text_is_an_error() -> None:
    with pytest.raises(ValueError):
        normalize("目标。").source_span(2, 9)


def _no_space(text: str) -> str:
    return "".join(text.split())


# Text in the seeds' conventions; the alphabet cannot form page numbers or URLs, so nothing but
# whitespace may be lost.
_SAFE = st.lists(
    st.sampled_from(
        list("产业发展创新生物医药区委一二十第条")
        + list("，。；：、（）“”《》")
        + list("0123456789０１２％．Ａｂ")
        + list("abcXYZ.%+")
        + [" ", "  ", "\u3000", "\t", "\n", "\n\n", "\r\n"]
    ),
    max_size=200,
).map("".join)
# Anything, including page-number lines and URLs that are dropped.
_ANY = st.lists(
    st.sampled_from(
        list("产业第页共一、（）。，：")
        + list("0123456789-—/~")
        + list("httpsw.:/PageofX")
        + [" ", "\t", "\n", "\n\n", "\r", "\x0c", "\u3000", "\xa0", "\ufeff", "—3—", "https://a.cn/x"]
    ),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_ANY)
def test_offsets_increase_and_point_at_the_same_folded_character(text: str) -> None:
    normalized = normalize(text)
    folded = fold_characters(text)

    assert len(normalized.offsets) == len(normalized.text)
    assert all(a < b for a, b in zip(normalized.offsets, normalized.offsets[1:], strict=False))
    for char, offset in zip(normalized.text, normalized.offsets, strict=True):
        assert char.isspace() or folded[offset] == char


@settings(max_examples=300, deadline=None)
@given(text=_SAFE, data=st.data())
def test_source_of_any_span_equals_the_span_without_whitespace(text: str, data: st.DataObject) -> None:
    normalized = normalize(text)
    folded = fold_characters(text)
    assert _no_space(normalized.text) == _no_space(folded)
    if not normalized.text:
        return
    start = data.draw(st.integers(0, len(normalized.text) - 1))
    end = data.draw(st.integers(start + 1, len(normalized.text)))

    first, last = normalized.source_span(start, end)

    assert _no_space(folded[first:last]) == _no_space(normalized.text[start:end])


def test_label_lines_stay_apart_and_a_full_width_pdf_line_continues():
    wide = "为做大做优中药材产业，推动产业链与乡村振兴紧密结合，全县建成规范化中药材种植基地，带"
    text = (
        "一、工作目标\n"
        + wide
        + "\n动种植农户一千户以上。\n牵头单位：市发展改革委；配合单位：市科技创新委、市工业和信息化委员会\n完成时限：2019年第四季度\n"
    )
    lines = normalize(text).text.split("\n")
    assert wide + "动种植农户一千户以上。" in lines
    assert "完成时限：2019年第四季度" in lines
