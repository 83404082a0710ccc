"""Helpers of the property tests that write: each example starts from the same database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import models, transaction


def row_counts(models_: Iterable[type[models.Model]]) -> dict[str, int]:
    """Rows per model, to show that a refused import wrote nothing."""
    return {m.__name__: m._default_manager.count() for m in models_}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a transaction that is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
