"""Low-access clusters with local Moran's I on a grid whose pattern is known."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from assetmap.gaps.clusters import MIN_AREAS, low_access_clusters


def _grid(n: int) -> gpd.GeoDataFrame:
    cells = [shapely.box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)]
    return gpd.GeoDataFrame({"name": [f"{i}" for i in range(n * n)]}, geometry=cells)


def _block_values(n: int) -> np.ndarray:
    # Low access (1) in the 3 x 3 block of rows 0-2, columns 0-2; high (10) elsewhere, with
    # a small deterministic ripple so no two areas tie exactly.
    values = np.full(n * n, 10.0) + np.arange(n * n) * 0.01
    for r in range(3):
        for c in range(3):
            values[r * n + c] = 1.0 + (r * 3 + c) * 0.01
    return values


def test_block_of_low_access_is_flagged():
    # A 6 x 6 grid: 36 areas. Cell (r, c) is row r * 6 + c. With Queen weights, cell (1, 1)
    # has 8 neighbours, all in the low block: the chance of drawing 8 of the other 8 low
    # cells out of 35 at random is about 1 in 23 million, so p_sim is 1/1000. The corner
    # (0, 0) has 3 neighbours, all low: (8/35)(7/34)(6/33) = 0.0086, p well under 0.05.
    n = 6
    out, notes = low_access_clusters(_grid(n), _block_values(n), seed=42)
    flagged = set(np.flatnonzero(out["low_access_cluster"].to_numpy()))
    block = {r * n + c for r in range(3) for c in range(3)}
    assert {0, 1, n, n + 1} <= flagged  # (0,0), (0,1), (1,0), (1,1)
    assert flagged <= block  # nothing outside the low block is a low-access cluster
    assert out.loc[n + 1, "moran_p"] == 0.001
    assert (out.loc[list(flagged), "moran_quadrant"] == 3).all()
    # High cells far from the block sit in the HH quadrant, never flagged as low.
    assert out.loc[n * n - 1, "moran_quadrant"] == 1
    assert any("seed 42" in note for note in notes)


def test_same_seed_same_answer():
    grid, values = _grid(6), _block_values(6)
    first, _ = low_access_clusters(grid, values, seed=7, permutations=199)
    again, _ = low_access_clusters(grid, values, seed=7, permutations=199)
    np.testing.assert_array_equal(first["moran_p"], again["moran_p"])


def test_too_few_areas_not_computed():
    grid = _grid(5)  # 25 areas
    out, notes = low_access_clusters(grid, np.arange(25.0), seed=1)
    assert len(grid) < MIN_AREAS
    assert out["moran_i"].isna().all()
    assert not out["low_access_cluster"].any()
    assert "needs at least 30 areas and there are 25" in notes[0]


def test_no_variation_not_computed():
    out, notes = low_access_clusters(_grid(6), np.ones(36), seed=1)
    assert out["moran_i"].isna().all()
    assert "same in every area" in notes[0]


def test_islands_are_left_out():
    # 36 grid cells plus one square far away that touches nothing.
    grid = _grid(6)
    island = gpd.GeoDataFrame({"name": ["island"]}, geometry=[shapely.box(50, 50, 51, 51)])
    areas = gpd.GeoDataFrame(gpd.pd.concat([grid, island], ignore_index=True), geometry="geometry")
    out, notes = low_access_clusters(areas, np.append(_block_values(6), 0.5), seed=3)
    assert np.isnan(out.loc[36, "moran_i"])
    assert not out.loc[36, "low_access_cluster"]
    assert out.loc[0, "low_access_cluster"]
    assert any("touch no other area" in note for note in notes)
