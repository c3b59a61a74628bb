"""Revisions: every change to an asset or a link is written down, nothing is lost."""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from assetmap.store.models import Asset, Link, Revision

ASSET_COLUMNS = ("kind", "category", "name", "description", "contact", "website",
                 "opening_times", "accessibility", "visibility", "status", "source",
                 "source_id", "extra", "version")
LINK_COLUMNS = ("from_asset_id", "to_asset_id", "type", "directed", "weight", "started",
                "ended", "evidence", "status", "source", "source_id", "extra", "version")


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(entity: Asset | Link) -> dict:
    """A JSON-ready copy of an asset's or link's fields (geometry as WKT)."""
    columns = ASSET_COLUMNS if isinstance(entity, Asset) else LINK_COLUMNS
    out = {name: _plain(getattr(entity, name)) for name in columns}
    if isinstance(entity, Asset) and entity.geom is not None:
        out["geometry"] = to_shape(entity.geom).wkt
    return out


def _revision(entity: Asset | Link, action: str, *, before: dict | None,
              user_id: int | None, reason: str) -> Revision:
    return Revision(
        entity="asset" if isinstance(entity, Asset) else "link",
        entity_id=entity.id,
        action=action,
        user_id=user_id,
        before=before,
        after=snapshot(entity),
        reason=reason,
    )


def record(session: Session, entity: Asset | Link, action: str, *, before: dict | None,
           user_id: int | None = None, reason: str = "") -> Revision:
    """Write one revision for `entity` (flushes, so new entities have their id)."""
    session.flush()
    revision = _revision(entity, action, before=before, user_id=user_id, reason=reason)
    session.add(revision)
    return revision


def record_created(session: Session, entities: list[Asset | Link], action: str, *,
                   user_id: int | None = None, reason: str = "") -> None:
    """Write a creation revision for each of `entities` after a single flush: a bulk import
    inserts them in multi-row statements instead of one round trip each."""
    session.flush()
    session.add_all([_revision(entity, action, before=None, user_id=user_id, reason=reason)
                     for entity in entities])
