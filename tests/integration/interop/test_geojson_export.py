"""GeoJSON downloads: RFC 7946, filters, streaming, and read back by GDAL and pyogrio."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pyogrio
import pytest

from tests.integration.interop.conftest import FIELDEN_CLOCKWISE, PUBLIC


def _collection(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))


def _names(collection):
    return sorted(f["properties"]["name"] for f in collection["features"])


def _signed_area(ring):
    # Shoelace formula: positive when the ring runs counter-clockwise (x east, y north).
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def test_assets_follow_rfc_7946(client):
    response = client.get("/export/assets.geojson")
    assert response.is_streamed
    assert response.content_type == "application/geo+json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="assetmap-assets-{date.today().isoformat()}.geojson"')
    collection = json.loads(response.get_data(as_text=True))
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert _names(collection) == sorted(PUBLIC)
    by_name = {f["properties"]["name"]: f for f in collection["features"]}
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and "crs" not in feature
        assert isinstance(feature["id"], int) and feature["properties"]["id"] == feature["id"]
    # Longitude first: Lunch Club was stored at lon -2.1, lat 53.71.
    assert by_name["Lunch Club"]["geometry"] == {"type": "Point", "coordinates": [-2.1, 53.71]}
    # Fielden Centre was stored clockwise; RFC 7946 wants the exterior ring counter-clockwise.
    assert _signed_area(FIELDEN_CLOCKWISE) < 0
    ring = by_name["Fielden Centre"]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert _signed_area(ring) > 0
    # Same four corners, only the order changed: 0.001 x 0.0006 degrees.
    assert sorted(map(tuple, ring[:-1])) == sorted(FIELDEN_CLOCKWISE[:-1])
    assert _signed_area(ring) == pytest.approx(0.001 * 0.0006)


@pytest.mark.parametrize(("query", "expected"), [
    ("category=older_people", ["Lunch Club"]),
    ("kind=venue", ["Fielden Centre"]),
    ("area=Central", ["Fielden Centre", "Lunch Club"]),
    # Members Choir is in Eastwood too, but not public.
    ("area=Eastwood", ["Allotment Society"]),
    # A box around Lunch Club (-2.1, 53.71) only; Fielden Centre starts at 53.714.
    ("bbox=-2.101,53.709,-2.097,53.711", ["Lunch Club"]),
    # Allotment Society was recorded in June 2025.
    ("date=2024-01-01", ["Fielden Centre", "Lunch Club"]),
    ("date=2025-06-02", sorted(PUBLIC)),
    ("kind=group&area=Central", ["Lunch Club"]),
])
def test_asset_filters(client, query, expected):
    assert _names(_collection(client, f"/export/assets.geojson?{query}")) == expected


def _link_pairs(collection, ids):
    names = {v: k for k, v in ids["assets"].items()}
    return sorted((names[f["properties"]["from_id"]], names[f["properties"]["to_id"]])
                  for f in collection["features"])


@pytest.mark.parametrize(("day", "expected"), [
    # Lunch Club meets at Fielden Centre since 2021-03-01; Allotment Society partnered Lunch
    # Club from 2022-05-01 to 2024-01-31.
    ("2024-01-01", [("Allotment Society", "Lunch Club"), ("Lunch Club", "Fielden Centre")]),
    ("2024-01-31", [("Allotment Society", "Lunch Club"), ("Lunch Club", "Fielden Centre")]),
    ("2024-02-01", [("Lunch Club", "Fielden Centre")]),
    ("2021-02-28", []),
])
def test_links_active_on_a_date(client, ids, day, expected):
    collection = _collection(client, f"/export/links.geojson?date={day}")
    assert _link_pairs(collection, ids) == expected


def test_links_are_lines_between_their_assets(client, ids):
    collection = _collection(client, "/export/links.geojson?type=meets_at")
    [line] = collection["features"]
    assert line["geometry"]["type"] == "LineString"
    start, end = line["geometry"]["coordinates"]
    assert start == [-2.1, 53.71]  # Lunch Club
    # A point on Fielden Centre's surface: inside its box.
    assert -2.0990 <= end[0] <= -2.0980 and 53.7140 <= end[1] <= 53.7146
    assert line["properties"]["type"] == "meets_at" and line["properties"]["directed"] is True
    assert line["properties"]["started"] == "2021-03-01"


def test_services_and_areas(client):
    services = _collection(client, "/export/services.geojson?category=library")
    assert _names(services) == ["Town Library"]
    assert services["features"][0]["properties"]["service_type"] == "library"
    areas = _collection(client, "/export/areas.geojson")
    assert _names(areas) == ["Central", "Eastwood"]
    central = next(f for f in areas["features"] if f["properties"]["name"] == "Central")
    assert central["geometry"]["type"] == "MultiPolygon"
    assert central["properties"]["population"] == 2400
    assert _signed_area(central["geometry"]["coordinates"][0][0]) > 0


def test_read_back_by_gdal_and_pyogrio(client, tmp_path):
    path = tmp_path / "assets.geojson"
    path.write_bytes(client.get("/export/assets.geojson").get_data())
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True,
                          text=True, check=True).stdout
    assert "Feature Count: 3" in info
    assert "name: String" in info and "created_at: DateTime" in info
    frame = pyogrio.read_dataframe(path)
    assert sorted(frame["name"]) == sorted(PUBLIC)
    assert frame.crs.to_epsg() == 4326
    lunch = frame[frame["name"] == "Lunch Club"].geometry.iloc[0]
    assert (lunch.x, lunch.y) == (-2.1, 53.71)


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/export/parks.geojson", 404, "unknown layer 'parks'"),
    ("/export/assets.shp", 404, "unknown format 'shp'"),
    ("/export/assets.geojson?area=Nowhere", 400, "unknown area 'Nowhere'"),
    ("/export/assets.geojson?bbox=1,2,3", 400, "bbox must be four numbers"),
    ("/export/assets.geojson?bbox=-2,54,-1,53", 400, "south edge"),
    ("/export/assets.geojson?bbox=-200,53,-1,54", 400, "longitudes"),
    ("/export/assets.geojson?date=yesterday", 400, "date must be a date"),
    ("/export/assets.geojson?category=knitting", 400, "unknown category 'knitting'"),
    ("/export/assets.geojson?colour=red", 400, "unknown parameter 'colour'"),
    ("/export/areas.geojson?kind=group", 400, "unknown parameter 'kind'"),
    ("/export/links.geojson?directed=maybe", 400, "directed must be true or false"),
])
def test_bad_requests_are_clear(client, url, status, words):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert words in response.json["error"]


def test_rows_come_in_batches(town):
    # The export reads rows a batch at a time; with batches of 2 the three public assets
    # arrive as 2 + 1.
    from assetmap.store.db import make_engine, make_sessionmaker
    from assetmap.store.layers import Filters, feature_select, source, stream
    from assetmap.store.visibility import ANONYMOUS

    engine = make_engine(town[0])
    with make_sessionmaker(engine)() as session:
        query = feature_select(session, source("assets", ANONYMOUS), Filters())
        assert [len(batch) for batch in stream(session, query, batch=2)] == [2, 1]
        # Leaving early cancels the rest; the connection stays usable.
        next(stream(session, query, batch=1))
        assert len(list(stream(session, query))) == 1
    engine.dispose()
