"""Build the outline of a normalised plan: a tree of numbered sections holding paragraphs and tables.

Why hand-written: no library parses Chinese government documents. Their numbering is a convention,
not markup — 一、 （一） 1. 1、 1． （1） ① 第X条 第X节 行动一： 专项一：, boxes (专栏N) with their own numbered items,
annexes (附件) — and real documents mix it up: a district plan may start with "1、" where "一、" was
meant, put "（1）" above "1、", or switch from "（3）" to "（四）" in the same list. The rules here:

* Levels come from the order in which numbering styles appear (a style seen before closes the
  deeper sections), not from a fixed rank, so any nesting convention works.
* A heading whose ordinal continues a section of the same family (一、→2、 is "、", （3）→（四） is
  brackets) is that section's sibling, which absorbs the typos above.
* A 专栏 box is a child of the section it follows; its items are numbered on their own. The box ends
  at the first heading that does not continue (or restart at 1) its item numbering.
* Lines containing tabs are table rows; consecutive rows form one table block.

In: normalised text (one paragraph per line, see ``bioplan.ingest.normalize``). Out: ``Outline`` with
a root ``Section``; every section and block keeps its character offsets in that text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import cn2an

__all__ = ["Block", "Outline", "Section", "build_outline", "match_heading", "ordinal_value"]

_CN = "一二三四五六七八九十百零〇两"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (style, family, pattern). Group "n" is the ordinal, group "rest" the heading text.
_HEADINGS: list[tuple[str, str, re.Pattern[str]]] = [
    ("annex", "annex", re.compile(r"^(?:附件|附表)[ ]*(?P<n>[0-9]{0,2})[ ]*(?P<rest>)$")),
    (
        "box",
        "box",
        re.compile(rf"^专栏[ ]*(?P<n>[0-9]{{1,2}}|[{_CN}]{{1,3}})[ ]*[：:．.、]?[ ]*(?P<rest>.*)$"),
    ),
    ("chapter", "chapter", re.compile(rf"^第(?P<n>[{_CN}0-9]{{1,4}})[章部篇][ ]*(?P<rest>.*)$")),
    ("part", "part", re.compile(rf"^第(?P<n>[{_CN}0-9]{{1,4}})节[ ]*(?P<rest>.*)$")),
    ("article", "article", re.compile(rf"^第(?P<n>[{_CN}0-9]{{1,4}})条[ ]*(?P<rest>.*)$")),
    # "行动一：", "专项行动二、", "任务三 ", "工程四．": a named series (专栏 is a box, above).
    (
        "named",
        "named",
        re.compile(
            rf"^(?:专项|重点|主要)?(?:行动|专项|任务|工程|举措|计划|项目)(?P<n>[{_CN}]{{1,3}}|[0-9]{{1,2}})"
            r"[ ]*(?P<sep>[：:、．.]|[ ]+)?[ ]*(?P<rest>.+)$"
        ),
    ),
    ("cn_dun", "dun", re.compile(rf"^(?P<n>[{_CN}]{{1,3}})[、．.][ ]*(?P<rest>.+)$")),
    ("cn_paren", "paren", re.compile(rf"^[（(][ ]*(?P<n>[{_CN}]{{1,3}})[ ]*[）)][ ]*(?P<rest>.+)$")),
    (
        "num_paren",
        "paren",
        re.compile(r"^[（(][ ]*(?P<n>[0-9]{1,2})[ ]*(?:[）)]|(?=[\u4e00-\u9fff]))[ ]*(?P<rest>.+)$"),
    ),
    ("num_dot", "dot", re.compile(r"^(?P<n>[0-9]{1,2})(?:[．.](?![0-9])|[)）])[ ]*(?P<rest>.+)$")),
    ("num_dun", "dun", re.compile(r"^(?P<n>[0-9]{1,2})、[ ]*(?P<rest>.+)$")),
    ("circled", "circled", re.compile(rf"^(?P<n>[{_CIRCLED}])[ ]*(?P<rest>.+)$")),
]
_FAMILY = {style: family for style, family, _ in _HEADINGS}
_SHORT_HEADING = 40


@dataclass
class Block:
    """A paragraph (one normalised line) or a table (consecutive tab-separated lines)."""

    kind: str  # "paragraph" | "table"
    text: str
    start: int
    end: int
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Section:
    """A numbered heading and everything under it until the next heading of its level or above."""

    style: str  # "root", "cn_dun", "cn_paren", "num_dot", "num_dun", "num_paren", "circled", "box", …
    number: int | None  # the ordinal as an integer (（三） → 3)
    title: str  # heading text without its ordinal, up to the first 。
    line: str  # the whole heading line
    start: int
    end: int
    level: int = 0
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)
    in_box: bool = False  # a 专栏 box or an item inside one

    @property
    def family(self) -> str:
        return _FAMILY.get(self.style, self.style)

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> Iterator[Section]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def all_blocks(self) -> Iterator[Block]:
        """Blocks of this section and its descendants, in document order."""
        for section in self.walk():
            yield from section.blocks

    def body_text(self) -> str:
        """Paragraph text directly under this heading (inline body included), one line each."""
        return "\n".join(b.text for b in self.blocks if b.kind == "paragraph")


@dataclass
class Outline:
    text: str
    root: Section

    def sections(self) -> Iterator[Section]:
        for section in self.root.walk():
            if section is not self.root:
                yield section

    def tables(self) -> Iterator[tuple[Section, Block]]:
        for section in self.root.walk():
            for block in section.blocks:
                if block.kind == "table":
                    yield section, block


def ordinal_value(written: str) -> int | None:
    """ "3" → 3, "三" → 3, "十二" → 12, "③" → 3; None when unreadable."""
    if written.isdigit() and written.isascii():
        return int(written)
    if len(written) == 1 and written in _CIRCLED:
        return _CIRCLED.index(written) + 1
    try:
        return int(cn2an.cn2an(written, "normal"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


_REFERENCE_LIST = re.compile(
    rf"^[、和及与][ ]*(?:第[{_CN}0-9]+[章节条部篇]|[（(][{_CN}0-9]+[）)]|[{_CN}0-9]+[、．.])"
)


@lru_cache(maxsize=1)
def _TASK_VERBS() -> tuple[str, ...]:
    from bioplan.ingest.quantities import load_list

    return load_list("task_verbs.txt")


def match_heading(line: str) -> tuple[str, int | None, str, str] | None:
    """(style, ordinal, title, inline body) when ``line`` starts with a heading number, else None."""
    if "\t" in line:
        return None
    for style, _family, pattern in _HEADINGS:
        m = pattern.match(line)
        if not m:
            continue
        n = ordinal_value(m.group("n")) if m.group("n") else None
        if style != "annex" and style != "box" and n is None:
            continue
        rest = m.group("rest").strip()
        if _REFERENCE_LIST.match(rest):
            return None  # "第一节、第二节由X牵头": a sentence about headings, not a heading
        if style == "named" and not m.group("sep") and not rest.startswith(_TASK_VERBS()):
            continue  # "任务一建设…" (spaces lost) only when an action verb follows
        title, body = _split_title(rest)
        return style, n, title, body
    return None


def _split_title(rest: str) -> tuple[str, str]:
    cut = rest.find("。")
    if cut >= 0:
        return rest[:cut].strip(), rest[cut + 1 :].strip()
    return rest, ""


def build_outline(text: str) -> Outline:
    """Parse normalised ``text`` into an ``Outline`` (see the module docstring for the rules)."""
    root = Section(style="root", number=None, title="", line="", start=0, end=len(text))
    stack: list[Section] = [root]
    box: Section | None = None
    box_style: str | None = None
    box_last = 0
    current: Section = root
    table: Block | None = None
    style_level: dict[str, int] = {}

    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if table is None:
                table = Block("table", line, start, end, [cells])
                current.blocks.append(table)
            else:
                table.text += "\n" + line
                table.end = end
                table.rows.append(cells)
            continue
        table = None
        heading = match_heading(line)
        if heading is None:
            current.blocks.append(Block("paragraph", line, start, end))
            continue
        style, number, title, body = heading
        section = Section(style=style, number=number, title=title, line=line, start=start, end=end)
        if body:
            body_start = start + line.find(body) if body in line else start
            section.blocks.append(Block("paragraph", body, body_start, body_start + len(body)))

        if style == "annex":
            del stack[1:]
            style_level.clear()
            box = None
        elif style == "box":
            box = section
            box_style, box_last = None, 0
            section.in_box = True
            parent = stack[-1]
            section.parent, section.level = parent, parent.level + 1
            parent.children.append(section)
            current = section
            continue
        elif box is not None:
            continues = (box_style is None and number == 1) or (
                style == box_style and number is not None and number in (box_last + 1, 1)
            )
            if continues:
                box_style, box_last = style, number or 0
                section.in_box = True
                section.parent, section.level = box, box.level + 1
                box.children.append(section)
                current = section
                continue
            box = None

        _place(stack, section, style_level)
        current = section
    _close(root, len(text))
    return Outline(text=text, root=root)


def _place(stack: list[Section], section: Section, style_level: dict[str, int]) -> None:
    cut: int | None = None
    for i in range(len(stack) - 1, 0, -1):
        if stack[i].style == section.style:
            cut = i
            break
    if cut is None and section.number and section.number > 1:
        for i in range(len(stack) - 1, 0, -1):
            other = stack[i]
            # A style already used at another level ("5、" of the tasks after "四、保障措施") is
            # not a typo for that level's style.
            known = style_level.get(section.style)
            if known is not None and known != other.level:
                continue
            if other.family == section.family and other.number == section.number - 1:
                cut = i
                # The earlier heading was this list's item in another style (a typo): forget
                # that style's level so it can be used again deeper down.
                style_level.pop(other.style, None)
                break
    if cut is not None:
        del stack[cut:]
    parent = stack[-1]
    section.parent, section.level = parent, parent.level + 1
    parent.children.append(section)
    stack.append(section)
    style_level.setdefault(section.style, section.level)


def _close(section: Section, end: int) -> None:
    """Set each section's ``end`` to where the next section at its level (or above) starts."""
    section.end = end
    for i, child in enumerate(section.children):
        child_end = section.children[i + 1].start if i + 1 < len(section.children) else end
        _close(child, child_end)
