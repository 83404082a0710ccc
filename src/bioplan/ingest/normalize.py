"""Normalise extracted plan text: one logical paragraph per line, with an exact offset map.

Why this is hand-written: district action plans arrive hard-wrapped (every visual line followed by a
blank line, page numbers such as "—3—" in the middle of a paragraph), with full-width digits, stray
URL lines, and spaces that PDF extractors put between CJK characters and digits. No library
de-wraps Chinese text this way *and* keeps a map back to the original characters, which the
extractor needs to quote the source exactly (gold quotes keep the document's own spacing).

How it stays exact and fast:

1. Every character-level change is 1:1 (``str.translate`` plus a few same-length regex
   substitutions): full-width digits/letters/% become ASCII, odd spaces become " ", line separators
   become "\\n", and whatever must disappear (page-number lines, URLs) is overwritten with spaces.
   The offsets are still the identity after this step.
2. One pass over the lines keeps spans of that text: leading/trailing spaces and spaces between
   CJK and anything else are dropped, a hard wrap becomes nothing (or one space between two Latin
   letters), a paragraph break becomes one "\\n" mapped to the original line break. The offsets are
   built from the kept spans with ``list.extend(range(...))``, never character by character.

When a line continues the one before it (a hard wrap), in order of precedence:

* table rows (a tab between cells) are never joined; a "（责任部门：…）" line always joins the paragraph
  before it; a line starting like a heading ("一、", "（一）", "1．", "（1）", "①", "第三条",
  "专栏 1", "附件 1") or wholly in brackets ("（征求意见稿）") starts a line of its own;
* an open "（" or "《" joins, a line ending in 。；：！？ (or a department bracket) ends its paragraph, a
  line ending in "，" or "、" joins; the first lines of a title join ("…高质量发展" + "行动方案（…）");
* in a hard-wrapped document (most body lines stop mid-sentence), a line joins when it is nearly
  as wide as the widest lines around it, since a short line is a paragraph's last line, a heading
  or a title — the LIBRARIES.md pitfall of a heading glued to its paragraph; in a document with one
  paragraph per line, only a line that holds a "。" but stops mid-sentence joins.

Spaces between two CJK characters are dropped too: in these documents they are layout artefacts
("区规 划资源局" from a wrapped table cell), never word separators.

Kept as in the source: Chinese punctuation the extractor relies on (，。；：（）、“”《》【】), "．" unless it
sits between two digits ("1．着力发展…" stays, "1．5" becomes "1.5"), and tab-separated table rows.
"～" becomes "~" (still a range sign).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NormalizedText", "fold_characters", "normalize"]


@dataclass
class NormalizedText:
    """Normalised text and, for each of its characters, the index of its source character."""

    text: str
    offsets: list[int]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span ``text[start:end]`` to a half-open span of the original text.

        The original span covers the first and last source characters of the normalised span, so
        it includes whatever normalisation removed in between (wrapped-line breaks, spaces).
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        if start == end:
            if start < len(self.offsets):
                return self.offsets[start], self.offsets[start]
            after_last = self.offsets[-1] + 1 if self.offsets else 0
            return after_last, after_last
        return self.offsets[start], self.offsets[end - 1] + 1


def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for i in range(10):
        table[ord("０") + i] = ord("0") + i
    for i in range(26):
        table[ord("Ａ") + i] = ord("A") + i
        table[ord("ａ") + i] = ord("a") + i
    # ASCII punctuation that occurs inside numbers, ranges and codes; Chinese sentence punctuation
    # (，。；：（）、“”《》【】！？) is deliberately absent.
    for full, half in zip("％～＋－／＝＜＞＃＆＠＊＿＾｜＄", "%~+-/=<>#&@*_^|$", strict=True):
        table[ord(full)] = ord(half)
    # Look-alikes of ASCII signs: wave dash, small percent, hyphens and the minus sign.
    for odd, ascii_sign in zip("〜﹪‐‑−", "~%---", strict=True):
        table[ord(odd)] = ord(ascii_sign)
    # Every other whitespace-like character becomes a plain space or a line break, so later steps
    # only ever see " ", "\t" and "\n".
    for ch in (
        "\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    ):
        table[ord(ch)] = ord(" ")
    for ch in "\u200b\u200c\u200d\u2060\ufeff\x00":
        table[ord(ch)] = ord(" ")
    for ch in "\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029":
        table[ord(ch)] = ord("\n")
    return table


_FOLD = _fold_table()
_DOT_IN_NUMBER = re.compile(r"(?<=[0-9])．(?=[0-9])")

# Lines that carry only a page number: "—3—", "- 3 -", "第 3 页", "第3页 共10页", "3/10", "Page 3".
_PAGE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"[-—–~]{1,3}[ \t]*[0-9]{1,4}[ \t]*[-—–~]{1,3}"
    r"|第[ \t]*[0-9]{1,4}[ \t]*页(?:[ \t]*[,，/]?[ \t]*共[ \t]*[0-9]{1,4}[ \t]*页)?"
    r"|[0-9]{1,4}[ \t]*/[ \t]*[0-9]{1,4}"
    r"|[Pp]age[ \t]*[0-9]{1,4}(?:[ \t]*of[ \t]*[0-9]{1,4})?"
    r")[ \t]*$",
    re.MULTILINE,
)
# URLs are ASCII; stop before trailing sentence punctuation such as "." or ")".
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[!-~]*[A-Za-z0-9/#=&%_\-]")
_LINE = re.compile(r"[^\n]+")
_SPACES = re.compile(r" +")

_CN_NUM = "一二三四五六七八九十百零〇两"
_HEADING_START = re.compile(
    rf"""(?:
        [{_CN_NUM}]+[、．.]                                  # 一、总体目标
      | [（(][{_CN_NUM}]+[）)]                               # （一）聚焦重点
      | [0-9]{{1,3}}(?:[、．]|\.(?![0-9])|[)）])             # 1．  1.  1、  1)  (not 1.5)
      | [（(][0-9]{{1,3}}[）)]                               # （1）
      | [①-⑳]
      | 第[{_CN_NUM}0-9]+[章节条部篇]                        # 第三条
      | 专栏[ ]*[0-9{_CN_NUM}]+                              # 专栏 1
      | (?:附件|附表|附录)[ ]*[0-9{_CN_NUM}]*[ ]*(?:$|[：:])  # 附件 1
    )""",
    re.VERBOSE,
)
# A whole line in brackets: "（征求意见稿）", "（2024-2026年）", "（此件公开发布）".
_BRACKETED_LINE = re.compile(r"[（(][^（）()]{1,30}[）)]")
# Where a paragraph certainly ends: sentence punctuation, or a trailing department bracket.
_PARAGRAPH_END = re.compile(
    r"(?:[。；！？：!?;][”’」』）)》〕】]*"
    r"|[（(](?:责任|牵头|配合|推进|主要|协同|参与|实施)[^（）()]*[）)])$"
)
_DEPARTMENT_BRACKET = re.compile(r"[（(](?:责任|牵头|配合|推进|协同|参与)")
_TITLE_TAIL = re.compile(
    r"(?:三年)?(?:行动方案|行动计划|实施方案|实施意见|工作方案|若干意见|若干措施|若干政策)"
)
# A wrap between two Latin letters separates words; one inside a number ("20" + "23年") does not.
_LATIN_LETTER = re.compile(r"[A-Za-z]")

_TITLE_ZONE = 6  # the title may wrap over the first few lines
_FULL_LINE = 0.7  # a wrapped line fills at least this share of the local line width
_FULL_HEADING = 0.9  # a heading shorter than this share of the width is complete
_FEW_LINES = 6
_WIDTH_WINDOW = 6  # local width = widest text line within this many lines either side
_WRAPPED_SHARE = 0.55  # hard-wrapped when this share of body lines stop mid-sentence (seeds: ≥0.8 vs ≤0.4)


def fold_characters(text: str) -> str:
    """The 1:1 character folding of :func:`normalize` (same length as ``text``), for tests and callers
    that need to compare a normalised span with its source."""
    return _DOT_IN_NUMBER.sub(".", text.translate(_FOLD))


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _width(line: str) -> int:
    # CJK characters take two columns, ASCII one (UTF-8 lengths 3 and 1).
    return (len(line.encode("utf-8")) + len(line)) // 2


@dataclass(slots=True)
class _Line:
    start: int  # first kept character
    end: int  # one past the last kept character
    newline: int  # index of the line break after the raw line (or len(text))
    content: str
    table: bool
    width: int


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` (as read by :mod:`bioplan.ingest.readers`) for extraction.

    Returns one logical paragraph per line (headings, bracketed lines and table rows on lines of
    their own), with ``offsets[i]`` the index in ``text`` of character ``i`` of the result.
    """
    folded = fold_characters(text)
    folded = _PAGE_LINE.sub(_blank, folded)
    if "://" in folded or "www." in folded:
        folded = _URL.sub(_blank, folded)

    lines = _split_lines(folded)
    if not lines:
        return NormalizedText("", [])
    joins = _decide_joins(lines)

    parts: list[str] = []
    offsets: list[int] = []
    for index, line in enumerate(lines):
        if index:
            previous = lines[index - 1]
            if not joins[index - 1]:
                parts.append("\n")
                offsets.append(previous.newline)
            elif _LATIN_LETTER.match(previous.content[-1]) and _LATIN_LETTER.match(line.content[0]):
                parts.append(" ")
                offsets.append(previous.newline)
        _emit_line(folded, line, parts, offsets)
    return NormalizedText("".join(parts), offsets)


