"""Queries behind OGC API - Features: pages of features, capped counts, one feature, extents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assetmap.store.layers import Filters, feature_select, feature_text, source, where
from assetmap.store.visibility import Viewer

# Counting every match of a large layer on every page would cost more than the page itself:
# up to this many the count is exact; beyond it, numberMatched is left out (as the standard
# allows) rather than guessed.
COUNT_CAP = 10_000


def page(session: Session, layer: str, viewer: Viewer, filters: Filters, limit: int,
         offset: int) -> list[str]:
    """Features `offset`..`offset + limit` of the layer (in id order) as GeoJSON text."""
    query = (feature_select(session, source(layer, viewer), filters, ordered=True)
             .limit(limit).offset(offset))
    return list(session.scalars(query))


def count(session: Session, layer: str, viewer: Viewer, filters: Filters,
          cap: int | None = None) -> int | None:
    """How many features match, or None when more than `cap` (default COUNT_CAP) do."""
    cap = COUNT_CAP if cap is None else cap
    src = source(layer, viewer)
    matches = (select(src.id).select_from(src.from_).where(*where(session, src, filters))
               .limit(cap + 1).subquery())
    total = session.scalar(select(func.count()).select_from(matches))
    return total if total <= cap else None


def item(session: Session, layer: str, viewer: Viewer, feature_id: int) -> str | None:
    """One feature as GeoJSON text, or None when it does not exist or is not visible."""
    src = source(layer, viewer)
    query = (select(feature_text(src)).select_from(src.from_)
             .where(*src.where, src.id == feature_id))
    return session.scalar(query)


def extent(session: Session, layer: str,
           viewer: Viewer) -> tuple[list[float] | None, datetime | None]:
    """The lon/lat box of what `viewer` sees of the layer, and when its first feature began."""
    src = source(layer, viewer)
    box = func.ST_Extent(src.geom)
    first = func.min(src.started if src.layer.temporal == "active" else src.created)
    row = session.execute(
        select(func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box),
               first).select_from(src.from_).where(*src.where)).one()
    bbox = None if row[0] is None else [round(float(v), 7) for v in row[:4]]
    return bbox, row[4]
