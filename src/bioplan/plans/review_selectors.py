"""Reads for the review of uploaded plans (导入草稿): the drafts a user may see, the review page's
items with their flags, and the document's text with each item's quote marked.

An item is flagged for the office's attention when the extractor's `confidence` is below
`REVIEW_CONFIDENCE_THRESHOLD` or a field the plan needs is missing (a target without a year, a task
without a responsible department, a plan without region, title or period).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bioplan.core import access
from bioplan.core.choices import RegionLevel
from bioplan.core.models import Region
from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid
from bioplan.ingest.normalize import fold_characters
from bioplan.plans.choices import Comparator, ImportDraftState, PlanStatus, TargetLevel
from bioplan.plans.models import ImportDraft, Plan
from bioplan.plans.services import lineage_key

# Items the extractor is less sure of than this (0–1) are flagged for the office to check.
REVIEW_CONFIDENCE_THRESHOLD = 0.7
_WHITESPACE = re.compile(r"\s+")


def import_drafts_visible_to(user: object) -> QuerySet[ImportDraft]:
    return ImportDraft.objects.visible_to(user)


def import_draft_list(*, user: object, state: str | None = None) -> QuerySet[ImportDraft]:
    """The drafts the user reviews, newest first; `state` one of ImportDraftState (None: all)."""
    drafts = import_drafts_visible_to(user).select_related("region", "created_by", "plan")
    if state:
        drafts = drafts.filter(state=state)
    return drafts


def regions_for_review(user: object) -> QuerySet[Region]:
    """The districts (and the city, for city-wide offices) the user may publish a plan for."""
    return (
        Region.objects.filter(access.user_regions_q(user))
        .filter(level__in=[RegionLevel.DISTRICT, RegionLevel.CITY])
        .order_by("name")
    )


# ------------------------------------------------------------------------------------ the page
@dataclass
class Highlight:
    """Where an item's quote stands in the source text (character offsets, end exclusive)."""

    start: int
    end: int


@dataclass
class ReviewItem:
    """One target, task or park of the draft as the review page shows it."""

    kind: str  # targets | tasks | parks
    index: int
    data: dict[str, Any]
    quote: str
    flags: list[str] = field(default_factory=list)
    confidence: float | None = None
    reason: str = ""
    highlight: Highlight | None = None

    @property
    def anchor(self) -> str:
        return f"src-{self.kind}-{self.index}"

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def summary(self) -> str:
        return target_summary(self.data) if self.kind == "targets" else ""

    @property
    def co_departments(self) -> list[str]:
        """A task's co-operating (配合) departments: those named that do not lead."""
        leads = self.data.get("lead_departments") or []
        return [d for d in self.data.get("departments") or [] if d not in leads]


@dataclass
class MetaRow:
    name: str
    label: str
    value: str
    flags: list[str] = field(default_factory=list)


@dataclass
class SourceSegment:
    """A run of the source text; `anchors` are the items whose quote starts here, `marked` the items
    whose quote covers it."""

    text: str
    anchors: list[str]
    marked: list[str]


@dataclass
class ReviewPage:
    import_draft: ImportDraft
    meta: list[MetaRow]
    targets: list[ReviewItem]
    tasks: list[ReviewItem]
    parks: list[ReviewItem]
    segments: list[SourceSegment]
    existing_plan: Plan | None
    problems: list[str]
    threshold: float = REVIEW_CONFIDENCE_THRESHOLD

    @property
    def threshold_percent(self) -> int:
        return round(self.threshold * 100)

    @property
    def flagged_count(self) -> int:
        return sum(1 for item in [*self.targets, *self.tasks, *self.parks] if item.flagged) + sum(
            1 for row in self.meta if row.flags
        )


