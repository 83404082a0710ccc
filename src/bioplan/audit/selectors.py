"""Reads on the change history: one object's changes with before→after values, the deleted records
an office may restore, and who may see either.

History rows come from django-simple-history (one historical table per model); the changes
between two rows come from its `diff_against`, and are shown with the model's verbose field
names and display values (choice labels, the related row's name instead of its id).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bioplan.audit.reasons import reason_label
from bioplan.audit.registry import Tracked, all_tracked, tracked_for
from bioplan.core.choices import Role
from bioplan.core.models import Region

RESTORE_REASON = "恢复"
"""The change reason stored on the history row of a restored record (not translated: it is data)."""

CREATED, UPDATED, DELETED, RESTORED = "created", "updated", "deleted", "restored"


def kind_labels() -> dict[str, str]:
    return {
        CREATED: pgettext("change kind", "新建"),
        UPDATED: pgettext("change kind", "修改"),
        DELETED: pgettext("change kind", "删除"),
        RESTORED: pgettext("change kind", "恢复"),
    }


# ------------------------------------------------------------------------------ who may see
def may_read_history(user: Any) -> bool:
    """Signed-in users other than researchers (who read published plans only, not who changed them)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.role != Role.RESEARCHER)


def may_restore(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_office_admin)


def region_reach(user: Any) -> set[int] | None:
    """The region ids a user's office acts for: its region and every region below it (None: all)."""
    if getattr(user, "is_superuser", False):
        return None
    region_id = getattr(user, "region_id", None)
    if region_id is None:
        return set()
    return set(
        Region.objects.filter(
            Q(pk=region_id)
            | Q(parent_id=region_id)
            | Q(parent__parent_id=region_id)
            | Q(parent__parent__parent_id=region_id)
        ).values_list("pk", flat=True)
    )


def history_visible(*, user: Any, entry: Tracked, pk: int) -> bool:
    """Whether `user` may read the history of row `pk`: a live row the user may see, or a deleted
    row of the user's region when the user is an office admin."""
    if not may_read_history(user):
        return False
    if entry.model._base_manager.filter(pk=pk).exists():
        return entry.visible(user).filter(pk=pk).exists()
    if not may_restore(user):
        return False
    last = entry.history_model._default_manager.filter(**{_pk_name(entry): pk}).first()
    if last is None:
        return False
    return _in_reach(region_ids(entry, [last]).get(pk), region_reach(user))


def _in_reach(region_id: int | None, reach: set[int] | None) -> bool:
    return reach is None or (region_id is not None and region_id in reach)


def _pk_name(entry: Tracked) -> str:
    return entry.model._meta.pk.attname  # type: ignore[union-attr]


# ------------------------------------------------------------------------------ regions of rows
def _latest_values(model: type[models.Model], ids: set[Any], attname: str) -> dict[Any, Any]:
    """`attname` of the rows `ids` of `model`: from the live row, else from its last history row."""
    values = dict(model._base_manager.filter(pk__in=ids).values_list("pk", attname))
    missing = ids - values.keys()
    history = getattr(model, "history", None)
    if missing and history is not None:
        pk_name = model._meta.pk.attname  # type: ignore[union-attr]
        rows = (
            history.model._default_manager.filter(**{f"{pk_name}__in": missing})
            .order_by(pk_name, "-history_id")
            .values_list(pk_name, attname)
        )
        for pk, value in rows:
            values.setdefault(pk, value)
    return values


def region_ids(entry: Tracked, rows: Iterable[Any]) -> dict[Any, int | None]:
    """Region id of each history row of `entry` (keyed by the recorded row's id), following `entry.region_path` through
    live parents, or through their history when a parent was deleted too. Queries: two per step."""
    model: type[models.Model] = entry.model
    first: Any = model._meta.get_field(entry.region_path[0])
    pk_name = _pk_name(entry)
    current: dict[Any, Any] = {getattr(r, pk_name): getattr(r, first.attname) for r in rows}
    model = first.related_model  # type: ignore[assignment]
    for name in entry.region_path[1:]:
        step: Any = model._meta.get_field(name)
        values = _latest_values(model, {v for v in current.values() if v is not None}, step.attname)  # type: ignore[union-attr]
        current = {k: values.get(v) for k, v in current.items()}
        model = step.related_model  # type: ignore[assignment]
    return current


# ------------------------------------------------------------------------------ one object's history
@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    history_id: int
    when: dt.datetime
    kind: str
    kind_label: str
    user_name: str
    department: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ObjectHistory:
    entry: Tracked
    pk: int
    title: str
    exists: bool
    page_url: str | None
    entries: list[HistoryEntry]  # newest first


def _kind(row: Any) -> str:
    if row.history_type == "-":
        return DELETED
    if row.history_type == "~":
        return UPDATED
    return RESTORED if row.history_change_reason == RESTORE_REASON else CREATED


