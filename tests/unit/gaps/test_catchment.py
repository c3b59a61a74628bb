"""2SFCA and enhanced 2SFCA: worked by hand on 3 supply points and 4 areas, and checked
against PySAL `access` on a realistic input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from assetmap.errors import InvalidInput
from assetmap.gaps import analyse_gaps
from assetmap.gaps.catchment import (
    check_bands,
    default_bands,
    floating_catchment,
    step_weights,
)
from assetmap.gaps.synthetic import synthetic_town
from assetmap.taxonomy import ASSET_CATEGORIES

from . import local

# The hand case, on a straight line (y = 0), threshold 1,000 m.
#   areas (demand):  A at x=0 (1,000 people), B at 600 (2,000), C at 1,500 (500), D at 3,000 (400)
#   assets (supply): S1 at x=300, S2 at 1,200, S3 at 2,200, one unit each
# Pairs within 1,000 m:  S1-A 300, S1-B 300, S2-B 600, S2-C 300, S3-C 700, S3-D 800
# (S1-C 1,200, S2-A 1,200, S2-D 1,800, S3-B 1,600 are out of reach).
DEMAND_XY = np.array([[0.0, 0.0], [600.0, 0.0], [1500.0, 0.0], [3000.0, 0.0]])
POPULATION = np.array([1000.0, 2000.0, 500.0, 400.0])
SUPPLY_XY = np.array([[300.0, 0.0], [1200.0, 0.0], [2200.0, 0.0]])
THRESHOLD = 1000.0

# 2SFCA (every pair in reach weighs 1):
#   step 1: D1 = 1000 + 2000 = 3000, D2 = 2000 + 500 = 2500, D3 = 500 + 400 = 900
#   step 2: R1 = 1/3000, R2 = 1/2500, R3 = 1/900
#   step 3: A = R1; B = R1 + R2; C = R2 + R3; D = R3
HAND_2SFCA = [1 / 3000, 1 / 3000 + 1 / 2500, 1 / 2500 + 1 / 900, 1 / 900]

# E2SFCA, bands at thirds of 1,000 m: <= 333.3 m weighs 1, <= 666.7 m 0.68, <= 1,000 m 0.22.
#   weights: S1-A 1, S1-B 1, S2-B 0.68, S2-C 1, S3-C 0.22, S3-D 0.22
#   step 1: D1 = 1000 + 2000 = 3000; D2 = 0.68*2000 + 500 = 1860; D3 = 0.22*500 + 0.22*400 = 198
#   step 3: A = 1/3000; B = 1/3000 + 0.68/1860; C = 1/1860 + 0.22/198; D = 0.22/198 (= 1/900)
HAND_E2SFCA = [1 / 3000, 1 / 3000 + 0.68 / 1860, 1 / 1860 + 0.22 / 198, 0.22 / 198]


def test_2sfca_by_hand():
    got = floating_catchment(DEMAND_XY, POPULATION, SUPPLY_XY, np.ones(3), THRESHOLD)
    np.testing.assert_allclose(got, HAND_2SFCA, rtol=1e-12)


def test_e2sfca_by_hand():
    got = floating_catchment(
        DEMAND_XY, POPULATION, SUPPLY_XY, np.ones(3), THRESHOLD, bands=default_bands(THRESHOLD)
    )
    np.testing.assert_allclose(got, HAND_E2SFCA, rtol=1e-12)


def test_supply_columns_are_independent():
    # Column 2 holds only S3 (with 2 units): access is 2*R3 for C and D, 0 for A and B.
    supply = np.column_stack([np.ones(3), [0.0, 0.0, 2.0]])
    got = floating_catchment(DEMAND_XY, POPULATION, SUPPLY_XY, supply, THRESHOLD)
    np.testing.assert_allclose(got[:, 0], HAND_2SFCA, rtol=1e-12)
    np.testing.assert_allclose(got[:, 1], [0, 0, 2 / 900, 2 / 900], rtol=1e-12)


def test_area_out_of_reach_gets_zero_and_supply_without_demand_adds_nothing():
    # A fifth area 10 km away reaches nothing; a supply point there with nobody around
    # would have D = 0: it must not turn into inf or NaN anywhere.
    demand = np.vstack([DEMAND_XY, [[10_000.0, 0.0]]])
    population = np.append(POPULATION, 0.0)
    supply = np.vstack([SUPPLY_XY, [[10_000.0, 500.0]]])
    got = floating_catchment(demand, population, supply, np.ones(4), THRESHOLD)
    np.testing.assert_allclose(got, [*HAND_2SFCA, 0.0], rtol=1e-12)


def test_hand_case_through_analyse_gaps():
    # The same layout as real layers: 200 m squares centred on the demand points.
    areas = local.areas(
        [
            (name, pop, 1.0, local.square(x - 100, y - 100, 200))
            for name, pop, (x, y) in zip("ABCD", POPULATION, DEMAND_XY, strict=True)
        ]
    )
    assets = local.assets([(i + 1, "food", x, y) for i, (x, y) in enumerate(SUPPLY_XY)])
    for method, hand in (("2sfca", HAND_2SFCA), ("e2sfca", HAND_E2SFCA)):
        result = analyse_gaps(areas, None, assets, method=method, threshold_m=THRESHOLD)
        np.testing.assert_allclose(result.areas["access"], hand, rtol=1e-9)
        # Only food assets exist, so access to food equals access to all assets.
        np.testing.assert_allclose(result.areas["access_food"], hand, rtol=1e-9)
        assert (result.areas["access_faith"] == 0).all()


def test_step_weights_follow_access_step_fn_rule():
    # access.weights.step_fn: the first edge with distance <= edge; 0 beyond the last edge.
    from access import weights

    bands = [(10.0, 1.0), (20.0, 0.68), (30.0, 0.22)]
    fn = weights.step_fn(dict(bands))
    dist = np.array([0, 5, 10, 10.0001, 20, 29.9, 30, 30.0001, 100])
    np.testing.assert_array_equal(step_weights(dist, bands), [fn(d) for d in dist])


def test_bands_are_checked():
    with pytest.raises(InvalidInput, match="greater than zero"):
        check_bands([(0, 1.0)])
    with pytest.raises(InvalidInput, match="zero or more"):
        check_bands([(100, -1.0)])
    with pytest.raises(InvalidInput):
        check_bands([("near", 1.0)])
    with pytest.raises(InvalidInput, match="only to method 'e2sfca'"):
        areas, services, assets = synthetic_town(5, 20, 5, seed=1)
        analyse_gaps(areas, services, assets, bands=[(500, 1.0)])


def _access_package(areas_m, assets_m, threshold, method, categories):
    """The same inputs through PySAL access: area centroids and population as demand, each
    asset as one unit of supply (plus one column per category), Euclidean costs from access'
    own `create_euclidean_distance`."""
    from access import Access, weights

    demand = areas_m[["population"]].copy()
    demand = demand.set_geometry(areas_m.geometry.centroid)
    demand.index.name = "geoid"
    supply = assets_m[["geometry"]].copy()
    supply["all"] = 1.0
    for cat in categories:
        supply[cat] = (assets_m["category"] == cat).astype(float)
    supply.index.name = "geoid"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        acc = Access(
            demand_df=demand,
            demand_value="population",
            supply_df=supply,
            supply_value=["all", *categories],
        )
        acc.create_euclidean_distance(threshold=threshold)
        if method == "2sfca":
            out = acc.two_stage_fca(name="fca", max_cost=threshold)
        else:
            fn = weights.step_fn(dict(default_bands(threshold)))
            out = acc.enhanced_two_stage_fca(name="fca", max_cost=threshold, weight_fn=fn)
    # access leaves NaN where nothing is in reach; we report 0 there.
    return out.reindex(areas_m.index).fillna(0.0)


@pytest.mark.parametrize("method", ["2sfca", "e2sfca"])
def test_equals_pysal_access_on_a_realistic_town(method):
    # 300 irregular areas and 500 clustered assets: a few hundred demand and supply points,
    # with some areas out of reach of every asset and some assets shared by many areas.
    areas, services, assets = synthetic_town(300, 500, 40, seed=11, area_km2=1.0)
    threshold = 1000.0
    result = analyse_gaps(areas, services, assets, method=method, threshold_m=threshold)
    crs = result.parameters["crs"]
    categories = [c for c in ASSET_CATEGORIES if (assets["category"] == c).any()][:3]
    theirs = _access_package(areas.to_crs(crs), assets.to_crs(crs), threshold, method, categories)
    ours = result.areas
    assert (ours["access"] > 0).sum() > 100  # a real test: most areas reach something
    assert (ours["access"] == 0).sum() > 0  # ... and some reach nothing
    np.testing.assert_allclose(ours["access"], theirs["fca_all"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours["access"], theirs["fca_all"], rtol=1e-9)
    for cat in categories:
        np.testing.assert_allclose(ours[f"access_{cat}"], theirs[f"fca_{cat}"], rtol=1e-9)
