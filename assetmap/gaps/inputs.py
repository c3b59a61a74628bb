"""Check and tidy the three input layers before any number is computed.

Every problem is raised as `InvalidInput` naming the layer, the row (0-based position in the
layer as given) and the field, so that nothing is half-computed and a planner can fix the file.
"""

from __future__ import annotations

import math
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from assetmap.errors import InvalidInput
from assetmap.taxonomy import ASSET_CATEGORIES, SERVICE_TYPES

WGS84 = "EPSG:4326"


def check_distance(value: object, field: str) -> float:
    """A distance in metres that must be a finite number greater than zero."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field} must be a number of metres, got {value!r}", field=field
        ) from None
    if not math.isfinite(number) or number <= 0:
        raise InvalidInput(
            f"{field} must be a distance greater than zero metres, got {value!r}", field=field
        )
    return number


def _show(value: object) -> str:
    """A value as it should read in a message: 7, 'Ashfield' (not np.int64(7))."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _label(frame: pd.DataFrame, pos: int) -> str:
    """How a row is named in messages: its position, plus its name when it has one."""
    if "name" in frame.columns:
        name = frame["name"].iloc[pos]
        if isinstance(name, str) and name:
            return f"row {pos} ({name!r})"
    return f"row {pos}"


def _layer(frame: object, layer: str, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Common checks: a non-empty GeoDataFrame with a CRS, the columns, and real geometries."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InvalidInput(f"the {layer} layer must be a GeoDataFrame, got {type(frame).__name__}")
    if len(frame) == 0:
        raise InvalidInput(f"the {layer} layer is empty: load some {layer} first")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"the {layer} layer has no {', '.join(missing)} column", field=missing[0]
        )
    if frame.crs is None:
        raise InvalidInput(f"the {layer} layer has no CRS; expected {WGS84} (longitude, latitude)")
    out = frame.to_crs(WGS84) if not frame.crs.equals(WGS84) else frame.copy()
    out = out.reset_index(drop=True)
    geoms = out.geometry.values
    bad = np.flatnonzero(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if len(bad):
        pos = int(bad[0])
        raise InvalidInput(f"{layer} {_label(out, pos)} has no geometry", field="geometry", row=pos)
    return out


def _unique_text(frame: pd.DataFrame, column: str, layer: str) -> None:
    """Names (or ids) that must be present and unique because results are keyed by them."""
    values = frame[column]
    blank = values.isna() | (values.astype(str).str.strip() == "")
    if blank.any():
        pos = int(np.flatnonzero(blank.to_numpy())[0])
        raise InvalidInput(f"{layer} row {pos} has no {column}", field=column, row=pos)
    dup = values.duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InvalidInput(
            f"{layer} {column} {_show(values.iloc[pos])} appears more than once (row {pos}); "
            f"each {column} must be unique",
            field=column,
            row=pos,
        )


def _numbers(frame: pd.DataFrame, column: str, layer: str) -> np.ndarray:
    """A column as floats, naming the first row that is not a number."""
    try:
        return pd.to_numeric(frame[column], errors="raise").astype(float).to_numpy()
    except (TypeError, ValueError):
        coerced = pd.to_numeric(frame[column], errors="coerce")
        pos = int(np.flatnonzero((coerced.isna() & frame[column].notna()).to_numpy())[0])
        raise InvalidInput(
            f"{layer} {_label(frame, pos)}: {column} {frame[column].iloc[pos]!r} is not a number",
            field=column,
            row=pos,
        ) from None


def validate_areas(areas: object, *, require_population: bool = True) -> gpd.GeoDataFrame:
    """Areas with a unique name, a population of zero or more, an optional need index and a
    polygon. Invalid polygons are repaired (imported boundaries often self-touch)."""
    out = _layer(areas, "areas", ("name", "population", "geometry"))
    _unique_text(out, "name", "areas")
    kinds = out.geometry.geom_type
    wrong = ~kinds.isin(["Polygon", "MultiPolygon"])
    if wrong.any():
        pos = int(np.flatnonzero(wrong.to_numpy())[0])
        raise InvalidInput(
            f"areas {_label(out, pos)} is a {kinds.iloc[pos]}; areas must be polygons",
            field="geometry",
            row=pos,
        )
    population = _numbers(out, "population", "areas")
    if require_population:
        missing = np.isnan(population)
        if missing.any():
            pos = int(np.flatnonzero(missing)[0])
            raise InvalidInput(
                f"areas {_label(out, pos)} has no population; every area needs one "
                "(0 is allowed for areas where nobody lives)",
                field="population",
                row=pos,
            )
    negative = population < 0
    if negative.any():
        pos = int(np.flatnonzero(negative)[0])
        raise InvalidInput(
            f"areas {_label(out, pos)} has a negative population ({population[pos]:g})",
            field="population",
            row=pos,
        )
    out["population"] = population
    if "need_index" in out.columns:
        need = _numbers(out, "need_index", "areas")
        if np.isinf(need).any():
            pos = int(np.flatnonzero(np.isinf(need))[0])
            raise InvalidInput(
                f"areas {_label(out, pos)} has an infinite need_index", field="need_index", row=pos
            )
        out["need_index"] = need
    else:
        out["need_index"] = np.nan
    invalid = ~out.geometry.is_valid
    if invalid.any():
        out.loc[invalid, "geometry"] = shapely.make_valid(out.geometry[invalid].values)
    return out[["name", "population", "need_index", "geometry"]]


def validate_services(services: object) -> gpd.GeoDataFrame:
    """Public services: a name, a service type from the taxonomy and a point."""
    out = _layer(services, "services", ("name", "service_type", "geometry"))
    kinds = out["service_type"]
    unknown = ~kinds.isin(list(SERVICE_TYPES))
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InvalidInput(
            f"services {_label(out, pos)}: unknown service_type {kinds.iloc[pos]!r}; "
            f"expected one of {', '.join(SERVICE_TYPES)}",
            field="service_type",
            row=pos,
        )
    not_point = out.geometry.geom_type != "Point"
    if not_point.any():
        pos = int(np.flatnonzero(not_point.to_numpy())[0])
        raise InvalidInput(
            f"services {_label(out, pos)} is a {out.geometry.geom_type.iloc[pos]}; "
            "services must be points",
            field="geometry",
            row=pos,
        )
    out["name"] = out["name"].fillna("").astype(str)
    return out[["name", "service_type", "geometry"]]


def validate_assets(assets: object) -> gpd.GeoDataFrame:
    """Assets: a unique id, a name, a kind, a category from the taxonomy, and a point or
    polygon; polygons (venues) are represented by a point guaranteed to lie inside them."""
    out = _layer(assets, "assets", ("id", "name", "category", "geometry"))
    _unique_text(out, "id", "assets")
    cats = out["category"]
    unknown = ~cats.isin(list(ASSET_CATEGORIES))
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InvalidInput(
            f"assets {_label(out, pos)}: unknown category {cats.iloc[pos]!r}; "
            f"expected one of {', '.join(ASSET_CATEGORIES)}",
            field="category",
            row=pos,
        )
    kinds = out.geometry.geom_type
    wrong = ~kinds.isin(["Point", "Polygon", "MultiPolygon"])
    if wrong.any():
        pos = int(np.flatnonzero(wrong.to_numpy())[0])
        raise InvalidInput(
            f"assets {_label(out, pos)} is a {kinds.iloc[pos]}; assets must be points or polygons",
            field="geometry",
            row=pos,
        )
    # representative_point, not centroid: a U-shaped venue's centroid can fall outside it.
    out["geometry"] = out.geometry.representative_point()
    if "kind" not in out.columns:
        out["kind"] = ""
    out["name"] = out["name"].fillna("").astype(str)
    out["kind"] = out["kind"].fillna("").astype(str)
    return out[["id", "name", "kind", "category", "geometry"]]


def validate_cells(cells: object) -> gpd.GeoDataFrame:
    """Population cells (points or small polygons with a population) used to place each
    area's population-weighted point."""
    out = _layer(cells, "population cells", ("population", "geometry"))
    population = _numbers(out, "population", "population cells")
    bad = np.isnan(population) | (population < 0)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"population cells row {pos} has a missing or negative population",
            field="population",
            row=pos,
        )
    out["population"] = population
    out["geometry"] = out.geometry.representative_point()
    return out[["population", "geometry"]]


