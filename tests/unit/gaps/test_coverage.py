"""Per-area measures worked by hand: counts per 1,000, nearest distances, walk shares."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from assetmap.gaps import analyse_gaps

from . import local

# A walk buffer is a 64-gon (16 segments a quarter circle) inscribed in the circle; its area is
# (n/2) r^2 sin(2 pi / n) with n = 64, 0.16% below pi r^2.
R = 800.0
POLYGON_64 = 32 * R**2 * math.sin(2 * math.pi / 64)  # 2,007,390.6 m^2 (circle: 2,010,619.3)


def _two_areas():
    # West: a 4 km square at (0, 0), 8,000 people. East: a 2 km x 4 km strip at (4000, 0),
    # 0 people (a park). They share the edge x = 4,000.
    return local.areas(
        [
            ("West", 8000, 30.0, local.square(0, 0, 4000)),
            ("East", 0, 10.0, shapely.box(4000, 0, 6000, 4000)),
        ]
    )


def test_counts_per_thousand_residents():
    assets = local.assets(
        [
            (1, "food", 1000, 1000),
            (2, "food", 3000, 3000),
            (3, "faith", 2000, 500),
            (4, "faith", 5000, 2000),  # in East, where nobody lives
            (5, "learning", 4000, 3000),  # on the shared edge: counted once, in the first area
        ]
    )
    out = analyse_gaps(_two_areas(), None, assets).areas.set_index("name")
    # West: 4 assets (2 food, 1 faith, the edge one) for 8,000 people = 0.5 per 1,000.
    assert out.loc["West", "n_assets"] == 4
    assert out.loc["West", "assets_per_1000"] == pytest.approx(4 / 8)
    assert out.loc["West", "per_1000_food"] == pytest.approx(2 / 8)
    assert out.loc["West", "per_1000_faith"] == pytest.approx(1 / 8)
    assert out.loc["West", "per_1000_learning"] == pytest.approx(1 / 8)
    assert out.loc["West", "n_sport_leisure"] == 0
    assert out.loc["West", "per_1000_sport_leisure"] == 0
    # East: one asset, nobody to divide by: the rate is undefined, not infinite.
    assert out.loc["East", "n_assets"] == 1
    assert np.isnan(out.loc["East", "assets_per_1000"])
    assert out["n_assets"].sum() == 5


def test_walk_share_by_hand():
    assets = local.assets(
        [
            # Food: one at West's centre (its whole 64-gon inside West) and one at West's
            # corner (0, 0), 2,828 m away, so a quarter of its 64-gon (the 64-gon has vertices
            # on the axes) lies inside West and the two do not overlap.
            (1, "food", 2000, 2000),
            (2, "food", 0, 0),
            # Faith: one 300 m west of West, outside it; the circle's segment beyond the chord
            # 300 m from its centre falls inside: r^2 acos(d/r) - d sqrt(r^2 - d^2)
            # = 640,000 * acos(0.375) - 300 * sqrt(550,000) = 759,295.4 - 222,486.0 = 536,809.4
            (3, "faith", -300, 2000),
            # Learning: one in East only (an area with no asset near it at all would be
            # refused as lying outside the assets' extent).
            (4, "learning", 5000, 2000),
        ]
    )
    out = analyse_gaps(_two_areas(), None, assets, walk_m=R).areas.set_index("name")
    west = 4000.0 * 4000.0
    assert out.loc["West", "walk_share_food"] == pytest.approx(1.25 * POLYGON_64 / west, rel=1e-9)
    segment = R**2 * math.acos(300 / R) - 300 * math.sqrt(R**2 - 300**2)
    # The 64-gon's segment is within 0.5% of the true circle's.
    assert out.loc["West", "walk_share_faith"] == pytest.approx(segment / west, rel=5e-3)
    # The learning asset is 1,000 m from West's edge: beyond an 800 m walk.
    assert out.loc["West", "walk_share_learning"] == 0
    assert out.loc["East", "walk_share_learning"] == pytest.approx(POLYGON_64 / 8e6, rel=1e-9)
    # East's nearest food is at West's centre: 2 km from East's edge, beyond any walk.
    assert out.loc["East", "walk_share_food"] == 0


def test_walk_share_is_capped_at_whole_area():
    # A small area entirely within 800 m of one asset: share exactly 1.
    areas = local.areas([("Tiny", 100, 1.0, local.square(0, 0, 200))])
    assets = local.assets([(1, "food", 100, 100)])
    out = analyse_gaps(areas, None, assets).areas
    assert out.loc[0, "walk_share_food"] == 1.0


def test_nearest_service_and_asset_distances():
    # One area, a 1 km square centred on local (0, 0): its centroid is the origin.
    areas = local.areas([("Only", 1000, 1.0, local.square(-500, -500, 1000))])
    services = local.services(
        [
            ("Surgery", "health", 300, 400),  # 3-4-5: 500 m
            ("Far surgery", "health", 3000, 4000),  # 5,000 m: not the nearest
            ("Library", "library", -600, 800),  # 1,000 m
        ]
    )
    assets = local.assets([(1, "food", -30, -40), (2, "faith", 1200, 500)])  # 50 m; 1,300 m
    out = analyse_gaps(areas, services, assets).areas
    assert out.loc[0, "dist_service_health_m"] == pytest.approx(500, abs=1e-6)
    assert out.loc[0, "dist_service_library_m"] == pytest.approx(1000, abs=1e-6)
    assert np.isnan(out.loc[0, "dist_service_education_m"])  # no education service at all
    assert out.loc[0, "dist_asset_food_m"] == pytest.approx(50, abs=1e-6)
    assert out.loc[0, "dist_asset_faith_m"] == pytest.approx(1300, abs=1e-6)
    assert np.isnan(out.loc[0, "dist_asset_learning_m"])
    assert not out.loc[0, "point_is_weighted"]


def test_population_weighted_point_from_cells():
    # Square 0..1000. Cells: 300 people at (100, 100) and 100 people at (900, 100).
    # Weighted point: x = (300*100 + 100*900) / 400 = 300, y = 100.
    # A library at (300, 500) is then 400 m away (from the centroid (500, 500) it is 200 m).
    areas = local.areas([("Only", 400, 1.0, local.square(0, 0, 1000))])
    services = local.services([("Library", "library", 300, 500)])
    assets = local.assets([(1, "food", 500, 500)])
    cells = local.assets([(1, "food", 100, 100), (2, "food", 900, 100)])[["geometry"]]
    cells["population"] = [300, 100]
    out = analyse_gaps(areas, services, assets, cells=cells).areas
    assert out.loc[0, "point_is_weighted"]
    assert out.loc[0, "dist_service_library_m"] == pytest.approx(400, abs=1e-6)
    without = analyse_gaps(areas, services, assets).areas
    assert without.loc[0, "dist_service_library_m"] == pytest.approx(200, abs=1e-6)


def test_polygon_venues_are_placed_inside_themselves():
    # A U-shaped venue whose centroid falls in the notch, outside the building: the
    # representative point must be inside, so the venue counts in the area it stands in.
    areas = local.areas(
        [
            ("Left", 100, 1.0, local.square(0, 0, 1000)),
            ("Right", 100, 1.0, local.square(1000, 0, 1000)),
        ]
    )
    u_shape = shapely.Polygon(
        [
            (900, 100),
            (1900, 100),
            (1900, 900),
            (900, 900),
            (900, 800),
            (1800, 800),
            (1800, 200),
            (900, 200),
        ]
    )
    venue = gpd.GeoDataFrame(
        {"id": [1], "name": ["Hall"], "kind": ["venue"], "category": ["community_space"]},
        geometry=[shapely.transform(u_shape, lambda c: c + [local.X0, local.Y0])],
        crs=local.UTM,
    ).to_crs("EPSG:4326")
    out = analyse_gaps(areas, None, venue).areas.set_index("name")
    assert out["n_assets"].sum() == 1
    assert out.loc["Right", "n_community_space"] == 1  # most of the U stands in Right


def test_walk_shares_match_a_plain_union_on_a_town():
    # Reference: union every circle of a category at once (no tiling, no pruning) and
    # intersect it with each area. The tiled computation must give the same shares.
    from assetmap.gaps.synthetic import synthetic_town

    areas, _, assets = synthetic_town(80, 600, 5, seed=9)
    result = analyse_gaps(areas, None, assets, walk_m=600)
    crs = result.parameters["crs"]
    areas_m, assets_m = areas.to_crs(crs), assets.to_crs(crs)
    for cat in ("food", "faith", "learning"):
        pts = assets_m.geometry[assets_m["category"] == cat].values
        union = shapely.union_all(shapely.buffer(pts, 600, quad_segs=16))
        expected = shapely.area(shapely.intersection(areas_m.geometry.values, union))
        expected = expected / shapely.area(areas_m.geometry.values)
        np.testing.assert_allclose(result.areas[f"walk_share_{cat}"], expected, atol=1e-9)
        assert 0 < expected.mean() < 1
