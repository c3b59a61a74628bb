"""Read a file into raw rows: properties, a geometry (or the reason there is none), a row number.

Nothing is judged here beyond what the format itself says; `validate.py` decides what a row
means. Every reader reports a row number a person can find in the file: the feature's position
in a GeoJSON or GeoPackage (from 1), the line number in a CSV (the header is line 1).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from pyproj import CRS, Transformer
from shapely.geometry import shape

from assetmap.errors import ImportRejected, InvalidInput

WGS84 = CRS.from_epsg(4326)
LON_COLUMNS = ("lon", "lng", "longitude", "x")
LAT_COLUMNS = ("lat", "latitude", "y")
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom")


@dataclass
class RawRow:
    row: int
    properties: dict
    geometry: shapely.Geometry | None = None
    geometry_error: str | None = None


@dataclass
class RawLayer:
    rows: list[RawRow] = field(default_factory=list)
    crs: CRS = WGS84


def detect_format(path: Path) -> str:
    """The format name for a path, from its extension."""
    name = path.name.lower()
    if name.endswith((".geojson", ".json")):
        return "geojson"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".gpkg"):
        return "gpkg"
    if name.endswith((".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.gz")):
        return "osm"
    return "ogr"


def read_layer(path: Path, *, fmt: str | None = None, crs: str | None = None) -> RawLayer:
    """Read `path` (any supported format) into raw rows with geometries in EPSG:4326."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    readers = {"geojson": read_geojson, "csv": read_csv, "gpkg": read_ogr, "ogr": read_ogr}
    if fmt not in readers:
        raise InvalidInput(f"{path}: format {fmt!r} is not one this command reads", field="format")
    layer = readers[fmt](path)
    if crs:
        layer.crs = _parse_crs(crs)
    return to_wgs84(layer)


def _parse_crs(text: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except Exception as exc:  # pyproj raises its own CRSError with a long message
        raise InvalidInput(f"unknown coordinate reference system {text!r}", field="crs") from exc


def read_geojson(path: Path) -> RawLayer:
    """A FeatureCollection (or a single Feature); a legacy `crs` member is honoured."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            f"{path.name}: broken JSON",
            [(None, None, f"line {exc.lineno}, column {exc.colno}: {exc.msg}")],
        ) from exc
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InvalidInput(f"{path.name}: not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list):
        raise InvalidInput(f"{path.name}: 'features' must be a list")
    layer = RawLayer()
    crs_member = doc.get("crs")
    if isinstance(crs_member, dict):
        name = (crs_member.get("properties") or {}).get("name")
        if name:
            layer.crs = _parse_crs(name)
    for number, feature in enumerate(features, start=1):
        layer.rows.append(_geojson_row(number, feature))
    return layer


def _geojson_row(number: int, feature) -> RawRow:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return RawRow(number, {}, geometry_error="not a GeoJSON Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return RawRow(number, {}, geometry_error="'properties' must be an object")
    props = dict(props)
    if "id" in feature and "id" not in props:
        props["id"] = feature["id"]
    geometry = feature.get("geometry")
    if geometry is None:
        return RawRow(number, props)
    try:
        return RawRow(number, props, shape(geometry))
    except Exception as exc:  # shapely reports malformed coordinates in many ways
        return RawRow(number, props, geometry_error=f"malformed geometry: {exc}")


def read_csv(path: Path) -> RawLayer:
    """A CSV with lon/lat columns, a WKT column, or (for links) no geometry at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    reader = csv.DictReader(text.splitlines())
    columns = {c.strip().lower(): c for c in (reader.fieldnames or [])}
    if not columns:
        raise InvalidInput(f"{path.name}: the CSV has no header row")
    lon = next((columns[c] for c in LON_COLUMNS if c in columns), None)
    lat = next((columns[c] for c in LAT_COLUMNS if c in columns), None)
    wkt = next((columns[c] for c in WKT_COLUMNS if c in columns), None)
    layer = RawLayer()
    for record in reader:
        line = reader.line_num
        if None in record:
            layer.rows.append(RawRow(line, {}, geometry_error="more values than header columns"))
            continue
        props = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in record.items()}
        row = RawRow(line, {k: v for k, v in props.items() if k not in (lon, lat, wkt)})
        if wkt and props.get(wkt):
            try:
                row.geometry = shapely.from_wkt(props[wkt])
            except shapely.errors.GEOSException as exc:
                row.geometry_error = f"unreadable WKT in column {wkt!r}: {exc}"
        elif lon and lat and (props.get(lon) or props.get(lat)):
            try:
                row.geometry = shapely.Point(float(props[lon]), float(props[lat]))
            except (TypeError, ValueError):
                row.geometry_error = (
                    f"{lon!r}/{lat!r} must be numbers, got {props.get(lon)!r}, {props.get(lat)!r}"
                )
        layer.rows.append(row)
    return layer


def read_ogr(path: Path) -> RawLayer:
    """GeoPackage, Shapefile, FlatGeobuf... anything GDAL reads, through pyogrio."""
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # GDAL's errors are many and untyped
        raise InvalidInput(f"{path.name}: GDAL cannot read it: {exc}") from exc
    layer = RawLayer(crs=CRS.from_user_input(frame.crs) if frame.crs else WGS84)
    geometry_name = frame.geometry.name if "geometry" in frame else None
    for number, (_, record) in enumerate(frame.iterrows(), start=1):
        props = {}
        for key, value in record.items():
            if key == geometry_name:
                continue
            props[key] = None if _is_missing(value) else _plain(value)
        geom = record.get(geometry_name) if geometry_name else None
        layer.rows.append(RawRow(number, props, None if _is_missing(geom) else geom))
    return layer


def _is_missing(value) -> bool:
    try:
        return value is None or bool(value != value)  # NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False


def _plain(value):
    # numpy scalars and pandas timestamps become plain Python values.
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def to_wgs84(layer: RawLayer) -> RawLayer:
    """Reproject every geometry to EPSG:4326 (longitude, latitude order)."""
    if layer.crs.equals(WGS84) or layer.crs.to_epsg() == 4326:
        layer.crs = WGS84
        return layer
    transformer = Transformer.from_crs(layer.crs, WGS84, always_xy=True)
    for row in layer.rows:
        if row.geometry is not None:
            row.geometry = shapely.transform(
                row.geometry, lambda xy: _stack(*transformer.transform(xy[:, 0], xy[:, 1]))
            )
    layer.crs = WGS84
    return layer


def _stack(x, y):
    import numpy as np

    return np.column_stack([x, y])
