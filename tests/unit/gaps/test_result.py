"""GapResult leaves as RFC 7946 GeoJSON and as CSV."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
import shapely

from assetmap.errors import InvalidInput
from assetmap.gaps import analyse_gaps
from assetmap.gaps.synthetic import synthetic_town


@pytest.fixture(scope="module")
def result():
    areas, services, assets = synthetic_town(40, 300, 30, seed=3)
    areas.loc[0, "need_index"] = np.nan  # a missing value must come out as null
    # A hole in one area: RFC 7946 wants holes clockwise, outer rings counter-clockwise.
    shape = areas.geometry.iloc[1]
    areas.loc[1, "geometry"] = shape.difference(shapely.buffer(shape.representative_point(), 5e-4))
    return analyse_gaps(areas, services, assets, overlay_m=100)


def _signed_area(ring):
    xs, ys = np.array(ring).T
    return 0.5 * np.sum(xs[:-1] * ys[1:] - xs[1:] * ys[:-1])


def test_geojson_is_rfc7946(result):
    doc = result.to_geojson()
    text = json.dumps(doc, allow_nan=False)  # no NaN or Infinity anywhere
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert len(doc["features"]) == len(result.areas)
    holes = 0
    for feature in doc["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for rings in polygons:
            assert _signed_area(rings[0]) > 0  # exterior counter-clockwise
            for hole in rings[1:]:
                assert _signed_area(hole) < 0
                holes += 1
            lon, lat = rings[0][0]
            assert -3 < lon < -1.5 and 53 < lat < 54  # longitude first: Manchester
    assert holes == 1
    props = doc["features"][0]["properties"]
    assert props["need_index"] is None
    assert props["name"] == result.areas["name"].iloc[0]
    assert props["access"] == pytest.approx(result.areas["access"].iloc[0], rel=1e-15)
    assert isinstance(props["low_access_cluster"], bool)
    assert "priority" in props and "contrib_access" in props
    assert len(text) > 1000


def test_services_layer_geojson(result):
    doc = result.to_geojson("services_without_assets")
    assert len(doc["features"]) == len(result.services_without_assets) > 0
    assert doc["features"][0]["geometry"]["type"] == "Point"


def test_csv_round_trip(result):
    table = pd.read_csv(io.StringIO(result.to_csv()))
    assert list(table["name"]) == list(result.areas["name"])
    assert "geometry" not in table.columns
    np.testing.assert_allclose(table["access"], result.areas["access"], rtol=1e-9)
    np.testing.assert_allclose(table["priority"], result.areas["priority"], rtol=1e-9)
    assert table["need_index"].isna().iloc[0]
    services = pd.read_csv(io.StringIO(result.to_csv("services_without_assets")))
    assert {"lon", "lat", "service_name", "category"} <= set(services.columns)
    with pytest.raises(InvalidInput, match="unknown layer"):
        result.to_csv("people")
