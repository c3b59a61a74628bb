"""Turn raw rows into clean records, or a list of every problem with its row and field.

A file is accepted whole or not at all: `validate_layer` collects every problem before
raising, so one run tells the user everything to fix.
"""

from __future__ import annotations

import math
from datetime import date

import shapely
from shapely.geometry import MultiPolygon
from shapely.validation import explain_validity

from assetmap.errors import ImportRejected
from assetmap.ingest.readers import RawRow
from assetmap.taxonomy import (
    ASSET_CATEGORIES,
    ASSET_KINDS,
    LINK_TYPES,
    SERVICE_TYPES,
    STATUSES,
    VISIBILITIES,
)

MAX_NAME = 200
MAX_SHORT_TEXT = 500
TEXT_FIELDS = {"description": 10_000, "contact": MAX_SHORT_TEXT, "website": MAX_SHORT_TEXT,
               "opening_times": MAX_SHORT_TEXT, "accessibility": 10_000}
# Properties that describe the import itself, not the feature: never stored as extras.
RESERVED = {"id", "source_id", "source", "assetmap_id"}


class Problems:
    """Collects (row, field, reason) triples."""

    def __init__(self):
        self.items: list[tuple[int | None, str | None, str]] = []

    def add(self, row: int | None, field: str | None, reason: str) -> None:
        self.items.append((row, field, reason))


def _text(props: dict, key: str, row: int, problems: Problems, *, limit: int,
          required: bool = False) -> str:
    value = props.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = ""
    if isinstance(value, dict | list | bool):
        problems.add(row, key, f"must be text, got {type(value).__name__}")
        return ""
    value = str(value).strip()
    if "\x00" in value:
        problems.add(row, key, "contains a NUL character, which cannot be stored")
        return ""
    if required and not value:
        problems.add(row, key, "is missing or empty")
    elif len(value) > limit:
        problems.add(row, key, f"is {len(value)} characters long; the limit is {limit}")
    return value


def _choice(props: dict, key: str, allowed, row: int, problems: Problems,
            default: str | None = None) -> str:
    value = props.get(key)
    value = str(value).strip() if value not in (None, "") else default
    if value is None:
        problems.add(row, key, "is missing")
        return ""
    if value not in allowed:
        problems.add(row, key, f"unknown value {value!r}; expected one of {', '.join(allowed)}")
    return value


def _number(props: dict, key: str, row: int, problems: Problems, *, integer: bool = False,
            minimum: float | None = None, default=None):
    value = props.get(key)
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return default
    if isinstance(value, bool):
        problems.add(row, key, f"must be a number, got {value!r}")
        return default
    try:
        number = float(value)
        if integer:
            if not number.is_integer():
                raise ValueError
            number = int(number)
    except (TypeError, ValueError):
        kind = "a whole number" if integer else "a number"
        problems.add(row, key, f"must be {kind}, got {value!r}")
        return default
    if not math.isfinite(number):
        problems.add(row, key, f"must be a finite number, got {value!r}")
        return default
    if minimum is not None and number < minimum:
        problems.add(row, key, f"must be at least {minimum:g}, got {value!r}")
    return number


def _date(props: dict, key: str, row: int, problems: Problems) -> date | None:
    value = props.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.add(row, key, f"must be a date like 2024-05-31, got {value!r}")
        return None


def _bool(props: dict, key: str, row: int, problems: Problems, default: bool) -> bool:
    value = props.get(key)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "t", "y"):
        return True
    if text in ("false", "no", "0", "f", "n"):
        return False
    problems.add(row, key, f"must be true or false, got {value!r}")
    return default


def _geometry(raw: RawRow, allowed: tuple[str, ...], problems: Problems):
    if raw.geometry_error:
        problems.add(raw.row, "geometry", raw.geometry_error)
        return None
    geom = raw.geometry
    if geom is None or geom.is_empty:
        problems.add(raw.row, "geometry", "is missing")
        return None
    if geom.geom_type not in allowed:
        problems.add(raw.row, "geometry", f"is a {geom.geom_type}; expected {' or '.join(allowed)}")
        return None
    coords = shapely.get_coordinates(geom)
    if not (abs(coords[:, 0]) <= 180).all() or not (abs(coords[:, 1]) <= 90).all():
        problems.add(
            raw.row, "geometry",
            "coordinates out of range for longitude/latitude (is the file in another CRS? "
            "pass --crs, e.g. --crs EPSG:27700)",
        )
        return None
    if not shapely.is_valid(geom):
        problems.add(raw.row, "geometry", f"is not valid: {explain_validity(geom)}")
        return None
    return geom


def _source_id(raw: RawRow) -> str:
    value = raw.properties.get("id", raw.properties.get("source_id"))
    if value in (None, ""):
        # No identifier in the file: the row number, so re-importing the same file updates.
        return f"row-{raw.row}"
    return str(value)


def _extras(props: dict, known: set[str]) -> dict:
    return {k: v for k, v in props.items() if k not in known and k not in RESERVED}


ASSET_FIELDS = {"kind", "category", "name", "visibility", "status", *TEXT_FIELDS}


