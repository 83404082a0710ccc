"""The tracking fixtures (a district, a plan, departments, liaisons, an office, a cycle) and figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.tracking.conftest import World, world  # noqa: F401  (re-exported fixture)


@pytest.fixture
def tracked(world: World) -> World:  # noqa: F811
    """The world with figures bound to T01 and two reports (one with a problem, one late)."""
    from bioplan.tracking import services

    services.plan_bind_targets(plan=world.plan)
    ind = world.target.binding.indicator
    for year, value in ((2020, "127"), (2021, "137"), (2022, "148")):
        services.observation_record(
            indicator=ind, region=world.region, year=year, value=Decimal(value), source="tax"
        )
    r = services.report_save(
        cycle=world.cycle,
        task=world.task1,
        user=world.liaison_a,
        progress="in_progress",
        percent_done=60,
        done_text="签约项目2个",
        problems="需协调用地指标",
    )
    services.report_submit(report=r, user=world.liaison_a, now=dt.datetime(2024, 7, 15, tzinfo=dt.UTC))
    return world
