"""The one entry point: check every input, then compute every measure, or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from assetmap.errors import InvalidInput
from assetmap.gaps import catchment, clusters, coverage, hexgrid, inputs, overlay, priority
from assetmap.gaps.distances import area_points, nearest_by_group, xy
from assetmap.gaps.result import GapResult
from assetmap.taxonomy import ASSET_CATEGORIES, SERVICE_TYPES

METHODS = ("2sfca", "e2sfca")
DEFAULT_THRESHOLD_M = 1600.0  # a 20-minute walk at 80 m a minute


def _bridging(values: object, names: pd.Series) -> np.ndarray | None:
    """Bridging values (e.g. E-I index) keyed by area name, aligned to the areas' rows."""
    if values is None:
        return None
    if not isinstance(values, Mapping | pd.Series):
        raise InvalidInput("bridging must map area names to numbers", field="bridging")
    series = pd.Series(dict(values.items()), dtype=object)
    unknown = [key for key in series.index if key not in set(names)]
    if unknown:
        raise InvalidInput(f"bridging names {unknown[0]!r}, which is not an area", field="bridging")
    numbers = pd.to_numeric(series, errors="coerce")
    bad = numbers.isna() & series.notna()
    if bad.any():
        key = bad.index[bad.to_numpy()][0]
        raise InvalidInput(
            f"bridging value for area {key!r} is not a number: {series[key]!r}", field="bridging"
        )
    return numbers.reindex(names.to_numpy()).astype(float).to_numpy()


def _scalars(method, walk_m, threshold_m, overlay_m, bands, seed, permutations):
    if method not in METHODS:
        raise InvalidInput(
            f"method must be one of {', '.join(METHODS)}, got {method!r}", field="method"
        )
    walk = inputs.check_distance(walk_m, "walk_m")
    threshold = inputs.check_distance(threshold_m, "threshold_m")
    reach = walk if overlay_m is None else inputs.check_distance(overlay_m, "overlay_m")
    if bands is not None and method != "e2sfca":
        raise InvalidInput("distance bands apply only to method 'e2sfca'", field="bands")
    if method == "e2sfca":
        bands = catchment.check_bands(bands or catchment.default_bands(threshold))
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool):
        raise InvalidInput(f"seed must be an integer, got {seed!r}", field="seed")
    if not isinstance(permutations, int | np.integer) or not 99 <= permutations <= 99999:
        raise InvalidInput("permutations must be an integer from 99 to 99999", field="permutations")
    return walk, threshold, reach, bands