def _confidence(raw: dict[str, Any]) -> float | None:
    value = raw.get("confidence")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _low_confidence_flag(raw: dict[str, Any]) -> list[str]:
    confidence = _confidence(raw)
    if confidence is not None and confidence < REVIEW_CONFIDENCE_THRESHOLD:
        return [_("the extractor is unsure (confidence %(value)d%%)") % {"value": round(confidence * 100)}]
    return []


def _target_flags(t: dict[str, Any]) -> list[str]:
    flags = _low_confidence_flag(t)
    if not t.get("year"):
        flags.append(_("no target year"))
    if not t.get("quote"):
        flags.append(_("no quote from the document"))
    if not t.get("metric") or not t.get("unit"):
        flags.append(_("metric or unit missing"))
    return flags


def _task_flags(t: dict[str, Any]) -> list[str]:
    flags = _low_confidence_flag(t)
    if not t.get("departments") and not t.get("lead_departments"):
        flags.append(_("no responsible department"))
    elif not t.get("lead_departments"):
        flags.append(_("no lead department"))
    for pair in t.get("assignments") or []:
        if isinstance(pair, dict) and _low_confidence_flag(pair):
            flags.append(
                _("unsure whether %(department)s is responsible") % {"department": pair.get("department", "")}
            )
    return flags


def _park_flags(p: dict[str, Any]) -> list[str]:
    return _low_confidence_flag(p)


