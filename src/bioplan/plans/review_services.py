"""Writes on uploaded plans under review (导入草稿): upload, correct, publish, discard.

An uploaded document is not stored as a plan at once: its extraction (a PlanDraft in the contract
JSON) is kept as an `ImportDraft` that the office corrects item by item and then publishes. Every
action here takes the acting `user` (no default) and is allowed only to the office admins of the
uploading office's region (`ImportDraft.objects.visible_to`); each correction claims the draft's
version first (`core.concurrency.version_claim`: two office users editing one draft get an
`EditConflict`, never a silent overwrite) and is recorded by django-simple-history with the user
and a reason. Publishing calls `plans.services.plan_import`, so a published draft becomes a plan,
or a new version of the plan of the same lineage, exactly as an import from the command line does.
"""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bioplan.core.choices import Role
from bioplan.core.concurrency import version_claim
from bioplan.core.models import Region, User
from bioplan.core.services import audited_save
from bioplan.core.validation import document_problems
from bioplan.ingest.draft import PlanDraft
from bioplan.ingest.errors import DraftInvalid
from bioplan.plans import services
from bioplan.plans.choices import ImportDraftState
from bioplan.plans.models import ImportDraft
from bioplan.plans.review_selectors import regions_for_review

ITEM_KINDS = ("targets", "tasks", "parks")
# What the extractor says about an item it found; an item the office has corrected is its own word.
_EXTRACTION_NOTES = ("confidence", "reason", "assignments")
META_FIELDS = (
    "industry",
    "title",
    "period_start",
    "period_end",
    "status",
    "doc_number",
    "issued_on",
)


def _require_office(user: User) -> None:
    if user is None or not (user.is_superuser or user.role == Role.OFFICE_ADMIN):
        raise PermissionDenied(_("Only the office can import plans."))


def _claim(import_draft: ImportDraft, *, user: User, expected_version: int | None) -> None:
    """Check the user may act on the draft, claim its row (optimistic concurrency) and check that it
    is still awaiting review."""
    _require_office(user)
    if not ImportDraft.objects.visible_to(user).filter(pk=import_draft.pk).exists():
        raise PermissionDenied(_("This draft belongs to another office."))
    version_claim(import_draft, expected_version=expected_version)
    if import_draft.state != ImportDraftState.PENDING:
        raise ValidationError(
            _("This draft is already %(state)s; it can no longer be changed.")
            % {"state": import_draft.get_state_display()}
        )


def _validated(content: dict[str, Any], *, source: str) -> PlanDraft:
    """The draft's content as a PlanDraft; a ValidationError naming the problem when it breaks the
    contract (the forms check each field first, so this catches what they cannot see, such as two
    targets with one code)."""
    problems = document_problems(content)
    if problems:
        raise ValidationError(
            _("The plan does not follow the import format: %(detail)s") % {"detail": "; ".join(problems[:5])}
        )
    try:
        return PlanDraft.from_dict(content, source=source)
    except DraftInvalid as exc:
        raise ValidationError(
            _("The plan does not follow the import format: %(detail)s") % {"detail": exc.message}
        ) from exc


def _printable(text: str) -> str:
    """The document's text without control characters other than tab and line breaks (a PDF's page
    breaks become line breaks), one character for one, so quote offsets stay right."""
    return "".join(
        "\n" if ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text
    )


def _named_region(name: str | None, user: User) -> Region | None:
    """The district (or city) the document names, when it exists and the user reaches it."""
    if not name:
        return None
    return regions_for_review(user).filter(name=name).first()


@transaction.atomic
def import_draft_create(*, user: User, draft: PlanDraft, source_text: str, source_file: str) -> ImportDraft:
    """Keep an uploaded plan's extraction as a draft awaiting the office's review.

    `source_text` is the document's text as read (the review page highlights each item's quote in
    it; empty for a contract-format .json upload). The plan's region is taken from the document
    when it names one the user reaches; otherwise the office chooses it before publishing."""
    _require_office(user)
    _validated(draft.to_dict(), source=source_file)
    import_draft = ImportDraft(
        office_region=user.region,
        region=_named_region(draft.plan.region, user),
        source_file=source_file[:255],
        source_text=_printable(source_text),
        content=draft.to_dict(),
        created_by=user,
    )
    audited_save(import_draft, user=user, reason=f"plan uploaded for review ({import_draft.source_file})")
    return import_draft


@transaction.atomic
def import_draft_meta_update(
    *,
    import_draft: ImportDraft,
    user: User,
    expected_version: int | None,
    region: Region | None,
    meta: dict[str, Any],
) -> ImportDraft:
    """Correct the plan's metadata (`meta`: any of META_FIELDS, contract values) and its region.

    A corrected field loses the extractor's evidence (the office has checked it)."""
    _claim(import_draft, user=user, expected_version=expected_version)
    if region is not None and not regions_for_review(user).filter(pk=region.pk).exists():
        raise ValidationError(_("You cannot import plans of %(region)s.") % {"region": region.name})
    content = copy.deepcopy(import_draft.content)
    plan = content.setdefault("plan", {})
    evidence = plan.get("evidence") if isinstance(plan.get("evidence"), dict) else None
    for field in META_FIELDS:
        if field in meta and meta[field] != plan.get(field):
            plan[field] = meta[field]
            if evidence is not None:
                evidence.pop(field, None)
    if region is not None:
        if evidence is not None and plan.get("region") != region.name:
            evidence.pop("region", None)
        plan["region"] = region.name
    _validated(content, source=import_draft.source_file)
    import_draft.content, import_draft.region = content, region
    audited_save(import_draft, user=user, reason="plan details corrected in review")
    return import_draft