def metric_crs(*layers: gpd.GeoDataFrame):
    """The UTM CRS of the zone holding the centre of the layers' combined extent (metres).

    Worked out from the longitude rather than with `estimate_utm_crs`, which searches PROJ's
    database on every call (about 0.2 s); the zone of the centre is what that search finds
    for any extent a neighbourhood, city or region analysis covers.
    """
    bounds = np.array([layer.total_bounds for layer in layers if layer is not None])
    lon = (bounds[:, 0].min() + bounds[:, 2].max()) / 2
    lat = (bounds[:, 1].min() + bounds[:, 3].max()) / 2
    zone = min(60, int((lon + 180) // 6) + 1)
    return _utm(zone, lat >= 0)


@lru_cache(maxsize=128)
def _utm(zone: int, north: bool) -> CRS:
    return CRS.from_epsg((32600 if north else 32700) + zone)


def check_overlap(areas_m: gpd.GeoDataFrame, assets_m: gpd.GeoDataFrame, margin_m: float) -> None:
    """Refuse areas lying wholly outside the assets' extent widened by `margin_m`.

    An area near the assets with none inside it is a gap worth reporting; an area kilometres
    beyond every asset is almost always the wrong file, swapped coordinates or another town.
    """
    minx, miny, maxx, maxy = assets_m.total_bounds
    extent = shapely.box(minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)
    outside = ~areas_m.geometry.intersects(extent)
    if outside.any():
        positions = np.flatnonzero(outside.to_numpy())
        names = ", ".join(repr(n) for n in areas_m["name"].iloc[positions[:5]])
        more = f" and {len(positions) - 5} more" if len(positions) > 5 else ""
        raise InvalidInput(
            f"{len(positions)} area(s) do not overlap the assets' extent (widened by "
            f"{margin_m:g} m): {names}{more}. Check the areas file, its CRS, or clip it to "
            "the study area",
            field="geometry",
            row=int(positions[0]),
        )
