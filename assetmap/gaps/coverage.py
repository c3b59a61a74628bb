"""Per-area coverage: assets per 1,000 residents, and share of residents within a walk.

Population is assumed to be spread evenly over each area, so the share of residents within
`walk_m` of a category is the share of the area's polygon lying within `walk_m` of an asset of
that category, measured in the projected CRS.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

# Segments per quarter circle for walk buffers. 16 gives a 64-gon whose area is 0.16% below
# the true circle's (n/(2*pi) * sin(2*pi/n) for n = 64), close enough for a planning share.
QUAD_SEGS = 16


def assign_to_areas(areas_m: gpd.GeoDataFrame, points: np.ndarray) -> np.ndarray:
    """The row of the area containing each point, or -1; a point on a shared edge goes to the
    first area that touches it, so nothing is counted twice."""
    pts = shapely.points(points)
    tree = shapely.STRtree(areas_m.geometry.values)
    pt_idx, area_idx = tree.query(pts, predicate="intersects")
    first = np.unique(pt_idx, return_index=True)[1]
    out = np.full(len(points), -1, dtype=np.int64)
    out[pt_idx[first]] = area_idx[first]
    return out


def per_thousand(
    population: np.ndarray,
    asset_area: np.ndarray,
    asset_category: np.ndarray,
    categories: Sequence[str],
) -> pd.DataFrame:
    """Counts of assets per area (all, and by category) and the same per 1,000 residents.

    Areas where nobody lives get NaN per 1,000: a rate over zero people is undefined.
    """
    n = len(population)
    inside = asset_area >= 0
    cols: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(population > 0, 1000.0 / np.where(population > 0, population, 1), np.nan)
    total = np.bincount(asset_area[inside], minlength=n).astype(float)
    cols["n_assets"] = total.astype(np.int64)
    cols["assets_per_1000"] = total * scale
    for cat in categories:
        sel = inside & (asset_category == cat)
        count = np.bincount(asset_area[sel], minlength=n).astype(float)
        cols[f"n_{cat}"] = count.astype(np.int64)
        cols[f"per_1000_{cat}"] = count * scale
    return pd.DataFrame(cols)


def _reach(group_idx: np.ndarray, circles: np.ndarray, circle_idx: np.ndarray):
    """(groups with any circle, the union of each group's circles), in one vectorised call:
    the circles are laid out in a (group, k-th circle) array padded with None and unioned
    along each row."""
    order = np.argsort(group_idx, kind="stable")
    group_idx, circle_idx = group_idx[order], circle_idx[order]
    uniq, group = np.unique(group_idx, return_inverse=True)
    counts = np.bincount(group)
    slot = np.arange(len(group)) - np.repeat(np.cumsum(counts) - counts, counts)
    grid = np.full((len(uniq), counts.max()), None, dtype=object)
    grid[group, slot] = circles[circle_idx]
    return uniq, shapely.union_all(grid, axis=1)


def _tiles(bounds: np.ndarray, size: float) -> np.ndarray:
    """Square tiles of side `size` covering the bounds (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bounds
    nx = max(1, int(np.ceil((maxx - minx) / size)))
    ny = max(1, int(np.ceil((maxy - miny) / size)))
    gx, gy = np.meshgrid(minx + size * np.arange(nx), miny + size * np.arange(ny))
    gx, gy = gx.ravel(), gy.ravel()
    return shapely.box(gx, gy, gx + size, gy + size)


def walk_shares(
    areas_m: gpd.GeoDataFrame,
    asset_xy: np.ndarray,
    asset_category: np.ndarray,
    categories: Sequence[str],
    walk_m: float,
) -> pd.DataFrame:
    """Share (0..1) of each area within `walk_m` of at least one asset of each category.

    The circles around the assets are unioned tile by tile (square tiles of four walk
    distances, each circle joining only the few tiles it reaches) and each union is clipped
    to its tile; an area's covered part is then the sum of its overlaps with those pieces.
    Unioning per tile rather than per area does each circle's work about twice instead of
    once for every area it reaches, and keeps every piece small. All of it runs in
    vectorised shapely calls.
    """
    geoms = areas_m.geometry.values
    area_size = shapely.area(geoms)
    tiles = _tiles(areas_m.total_bounds, 4 * walk_m)
    pair_area, pair_tile = shapely.STRtree(tiles).query(geoms, predicate="intersects")
    used = np.unique(pair_tile)
    out: dict[str, np.ndarray] = {}
    for cat in categories:
        rows = np.flatnonzero(asset_category == cat)
        covered = np.zeros(len(areas_m))
        if len(rows):
            pts = shapely.points(asset_xy[rows])
            tile_idx, pt_idx = shapely.STRtree(pts).query(
                tiles[used], predicate="dwithin", distance=walk_m
            )
            if len(tile_idx):
                hit, reach = _reach(
                    tile_idx, shapely.buffer(pts, walk_m, quad_segs=QUAD_SEGS), pt_idx
                )
                piece = np.full(len(tiles), None, dtype=object)
                piece[used[hit]] = shapely.intersection(reach, tiles[used[hit]])
                keep = piece[pair_tile] != None  # noqa: E711 (elementwise on an object array)
                overlap = shapely.area(
                    shapely.intersection(geoms[pair_area[keep]], piece[pair_tile[keep]])
                )
                covered = np.bincount(pair_area[keep], weights=overlap, minlength=len(areas_m))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(area_size > 0, covered / area_size, np.nan)
        # Floating-point overlay can leave 1.0000000002; a share cannot exceed one.
        out[f"walk_share_{cat}"] = np.clip(share, 0.0, 1.0)
    return pd.DataFrame(out)
