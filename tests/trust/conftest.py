"""The permission world is built once per module that asks for it, inside a transaction rolled back
when the module ends; each test runs in its own savepoint on top (pytest-django's `db`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from tests.trust.permission_world import PermissionWorld, build_permission_world


@pytest.fixture(scope="module")
def perm_world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[PermissionWorld]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_permission_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
