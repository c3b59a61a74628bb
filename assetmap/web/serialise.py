"""JSON shapes the API returns."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assetmap.store.mapdata import asset_properties
from assetmap.store.models import Asset, AssetChange, Link, Revision
from assetmap.store.visibility import Viewer

PERSONAL_FIELDS = ("contact",)


def asset_feature(session: Session, asset: Asset, viewer: Viewer) -> dict:
    """A GeoJSON Feature of one asset with its full geometry."""
    geometry = session.scalar(select(func.ST_AsGeoJSON(
        func.ST_ForcePolygonCCW(Asset.geom), 7)).where(Asset.id == asset.id))
    props = asset_properties(asset, viewer)
    props["created_at"] = asset.created_at.isoformat() if asset.created_at else None
    props["updated_at"] = asset.updated_at.isoformat() if asset.updated_at else None
    return {"type": "Feature", "id": asset.id, "geometry": json.loads(geometry),
            "properties": props}


def link_json(link: Link, start: Asset, end: Asset) -> dict:
    """A link with the names of its two ends."""
    return {
        "id": link.id, "type": link.type, "directed": link.directed, "weight": link.weight,
        "started": link.started.isoformat() if link.started else None,
        "ended": link.ended.isoformat() if link.ended else None,
        "evidence": link.evidence, "status": link.status,
        "from": {"id": start.id, "name": start.name},
        "to": {"id": end.id, "name": end.name},
    }


def change_json(change: AssetChange) -> dict:
    """A pending (or reviewed) edit to a published asset."""
    return {"id": change.id, "asset_id": change.asset_id, "base_version": change.base_version,
            "proposed": change.proposed, "status": change.status, "reason": change.reason,
            "created_at": change.created_at.isoformat() if change.created_at else None}


def _scrub(snapshot: dict | None, viewer: Viewer) -> dict | None:
    if snapshot is None or viewer.sees_contacts:
        return snapshot
    return {k: v for k, v in snapshot.items() if k not in PERSONAL_FIELDS}


def revision_json(revision: Revision, viewer: Viewer) -> dict:
    """One revision; contact details only for signed-in viewers."""
    return {"id": revision.id, "action": revision.action, "at": revision.at.isoformat(),
            "user_id": revision.user_id if viewer.moderates else None,
            "reason": revision.reason,
            "before": _scrub(revision.before, viewer), "after": _scrub(revision.after, viewer)}