def _split_lines(folded: str) -> list[_Line]:
    lines: list[_Line] = []
    for match in _LINE.finditer(folded):
        raw = match.group()
        start, newline = match.span()
        spaced = raw.strip(" ")
        if not spaced:
            continue
        table = "\t" in spaced.strip("\t") or spaced.count("\t") >= 2
        if table:
            # Keep leading/trailing tabs: they are empty cells of the row.
            start += len(raw) - len(raw.lstrip(" "))
            end = newline - (len(raw) - len(raw.rstrip(" ")))
            content = spaced
        else:
            content = raw.strip(" \t")
            if not content:
                continue
            start += len(raw) - len(raw.lstrip(" \t"))
            end = start + len(content)
        lines.append(_Line(start, end, newline, content, table, _width(content)))
    return lines


def _decide_joins(lines: list[_Line]) -> list[bool]:
    """joins[i] is True when line i+1 continues the paragraph of line i (a hard wrap)."""
    count = len(lines)
    joins = [False] * count
    # Body lines (not headings, not table rows) mostly stop mid-sentence in hard-wrapped text and
    # mostly end a sentence in a .docx or a text file with one paragraph per line.
    body = [
        line.content
        for line in lines
        if not line.table and len(line.content) >= 10 and not _starts_own_line(line.content)
    ]
    open_ended = sum(1 for content in body if not _PARAGRAPH_END.search(content))
    # Too few lines to tell: the width rule alone is safe (it never joins a short line).
    wrapped = len(body) < _FEW_LINES or open_ended >= _WRAPPED_SHARE * len(body)
    widths = [0 if line.table else line.width for line in lines]
    for i in range(count - 1):
        current, following = lines[i], lines[i + 1]
        if current.table or following.table:
            continue
        content = current.content
        if _DEPARTMENT_BRACKET.match(following.content) and (
            "。" in content or not _HEADING_START.match(content)
        ):
            joins[i] = True  # "（责任部门与单位：…）" belongs to the paragraph before it
            continue
        if _starts_own_line(following.content):
            continue
        if _bracket_open(content):
            joins[i] = True  # "…（责任部门与单位：" + "区经委、…）", "附件：《…方案" + "(2022-2024年)》…"
            continue
        if _PARAGRAPH_END.search(content) or _BRACKETED_LINE.fullmatch(content):
            continue
        if content[-1] in "，、,":
            joins[i] = True  # a comma never ends a paragraph
            continue
        if i < _TITLE_ZONE and "。" not in content and _TITLE_TAIL.match(following.content):
            joins[i] = True  # "青浦区促进生物医药产业高质量发展" + "行动方案（2021—2023 年）"
            continue
        local = max(widths[max(0, i - _WIDTH_WINDOW) : i + _WIDTH_WINDOW + 1])
        if not wrapped:
            # One paragraph per line already; a line holding a sentence but stopping mid-sentence
            # is still a hard wrap ("…世界百强、国内" + "50强、…"), and so is a full-width line
            # of a short PDF whose lines mostly end their sentences ("…加工企业三家，带" + "动…").
            joins[i] = "。" in content or (local >= _MIN_PAGE_WIDTH and current.width >= _FULL_LINE * local)
            continue
        if current.width < _FULL_LINE * local:
            continue  # a short line ends its paragraph (or is a heading or a title)
        if _HEADING_START.match(content) and "。" not in content and current.width < _FULL_HEADING * local:
            continue  # "（一）聚焦重点，侧重发展与挖掘特色并举" is complete
        joins[i] = True
    return joins


