"""Map layers for 挂图作战: the GeoJSON check, the upload service and page by role, and the battle
map on the office's layer with parks and projects placed by their coordinates."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bioplan.parks import services
from bioplan.parks.geojson import MapFileInvalid, parse_map_file
from bioplan.parks.models import MapLayer

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "示例园区"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[121.0, 31.1], [121.2, 31.1], [121.2, 31.2], [121.0, 31.2], [121.0, 31.1]]],
            },
        }
    ],
}


def _bytes(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def test_a_feature_collection_of_polygons_is_accepted() -> None:
    document, count = parse_map_file(_bytes(SQUARE))

    assert count == 1 and document["features"][0]["properties"]["name"] == "示例园区"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "不是有效的 GeoJSON"),
        (_bytes({"type": "Topology"}), "FeatureCollection"),
        (_bytes({"type": "FeatureCollection", "features": []}), "没有任何要素"),
        (
            _bytes({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}),
            "第 1 个要素",
        ),
        (
            _bytes(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [350000, 3450000]}}
                    ],
                }
            ),
            "不是经纬度",
        ),
    ],
)
def test_a_bad_map_file_is_refused_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(MapFileInvalid, match=message):
        parse_map_file(data)


def test_office_upload_replaces_the_layer_in_use_and_is_recorded(world) -> None:
    first = services.map_layer_upload(
        region=world.district, name="旧版", approval="沪S(2024)001号", data=_bytes(SQUARE), user=world.office
    )
    second = services.map_layer_upload(
        region=world.district, name="新版", approval="沪S(2025)002号", data=_bytes(SQUARE), user=world.office
    )

    first.refresh_from_db()
    assert (first.is_active, second.is_active, second.features) == (False, True, 1)
    assert second.history.first().history_user == world.office


def test_upload_needs_an_approval_and_an_office_of_the_district(world) -> None:
    with pytest.raises(ValidationError, match="审图号"):
        services.map_layer_upload(
            region=world.district, name="x", approval=" ", data=_bytes(SQUARE), user=world.office
        )
    for user in (world.liaison, world.leader, world.operator, world.other_office):
        with pytest.raises(PermissionDenied):
            services.map_layer_upload(
                region=world.district, name="x", approval="许可", data=_bytes(SQUARE), user=user
            )
    assert not MapLayer.objects.exists()


def test_page_uploads_for_the_office_and_refuses_others(world, client) -> None:
    url = reverse("parks:map_layers")
    upload = {
        "name": "青浦区界",
        "approval": "沪S(2024)001号",
        "file": SimpleUploadedFile("q.geojson", _bytes(SQUARE)),
    }
    client.force_login(world.liaison)
    assert client.get(url).status_code == 200
    assert client.post(url, upload).status_code == 403

    client.force_login(world.office)
    response = client.post(url, {**upload, "file": SimpleUploadedFile("q.geojson", _bytes(SQUARE))})

    assert response.status_code == 302
    layer = MapLayer.objects.get()
    assert (layer.region, layer.name, layer.is_active) == (world.district, "青浦区界", True)
    bad = client.post(url, {**upload, "file": SimpleUploadedFile("q.geojson", b"{")})
    assert bad.status_code == 200 and "不是有效的 GeoJSON" in bad.content.decode()
    client.force_login(world.other_office)
    assert client.post(reverse("parks:map_layer_withdraw", args=[layer.pk])).status_code == 404
    client.force_login(world.office)
    assert client.post(reverse("parks:map_layer_withdraw", args=[layer.pk])).status_code == 302
    assert MapLayer.objects.get().is_active is False


def test_battle_map_is_marked_schematic_without_a_layer_and_a_map_with_one(world, client) -> None:
    from bioplan.projects.services import project_create

    common = {"investor_name": "X", "district": world.district, "park": world.park_a, "project_type": "new"}
    project_create(
        name="有坐标项目",
        total_investment=Decimal(5),
        latitude=Decimal("31.15"),
        longitude=Decimal("121.10"),
        user=world.office,
        **common,
    )
    project_create(name="无坐标项目", total_investment=Decimal(3), user=world.office, **common)
    world.registry_a.latitude, world.registry_a.longitude = Decimal("31.12"), Decimal("121.05")
    world.registry_a.save()
    client.force_login(world.office)

    schematic = client.get(reverse("projects:map")).content.decode()
    assert "示意图，非地图" in schematic and "battle-map-layer" not in schematic

    services.map_layer_upload(
        region=world.district,
        name="青浦区界",
        approval="沪S(2024)001号",
        data=_bytes(SQUARE),
        user=world.office,
    )
    response = client.get(reverse("projects:map"))
    option = response.context["map_option"]

    assert (
        option["bpMap"]["geojson"] == "battle-map-layer" and option["geo"]["map"] == option["bpMap"]["name"]
    )
    assert option["series"][0]["data"] == [{"name": world.registry_a.name, "value": [121.05, 31.12]}]
    assert [p["value"][:2] for p in option["series"][1]["data"]] == [[121.1, 31.15]]
    assert response.context["placed"] == {"parks": 1, "projects": 1}
    assert "示意图，非地图" not in response.content.decode() and "沪S(2024)001号" in response.content.decode()