def clean_asset(raw: RawRow, problems: Problems) -> dict:
    """An asset record from a raw row."""
    p, r = raw.properties, raw.row
    record = {
        "kind": _choice(p, "kind", ASSET_KINDS, r, problems),
        "category": _choice(p, "category", tuple(ASSET_CATEGORIES), r, problems),
        "name": _text(p, "name", r, problems, limit=MAX_NAME, required=True),
        "visibility": _choice(p, "visibility", VISIBILITIES, r, problems, default="public"),
        "status": _choice(p, "status", STATUSES, r, problems, default="published"),
        "geom": _geometry(raw, ("Point", "Polygon", "MultiPolygon"), problems),
        "source_id": _source_id(raw),
        "extra": _extras(p, ASSET_FIELDS),
    }
    for key, limit in TEXT_FIELDS.items():
        record[key] = _text(p, key, r, problems, limit=limit)
    return record


SERVICE_FIELDS = {"name", "service_type", "description", "website"}


def clean_service(raw: RawRow, problems: Problems) -> dict:
    """A public service record; a polygon footprint becomes a point inside it."""
    p, r = raw.properties, raw.row
    geom = _geometry(raw, ("Point", "Polygon", "MultiPolygon"), problems)
    if geom is not None and geom.geom_type != "Point":
        geom = geom.representative_point()
    return {
        "service_type": _choice(p, "service_type", tuple(SERVICE_TYPES), r, problems),
        "name": _text(p, "name", r, problems, limit=MAX_NAME, required=True),
        "description": _text(p, "description", r, problems, limit=10_000),
        "website": _text(p, "website", r, problems, limit=MAX_SHORT_TEXT),
        "geom": geom,
        "source_id": _source_id(raw),
        "extra": _extras(p, SERVICE_FIELDS),
    }


AREA_FIELDS = {"name", "code", "population", "need_index"}


def clean_area(raw: RawRow, problems: Problems) -> dict:
    """An area record; polygons are stored as multipolygons."""
    p, r = raw.properties, raw.row
    geom = _geometry(raw, ("Polygon", "MultiPolygon"), problems)
    if geom is not None and geom.geom_type == "Polygon":
        geom = MultiPolygon([geom])
    return {
        "name": _text(p, "name", r, problems, limit=MAX_NAME, required=True),
        "code": _text(p, "code", r, problems, limit=64) or None,
        "population": _number(p, "population", r, problems, integer=True, minimum=0),
        "need_index": _number(p, "need_index", r, problems),
        "geom": geom,
        "source_id": _source_id(raw),
        "extra": _extras(p, AREA_FIELDS),
    }


LINK_FIELDS = {"from_id", "to_id", "type", "weight", "directed", "started", "ended", "evidence",
               "status"}


def clean_link(raw: RawRow, problems: Problems) -> dict:
    """A link record; its ends are still asset source ids, resolved when stored."""
    p, r = raw.properties, raw.row
    link_type = _choice(p, "type", tuple(LINK_TYPES), r, problems)
    record = {
        "from_id": _text(p, "from_id", r, problems, limit=200, required=True),
        "to_id": _text(p, "to_id", r, problems, limit=200, required=True),
        "type": link_type,
        "weight": _number(p, "weight", r, problems, default=1.0),
        "directed": _bool(p, "directed", r, problems,
                          LINK_TYPES.get(link_type, ("", False))[1]),
        "started": _date(p, "started", r, problems),
        "ended": _date(p, "ended", r, problems),
        "evidence": _text(p, "evidence", r, problems, limit=10_000),
        "status": _choice(p, "status", STATUSES, r, problems, default="published"),
        "source_id": _source_id(raw),
        "extra": _extras(p, LINK_FIELDS),
    }
    if record["weight"] is not None and record["weight"] <= 0:
        problems.add(r, "weight", f"must be greater than 0, got {p.get('weight')!r}")
    if record["from_id"] and record["from_id"] == record["to_id"]:
        problems.add(r, "to_id", "a link cannot join an asset to itself")
    if record["started"] and record["ended"] and record["ended"] < record["started"]:
        problems.add(r, "ended", "is before 'started'")
    return record


CLEANERS = {"assets": clean_asset, "services": clean_service, "areas": clean_area,
            "links": clean_link}


def validate_layer(layer: str, rows: list[RawRow], *, name: str = "file") -> list[dict]:
    """Clean records for every row, or ImportRejected listing every problem."""
    problems = Problems()
    records = []
    seen: dict[str, int] = {}
    for raw in rows:
        record = CLEANERS[layer](raw, problems)
        record["row"] = raw.row
        previous = seen.setdefault(record["source_id"], raw.row)
        if previous != raw.row:
            problems.add(raw.row, "id",
                         f"duplicate id {record['source_id']!r} (also row {previous})")
        records.append(record)
    if layer == "areas":
        names: dict[str, int] = {}
        for record in records:
            first = names.setdefault(record["name"], record["row"])
            if record["name"] and first != record["row"]:
                problems.add(record["row"], "name", f"duplicate area name (also row {first})")
    if not rows:
        problems.add(None, None, "the file holds no features")
    if problems.items:
        raise ImportRejected(f"{name}: {len(problems.items)} problem(s); nothing was imported",
                             problems.items)
    return records
