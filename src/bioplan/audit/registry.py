"""Which models the history pages know: how to tell who may see a row, where it sits, what to call it.

The audit app sits above every other app (it imports them, none imports it), so each tracked model
is declared once in `tracked.py` with the querysets its own app already uses for permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet


@dataclass(frozen=True)
class Tracked:
    """A model whose history is shown in the app and whose deleted rows the office may restore.

    * `visible(user)` — the live rows `user` may see (the model's own permission queryset);
    * `region_path` — foreign-key names leading from the model to the core.Region it belongs to,
      e.g. ("plan", "region") for a target; decides which office may restore a deleted row;
    * `title(instance)` — a short name built from the row's own fields only (no query), so lists
      of deleted rows need no query per row;
    * `page(instance)` — the URL of the page showing the live row, or None;
    * `listed` — shown on the deleted-records page (children that only make sense with their
      parent, such as a product's milestones, are still restored with it).
    """

    model: type[models.Model]
    visible: Callable[[Any], QuerySet[Any]]
    region_path: tuple[str, ...]
    title: Callable[[Any], str] = str
    page: Callable[[Any], str | None] = lambda instance: None
    listed: bool = True

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name or ""

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def history_model(self) -> Any:
        """The historical model (django-simple-history), typed loosely: its rows carry history_*."""
        return self.model.history.model  # type: ignore[attr-defined]


_registry: dict[str, Tracked] = {}


def register(entry: Tracked) -> Tracked:
    if not hasattr(entry.model, "history"):
        raise TypeError(f"{entry.key} has no HistoricalRecords")
    _registry[entry.key] = entry
    return entry


def tracked(key: str) -> Tracked | None:
    """The entry for "app_label.model_name" (lower case), or None."""
    return _registry.get(key.lower())


def tracked_for(model: type[models.Model]) -> Tracked | None:
    return _registry.get(model._meta.label_lower)


def all_tracked() -> list[Tracked]:
    return list(_registry.values())
