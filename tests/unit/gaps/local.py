"""Small layers built in metres (UTM zone 30N, around Manchester) and handed over in EPSG:4326,
so that expected distances and areas can be worked out by hand on a flat plane.

The analysis chooses its own metric CRS with `estimate_utm_crs()`; for these places that is
the same zone 30N, so a layer drawn here comes back to the same metres to well under 1e-6 m.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

UTM = "EPSG:32630"
X0, Y0 = 550_000.0, 5_927_000.0  # local origin: Manchester, in zone 30N


def _shift(geom):
    return shapely.transform(geom, lambda c: c + [X0, Y0])


def square(x: float, y: float, size: float):
    """An axis-aligned square with its lower-left corner at local (x, y)."""
    return shapely.box(x, y, x + size, y + size)


def areas(rows) -> gpd.GeoDataFrame:
    """rows: (name, population, need_index, polygon in local metres)."""
    names, pops, needs, geoms = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"name": list(names), "population": list(pops), "need_index": list(needs)},
        geometry=[_shift(g) for g in geoms],
        crs=UTM,
    ).to_crs("EPSG:4326")


def services(rows) -> gpd.GeoDataFrame:
    """rows: (name, service_type, x, y) in local metres."""
    names, types, xs, ys = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"name": list(names), "service_type": list(types)},
        geometry=[_shift(shapely.Point(x, y)) for x, y in zip(xs, ys, strict=True)],
        crs=UTM,
    ).to_crs("EPSG:4326")


def assets(rows) -> gpd.GeoDataFrame:
    """rows: (id, category, x, y) in local metres; names are 'Asset <id>'."""
    ids, cats, xs, ys = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {
            "id": list(ids),
            "name": [f"Asset {i}" for i in ids],
            "kind": "group",
            "category": list(cats),
        },
        geometry=[_shift(shapely.Point(x, y)) for x, y in zip(xs, ys, strict=True)],
        crs=UTM,
    ).to_crs("EPSG:4326")
