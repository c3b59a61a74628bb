"""Generated towns for demos, tests and benchmarks: areas, services and assets in EPSG:4326.

Areas are Voronoi cells of random seeds (irregular, contiguous, like census areas); assets and
services cluster around a few centres with a thinner spread in between, as they do in real
places. Everything is drawn from one seeded generator, so a seed always gives the same town.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, SERVICE_TYPES

# A UTM zone (30N) around Greater Manchester; the layers are built in metres there.
BUILD_CRS = "EPSG:32630"
CENTRE_XY = (550_000.0, 5_927_000.0)


def _clustered(rng: np.random.Generator, n: int, half: float, centres: np.ndarray) -> np.ndarray:
    """n points: two thirds around the centres, the rest spread evenly, all inside the box."""
    near = rng.random(n) < 2 / 3
    pick = centres[rng.integers(0, len(centres), n)]
    spread = rng.normal(0.0, half / 6, size=(n, 2))
    even = rng.uniform(-half, half, size=(n, 2))
    pts = np.where(near[:, None], pick + spread, even)
    return np.clip(pts, -half * 0.999, half * 0.999) + np.array(CENTRE_XY)


def synthetic_town(
    n_areas: int,
    n_assets: int,
    n_services: int,
    *,
    seed: int = 0,
    area_km2: float = 0.4,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(areas, services, assets) for a made-up place of `n_areas` areas of about `area_km2`."""
    rng = np.random.default_rng(seed)
    half = float(np.sqrt(n_areas * area_km2) * 1000 / 2)
    n_centres = max(1, n_areas // 150)
    centres = rng.uniform(-half * 0.7, half * 0.7, size=(n_centres, 2))

    seeds = rng.uniform(-half, half, size=(n_areas, 2)) + np.array(CENTRE_XY)
    frame = shapely.box(
        CENTRE_XY[0] - half, CENTRE_XY[1] - half, CENTRE_XY[0] + half, CENTRE_XY[1] + half
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    # Voronoi output is not in seed order: match each cell back to the seed inside it.
    seed_idx, cell_idx = shapely.STRtree(cells).query(shapely.points(seeds), predicate="intersects")
    first = np.unique(seed_idx, return_index=True)[1]
    polygons = np.empty(n_areas, dtype=object)
    polygons[seed_idx[first]] = cells[cell_idx[first]]

    # Need rises towards one side of town, with local noise, as deprivation tends to.
    gradient = (seeds[:, 0] - CENTRE_XY[0]) / (2 * half) + 0.5
    need = np.round(np.clip(gradient * 40 + rng.normal(0, 8, n_areas) + 10, 0, None), 2)
    areas = gpd.GeoDataFrame(
        {
            "name": [f"Area {i + 1:05d}" for i in range(n_areas)],
            "population": rng.lognormal(np.log(1500), 0.35, n_areas).round().astype(np.int64),
            "need_index": need,
        },
        geometry=list(polygons),
        crs=BUILD_CRS,
    ).to_crs("EPSG:4326")

    category_p = rng.dirichlet(np.full(len(ASSET_CATEGORIES), 4.0))
    asset_xy = _clustered(rng, n_assets, half, centres)
    categories = rng.choice(list(ASSET_CATEGORIES), size=n_assets, p=category_p)
    assets = gpd.GeoDataFrame(
        {
            "id": np.arange(1, n_assets + 1),
            "name": [f"Asset {i + 1}" for i in range(n_assets)],
            "kind": rng.choice(list(ASSET_KINDS[:3]), size=n_assets),
            "category": categories,
        },
        geometry=shapely.points(asset_xy),
        crs=BUILD_CRS,
    ).to_crs("EPSG:4326")

    service_xy = _clustered(rng, n_services, half, centres)
    services = gpd.GeoDataFrame(
        {
            "name": [f"Service {i + 1}" for i in range(n_services)],
            "service_type": rng.choice(list(SERVICE_TYPES), size=n_services),
        },
        geometry=shapely.points(service_xy),
        crs=BUILD_CRS,
    ).to_crs("EPSG:4326")
    return areas, services, assets
