"""What the analyses read from the store: plain records and GeoDataFrames, never ORM objects.

`network/` and `gaps/` know nothing of the database; these functions are the bridge.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session, aliased

from assetmap.errors import InvalidInput
from assetmap.store.models import Area, Asset, Link


def area_geometry_clause(session: Session, area_name: str):
    """A WHERE clause for assets inside the named area; InvalidInput if there is no such area."""
    area = session.scalar(select(Area).where(Area.name == area_name))
    if area is None:
        names = session.scalars(select(Area.name).order_by(Area.name)).all()
        known = ", ".join(names) if names else "none are loaded"
        raise InvalidInput(f"there is no area called {area_name!r} (areas: {known})",
                           field="area")
    return func.ST_Intersects(Asset.geom, select(Area.geom).where(Area.id == area.id)
                              .scalar_subquery())


def network_records(session: Session, *, area: str | None = None,
                    on: date | None = None) -> tuple[list[dict], list[dict]]:
    """Published assets and the published links between them, as the network analysis wants.

    Each asset carries the name of the area its point falls in; with `area`, only assets in
    that area (and links between them). With `on`, only links active that day.
    """
    point = func.ST_PointOnSurface(Asset.geom)
    area_name = (select(Area.name).where(func.ST_Intersects(Area.geom, point))
                 .order_by(Area.id).limit(1).scalar_subquery())
    query = (select(Asset.id, Asset.name, Asset.kind, Asset.category, Asset.extra,
                    area_name.label("area"), func.ST_X(point), func.ST_Y(point))
             .where(Asset.status == "published"))
    if area:
        query = query.where(area_geometry_clause(session, area))
    assets = [
        {"id": i, "name": n, "kind": k, "category": c, "area": a, "lon": x, "lat": y,
         "institution": bool((extra or {}).get("institution"))}
        for i, n, k, c, extra, a, x, y in session.execute(query.order_by(Asset.id))
    ]
    ids = {a["id"] for a in assets}
    start, end = aliased(Asset), aliased(Asset)
    link_query = (select(Link).join(start, Link.from_asset_id == start.id)
                  .join(end, Link.to_asset_id == end.id)
                  .where(Link.status == "published", start.status == "published",
                         end.status == "published"))
    if on:
        link_query = link_query.where(
            or_(Link.started.is_(None), Link.started <= on),
            or_(Link.ended.is_(None), Link.ended >= on))
    links = [
        {"id": link.id, "from_id": link.from_asset_id, "to_id": link.to_asset_id,
         "type": link.type, "weight": link.weight, "directed": link.directed,
         "started": link.started, "ended": link.ended}
        for link in session.scalars(link_query.order_by(Link.id))
        if link.from_asset_id in ids and link.to_asset_id in ids
    ]
    return assets, links


def link_date_range(session: Session) -> tuple[date | None, date | None]:
    """The earliest start and latest end (or start) among published links."""
    first, last_start, last_end = session.execute(
        select(func.min(Link.started), func.max(Link.started), func.max(Link.ended))
        .where(Link.status == "published")).one()
    last = max((d for d in (last_start, last_end) if d), default=None)
    return first, last


def _frame(session: Session, sql: str, **params) -> gpd.GeoDataFrame:
    return gpd.read_postgis(text(sql), session.connection(), geom_col="geometry",
                            crs="EPSG:4326", params=params)


def gap_layers(session: Session) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Areas, public services and published assets as GeoDataFrames in EPSG:4326."""
    areas = _frame(session, "SELECT id, name, population, "
                   "COALESCE(need_index, 'NaN'::float8) AS need_index, geom AS geometry "
                   "FROM area ORDER BY id")
    services = _frame(session, "SELECT id, name, service_type, geom AS geometry FROM service "
                      "ORDER BY id")
    assets = _frame(session, "SELECT id, name, kind, category, "
                    "ST_PointOnSurface(geom) AS geometry FROM asset "
                    "WHERE status = 'published' ORDER BY id")
    return areas, services, assets


