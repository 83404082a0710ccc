"""The permission world is built once per module that asks for it, inside a transaction rolled back
when the module ends; each test runs in its own savepoint on top (pytest-django's `db`)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from tests.trust.permission_world import PermissionWorld, build_permission_world


@pytest.fixture(scope="module")
def perm_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[PermissionWorld]:
    media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="perm-world-"))  # report attachments
    media.enable()
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
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    media.disable()
