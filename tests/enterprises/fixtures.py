"""Fixtures shared by tests/enterprises, tests/projects and tests/parks (imported by their conftest)."""

from __future__ import annotations

import pytest
from tests.enterprises.factories import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
