"""Turn a plan document into a ``PlanDraft``: read → normalise → outline → extract.

Why hand-written (the whole pipeline): no library understands Chinese district action plans; each
step is a small, tested module — ``readers`` (files to text), ``normalize`` (de-wrap, one paragraph a
line), ``outline`` (numbered sections, 专栏 boxes, tables), then ``metadata``, ``targets``,
``tasks`` + ``departments`` and ``parks``.

In: a path (``extract_document``) or a string (``extract_text``). Out: ``PlanDraft`` in the contract
of ../shared/eval/GOLD_GUIDE.md. Unreadable input raises an ``IngestError`` subclass with a
one-line message; a readable document without targets gives an empty list and a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from bioplan.ingest.departments import assignments_in, prose_departments, table_assignments
from bioplan.ingest.draft import PlanDraft, TargetDraft, TaskDraft
from bioplan.ingest.errors import EmptyDocument
from bioplan.ingest.language import ensure_chinese
from bioplan.ingest.metadata import extract_metadata
from bioplan.ingest.normalize import NormalizedText, fold_characters, normalize
from bioplan.ingest.outline import Outline, build_outline
from bioplan.ingest.parks import extract_parks
from bioplan.ingest.readers import read_document
from bioplan.ingest.targets import extract_targets
from bioplan.ingest.tasks import extract_tasks

__all__ = ["extract_document", "extract_text"]

_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")
_SPACES = re.compile(r"[ \t\u3000]+")


def extract_document(path: str | Path) -> PlanDraft:
    """Read the file at ``path`` (.txt, .docx, .pdf, .doc) and extract its plan."""
    document = read_document(path)
    return extract_text(document.text, name=document.name)


def extract_text(text: str, name: str = "<text>") -> PlanDraft:
    """Extract the plan from the raw ``text`` of a document called ``name``."""
    if not text or not text.strip():
        raise EmptyDocument("document has no text", source=name)
    ensure_chinese(text, source=name)
    normalized_text = normalize(text)
    normalized = normalized_text.text
    if not normalized.strip():
        raise EmptyDocument("document has no text", source=name)
    outline = build_outline(normalized)
    meta = extract_metadata(normalized)
    targets = extract_targets(outline, meta)
    tasks = extract_tasks(outline)
    parks = extract_parks(outline, targets, paper=meta.status == "论文")
    departments = _all_departments(outline, tasks)
    _quote_source(targets, text, normalized_text)
    warnings: list[str] = []
    if not targets:
        warnings.append("no quantitative targets found")
    if not tasks:
        warnings.append("no numbered tasks found (no 重点任务/主要任务 section)")
    else:
        missing = [t.number for t in tasks if not t.departments]
        if missing:
            warnings.append(
                f"{len(missing)} of {len(tasks)} tasks name no responsible unit (tasks {', '.join(missing)})"
            )
    if meta.region is None:
        warnings.append("region not found in the title")
    if meta.period_end is None and meta.status != "论文":
        warnings.append("plan period not found: targets without a stated year have no year")
    return PlanDraft(
        document=name,
        plan=meta,
        targets=targets,
        tasks=tasks,
        departments=departments,
        parks=parks,
        warnings=warnings,
    )


def _quote_source(targets: list[TargetDraft], source: str, normalized: NormalizedText) -> None:
    """Replace each quote by the same words as they stand in the source document.

    Quotes are found in the normalised text; the offset map gives the source span, whose line
    breaks are dropped and spaces collapsed (gold quotes keep the document's "超过 160亿元"). When
    the source span holds anything else (a page number inside a wrapped sentence), the normalised
    quote stays.
    """
    text = normalized.text
    position = 0
    for target in targets:
        quote = target.quote
        if not quote:
            continue
        at = text.find(quote, position)
        if at < 0:
            at = text.find(quote)
        if at < 0:
            continue
        position = at
        start, end = normalized.source_span(at, at + len(quote))
        original = _LINE_BREAKS.sub("", source[start:end])
        original = _SPACES.sub(" ", original).strip()
        if len(original) <= 80 and _SPACES.sub("", fold_characters(original)) == _SPACES.sub("", quote):
            target.quote = original


def _all_departments(outline: Outline, tasks: list[TaskDraft]) -> list[str]:
    """Every unit named responsible: the tasks' units, then any other responsibility formula or
    table row in the document, then units named in running text ("由X牵头，联动Y、Z等部门")."""
    out: list[str] = []

    def add(names: list[str]) -> None:
        for name in names:
            if name not in out:
                out.append(name)

    for task in tasks:
        add(task.departments)
    blocks = [block for section in outline.root.walk() for block in section.blocks]
    for block in blocks:
        if block.kind == "table":
            for assignment in table_assignments(block.rows).values():
                add(assignment.departments)
        else:
            for assignment in assignments_in(block.text):
                add(assignment.departments)
    for block in blocks:
        if block.kind == "paragraph":
            add(prose_departments(block.text))
    return out
