"""Checks on a map file (GeoJSON) the office uploads for 挂图作战; plain Python, no Django.

A layer must be a FeatureCollection (or one Feature) of Polygon, MultiPolygon, Point, LineString or
their Multi- forms, with coordinates as degrees (longitude within ±180, latitude within ±90), so
that ECharts can draw it offline with ``registerMap``. Each problem is reported in Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
MAX_FEATURES = 5000


class MapFileInvalid(ValueError):
    """The file is not a usable GeoJSON map; the message says why, in Chinese."""


def _positions(coordinates: Any) -> Iterator[list[Any]]:
    if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], int | float):
        yield coordinates
    elif isinstance(coordinates, list):
        for part in coordinates:
            yield from _positions(part)
    else:
        raise MapFileInvalid("坐标格式不正确：应为经纬度数组。")


def parse_map_file(data: bytes) -> tuple[dict[str, Any], int]:
    """The GeoJSON as a FeatureCollection and its number of features; MapFileInvalid otherwise."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MapFileInvalid(f"不是有效的 GeoJSON 文件（UTF-8 编码的 JSON）：{exc}") from exc
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise MapFileInvalid("GeoJSON 的最外层应为 FeatureCollection。")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise MapFileInvalid("地图文件中没有任何要素（features 为空）。")
    if len(features) > MAX_FEATURES:
        raise MapFileInvalid(f"要素过多（{len(features)} 个，上限 {MAX_FEATURES} 个）。")
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
            raise MapFileInvalid(f"第 {number} 个要素没有可用的几何图形（应为面、线或点）。")
        for position in _positions(geometry.get("coordinates")):
            longitude, latitude = position[0], position[1]
            if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
                raise MapFileInvalid(
                    f"第 {number} 个要素的坐标 [{longitude}, {latitude}] 不是经纬度（经度 ±180，纬度 ±90）。"
                )
    return document, len(features)
