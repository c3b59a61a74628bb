"""What the map asks for: assets, services and areas in a viewport, as GeoJSON features."""

from __future__ import annotations

import json
from functools import lru_cache
from operator import itemgetter

from sqlalchemy import (
    Connection,
    Engine,
    Text,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput
from assetmap.store.db import driver_cursor
from assetmap.store.models import Area, Asset, AssetMap, Service
from assetmap.store.visibility import Viewer, asset_filter
from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, SERVICE_TYPES

MAX_LIMIT = 1000


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """'minlon,minlat,maxlon,maxlat' → a tuple, checked; None when not given."""
    if text in (None, ""):
        return None
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError as exc:
        raise InvalidInput("bbox must be four numbers: minlon,minlat,maxlon,maxlat",
                           field="bbox") from exc
    if len(values) != 4 or any(v != v for v in values):
        raise InvalidInput("bbox must be four numbers: minlon,minlat,maxlon,maxlat",
                           field="bbox")
    minx, miny, maxx, maxy = values
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90
            and -90 <= maxy <= 90):
        raise InvalidInput("bbox is outside longitude -180..180 / latitude -90..90",
                           field="bbox")
    if minx > maxx or miny > maxy:
        raise InvalidInput("bbox minimums must not exceed maximums", field="bbox")
    return values


def parse_limit(text: str | None, default: int = 200) -> int:
    """A positive limit no larger than MAX_LIMIT."""
    if text in (None, ""):
        return default
    try:
        limit = int(text)
    except ValueError as exc:
        raise InvalidInput("limit must be a whole number", field="limit") from exc
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    return limit


def asset_properties(asset: Asset, viewer: Viewer) -> dict:
    """The properties a viewer may see of an asset."""
    props = {
        "id": asset.id, "name": asset.name, "kind": asset.kind, "category": asset.category,
        "category_label": ASSET_CATEGORIES.get(asset.category, asset.category),
        "description": asset.description, "website": asset.website,
        "opening_times": asset.opening_times, "accessibility": asset.accessibility,
        "status": asset.status, "visibility": asset.visibility, "version": asset.version,
    }
    if viewer.sees_contacts:
        props["contact"] = asset.contact
    return props


@lru_cache(maxsize=512)
def _viewport_statement(viewer: Viewer, has_bbox: bool, has_category: bool, has_kind: bool,
                        has_q: bool):
    # Built once per shape of request; values are bound parameters, so the database reuses
    # the plan. It reads the narrow asset_map table the triggers keep (migration 0004); the
    # asset row is joined only for text search and for contact details, which go only to
    # those who may see them.
    feature = AssetMap.feature
    if viewer.sees_contacts:
        feature = cast(func.jsonb_set(cast(AssetMap.feature, JSONB),
                                      literal_column("'{properties,contact}'::text[]"),
                                      func.to_jsonb(Asset.contact)), Text)
    query = select(feature).select_from(AssetMap)
    if viewer.sees_contacts or has_q:
        query = query.join(Asset, Asset.id == AssetMap.id)
    query = query.where(asset_filter(viewer, AssetMap))
    if has_bbox:
        envelope = func.ST_MakeEnvelope(bindparam("minx"), bindparam("miny"),
                                        bindparam("maxx"), bindparam("maxy"), 4326)
        # Markers are points: bounding-box overlap is the containment test, answered by the
        # GiST index alone (exact up to its single-precision boxes, a metre or so). An area
        # asset appears when its marker is in view.
        query = query.where(AssetMap.point.op("&&")(envelope))
    if has_category:
        query = query.where(AssetMap.category == bindparam("category"))
    if has_kind:
        query = query.where(AssetMap.kind == bindparam("kind"))
    if has_q:
        query = query.where(or_(Asset.name.ilike(bindparam("pattern")),
                                Asset.description.ilike(bindparam("pattern"))))
    return query.order_by(AssetMap.id).limit(bindparam("limit"))


@lru_cache(maxsize=512)
def _viewport_sql(viewer: Viewer, *shape: bool) -> tuple[str, dict]:
    # The statement as the driver's SQL text and its constant parameters (the visibility
    # rules' values); the request's own values (bbox, limit...) are merged in at run time.
    statement = _viewport_statement(viewer, *shape)
    placeholders = {name: None for name in ("minx", "miny", "maxx", "maxy", "category",
                                            "kind", "pattern", "limit")}
    compiled = statement.params(placeholders).compile(dialect=psycopg_dialect())
    expanded = compiled.construct_expanded_state()
    return expanded.statement, dict(expanded.parameters)