def _label(choices: Any, value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _number(value: Any) -> str:
    if value is None:
        return ""
    return f"{Decimal(str(value)).normalize():f}"


def target_summary(t: dict[str, Any]) -> str:
    """A target in one line as the plan states it: 力争 规上工业总产值 超过 160 亿元 (2023年)."""
    value = _number(t.get("value"))
    if t.get("comparator") == Comparator.RANGE:
        value = f"{value}–{_number(t.get('value_max'))}"
    parts = [
        _label(TargetLevel, t.get("level")),
        str(t.get("metric") or ""),
        _label(Comparator, t.get("comparator")),
        f"{value}{t.get('unit') or ''}",
    ]
    text = " ".join(p for p in parts if p)
    if t.get("year"):
        text += _(" (%(year)s)") % {"year": t["year"]}
    return text


def _meta_rows(import_draft: ImportDraft, plan: dict[str, Any]) -> list[MetaRow]:
    evidence: dict[str, Any] = plan["evidence"] if isinstance(plan.get("evidence"), dict) else {}
    region_flags = []
    if import_draft.region is None:
        if plan.get("region"):
            region_flags.append(
                _("the document names %(region)s, which you cannot import for; choose the district")
                % {"region": plan["region"]}
            )
        else:
            region_flags.append(_("the document names no district; choose one"))
    period = "—".join(str(plan[k]) for k in ("period_start", "period_end") if plan.get(k))
    rows = [
        MetaRow("region", _("region"), import_draft.region.name if import_draft.region else "", region_flags),
        MetaRow("title", _("title"), plan.get("title") or "", [] if plan.get("title") else [_("missing")]),
        MetaRow("industry", _("industry"), plan.get("industry") or ""),
        MetaRow("period", _("period"), period, [] if period else [_("missing")]),
        MetaRow("status", _("status"), _label(PlanStatus, plan.get("status"))),
        MetaRow("doc_number", _("document number"), plan.get("doc_number") or ""),
        MetaRow("issued_on", _("issued on"), plan.get("issued_on") or ""),
    ]
    for row in rows:
        fields = ("period_start", "period_end") if row.name == "period" else (row.name,)
        for name in fields:
            note = evidence.get(name)
            if isinstance(note, dict):
                reason = f"（{note['reason']}）" if note.get("reason") else ""
                row.flags.extend(flag + reason for flag in _low_confidence_flag(note))
    return rows


def _items(kind: str, raw: Any) -> list[ReviewItem]:
    flags, quote_of = {
        "targets": (_target_flags, lambda d: str(d.get("quote") or "")),
        "tasks": (_task_flags, lambda d: str(d.get("title") or "")),
        "parks": (_park_flags, lambda d: str(d.get("name") or "")),
    }[kind]
    items = []
    for index, data in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(data, dict):
            continue
        items.append(
            ReviewItem(
                kind=kind,
                index=index,
                data=data,
                quote=quote_of(data),
                flags=flags(data),
                confidence=_confidence(data),
                reason=str(data.get("reason") or ""),
            )
        )
    return items


def locate(quote: str, text: str, folded: str | None = None, start: int = 0) -> Highlight | None:
    """Where `quote` stands in `text`, ignoring whitespace and the character folding of the
    extractor (full-width digits and letters, 、/，variants), searching from `start` first."""
    chars = [c for c in fold_characters(quote) if not c.isspace()]
    if not chars:
        return None
    pattern = re.compile(r"\s*".join(re.escape(c) for c in chars))
    haystack = folded if folded is not None else fold_characters(text)
    match = pattern.search(haystack, start) or pattern.search(haystack)
    return Highlight(match.start(), match.end()) if match else None


def _segments(text: str, items: list[ReviewItem]) -> list[SourceSegment]:
    """Cut `text` at every highlight's start and end, so overlapping quotes each stay marked."""
    cuts = {0, len(text)}
    for item in items:
        if item.highlight:
            cuts |= {item.highlight.start, item.highlight.end}
    bounds = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(bounds):
        anchors = [i.anchor for i in items if i.highlight and i.highlight.start == a]
        marked = [i.anchor for i in items if i.highlight and i.highlight.start <= a < i.highlight.end]
        out.append(SourceSegment(text=text[a:b], anchors=anchors, marked=marked))
    return out


def _problems(content: dict[str, Any]) -> list[str]:
    """What would stop the draft from being published, in the user's language."""
    try:
        PlanDraft.from_dict(content)
    except DraftInvalid as exc:
        return [exc.message]
    return []


def import_draft_page(*, import_draft: ImportDraft) -> ReviewPage:
    """Everything the review page shows: metadata, items with their flags and quote positions, the
    source text cut into marked segments, and the plan this draft would become a new version of."""
    content = import_draft.content if isinstance(import_draft.content, dict) else {}
    plan: dict[str, Any] = content["plan"] if isinstance(content.get("plan"), dict) else {}
    targets = _items("targets", content.get("targets"))
    tasks = _items("tasks", content.get("tasks"))
    parks = _items("parks", content.get("parks"))
    text = import_draft.source_text
    folded = fold_characters(text)
    for group in (targets, tasks, parks):
        position = 0
        for item in group:
            item.highlight = locate(item.quote, text, folded, position) if item.quote else None
            if item.highlight:
                position = item.highlight.end
            elif item.kind == "targets" and text and item.quote:
                item.flags.append(_("quote not found in the document"))
    return ReviewPage(
        import_draft=import_draft,
        meta=_meta_rows(import_draft, plan),
        targets=targets,
        tasks=tasks,
        parks=parks,
        segments=_segments(text, [*targets, *tasks, *parks]) if text else [],
        existing_plan=_existing_plan(import_draft, content),
        problems=_problems(content),
    )


def _existing_plan(import_draft: ImportDraft, content: dict[str, Any]) -> Plan | None:
    """The current plan of the same lineage (publishing makes a new version of it), if any."""
    if import_draft.state != ImportDraftState.PENDING:
        return None
    try:
        draft = PlanDraft.from_dict(content)
    except DraftInvalid:
        return None
    if import_draft.region is not None:
        draft.plan.region = import_draft.region.name
    return Plan.objects.filter(lineage=lineage_key(draft), is_current=True).first()


__all__ = [
    "REVIEW_CONFIDENCE_THRESHOLD",
    "ReviewItem",
    "ReviewPage",
    "import_draft_list",
    "import_draft_page",
    "import_drafts_visible_to",
    "locate",
    "regions_for_review",
    "target_summary",
]
