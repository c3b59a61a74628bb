"""An H3 hexagon grid to stand in for areas when none have been loaded.

The resolution is the finest that keeps the grid to a manageable number of cells over the
assets' extent, never finer than a street block. Population is unknown unless the caller
passes it per cell (keyed by H3 cell id, which also fixes the resolution).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import h3
import numpy as np
import shapely

from assetmap.errors import InvalidInput
from assetmap.gaps.inputs import WGS84

FINEST = 10  # about 0.015 km² per cell: finer than this splits single streets
COARSEST = 5  # about 250 km² per cell: coarser says nothing about a neighbourhood
MAX_CELLS = 5000


def choose_resolution(extent_m2: float, max_cells: int = MAX_CELLS) -> int:
    """The finest resolution (between COARSEST and FINEST) whose cells over an extent of
    `extent_m2` square metres number at most `max_cells`."""
    for res in range(FINEST, COARSEST - 1, -1):
        if extent_m2 / h3.average_hexagon_area(res, unit="m^2") <= max_cells:
            return res
    return COARSEST


def _population_resolution(population: Mapping[str, float]) -> int:
    resolutions = set()
    for cell, value in population.items():
        if not h3.is_valid_cell(cell):
            raise InvalidInput(f"hex population: {cell!r} is not an H3 cell id", field="population")
        if value is None or not np.isfinite(float(value)) or float(value) < 0:
            raise InvalidInput(
                f"hex population: cell {cell} has a missing or negative population",
                field="population",
            )
        resolutions.add(h3.get_resolution(cell))
    if len(resolutions) != 1:
        raise InvalidInput(
            "hex population: all cells must share one H3 resolution", field="population"
        )
    return resolutions.pop()


def hex_grid(
    assets: gpd.GeoDataFrame,
    *,
    extent_m2: float,
    population: Mapping[str, float] | None = None,
) -> tuple[gpd.GeoDataFrame, dict[int, list[int]], int]:
    """Hexagons covering the assets' bounding box and every asset.

    Returns (areas in EPSG:4326 with name = cell id, population NaN when unknown;
    row -> neighbouring rows; the resolution used).
    """
    res = _population_resolution(population) if population else choose_resolution(extent_m2)
    minx, miny, maxx, maxy = assets.total_bounds
    # H3 takes (lat, lng) rings; the box fills cells whose centres fall inside it.
    box = h3.LatLngPoly([(miny, minx), (miny, maxx), (maxy, maxx), (maxy, minx)])
    cells = set(h3.polygon_to_cells(box, res))
    # Assets near the box's edge may sit in a cell whose centre is outside it.
    lon, lat = shapely.get_coordinates(assets.geometry.values).T
    cells.update(h3.latlng_to_cell(y, x, res) for x, y in zip(lon, lat, strict=True))
    if population:
        cells.update(population)
    ordered = sorted(cells)
    row = {cell: i for i, cell in enumerate(ordered)}
    neighbours = {
        i: sorted(row[n] for n in h3.grid_disk(cell, 1) if n != cell and n in row)
        for i, cell in enumerate(ordered)
    }
    polygons = [
        shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(cell)]) for cell in ordered
    ]
    pops = (
        np.array([float(population.get(cell, 0.0)) for cell in ordered])
        if population
        else np.full(len(ordered), np.nan)
    )
    areas = gpd.GeoDataFrame(
        {"name": ordered, "population": pops, "need_index": np.nan},
        geometry=polygons,
        crs=WGS84,
    )
    return areas, neighbours, res
