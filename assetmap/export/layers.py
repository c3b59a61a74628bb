"""Layers out as GeoJSON, GeoPackage or CSV, for one viewer, with filters.

The query is built (and its filters checked) when these functions are called, before the
first byte is written, so a bad filter is an error rather than a broken download.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session

from assetmap.export import csvfile, gpkg
from assetmap.export.geojson import iter_feature_texts
from assetmap.store.layers import Filters, feature_select, row_select, source, stream
from assetmap.store.visibility import Viewer

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def download_name(layer: str, fmt: str, today: date | None = None) -> str:
    """The file name offered for a download, e.g. assetmap-assets-2026-01-31.geojson."""
    return f"assetmap-{layer}-{(today or date.today()).isoformat()}.{FORMATS[fmt][1]}"


def geojson_chunks(session: Session, layer: str, viewer: Viewer,
                   filters: Filters) -> Iterator[str]:
    """An RFC 7946 FeatureCollection of `layer` as text chunks, streamed from PostGIS."""
    query = feature_select(session, source(layer, viewer), filters)
    batches = ([row[0] for row in part] for part in stream(session, query))
    return iter_feature_texts(batches)


def csv_chunks(session: Session, layer: str, viewer: Viewer, filters: Filters) -> Iterator[str]:
    """`layer` as CSV text chunks: its properties, then the geometry as a `wkt` column."""
    src = source(layer, viewer)
    query = row_select(session, src, filters, "wkt")
    return csvfile.iter_csv([*src.columns, "wkt"], stream(session, query))


def write_gpkg(session: Session, layer: str, viewer: Viewer, filters: Filters,
               path: Path) -> int:
    """Write `layer` to a GeoPackage at `path`; returns how many features were written."""
    src = source(layer, viewer)
    query = row_select(session, src, filters, "wkb")
    return gpkg.write_layer(path, src.layer, list(src.columns),
                            stream(session, query, gpkg.BATCH))


def write(session: Session, layer: str, viewer: Viewer, filters: Filters, fmt: str,
          out: TextIO | Path) -> None:
    """Write `layer` in `fmt` to a text stream (geojson, csv) or a path (gpkg)."""
    if fmt == "gpkg":
        write_gpkg(session, layer, viewer, filters, Path(out))
        return
    chunks = (geojson_chunks if fmt == "geojson" else csv_chunks)(session, layer, viewer,
                                                                  filters)
    for chunk in chunks:
        out.write(chunk)
