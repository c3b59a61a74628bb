"""Where each area 'is' for distance purposes, and nearest-neighbour distances in metres.

All coordinates here are in the projected (metric) CRS the analysis chose; KD-trees on those
coordinates give straight-line distances in metres, never degrees.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from scipy.spatial import cKDTree


def xy(points: gpd.GeoSeries | gpd.GeoDataFrame) -> np.ndarray:
    """An (n, 2) array of x, y for a layer of points."""
    geoms = points.geometry.values if hasattr(points, "geometry") else points.values
    return shapely.get_coordinates(geoms)


def area_points(
    areas_m: gpd.GeoDataFrame, cells_m: gpd.GeoDataFrame | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each area's point: population-weighted mean of its cells when cells are given and hold
    people, otherwise the polygon's centroid. Returns (xy, used_cells flags)."""
    centroids = shapely.get_coordinates(areas_m.geometry.centroid.values)
    used = np.zeros(len(areas_m), dtype=bool)
    if cells_m is None or len(cells_m) == 0:
        return centroids, used
    cell_xy = xy(cells_m)
    tree = shapely.STRtree(areas_m.geometry.values)
    # Each cell counts once, for the first area that contains it (cells on a shared edge
    # would otherwise be counted twice).
    cell_idx, area_idx = tree.query(cells_m.geometry.values, predicate="intersects")
    first = np.unique(cell_idx, return_index=True)[1]
    cell_idx, area_idx = cell_idx[first], area_idx[first]
    weight = cells_m["population"].to_numpy()[cell_idx]
    n = len(areas_m)
    total = np.bincount(area_idx, weights=weight, minlength=n)
    sx = np.bincount(area_idx, weights=weight * cell_xy[cell_idx, 0], minlength=n)
    sy = np.bincount(area_idx, weights=weight * cell_xy[cell_idx, 1], minlength=n)
    used = total > 0
    out = centroids.copy()
    out[used, 0] = sx[used] / total[used]
    out[used, 1] = sy[used] / total[used]
    return out, used


def nearest_by_group(
    origins: np.ndarray, targets: np.ndarray, groups: np.ndarray, keys: Iterable[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each key, the distance (m) from every origin to the nearest target in that group and
    that target's row; NaN and -1 when the group has no targets at all."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for key in keys:
        rows = np.flatnonzero(groups == key)
        if len(rows) == 0:
            out[key] = (np.full(len(origins), np.nan), np.full(len(origins), -1))
            continue
        dist, nearest = cKDTree(targets[rows]).query(origins, k=1)
        out[key] = (np.asarray(dist, dtype=float), rows[nearest])
    return out