def _next_target_code(targets: list[dict[str, Any]]) -> str:
    taken = {str(t.get("id")) for t in targets}
    n = len(targets) + 1
    while f"T{n:02d}" in taken:
        n += 1
    return f"T{n:02d}"


def _items(content: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    if kind not in ITEM_KINDS:
        raise ValidationError(_("Unknown kind of item: %(kind)s") % {"kind": kind})
    items = content.get(kind)
    if not isinstance(items, list):
        items = content[kind] = []
    return items


def _check_index(items: list[dict[str, Any]], index: int) -> None:
    if not 0 <= index < len(items):
        raise ValidationError(_("This item no longer exists in the draft; please reload the page."))


@transaction.atomic
def import_draft_item_save(
    *,
    import_draft: ImportDraft,
    user: User,
    expected_version: int | None,
    kind: str,
    index: int | None,
    item: dict[str, Any],
) -> ImportDraft:
    """Replace the `index`-th item of `kind` (targets, tasks, parks) with `item` (contract keys), or
    add `item` at the end when `index` is None. Keys of the stored item that `item` does not name
    are kept, except the extractor's confidence and reason: a corrected item is the office's."""
    _claim(import_draft, user=user, expected_version=expected_version)
    content = copy.deepcopy(import_draft.content)
    items = _items(content, kind)
    if index is None:
        new = dict(item)
        if kind == "targets" and not new.get("id"):
            new["id"] = _next_target_code(items)
        items.append(new)
        reason = f"{kind[:-1]} added in review"
    else:
        _check_index(items, index)
        kept = {k: v for k, v in items[index].items() if k not in _EXTRACTION_NOTES}
        items[index] = {**kept, **item}
        reason = f"{kind[:-1]} corrected in review"
    _validated(content, source=import_draft.source_file)
    import_draft.content = content
    audited_save(import_draft, user=user, reason=reason)
    return import_draft


@transaction.atomic
def import_draft_item_delete(
    *, import_draft: ImportDraft, user: User, expected_version: int | None, kind: str, index: int
) -> ImportDraft:
    """Remove the `index`-th item of `kind` from the draft (e.g. a 保障措施 budget line read as a target)."""
    _claim(import_draft, user=user, expected_version=expected_version)
    content = copy.deepcopy(import_draft.content)
    items = _items(content, kind)
    _check_index(items, index)
    del items[index]
    import_draft.content = content
    audited_save(import_draft, user=user, reason=f"{kind[:-1]} deleted in review")
    return import_draft


@transaction.atomic
def import_draft_publish(
    *, import_draft: ImportDraft, user: User, expected_version: int | None
) -> services.ImportResult:
    """Store the reviewed draft as a plan through `plans.services.plan_import` (a new version when a
    plan of the same lineage exists; nothing new when the content is identical) and mark it
    published. Refused with a message naming the problem when the region is not chosen or the
    content breaks the contract; nothing is stored then."""
    _claim(import_draft, user=user, expected_version=expected_version)
    content = copy.deepcopy(import_draft.content)
    plan = content.setdefault("plan", {})
    if import_draft.region is not None:
        plan["region"] = import_draft.region.name
    elif not user.is_superuser or not plan.get("region"):
        raise ValidationError(_("Choose the district the plan belongs to before publishing."))
    draft = _validated(content, source=import_draft.source_file)
    try:
        result = services.plan_import(draft=draft, user=user, source_file=import_draft.source_file)
    except DraftInvalid as exc:
        raise ValidationError(exc.message) from exc
    import_draft.state = ImportDraftState.PUBLISHED
    import_draft.plan = result.plan
    import_draft.decided_by, import_draft.decided_at = user, timezone.now()
    audited_save(
        import_draft,
        user=user,
        reason=f"published as {result.plan} ({'new' if result.created else 'unchanged'})",
    )
    return result


@transaction.atomic
def import_draft_discard(
    *, import_draft: ImportDraft, user: User, expected_version: int | None
) -> ImportDraft:
    """Give up a draft: it stays in the list as 已放弃 (with its history) but can no longer change."""
    _claim(import_draft, user=user, expected_version=expected_version)
    import_draft.state = ImportDraftState.DISCARDED
    import_draft.decided_by, import_draft.decided_at = user, timezone.now()
    audited_save(import_draft, user=user, reason="draft discarded")
    return import_draft


__all__ = [
    "ITEM_KINDS",
    "META_FIELDS",
    "import_draft_create",
    "import_draft_discard",
    "import_draft_item_delete",
    "import_draft_item_save",
    "import_draft_meta_update",
    "import_draft_publish",
]