def analyse_gaps(
    areas: gpd.GeoDataFrame | None,
    services: gpd.GeoDataFrame | None,
    assets: gpd.GeoDataFrame,
    *,
    walk_m: float = 800.0,
    method: str = "2sfca",
    threshold_m: float = DEFAULT_THRESHOLD_M,
    bands: Sequence[tuple[float, float]] | None = None,
    weights: Mapping[str, float] | None = None,
    bridging: Mapping[str, float] | pd.Series | None = None,
    seed: int = 0,
    cells: gpd.GeoDataFrame | None = None,
    hex_population: Mapping[str, float] | None = None,
    overlay_categories: overlay.OverlaySpec = None,
    overlay_m: float | None = None,
    permutations: int = 999,
) -> GapResult:
    """Coverage, distances, floating-catchment access, the service overlay and a priority
    score per area, from layers in EPSG:4326.

    areas: name, population, need_index (optional), polygons; None builds an H3 grid over the
    assets (population per cell from `hex_population`, else unknown). services: name,
    service_type, points; None skips the service measures. assets: id, name, kind, category,
    points or polygons. cells: optional population cells that place each area's point at its
    population-weighted centre. bridging: per-area value keyed by name (higher = more bridging
    ties), e.g. the E-I index. Raises InvalidInput, naming the row and field, on bad input.
    """
    walk, threshold, reach, bands = _scalars(
        method, walk_m, threshold_m, overlay_m, bands, seed, permutations
    )
    plan = overlay.overlay_plan(overlay_categories)
    weights_in = priority.check_weights(weights)
    assets_ll = inputs.validate_assets(assets)
    services_ll = inputs.validate_services(services) if services is not None else None
    cells_ll = inputs.validate_cells(cells) if cells is not None else None
    notes: list[str] = []
    neighbours = None
    if areas is None:
        extent_crs = inputs.metric_crs(assets_ll)
        box = gpd.GeoSeries([shapely.box(*assets_ll.total_bounds)], crs=inputs.WGS84)
        areas_ll, neighbours, res = hexgrid.hex_grid(
            assets_ll,
            extent_m2=float(box.to_crs(extent_crs).area.iloc[0]),
            population=hex_population,
        )
        notes.append(
            f"No areas were given: the analysis uses {len(areas_ll)} H3 hexagons at "
            f"resolution {res} over the assets' extent."
        )
    else:
        if hex_population is not None:
            raise InvalidInput(
                "hex_population applies only when no areas are given", field="hex_population"
            )
        areas_ll = inputs.validate_areas(areas)
    population_known = not np.isnan(areas_ll["population"].to_numpy()).all()
    bridging_values = _bridging(bridging, areas_ll["name"])

    crs = inputs.metric_crs(areas_ll, assets_ll, services_ll)
    areas_m = areas_ll.to_crs(crs)
    assets_m = assets_ll.to_crs(crs)
    services_m = services_ll.to_crs(crs) if services_ll is not None else None
    if areas is not None:
        inputs.check_overlap(areas_m, assets_m, max(threshold, walk))
    cells_m = cells_ll.to_crs(crs) if cells_ll is not None else None
    points, used_cells = area_points(areas_m, cells_m)
    asset_xy, asset_cat = xy(assets_m), assets_m["category"].to_numpy()
    categories = list(ASSET_CATEGORIES)

    population = areas_m["population"].to_numpy(dtype=float)
    asset_area = coverage.assign_to_areas(areas_m, asset_xy)
    parts = [coverage.per_thousand(population, asset_area, asset_cat, categories)]
    if services_m is not None:
        near = nearest_by_group(
            points, xy(services_m), services_m["service_type"].to_numpy(), SERVICE_TYPES
        )
        parts.append(pd.DataFrame({f"dist_service_{k}_m": near[k][0] for k in SERVICE_TYPES}))
    near = nearest_by_group(points, asset_xy, asset_cat, categories)
    parts.append(pd.DataFrame({f"dist_asset_{k}_m": near[k][0] for k in categories}))
    parts.append(coverage.walk_shares(areas_m, asset_xy, asset_cat, categories, walk))

    supply = np.column_stack(
        [np.ones(len(asset_cat))] + [(asset_cat == c).astype(float) for c in categories]
    )
    demand = population if population_known else np.ones(len(areas_m))
    acc = catchment.floating_catchment(
        points, demand, asset_xy, supply, threshold, bands=bands if method == "e2sfca" else None
    )
    parts.append(pd.DataFrame(acc, columns=["access"] + [f"access_{c}" for c in categories]))

    table, prio_notes, weights_used = priority.priority_scores(
        areas_m["need_index"].to_numpy(dtype=float), acc[:, 0], bridging_values, weights_in
    )
    moran, moran_notes = clusters.low_access_clusters(
        areas_m, acc[:, 0], seed=int(seed), permutations=int(permutations), neighbours=neighbours
    )
    if services_m is not None:
        missing = overlay.services_without_assets(services_m, assets_m, plan, reach)
        missing = missing.to_crs(inputs.WGS84)
    else:
        missing = gpd.GeoDataFrame(
            {c: [] for c in overlay.COLUMNS[:-1]}, geometry=[], crs=inputs.WGS84
        )

    point_ll = gpd.GeoSeries(shapely.points(points), crs=crs).to_crs(inputs.WGS84)
    head = pd.DataFrame(
        {
            "name": areas_ll["name"].to_numpy(),
            "population": population,
            "need_index": areas_ll["need_index"].to_numpy(dtype=float),
            "bridging": bridging_values if bridging_values is not None else np.nan,
            "point_lon": point_ll.x.to_numpy(),
            "point_lat": point_ll.y.to_numpy(),
            "point_is_weighted": used_cells,
        }
    )
    frame = pd.concat([head, *parts, table, moran], axis=1)
    areas_out = gpd.GeoDataFrame(frame, geometry=areas_ll.geometry.values, crs=inputs.WGS84)

    notes.extend(
        _context_notes(
            areas_ll,
            assets_ll,
            services_ll,
            asset_area,
            population,
            population_known,
            used_cells,
            method,
            threshold,
            bands,
            walk,
            crs,
            cells_ll is not None,
        )
    )
    notes.extend(prio_notes)
    notes.extend(moran_notes)
    if services_m is None:
        notes.append("No services layer was given: service distances and the overlay are left out.")
    parameters = {
        "walk_m": walk,
        "method": method,
        "threshold_m": threshold,
        "bands": [list(b) for b in bands] if bands else None,
        "weights": weights_used,
        "seed": int(seed),
        "permutations": int(permutations),
        "overlay_m": reach,
        "overlay_categories": plan,
        "crs": crs.to_string(),
        "population_known": bool(population_known),
        "areas_source": "h3" if areas is None else "given",
        "bridging_given": bridging_values is not None,
        "services_given": services_m is not None,
    }
    return GapResult(
        areas=areas_out,
        services_without_assets=missing,
        services=services_ll,
        assets=assets_ll,
        parameters=parameters,
        notes=notes,
    )


