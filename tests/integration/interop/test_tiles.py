"""Vector tiles: decoded with mapbox-vector-tile, checked against positions worked out here."""

from __future__ import annotations

import math
from collections import defaultdict

import mapbox_vector_tile
import pytest

EXTENT = 4096


def _tile_position(lon, lat, z):
    """Where (lon, lat) falls in the slippy-map grid at zoom z: tile numbers as fractions."""
    n = 2 ** z
    return (lon + 180) / 360 * n, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n


def _decode(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.get_data(),
                                     default_options={"y_coord_down": True})


def test_detail_tile_holds_the_features(client, ids):
    fx, fy = _tile_position(-2.1, 53.71, 14)  # Lunch Club
    x, y = int(fx), int(fy)
    layers = _decode(client.get(f"/tiles/assets/14/{x}/{y}.mvt"))
    features = {f["properties"]["name"]: f for f in layers["assets"]["features"]}
    # The tile spans lon -2.1094..-2.0874: Allotment Society (-2.08) is in the next one east.
    assert sorted(features) == ["Fielden Centre", "Lunch Club"]
    lunch = features["Lunch Club"]
    assert lunch["id"] == ids["assets"]["Lunch Club"]
    assert lunch["properties"] == {"name": "Lunch Club", "kind": "group",
                                   "category": "older_people"}
    px, py = lunch["geometry"]["coordinates"]
    assert abs(px - (fx - x) * EXTENT) <= 1 and abs(py - (fy - y) * EXTENT) <= 1
    assert features["Fielden Centre"]["geometry"]["type"] == "Polygon"


def _cells(points, z, x, y, grid=32):
    """Group points into the tile's grid by hand: {cell: [(u, v), ...]} in cell units."""
    cells = defaultdict(list)
    for lon, lat in points:
        fx, fy = _tile_position(lon, lat, z)
        u, v = (fx - x) * grid, (fy - y) * grid
        cells[(int(u), int(v))].append((u, v))
    return cells


def test_low_zoom_tile_counts_assets_on_a_grid(client):
    # Public assets: Lunch Club, Allotment Society and a point on Fielden Centre's surface
    # (inside -2.0990..-2.0980, 53.7140..53.7146: its centre is used here; it lands in the
    # same cell either way, 1/32 of a zoom-10 tile being 0.011 degrees wide).
    points = [(-2.1, 53.71), (-2.08, 53.705), (-2.0985, 53.7143)]
    fx, fy = _tile_position(-2.1, 53.71, 10)
    x, y = int(fx), int(fy)
    expected = _cells(points, 10, x, y)
    layers = _decode(client.get(f"/tiles/assets/10/{x}/{y}.mvt"))
    features = layers["assets"]["features"]
    assert sorted(f["properties"]["count"] for f in features) == sorted(
        len(members) for members in expected.values())
    assert sum(f["properties"]["count"] for f in features) == 3
    for feature in features:
        assert set(feature["properties"]) == {"count"}  # no names at low zoom
        px, py = feature["geometry"]["coordinates"]
        cell = (int(px / 128), int(py / 128))  # 4096 / 32 tile units per cell
        members = expected[cell]
        mean_u = sum(u for u, _ in members) / len(members)
        mean_v = sum(v for _, v in members) / len(members)
        # Within a unit of the members' mean (the polygon's surface point may sit up to
        # 0.0005 degrees from its centre: 0.2 units here).
        assert abs(px - mean_u * 128) <= 1.5 and abs(py - mean_v * 128) <= 1.5


