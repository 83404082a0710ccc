"""The park registry's derived-indicator rule: land supplied (新供产业用地, 亩) in a period."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q

from bioplan.core.choices import RegionLevel
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


def _parcels_in(region: Region) -> Any:
    from bioplan.parks.models import LandParcel

    if region.level == RegionLevel.PARK:
        return LandParcel.objects.filter(park__region=region)
    if region.level == RegionLevel.CITY:
        return LandParcel.objects.filter(Q(park__district=region) | Q(park__district__parent=region))
    return LandParcel.objects.filter(park__district=region)


def _simulated(region: Region, parameters: dict[str, Any]) -> bool:
    return bool(_parcels_in(region).filter(simulated=True).exists())


def parcel_version(district_ids: list[int]) -> dict[int, Any]:
    """Per district: row count, latest change and highest id of its parks' land parcels."""
    from bioplan.parks.models import LandParcel

    rows = (
        LandParcel.objects.filter(park__district_id__in=district_ids)
        .values("park__district_id")
        .annotate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
        .order_by("park__district_id")
    )
    return {r["park__district_id"]: ("LandParcel", r["n"], r["last"], r["top"]) for r in rows}


def register_park_rules() -> None:
    register_rule(
        RuleSpec(
            RuleKind.LAND_SUPPLIED,
            _land_supplied,
            _check,
            lambda p: (
                "期内新供产业用地（亩）" + (f"，自{p['since_year']}年起累计" if p.get("since_year") else "")
            ),
            flow=True,
            simulated=_simulated,
            version=parcel_version,
        )
    )