def assets_in_view_json(db: Session | Engine | Connection, viewer: Viewer, *, bbox=None,
                        category: str | None = None, kind: str | None = None,
                        q: str | None = None, limit: int = 200) -> str:
    """A FeatureCollection of visible assets (points), at most `limit`, with `truncated`.

    The viewport is the busiest request the app serves: each feature's JSON is kept ready in
    asset_map (descriptions cut to 240 characters; one asset's page has the whole text) and
    the query runs on the driver as one autocommit statement, so Python only joins the rows.
    An asset is in the bbox when its marker (its point, or a point on its surface) is.
    """
    if category and category not in ASSET_CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}", field="category")
    if kind and kind not in ASSET_KINDS:
        raise InvalidInput(f"unknown kind {kind!r}", field="kind")
    if q and len(q) > 200:
        raise InvalidInput("search text is too long (200 characters at most)", field="q")
    params: dict = {"limit": limit + 1}
    if bbox:
        params.update(zip(("minx", "miny", "maxx", "maxy"), bbox, strict=True))
    if category:
        params["category"] = category
    if kind:
        params["kind"] = kind
    if q:
        params["pattern"] = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
    sql, constants = _viewport_sql(viewer, bool(bbox), bool(category), bool(kind), bool(q))
    with driver_cursor(db) as cursor:
        cursor.execute(sql, {**constants, **params})
        rows = cursor.fetchall()
    truncated = "true" if len(rows) > limit else "false"
    # map + itemgetter keep the per-row work in C: a Python step per row showed in profiles.
    return ('{"type":"FeatureCollection","features":['
            + ",".join(map(itemgetter(0), rows[:limit])) + '],"truncated":' + truncated + "}")


def assets_in_view(db: Session | Engine | Connection, viewer: Viewer, **options) -> dict:
    """The same FeatureCollection as `assets_in_view_json`, parsed."""
    return json.loads(assets_in_view_json(db, viewer, **options))


def services_in_view(session: Session, *, bbox=None, service_type: str | None = None) -> dict:
    """Public services (all public information) in the viewport."""
    if service_type and service_type not in SERVICE_TYPES:
        raise InvalidInput(f"unknown service type {service_type!r}", field="service_type")
    query = select(Service, func.ST_AsGeoJSON(Service.geom, 7))
    if bbox:
        query = query.where(Service.geom.intersects(func.ST_MakeEnvelope(*bbox, 4326)))
    if service_type:
        query = query.where(Service.service_type == service_type)
    features = [
        {"type": "Feature", "id": s.id, "geometry": json.loads(g),
         "properties": {"id": s.id, "name": s.name, "service_type": s.service_type,
                        "service_label": SERVICE_TYPES.get(s.service_type, s.service_type),
                        "description": s.description, "website": s.website}}
        for s, g in session.execute(query.order_by(Service.id).limit(MAX_LIMIT))
    ]
    return {"type": "FeatureCollection", "features": features}


def areas(session: Session) -> dict:
    """Area outlines (simplified a little for the map) with population and need."""
    geometry = func.ST_AsGeoJSON(func.ST_ForcePolygonCCW(
        func.ST_SimplifyPreserveTopology(Area.geom, 0.00002)), 6)
    features = [
        {"type": "Feature", "id": a.id, "geometry": json.loads(g),
         "properties": {"id": a.id, "name": a.name, "population": a.population,
                        "need_index": a.need_index}}
        for a, g in session.execute(select(Area, geometry).order_by(Area.name))
    ]
    return {"type": "FeatureCollection", "features": features}


def likely_duplicates(session: Session, viewer: Viewer, *, category: str, lon: float,
                      lat: float, name: str, metres: float = 100) -> list[dict]:
    """Visible assets of the same category within `metres` whose names look alike."""
    from difflib import SequenceMatcher

    here = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    distance = func.ST_Distance(func.Geography(Asset.geom), func.Geography(here))
    rows = session.execute(
        select(Asset, distance).where(
            asset_filter(viewer), Asset.category == category,
            func.ST_DWithin(func.Geography(Asset.geom), func.Geography(here), metres))
    ).all()
    wanted = name.casefold().strip()
    found = []
    for asset, metres_away in rows:
        similarity = SequenceMatcher(None, wanted, asset.name.casefold()).ratio()
        if similarity >= 0.6 or wanted in asset.name.casefold():
            found.append({"id": asset.id, "name": asset.name,
                          "distance_m": round(metres_away), "similarity": round(similarity, 2)})
    return sorted(found, key=lambda d: -d["similarity"])
