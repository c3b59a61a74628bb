"""Rows out as a GeoPackage layer, written through pyogrio a batch at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from assetmap.store.layers import Layer

BATCH = 20_000  # rows per write: bounded memory, few enough appends to stay quick

_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "object"}
# Mixed points and polygons make a layer of type "Unknown", which QGIS and GDAL read fine.
_GEOMETRY_TYPES = {"Geometry": "Unknown"}
# GeoPackage 1.2: what GDAL before 3.7 (QGIS LTR on older systems) and ArcGIS read without
# a warning; the layer needs nothing newer.
_OPTIONS = {"VERSION": "1.2"}


def _frame(layer: Layer, names: list[str], rows: Sequence[Sequence]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame.from_records(rows, columns=[*names, "wkb"])
    for name in names:
        kind = layer.prop(name).type
        if kind in ("date", "date-time"):
            frame[name] = pd.to_datetime(frame[name], utc=kind == "date-time")
        else:
            frame[name] = frame[name].astype(_DTYPES[kind])
    geometry = gpd.GeoSeries.from_wkb(frame.pop("wkb").map(bytes, na_action="ignore"),
                                      crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def write_layer(path: Path, layer: Layer, names: list[str],
                batches: Iterable[Sequence[Sequence]]) -> int:
    """Write every row of `batches` (properties `names`, then WKB) as layer `layer.name`."""
    count = 0
    geometry_type = _GEOMETRY_TYPES.get(layer.geometry_type, layer.geometry_type)
    for rows in batches:
        pyogrio.write_dataframe(_frame(layer, names, rows), path, layer=layer.name,
                                driver="GPKG", geometry_type=geometry_type, append=count > 0,
                                dataset_options=_OPTIONS)
        count += len(rows)
    if count == 0:  # still a layer with its columns, so the file opens as expected
        pyogrio.write_dataframe(_frame(layer, names, []), path, layer=layer.name,
                                driver="GPKG", geometry_type=geometry_type,
                                dataset_options=_OPTIONS)
    return count
