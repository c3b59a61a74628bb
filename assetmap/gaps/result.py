"""What a gap analysis returns, and how it leaves: RFC 7946 GeoJSON and CSV."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from assetmap.errors import InvalidInput

LAYERS = ("areas", "services_without_assets")


def _plain(value: Any) -> Any:
    """A JSON-ready Python value: numpy scalars unwrapped, NaN / NA as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class GapResult:
    """The outcome of `analyse_gaps`, as plain data.

    areas: one row per area (EPSG:4326) with every measure, factor, contribution, the
        priority score and rank, and the low-access cluster flags.
    services_without_assets: one row per (service, asset category) with no asset of that
        category within the overlay distance.
    services, assets: the cleaned input layers as points (for maps).
    parameters: every setting the numbers depend on. notes: caveats a reader must see.
    """

    areas: gpd.GeoDataFrame
    services_without_assets: gpd.GeoDataFrame
    services: gpd.GeoDataFrame | None
    assets: gpd.GeoDataFrame
    parameters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def _layer(self, layer: str) -> gpd.GeoDataFrame:
        if layer not in LAYERS:
            raise InvalidInput(f"unknown layer {layer!r}; use {' or '.join(LAYERS)}", field="layer")
        return getattr(self, layer)

    def ranked(self) -> gpd.GeoDataFrame:
        """Areas from highest to lowest priority (ties by name)."""
        return self.areas.sort_values(["rank", "name"], kind="stable")

    def to_geojson(self, layer: str = "areas") -> dict:
        """A GeoJSON FeatureCollection (RFC 7946: longitude/latitude in WGS 84, polygon rings
        counter-clockwise outside and clockwise for holes, no `crs` member)."""
        frame = self._layer(layer).to_crs("EPSG:4326")
        geoms = frame.geometry.values
        # RFC 7946 section 3.1.6: exterior rings counter-clockwise, holes clockwise.
        geoms = shapely.orient_polygons(geoms, exterior_cw=False)
        columns = [c for c in frame.columns if c != frame.geometry.name]
        records = frame[columns].astype(object).to_numpy()
        features = []
        for geom, values in zip(geoms, records, strict=True):
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(shapely.to_geojson(geom)),
                    "properties": {
                        col: _plain(val) for col, val in zip(columns, values, strict=True)
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def to_csv(self, layer: str = "areas") -> str:
        """The layer as CSV text: one row per feature, geometry replaced by a point's
        longitude and latitude (the area's analysis point, or the service location)."""
        frame = self._layer(layer)
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        if layer == "services_without_assets":
            coords = shapely.get_coordinates(frame.geometry.values)
            table["lon"] = coords[:, 0] if len(coords) else []
            table["lat"] = coords[:, 1] if len(coords) else []
        buffer = io.StringIO()
        table.to_csv(buffer, index=False, float_format="%.10g", lineterminator="\n")
        return buffer.getvalue()
