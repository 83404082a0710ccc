"""Optimistic concurrency: a record edited by two people at once is not silently overwritten.

A versioned model carries an integer `version`, 1 when created and raised by one on every save
through a service. A page or API client sends back the version it loaded; the service claims the
row with one conditional UPDATE (`… SET version = v + 1 WHERE id = … AND version = v`), which is
race-free on PostgreSQL (the second writer waits for the first, then matches no row) and on SQLite
(writers are serialised). No match means someone else saved first: `EditConflict` names who, when
and which fields, from the record's django-simple-history rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bookkeeping fields a conflict message does not list as "what changed".
_NOT_CONTENT = {"id", "version", "created_at", "updated_at"}


class VersionedModel(models.Model):
    """Mixin: the `version` every save through a service raises by one (乐观锁版本号).

    A model may name its fields for conflict messages in `conflict_labels` (field → label)."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """The record changed (or was created) since the user loaded it at `expected_version`.

    A ValidationError, so any page that shows a service's validation errors shows this one too;
    pages and the API that know it show who changed what (`changed_by`, `changed_at`, `changed_fields`).
    """

    def __init__(
        self,
        *,
        instance: models.Model,
        expected_version: int,
        current_version: int,
        changed_by: str,
        changed_at: dt.datetime | None,
        changed_fields: list[str],
    ) -> None:
        self.instance = instance
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.changed_fields = changed_fields
        super().__init__(self.sentence(), code="edit_conflict")

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields' names as the pages label them (the model's `conflict_labels`, else
        its verbose names), each once."""
        own = getattr(self.instance, "conflict_labels", {})
        labels: list[str] = []
        for name in self.changed_fields:
            if name in own:
                label = str(own[name])
            else:
                try:
                    label = str(getattr(self.instance._meta.get_field(name), "verbose_name", name))
                except FieldDoesNotExist:
                    label = name
            if label not in labels:
                labels.append(label)
        return labels

    def sentence(self) -> str:
        when = "—"
        if self.changed_at is not None:
            local = timezone.localtime(self.changed_at)
            fmt = "%H:%M" if local.date() == timezone.localdate() else "%Y-%m-%d %H:%M"
            when = local.strftime(fmt)
        text = _("This record was changed by %(who)s at %(when)s; please reload before editing.") % {
            "who": self.changed_by,
            "when": when,
        }
        if self.changed_fields:
            text += _("They changed: %(fields)s.") % {"fields": _(", ").join(self.changed_labels)}
        return text

    def as_dict(self) -> dict[str, Any]:
        """The conflict for an API answer."""
        return {
            "code": "edit_conflict",
            "detail": self.sentence(),
            "expected_version": self.expected_version,
            "current_version": self.current_version,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "changed_fields": self.changed_fields,
        }


def _user_label(user: Any) -> str:
    if user is None:
        return _("the system")
    return (user.get_full_name() or user.username) if hasattr(user, "get_full_name") else str(user)


def edit_conflict(instance: models.Model, *, expected_version: int) -> EditConflict:
    """The conflict between what the user loaded (`expected_version`; 0: nothing yet) and the stored row."""
    model = type(instance)
    current = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    current_version = getattr(current, "version", 0) if current is not None else 0
    changed_by, changed_at, fields = _("another user"), None, []
    history = getattr(current, "history", None)
    if current is not None and history is not None:
        records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
        if records:
            latest = records[0]
            changed_by, changed_at = _user_label(latest.history_user), latest.history_date
            seen = next((r for r in records if getattr(r, "version", None) == expected_version), None)
            if seen is not None and seen is not latest:
                delta = latest.diff_against(seen)
                fields = [c.field for c in delta.changes if c.field not in _NOT_CONTENT]
            elif expected_version == 0:
                fields = []  # created by the other user: everything is theirs
    return EditConflict(
        instance=current if current is not None else instance,
        expected_version=expected_version,
        current_version=current_version,
        changed_by=changed_by,
        changed_at=changed_at,
        changed_fields=fields,
    )


def version_claim(instance: VersionedModel, *, expected_version: int | None) -> None:
    """Claim `instance`'s row for this transaction and raise its version by one.

    With `expected_version` the claim succeeds only while the stored version still equals it,
    otherwise `EditConflict`; None (system jobs, the CLI) claims whatever is stored. Either way the
    row stays locked until the transaction ends, and `instance` is reloaded with the stored values
    (so state checks that follow see what another user may just have saved). Call inside
    `transaction.atomic`, then save the instance.
    """
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise edit_conflict(instance, expected_version=expected_version or 0)
    instance.refresh_from_db()
