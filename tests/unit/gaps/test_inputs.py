"""Bad input: a clear InvalidInput naming the row and field, and nothing computed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from assetmap.errors import InvalidInput
from assetmap.gaps import analyse_gaps

from . import local


def _layers():
    areas = local.areas(
        [
            ("Ashfield", 1200, 12.5, local.square(0, 0, 1000)),
            ("Brook", 900, np.nan, local.square(1000, 0, 1000)),
            ("Cross", 1500, 30.0, local.square(0, 1000, 1000)),
        ]
    )
    services = local.services([("Surgery", "health", 500, 500), ("Library", "library", 1500, 500)])
    assets = local.assets([(1, "food", 200, 300), (2, "faith", 1500, 1500), (3, "food", 900, 100)])
    return areas, services, assets


def _raises(match, **changes):
    areas, services, assets = _layers()
    args = {"areas": areas, "services": services, "assets": assets}
    kwargs = changes.pop("kwargs", {})
    args.update(changes)
    with pytest.raises(InvalidInput, match=match) as info:
        analyse_gaps(args["areas"], args["services"], args["assets"], **kwargs)
    return info.value


def test_area_without_population_is_named():
    areas, _, _ = _layers()
    areas.loc[1, "population"] = np.nan
    err = _raises(r"areas row 1 \('Brook'\) has no population", areas=areas)
    assert (err.field, err.row) == ("population", 1)


def test_negative_or_non_numeric_population():
    areas, _, _ = _layers()
    areas.loc[2, "population"] = -5
    assert _raises("negative population", areas=areas).row == 2
    areas, _, _ = _layers()
    areas["population"] = areas["population"].astype(object)
    areas.loc[0, "population"] = "lots"
    err = _raises(r"'Ashfield'\): population 'lots' is not a number", areas=areas)
    assert (err.field, err.row) == ("population", 0)


def test_missing_population_column():
    areas, _, _ = _layers()
    err = _raises(
        "the areas layer has no population column", areas=areas.drop(columns="population")
    )
    assert err.field == "population"


def test_service_of_unknown_type_is_named():
    _, services, _ = _layers()
    services.loc[1, "service_type"] = "gp_surgery"
    err = _raises(
        r"services row 1 \('Library'\): unknown service_type 'gp_surgery'", services=services
    )
    assert (err.field, err.row) == ("service_type", 1)


def test_asset_of_unknown_category_is_named():
    _, _, assets = _layers()
    assets.loc[2, "category"] = "choir"
    err = _raises(r"assets row 2 \('Asset 3'\): unknown category 'choir'", assets=assets)
    assert (err.field, err.row) == ("category", 2)


@pytest.mark.parametrize("layer", ["areas", "services", "assets"])
def test_empty_layers(layer):
    layers = dict(zip(("areas", "services", "assets"), _layers(), strict=True))
    empty = layers[layer].iloc[0:0]
    _raises(f"the {layer} layer is empty", **{layer: empty})


def test_area_far_from_the_assets_is_named():
    areas, _, _ = _layers()
    far = local.areas([("Elsewhere", 100, 1.0, local.square(40_000, 0, 1000))])
    both = gpd.GeoDataFrame(gpd.pd.concat([areas, far], ignore_index=True), crs=areas.crs)
    err = _raises(r"1 area\(s\) do not overlap the assets' extent .*'Elsewhere'", areas=both)
    assert (err.field, err.row) == ("geometry", 3)


def test_swapped_coordinates_do_not_overlap():
    areas, _, _ = _layers()
    swapped = areas.set_geometry(
        shapely.transform(areas.geometry.values, lambda c: c[:, ::-1]), crs=areas.crs
    )
    _raises("do not overlap the assets' extent", areas=swapped)


@pytest.mark.parametrize("walk", [0, -5, float("nan"), "far"])
def test_walk_distance_must_be_positive(walk):
    err = _raises("walk_m must be", kwargs={"walk_m": walk})
    assert err.field == "walk_m"


def test_other_settings_are_checked():
    assert _raises("threshold_m must be", kwargs={"threshold_m": -1}).field == "threshold_m"
    assert _raises("method must be one of", kwargs={"method": "3sfca"}).field == "method"
    assert _raises("seed must be an integer", kwargs={"seed": 1.5}).field == "seed"


def test_duplicate_names_and_ids():
    areas, _, assets = _layers()
    areas.loc[2, "name"] = "Ashfield"
    assert _raises("'Ashfield' appears more than once", areas=areas).row == 2
    assets.loc[1, "id"] = 1
    assert _raises("id 1 appears more than once", assets=assets).field == "id"


def test_wrong_geometry_types_and_missing_crs():
    areas, services, assets = _layers()
    pointy = areas.set_geometry(shapely.centroid(areas.geometry.values))
    assert _raises("areas must be polygons", areas=pointy).field == "geometry"
    polygon_services = services.set_geometry(shapely.buffer(services.geometry.values, 0.001))
    _raises("services must be points", services=polygon_services)
    _raises("has no CRS", assets=assets.set_crs(None, allow_override=True))
    assets.loc[0, "geometry"] = None
    assert _raises(r"assets row 0 \('Asset 1'\) has no geometry", assets=assets).row == 0


def test_inputs_are_left_untouched():
    areas, services, assets = _layers()
    before = [frame.copy() for frame in (areas, services, assets)]
    analyse_gaps(areas, services, assets)
    services.loc[0, "service_type"] = "unknown"
    with pytest.raises(InvalidInput):
        analyse_gaps(areas, services, assets)
    services.loc[0, "service_type"] = "health"
    for frame, copy in zip((areas, services, assets), before, strict=True):
        assert frame.equals(copy)


@pytest.mark.parametrize("lon, lat", [(-2.097, 53.714), (151.2, -33.9), (-74.0, 40.7),
                                      (2.35, 48.86), (-179.5, -10.0)])
def test_metric_crs_is_the_zone_estimate_utm_crs_finds(lon, lat):
    import geopandas as gpd
    import shapely

    from assetmap.gaps.inputs import metric_crs

    box = gpd.GeoDataFrame(geometry=[shapely.box(lon - 0.1, lat - 0.1, lon + 0.1, lat + 0.1)],
                           crs=4326)
    assert metric_crs(box) == box.estimate_utm_crs()
