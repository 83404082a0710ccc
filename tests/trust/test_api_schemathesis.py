"""schemathesis against the OpenAPI schema at /api/schema/: no generated request gives a 500.

Runs in-process against the WSGI application, authenticated as an office admin with HTTP Basic
auth, over a database holding one imported plan; a handful of examples per operation keeps the
run short.
"""

from __future__ import annotations

import base64
import copy

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from tests.conftest import SAMPLE_DRAFT
from tests.factories import UserFactory, sample_district

from bioplan.core.choices import Role
from bioplan.ingest.draft import PlanDraft
from bioplan.plans.services import plan_import

PASSWORD = "correct-horse-battery"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"schemathesis:{PASSWORD}".encode()).decode()}


@pytest.fixture
def api_schema(db):  # type: ignore[no-untyped-def]
    cache.clear()
    office = UserFactory(username="schemathesis", role=Role.OFFICE_ADMIN, region=sample_district())
    plan_import(draft=PlanDraft.from_dict(copy.deepcopy(SAMPLE_DRAFT)), user=office, source_file="a.json")
    # Like Django's test client: keep the test's connection (and its transaction) open between
    # requests; the WSGI handler would otherwise close it at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=AUTH)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gives_a_server_error(case):
    case.call_and_validate(headers=AUTH, checks=[not_a_server_error])


def test_the_schema_needs_a_login(client):
    assert client.get("/api/schema/").status_code in (401, 403)