# "牵头单位：…", "完成时限：…" open a line of their own (a label, never a wrapped continuation).
_LABEL_LINE = re.compile(
    r"^(?:牵头单位|牵头部门|配合单位|配合部门|责任单位|责任部门|协同单位|参与单位|推进部门|实施单位|"
    r"完成时限|完成时间|时间节点|完成期限)[ ]*[：:]"
)
# Below this width (in columns) a document has no page width to speak of (a few short lines).
_MIN_PAGE_WIDTH = 60


def _bracket_open(content: str) -> bool:
    return (
        content.rfind("（") > content.rfind("）")
        or content.rfind("(") > content.rfind(")")
        or content.rfind("《") > content.rfind("》")
    )


def _starts_own_line(content: str) -> bool:
    if _HEADING_START.match(content) or _LABEL_LINE.match(content):
        return True
    return _BRACKETED_LINE.fullmatch(content) is not None and not _DEPARTMENT_BRACKET.match(content)


def _emit_line(folded: str, line: _Line, parts: list[str], offsets: list[int]) -> None:
    position = line.start
    for run in _SPACES.finditer(folded, line.start, line.end):
        run_start, run_end = run.span()
        if run_start > position:
            parts.append(folded[position:run_start])
            offsets.extend(range(position, run_start))
        before, after = folded[run_start - 1], folded[run_end]
        if " " < before <= "~" and " " < after <= "~" and after != "%":
            # Two ASCII words ("First-in-class) approved" keeps its space); CJK never needs one.
            parts.append(" ")
            offsets.append(run_start)
        position = run_end
    if line.end > position:
        parts.append(folded[position : line.end])
        offsets.extend(range(position, line.end))
