"""The permission world is built once per module that asks for it, inside a transaction rolled back
when the module ends; each test runs in its own savepoint on top (pytest-django's `db`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from tests.trust.permission_world import PermissionWorld, build_permission_world


@pytest.fixture(scope="module")
def perm_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[PermissionWorld]:
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            world = build_permission_world()
        except BaseException as exc:
            outer.__exit__(type(exc), exc, exc.__traceback__)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