def _user_name(user: Any) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def _plain(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _RelatedNames:
    """Names of related rows, fetched in one query per related model (and one for deleted ones)."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            entry = tracked_for(model)
            for pk, obj in model._base_manager.in_bulk(ids).items():
                self.names[(model, pk)] = entry.title(obj) if entry else str(obj)
            missing = ids - {pk for (m, pk) in self.names if m is model}
            if missing and hasattr(model, "history"):
                pk_name = model._meta.pk.attname  # type: ignore[union-attr]
                rows = model.history.model._default_manager.filter(**{f"{pk_name}__in": missing})  # type: ignore[attr-defined]
                for row in rows.order_by(pk_name, "-history_id"):
                    key = (model, getattr(row, pk_name))
                    if key not in self.names:
                        name = entry.title(row.instance) if entry else str(row.instance)
                        self.names[key] = _("%(name)s（已删除）") % {"name": name}
            for pk in missing:
                self.names.setdefault((model, pk), _("#%(id)s（已删除）") % {"id": pk})

    def name(self, model: type[models.Model], pk: Any) -> str:
        return "—" if pk is None else self.names.get((model, pk), f"#{pk}")


def _field_label(model_field: Any) -> str:
    """The field's verbose name; for a relation left with Django's default name ("plan"), the
    related model's (translated) verbose name instead."""
    label = getattr(model_field, "verbose_name", model_field.name)
    default = str(label) == model_field.name.replace("_", " ")
    if default and model_field.is_relation and model_field.related_model is not None:
        label = model_field.related_model._meta.verbose_name
    return str(label)


def _display(model: type[models.Model], name: str, value: Any, related: _RelatedNames) -> str:
    model_field = model._meta.get_field(name)
    if model_field.is_relation and model_field.related_model is not None:
        return related.name(model_field.related_model, value)  # type: ignore[arg-type]
    choices = getattr(model_field, "flatchoices", None)
    if choices and value not in (None, ""):
        return str(dict(choices).get(value, value))
    return _plain(value)


def object_history(*, entry: Tracked, pk: int) -> ObjectHistory:
    """Every history row of row `pk` of `entry`, newest first, each update with its field changes.

    Callers check `history_visible` first. Queries: the history rows with their users, the live
    row, and one or two per related model named in a change."""
    model = entry.model
    rows: list[Any] = list(
        entry.history_model._default_manager.filter(**{_pk_name(entry): pk})
        .select_related("history_user__department")
        .order_by("history_id")
    )
    live = model._base_manager.filter(pk=pk).first()
    related = _RelatedNames()
    deltas: dict[int, Any] = {}
    for old, new in pairwise(rows):
        if new.history_type == "~":
            delta = new.diff_against(old)
            deltas[new.history_id] = delta
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                if model_field.is_relation and model_field.related_model is not None:
                    related.want(model_field.related_model, change.old)  # type: ignore[arg-type]
                    related.want(model_field.related_model, change.new)  # type: ignore[arg-type]
    related.fetch()

    labels = kind_labels()
    entries = []
    for row in reversed(rows):
        kind = _kind(row)
        changes = []
        delta = deltas.get(row.history_id)
        for change in delta.changes if delta else []:
            model_field = model._meta.get_field(change.field)
            changes.append(
                FieldChange(
                    field=change.field,
                    label=_field_label(model_field),
                    old=_display(model, change.field, change.old, related),
                    new=_display(model, change.field, change.new, related),
                )
            )
        user = row.history_user
        entries.append(
            HistoryEntry(
                history_id=row.history_id,
                when=row.history_date,
                kind=kind,
                kind_label=labels[kind],
                user_name=_user_name(user),
                department=user.department.name if user is not None and user.department else "",
                reason=reason_label(row.history_change_reason or ""),
                changes=changes,
            )
        )
    if live is not None:
        title = str(live) if entry.title is str else entry.title(live)
    elif rows:
        title = entry.title(rows[-1].instance)
    else:
        title = f"#{pk}"
    return ObjectHistory(
        entry=entry,
        pk=pk,
        title=title,
        exists=live is not None,
        page_url=entry.page(live) if live is not None else None,
        entries=entries,
    )


# ------------------------------------------------------------------------------ deleted records
CASCADE_WINDOW = dt.timedelta(seconds=2)
"""Rows deleted by the same user within this time of a record's deletion, pointing at it through a
cascading foreign key, were deleted with it (one Django delete writes them all within milliseconds)."""


@dataclass(frozen=True)
class DeletedRecord:
    entry: Tracked
    pk: Any
    title: str
    region: str
    when: dt.datetime
    user_name: str
    department: str
    reason: str
    with_parent: bool = False  # deleted by its parent's deletion (restored with it)
    cascaded: int = 0  # rows deleted with it, restored with it


def deleted_rows(entry: Tracked) -> models.QuerySet[Any]:
    """History rows recording the deletion of rows of `entry` that are still deleted: the last
    history row of their id, with no live row of that id."""
    history = entry.history_model._default_manager
    pk_name = _pk_name(entry)
    later = history.filter(**{pk_name: OuterRef(pk_name), "history_id__gt": OuterRef("history_id")})
    live = entry.model._base_manager.filter(pk=OuterRef(pk_name))
    return history.filter(history_type="-").filter(~Exists(later), ~Exists(live))


def deletable_kinds() -> list[Tracked]:
    """The kinds shown on the deleted-records page, in a stable order."""
    return [e for e in all_tracked() if e.listed]


Key = tuple[str, Any]


def _cascade_parents(entry: Tracked, rows: list[Any]) -> dict[Any, Key]:
    """For the deleted `rows` of `entry` that went with a parent's deletion (a CASCADE foreign key
    to a row deleted by the same user within CASCADE_WINDOW): record id → (parent kind, parent id).
    Two queries per cascading foreign key."""
    parents: dict[Any, Key] = {}
    pk_name = _pk_name(entry)
    for model_field in entry.model._meta.concrete_fields:
        if getattr(model_field.remote_field, "on_delete", None) is not models.CASCADE:
            continue
        parent = tracked_for(model_field.related_model)  # type: ignore[arg-type]
        if parent is None:
            continue
        ids = {getattr(r, model_field.attname) for r in rows} - {None}
        gone = ids - set(parent.model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        if not gone:
            continue
        parent_pk = _pk_name(parent)
        deletions: dict[Any, tuple[dt.datetime, Any]] = {}
        parent_rows = (
            parent.history_model._default_manager.filter(**{f"{parent_pk}__in": gone}, history_type="-")
            .order_by(parent_pk, "-history_id")
            .values_list(parent_pk, "history_date", "history_user_id")
        )
        for parent_id, when, user_id in parent_rows:
            deletions.setdefault(parent_id, (when, user_id))
        for row in rows:
            parent_id = getattr(row, model_field.attname)
            deleted = deletions.get(parent_id)
            if (
                deleted is not None
                and deleted[1] == row.history_user_id
                and abs(deleted[0] - row.history_date) <= CASCADE_WINDOW
            ):
                parents.setdefault(getattr(row, pk_name), (parent.key, parent_id))
    return parents


def deleted_records(*, user: Any, kind: str = "") -> list[DeletedRecord]:
    """Deleted, not since restored, records of the user's region, newest first.

    Without `kind`, a record deleted with its parent (a task's assignments when the task was
    deleted) is folded into the parent, whose `cascaded` counts them; with `kind` ("plans.target")
    every deleted record of that kind is listed, those deleted with a parent marked `with_parent`.
    Demo rows (simulated) removed by a system job (no user), such as a demo reload, are left out.
    Queries: one per kind, plus a few per kind that has deleted rows (region path, cascading
    foreign keys), plus one for the region names — not one per row."""
    reach = region_reach(user)
    found: list[tuple[Tracked, Any, int | None]] = []
    parents: dict[Key, Key] = {}
    for entry in deletable_kinds():
        if kind and entry.key != kind:
            continue
        query = deleted_rows(entry)
        if any(f.name == "simulated" for f in entry.model._meta.concrete_fields):
            query = query.exclude(simulated=True, history_user__isnull=True)
        rows = list(query.select_related("history_user__department").order_by("-history_id"))
        if not rows:
            continue
        regions = region_ids(entry, rows)
        pk_name = _pk_name(entry)
        parents.update({(entry.key, pk): key for pk, key in _cascade_parents(entry, rows).items()})
        for row in rows:
            region_id = regions.get(getattr(row, pk_name))
            if _in_reach(region_id, reach):
                found.append((entry, row, region_id))
    cascaded: dict[Key, int] = defaultdict(int)
    for key in parents:
        top = parents[key]
        while top in parents:
            top = parents[top]
        cascaded[top] += 1
    region_names = dict(
        Region.objects.filter(pk__in={r for _e, _row, r in found if r is not None}).values_list("pk", "name")
    )
    found.sort(key=lambda item: item[1].history_date, reverse=True)
    records = []
    for entry, row, region_id in found:
        key = (entry.key, getattr(row, _pk_name(entry)))
        if key in parents and not kind:
            continue
        user_row = row.history_user
        records.append(
            DeletedRecord(
                entry=entry,
                pk=key[1],
                title=entry.title(row.instance),
                region=region_names.get(region_id, "—") if region_id is not None else "—",
                when=row.history_date,
                user_name=_user_name(user_row),
                department=user_row.department.name if user_row is not None and user_row.department else "",
                reason=reason_label(row.history_change_reason or ""),
                with_parent=key in parents,
                cascaded=cascaded.get(key, 0),
            )
        )
    return records
