"""Restoring a deleted record from its history, with the records its deletion cascaded to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from bioplan.audit.registry import Tracked, all_tracked, tracked_for
from bioplan.audit.selectors import (
    CASCADE_WINDOW,
    RESTORE_REASON,
    _in_reach,
    deleted_rows,
    may_restore,
    region_ids,
    region_reach,
)
from bioplan.core.models import User
from bioplan.core.services import audited_save


class RestoreError(Exception):
    """A record cannot be restored; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ParentMissing(RestoreError):
    """The record needs a row that is deleted too; `parent` is its (model, id)."""

    def __init__(self, message: str, parent: tuple[type[models.Model], Any]) -> None:
        super().__init__(message)
        self.parent = parent


Pending = set[tuple[type[models.Model], Any]]


@dataclass
class Restored:
    entry: Tracked
    instance: models.Model


@dataclass
class RestoreResult:
    """What a restore did: the record first, then the records deleted with it, and the ones that
    could not be restored with it (title, reason)."""

    restored: list[Restored] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def record(self) -> models.Model:
        return self.restored[0].instance


def _named(entry: Tracked | None, model: type[models.Model], pk: Any) -> str:
    """「name」 of a deleted row of `model`, from its last history row."""
    name = f"#{pk}"
    history = getattr(model, "history", None)
    if history is not None:
        pk_name = model._meta.pk.attname  # type: ignore[union-attr]
        last = history.model._default_manager.filter(**{pk_name: pk}).order_by("-history_id").first()
        if last is not None:
            instance = last.instance
            name = entry.title(instance) if entry else str(instance)
    return f"{model._meta.verbose_name}「{name}」"


def _check_parents(instance: models.Model, pending: Pending) -> list[str]:
    """Raise ParentMissing when a row the record needs is deleted (or still `pending` in this
    restore); a missing optional parent that the deletion would have cleared anyway (SET_NULL) and
    that this restore does not bring back is cleared; returns notes on those."""
    notes = []
    for model_field in instance._meta.concrete_fields:
        if not model_field.is_relation or model_field.related_model is None:
            continue
        value = getattr(instance, model_field.attname)
        related: type[models.Model] = model_field.related_model  # type: ignore[assignment]
        if value is None or related._base_manager.filter(pk=value).exists():
            continue
        set_null = getattr(model_field.remote_field, "on_delete", None) is models.SET_NULL
        if model_field.null and set_null and (related, value) not in pending:
            setattr(instance, model_field.attname, None)
            notes.append(_("%(field)s 所指记录已不存在，已置空。") % {"field": model_field.verbose_name})
            continue
        parent = _named(tracked_for(related), related, value)
        raise ParentMissing(
            _("无法恢复：它所需的%(parent)s已被删除。请先恢复%(parent)s。") % {"parent": parent},
            (related, value),
        )
    return notes


