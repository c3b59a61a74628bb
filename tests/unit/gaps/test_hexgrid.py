"""No areas given: an H3 grid over the assets."""

from __future__ import annotations

import h3
import numpy as np
import pytest
import shapely

from assetmap.errors import InvalidInput
from assetmap.gaps import analyse_gaps
from assetmap.gaps.hexgrid import choose_resolution
from assetmap.gaps.synthetic import synthetic_town


def test_resolution_from_extent():
    # Average H3 cell areas: res 10 about 15,047 m^2, res 8 about 737,327 m^2,
    # res 7 about 5,161,293 m^2. At most 5,000 cells:
    #   1 km^2 at res 10 is about 66 cells -> the finest allowed, 10;
    #   10,000 km^2 at res 8 would be about 13,600 cells, at res 7 about 1,940 -> 7.
    assert choose_resolution(1e6) == 10
    assert choose_resolution(1e10) == 7
    assert 1e10 / h3.average_hexagon_area(7, unit="m^2") <= 5000
    assert 1e10 / h3.average_hexagon_area(8, unit="m^2") > 5000


def test_grid_covers_every_asset_and_says_population_is_unknown():
    _, services, assets = synthetic_town(60, 400, 20, seed=5)
    result = analyse_gaps(None, services, assets, seed=1)
    areas = result.areas
    res = h3.get_resolution(areas["name"].iloc[0])
    # Every asset counted once, in the hexagon H3 itself puts it in.
    assert areas["n_assets"].sum() == len(assets)
    lon, lat = shapely.get_coordinates(assets.geometry.values).T
    expected = {}
    for x, y in zip(lon, lat, strict=True):
        cell = h3.latlng_to_cell(y, x, res)
        expected[cell] = expected.get(cell, 0) + 1
    got = areas.set_index("name")["n_assets"]
    assert {cell: got[cell] for cell in expected} == expected
    assert areas["assets_per_1000"].isna().all()
    assert (areas["access"] >= 0).all() and (areas["access"] > 0).any()
    assert result.parameters["areas_source"] == "h3"
    assert not result.parameters["population_known"]
    assert any("Population is unknown" in note for note in result.notes)
    assert any(f"resolution {res}" in note for note in result.notes)


def test_population_per_hex_sets_resolution_and_demand():
    _, _, assets = synthetic_town(40, 200, 5, seed=6)
    lon, lat = shapely.get_coordinates(assets.geometry.values).T
    cells = sorted({h3.latlng_to_cell(y, x, 8) for x, y in zip(lon, lat, strict=True)})
    population = {cell: 100.0 * (i + 1) for i, cell in enumerate(cells)}
    result = analyse_gaps(None, None, assets, hex_population=population)
    areas = result.areas.set_index("name")
    assert {h3.get_resolution(c) for c in areas.index} == {8}
    for cell, people in population.items():
        assert areas.loc[cell, "population"] == people
    # Hexagons of the bounding box without a given population count as empty.
    others = areas.index.difference(list(population))
    assert (areas.loc[others, "population"] == 0).all()
    assert result.parameters["population_known"]
    inside = areas.loc[cells]
    np.testing.assert_allclose(
        inside["assets_per_1000"], inside["n_assets"] / inside["population"] * 1000
    )


def test_hex_population_is_checked():
    _, _, assets = synthetic_town(20, 50, 5, seed=2)
    with pytest.raises(InvalidInput, match="is not an H3 cell id"):
        analyse_gaps(None, None, assets, hex_population={"nowhere": 10})
    areas, _, _ = synthetic_town(20, 50, 5, seed=2)
    with pytest.raises(InvalidInput, match="only when no areas are given"):
        analyse_gaps(areas, None, assets, hex_population={})