def _context_notes(
    areas_ll,
    assets_ll,
    services_ll,
    asset_area,
    population,
    population_known,
    used_cells,
    method,
    threshold,
    bands,
    walk,
    crs,
    cells_given,
) -> list[str]:
    """Caveats about the data and the method that a reader of the numbers needs."""
    notes = [f"Distances are straight-line metres in {crs.name} ({crs.to_string()})."]
    if method == "2sfca":
        notes.append(
            f"Access is 2SFCA: assets per resident within {threshold:g} m, shared "
            "among everyone within reach of each asset."
        )
    else:
        parts = ", ".join(f"{w:g} up to {e:,.0f} m" for e, w in bands)
        notes.append(f"Access is enhanced 2SFCA with distance-decay weights {parts}.")
    if not population_known:
        notes.append(
            "Population is unknown: per-1,000 rates are left empty, every hexagon "
            "counts as one unit of demand in access, and walk shares are shares of "
            "area, not of people."
        )
    else:
        notes.append(
            f"Residents are assumed spread evenly over each area for the share within {walk:g} m."
        )
        empty = int((population == 0).sum())
        if empty:
            notes.append(f"{empty} area(s) have no residents: their per-1,000 rates are empty.")
    if cells_given:
        notes.append(
            f"{int(used_cells.sum())} of {len(used_cells)} areas are measured from "
            "their population-weighted centre; the rest from their centroid."
        )
    else:
        notes.append("Distances are measured from each area's centroid.")
    outside = int((asset_area < 0).sum())
    if outside:
        notes.append(
            f"{outside} asset(s) lie outside every area: they count in no area's "
            "totals but still count for distances and access."
        )
    absent = [c for c in ASSET_CATEGORIES if not (assets_ll["category"] == c).any()]
    if absent:
        notes.append(
            "No assets of these categories, so their distances are empty: "
            + ", ".join(absent)
            + "."
        )
    if services_ll is not None:
        none = [s for s in SERVICE_TYPES if not (services_ll["service_type"] == s).any()]
        if none:
            notes.append(
                "No services of these types, so their distances are empty: " + ", ".join(none) + "."
            )
    return notes