def _problems(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _restore_row(
    row: Any, user: User | None, result: RestoreResult, pending: Pending | None = None
) -> models.Model:
    """Re-create the record of history row `row` (its last state) in a savepoint."""
    instance = row.instance
    result.notes.extend(_check_parents(instance, pending or set()))
    # Not "adding": validation and save() treat it as the row it was; save() still inserts.
    instance._state.adding = False
    try:
        with transaction.atomic():
            audited_save(instance, user=user, reason=RESTORE_REASON)
            # An insert always stamps auto_now_add fields with now; put back the recorded moment.
            stamped = {
                f.attname: getattr(row, f.attname)
                for f in instance._meta.concrete_fields
                if getattr(f, "auto_now_add", False)
            }
            if stamped:
                type(instance)._base_manager.filter(pk=instance.pk).update(**stamped)
                for name, value in stamped.items():
                    setattr(instance, name, value)
    except ValidationError as exc:
        raise RestoreError(
            _("无法恢复：与现有记录冲突或数据不再有效（%(problems)s）。") % {"problems": _problems(exc)}
        ) from exc
    except IntegrityError as exc:
        raise RestoreError(_("无法恢复：与现有记录冲突（%(error)s）。") % {"error": exc}) from exc
    return instance


def _cascade_children(entry: Tracked, row: Any) -> list[tuple[Tracked, Any]]:
    """History rows of the records deleted in the same cascade as `row`'s record: still deleted,
    pointing at it through a CASCADE foreign key, deleted by the same user within CASCADE_WINDOW."""
    pk = getattr(row, entry.model._meta.pk.attname)  # type: ignore[union-attr]
    found: list[tuple[Tracked, Any]] = []
    for child in all_tracked():
        for model_field in child.model._meta.concrete_fields:
            if (
                not model_field.is_relation
                or model_field.related_model is not entry.model
                or getattr(model_field.remote_field, "on_delete", None) is not models.CASCADE
            ):
                continue
            rows = deleted_rows(child).filter(
                **{model_field.attname: pk},
                history_user_id=row.history_user_id,
                history_date__gte=row.history_date - CASCADE_WINDOW,
                history_date__lte=row.history_date + CASCADE_WINDOW,
            )
            found.extend((child, r) for r in rows.order_by("history_id"))
    return found


def _cascade(entry: Tracked, row: Any) -> list[tuple[Tracked, Any]]:
    """The history rows of everything deleted in the same cascade as `row`'s record, transitively."""
    found: list[tuple[Tracked, Any]] = []
    seen: set[tuple[str, Any]] = set()
    queue = [(entry, row)]
    while queue:
        parent_entry, parent_row = queue.pop(0)
        for child, child_row in _cascade_children(parent_entry, parent_row):
            key = (child.key, _record_id(child, child_row))
            if key not in seen:
                seen.add(key)
                found.append((child, child_row))
                queue.append((child, child_row))
    return found


def _record_id(entry: Tracked, row: Any) -> Any:
    return getattr(row, entry.model._meta.pk.attname)  # type: ignore[union-attr]


def _restore_cascade(entry: Tracked, row: Any, user: User | None, result: RestoreResult) -> None:
    """Restore the rows deleted with `row`'s (already restored) record, each in a savepoint; a row
    whose parent is among them waits for it (passes until nothing more can be restored)."""
    waiting = _cascade(entry, row)
    while waiting:
        pending: Pending = {(child.model, _record_id(child, r)) for child, r in waiting}
        blocked: list[tuple[Tracked, Any, RestoreError]] = []
        for child, child_row in waiting:
            try:
                instance = _restore_row(child_row, user, result, pending)
            except ParentMissing as exc:
                if exc.parent not in pending:
                    result.skipped.append(
                        (_named(child, child.model, _record_id(child, child_row)), exc.message)
                    )
                else:
                    blocked.append((child, child_row, exc))
            except RestoreError as exc:
                result.skipped.append((_named(child, child.model, _record_id(child, child_row)), exc.message))
            else:
                result.restored.append(Restored(child, instance))
                pending.discard((child.model, instance.pk))
        if len(blocked) == len(waiting):  # no progress: what is left waits on itself
            for child, child_row, problem in blocked:
                result.skipped.append(
                    (_named(child, child.model, _record_id(child, child_row)), problem.message)
                )
            return
        waiting = [(child, child_row) for child, child_row, _exc in blocked]


@transaction.atomic
def record_restore(
    *, model: type[models.Model], pk: Any, user: User | None, with_cascade: bool = True
) -> RestoreResult:
    """Re-create deleted record `pk` of `model` from its last history state, and (with_cascade)
    the records its deletion cascaded to; each restored row's history says 恢复 and `user`.

    Only an office admin may restore (PermissionDenied otherwise); a record of a region out of the
    user's reach, deleted or not, raises `model.DoesNotExist` (the pages answer 404).
    RestoreError names the problem when the record cannot be restored: it exists, it was never
    recorded, a parent it needs is deleted too, or it would now violate a unique constraint.
    A cascaded record that cannot be restored is left deleted and listed in `skipped`."""
    entry = tracked_for(model)
    if entry is None:
        raise RestoreError(_("这类记录不支持恢复。"))
    if not may_restore(user):
        raise PermissionDenied(_("只有产业办管理员可以恢复已删除的记录。"))
    if model._base_manager.filter(pk=pk).exists():
        if not entry.visible(user).filter(pk=pk).exists():  # out of reach: it does not exist for them
            raise model.DoesNotExist(f"{entry.verbose_name} #{pk}")  # type: ignore[attr-defined]
        raise RestoreError(
            _("%(kind)s #%(id)s 现已存在，无需恢复。") % {"kind": entry.verbose_name, "id": pk}
        )
    pk_name = model._meta.pk.attname  # type: ignore[union-attr]
    row = entry.history_model._default_manager.filter(**{pk_name: pk}).order_by("-history_id").first()
    if row is None or row.history_type != "-":
        raise RestoreError(
            _("没有%(kind)s #%(id)s 的删除记录，无法恢复。") % {"kind": entry.verbose_name, "id": pk}
        )
    if not _in_reach(region_ids(entry, [row]).get(pk), region_reach(user)):
        raise model.DoesNotExist(f"{entry.verbose_name} #{pk}")  # type: ignore[attr-defined]  # another region's: as if never there
    result = RestoreResult()
    result.restored.append(Restored(entry, _restore_row(row, user, result)))
    if with_cascade:
        _restore_cascade(entry, row, user, result)
    return result
