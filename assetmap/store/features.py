"""Layers read back out as GeoJSON-ready features, built by PostGIS (the ST_* lives here)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from assetmap.store.models import Area, Asset, Link, Service

PRECISION = 9  # decimal places: keeps what any sensible input file gave us


def _geojson(geom):
    # RFC 7946: polygons' exterior rings counter-clockwise (the right-hand rule).
    return func.ST_AsGeoJSON(func.ST_ForcePolygonCCW(geom), PRECISION)


def _asset_query(include_archived: bool) -> Select:
    query = select(Asset, _geojson(Asset.geom)).order_by(Asset.id)
    if not include_archived:
        query = query.where(Asset.status != "archived")
    return query


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _feature(feature_id, properties: dict, geometry: str) -> dict:
    return {"type": "Feature", "id": feature_id, "properties": properties,
            "geometry": json.loads(geometry)}


def _public_id(entity) -> str:
    return entity.source_id if entity.source_id is not None else str(entity.id)


def iter_assets(session: Session, *, include_archived: bool = False) -> Iterator[dict]:
    """Every asset as a GeoJSON Feature; its own properties first, then any extras."""
    for asset, geometry in session.execute(_asset_query(include_archived)).yield_per(1000):
        props = {"id": _public_id(asset), "kind": asset.kind, "category": asset.category,
                 "name": asset.name, "description": asset.description,
                 "contact": asset.contact, "website": asset.website,
                 "opening_times": asset.opening_times, "accessibility": asset.accessibility,
                 "visibility": asset.visibility, "status": asset.status,
                 "source": asset.source, "assetmap_id": asset.id}
        yield _feature(props["id"], {**props, **(asset.extra or {})}, geometry)


def iter_services(session: Session) -> Iterator[dict]:
    """Every public service as a GeoJSON Feature."""
    query = select(Service, _geojson(Service.geom)).order_by(Service.id)
    for service, geometry in session.execute(query).yield_per(1000):
        props = {"id": _public_id(service), "service_type": service.service_type,
                 "name": service.name, "description": service.description,
                 "website": service.website, "source": service.source,
                 "assetmap_id": service.id}
        yield _feature(props["id"], {**props, **(service.extra or {})}, geometry)


def iter_areas(session: Session) -> Iterator[dict]:
    """Every area as a GeoJSON Feature."""
    query = select(Area, _geojson(Area.geom)).order_by(Area.id)
    for area, geometry in session.execute(query).yield_per(1000):
        props = {"id": _public_id(area), "name": area.name, "code": area.code,
                 "population": area.population, "need_index": area.need_index,
                 "source": area.source, "assetmap_id": area.id}
        yield _feature(props["id"], {**props, **(area.extra or {})}, geometry)


def iter_links(session: Session, *, include_archived: bool = False) -> Iterator[dict]:
    """Every link as a LineString between points on its two assets."""
    a, b = aliased(Asset), aliased(Asset)
    line = func.ST_AsGeoJSON(
        func.ST_MakeLine(func.ST_PointOnSurface(a.geom), func.ST_PointOnSurface(b.geom)),
        PRECISION,
    )
    query = (select(Link, a, b, line).join(a, Link.from_asset_id == a.id)
             .join(b, Link.to_asset_id == b.id).order_by(Link.id))
    if not include_archived:
        query = query.where(Link.status != "archived")
    for link, start, end, geometry in session.execute(query).yield_per(1000):
        props = {"id": _public_id(link), "from_id": _public_id(start), "to_id": _public_id(end),
                 "type": link.type, "weight": link.weight, "directed": link.directed,
                 "started": _plain(link.started), "ended": _plain(link.ended),
                 "evidence": link.evidence, "status": link.status, "source": link.source,
                 "assetmap_id": link.id}
        yield _feature(props["id"], {**props, **(link.extra or {})}, geometry)


def iter_layer(session: Session, layer: str, **options) -> Iterator[dict]:
    """Features of one layer by name."""
    readers = {"assets": iter_assets, "services": iter_services, "areas": iter_areas,
               "links": iter_links}
    reader = readers[layer]
    if layer in ("services", "areas"):
        options.pop("include_archived", None)
    return reader(session, **options)


def published_counts(session: Session) -> dict[str, int]:
    """What the public sees counted: published assets and links, every service and area."""
    return {
        "assets": session.scalar(select(func.count()).where(Asset.status == "published")),
        "links": session.scalar(select(func.count()).where(Link.status == "published")),
        "services": session.scalar(select(func.count()).select_from(Service)),
        "areas": session.scalar(select(func.count()).select_from(Area)),
    }


def layer_counts(session: Session) -> dict[str, int]:
    """How many rows each layer holds (archived assets and links left out)."""
    return {
        "assets": session.scalar(select(func.count()).where(Asset.status != "archived")),
        "links": session.scalar(select(func.count()).where(Link.status != "archived")),
        "services": session.scalar(select(func.count()).select_from(Service)),
        "areas": session.scalar(select(func.count()).select_from(Area)),
    }