def test_links_and_areas_tiles(client, ids):
    fx, fy = _tile_position(-2.1, 53.71, 14)
    links = _decode(client.get(f"/tiles/links/14/{int(fx)}/{int(fy)}.mvt"))["links"]
    by_id = {f["id"]: f for f in links["features"]}
    meets = ids["links"][(ids["assets"]["Lunch Club"], ids["assets"]["Fielden Centre"])]
    assert by_id[meets]["properties"]["type"] == "meets_at"
    assert by_id[meets]["geometry"]["type"] == "LineString"
    areas = _decode(client.get(f"/tiles/areas/12/{int(fx / 4)}/{int(fy / 4)}.mvt"))["areas"]
    assert sorted(f["properties"]["name"] for f in areas["features"]) == ["Central", "Eastwood"]
    services = _decode(client.get(f"/tiles/services/14/{int(fx)}/{int(fy)}.mvt"))["services"]
    assert [f["properties"]["name"] for f in services["features"]] == ["Health Centre"]


def test_cache_headers_and_conditional_requests(client):
    fx, fy = _tile_position(-2.1, 53.71, 14)
    url = f"/tiles/assets/14/{int(fx)}/{int(fy)}.mvt"
    first = client.get(url)
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in first.headers["Vary"]
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


def test_empty_tile_is_no_content(client):
    # Zoom 14 over the middle of the Atlantic.
    response = client.get("/tiles/assets/14/5000/5000.mvt")
    assert response.status_code == 204 and response.get_data() == b""


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/tiles/parks/1/0/0.mvt", 404, "unknown layer 'parks'"),
    ("/tiles/assets/23/0/0.mvt", 400, "z must be a whole number from 0 to 22"),
    ("/tiles/assets/2/4/0.mvt", 400, "x must be a whole number from 0 to 3"),
    ("/tiles/assets/2/0/-1.mvt", 400, "y must be a whole number from 0 to 3"),
    ("/tiles/assets/two/0/0.mvt", 400, "got 'two'"),
])
def test_bad_tile_requests(client, url, status, words):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert words in response.json["error"]


def _counting_tile_calls(monkeypatch):
    from assetmap.web import tiles as web_tiles

    calls = []
    real = web_tiles.tile

    def counted(*args):
        calls.append(args[1:])
        return real(*args)

    monkeypatch.setattr(web_tiles, "tile", counted)
    return calls


def test_low_zoom_tiles_are_kept_a_while_per_viewer(app, monkeypatch, ids):
    calls = _counting_tile_calls(monkeypatch)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/tiles/assets/10/506/330.mvt").status_code in (200, 204)
    assert len(calls) == 1  # the second came from the cache
    # A planner sees more, so never gets the anonymous tile from the cache.
    client.get("/tiles/assets/10/506/330.mvt",
               headers={"Authorization": f"Bearer {ids['tokens']['planner']}"})
    assert len(calls) == 2 and calls[1][1].role == "planner"
    # Anonymous detail tiles are the same for every visitor, so they are kept too...
    for _ in range(2):
        client.get("/tiles/assets/14/8096/5282.mvt")
    assert len(calls) == 3
    # ...but a signed-in viewer's detail tiles are always fresh.
    for _ in range(2):
        client.get("/tiles/assets/14/8096/5282.mvt",
                   headers={"Authorization": f"Bearer {ids['tokens']['planner']}"})
    assert len(calls) == 5 and calls[4][1].role == "planner"


def test_tile_cache_can_be_turned_off(app, monkeypatch):
    app.config["TILE_CACHE_SECONDS"] = 0
    calls = _counting_tile_calls(monkeypatch)
    client = app.test_client()
    for _ in range(2):
        response = client.get("/tiles/assets/10/506/330.mvt")
    assert len(calls) == 2
    assert response.headers["Cache-Control"] == "public, max-age=0"


def test_tilejson_describes_the_layer(client):
    document = client.get("/tiles/assets.json").json
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://localhost/tiles/assets/{z}/{x}/{y}.mvt"]
    [layer] = document["vector_layers"]
    assert layer["id"] == "assets"
    assert layer["fields"] == {"name": "String", "kind": "String", "category": "String",
                               "count": "Number"}
    assert client.get("/tiles/links.json").json["vector_layers"][0]["fields"] == {
        "type": "String", "from_id": "Number", "to_id": "Number", "weight": "Number"}
    assert client.get("/tiles/parks.json").status_code == 404
