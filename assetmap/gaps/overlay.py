"""Public services with no community asset of a chosen category nearby.

The question a social-prescribing link worker asks: this GP surgery, which groups could it
refer people to within a walk? A service with none is a place to build capacity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from assetmap.errors import InvalidInput
from assetmap.gaps.distances import nearest_by_group, xy
from assetmap.taxonomy import ASSET_CATEGORIES, SERVICE_TYPES

ANY = "any"

OverlaySpec = Sequence[str] | Mapping[str, Sequence[str]] | None

COLUMNS = [
    "service_name",
    "service_type",
    "category",
    "nearest_asset_m",
    "nearest_asset_name",
    "geometry",
]


def overlay_plan(spec: OverlaySpec) -> dict[str, list[str]]:
    """Which asset categories to look for around each service type.

    None: any community asset at all, for every service type. A list of categories: those,
    around every service type. A mapping: service type -> its categories (other types are not
    checked), e.g. {"health": ["health_wellbeing", "mutual_aid"]} for social prescribing.
    """
    if spec is None:
        return {stype: [ANY] for stype in SERVICE_TYPES}
    if isinstance(spec, str):
        spec = [spec]
    if isinstance(spec, Mapping):
        plan = {}
        for stype, cats in spec.items():
            if stype not in SERVICE_TYPES:
                raise InvalidInput(
                    f"overlay: unknown service type {stype!r}", field="overlay_categories"
                )
            plan[stype] = _categories([cats] if isinstance(cats, str) else list(cats))
        return plan
    cats = _categories(list(spec))
    return {stype: cats for stype in SERVICE_TYPES}


def _categories(cats: list[str]) -> list[str]:
    if not cats:
        raise InvalidInput("overlay: no asset categories given", field="overlay_categories")
    for cat in cats:
        if cat != ANY and cat not in ASSET_CATEGORIES:
            raise InvalidInput(
                f"overlay: unknown asset category {cat!r}", field="overlay_categories"
            )
    return cats


def services_without_assets(
    services_m: gpd.GeoDataFrame,
    assets_m: gpd.GeoDataFrame,
    plan: Mapping[str, Sequence[str]],
    distance_m: float,
) -> gpd.GeoDataFrame:
    """One row per (service, category) with no asset of that category within `distance_m`,
    with how far the nearest one is (NaN when there is none anywhere), in the services' CRS."""
    service_xy = xy(services_m)
    asset_xy = xy(assets_m)
    asset_cat = assets_m["category"].to_numpy()
    asset_names = assets_m["name"].to_numpy()
    wanted = sorted({cat for cats in plan.values() for cat in cats})
    groups = np.where(np.isin(asset_cat, wanted), asset_cat, ANY)
    nearest = nearest_by_group(service_xy, asset_xy, groups, [c for c in wanted if c != ANY])
    if ANY in wanted:
        # "any" looks at every asset, not only those outside the named categories.
        nearest[ANY] = nearest_by_group(service_xy, asset_xy, np.full(len(asset_xy), ANY), [ANY])[
            ANY
        ]
    stypes = services_m["service_type"].to_numpy()
    frames = []
    for cat in wanted:
        dist, row = nearest[cat]
        checked = np.isin(stypes, [s for s, cats in plan.items() if cat in cats])
        missing = checked & ~(dist <= distance_m)
        if not missing.any():
            continue
        idx = np.flatnonzero(missing)
        frames.append(
            pd.DataFrame(
                {
                    "service_name": services_m["name"].to_numpy()[idx],
                    "service_type": stypes[idx],
                    "category": cat,
                    "nearest_asset_m": dist[idx],
                    "nearest_asset_name": [asset_names[r] if r >= 0 else None for r in row[idx]],
                    "geometry": services_m.geometry.to_numpy()[idx],
                    "_order": idx,
                }
            )
        )
    if not frames:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS[:-1]}, geometry=[], crs=services_m.crs)
    table = pd.concat(frames, ignore_index=True).sort_values(["_order", "category"])
    table = table.drop(columns="_order").reset_index(drop=True)
    return gpd.GeoDataFrame(table, geometry="geometry", crs=services_m.crs)[COLUMNS]
