"""The park registry's derived-indicator rule: land supplied (新供产业用地, 亩) in a period."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bioplan.core.models import Region
from bioplan.enterprises.choices import RuleKind
from bioplan.enterprises.derived import Period, RuleSpec, register_rule
from bioplan.parks.choices import LandUse


def _land_supplied(region: Region, parameters: dict[str, Any], period: Period) -> Decimal:
    from bioplan.parks.selectors import land_supplied

    return land_supplied(
        region=region,
        start=period.window_start(parameters),
        end=period.end,
        land_uses=parameters.get("land_uses"),
    )


def _check(parameters: dict[str, Any]) -> list[str]:
    uses = parameters.get("land_uses")
    if uses is None:
        return []
    if not isinstance(uses, list) or any(u not in LandUse.values for u in uses):
        return ["land_uses 应为用地类型列表"]
    return []


def register_park_rules() -> None:
    register_rule(
        RuleSpec(
            RuleKind.LAND_SUPPLIED,
            _land_supplied,
            _check,
            lambda p: (
                "期内新供产业用地（亩）" + (f"，自{p['since_year']}年起累计" if p.get("since_year") else "")
            ),
        )
    )
