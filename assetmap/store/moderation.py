"""The moderation queue: everything waiting for a worker's decision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from assetmap.store import revisions
from assetmap.store.assets import diff, pending_changes
from assetmap.store.models import Asset, Link, User


def queue(session: Session) -> dict:
    """Pending assets, pending edits (with a diff against the published version), pending links."""
    new_assets = session.execute(
        select(Asset, User.display_name).outerjoin(User, Asset.created_by == User.id)
        .where(Asset.status == "pending").order_by(Asset.created_at, Asset.id)).all()
    start, end = aliased(Asset), aliased(Asset)
    new_links = session.execute(
        select(Link, start, end).join(start, Link.from_asset_id == start.id)
        .join(end, Link.to_asset_id == end.id)
        .where(Link.status == "pending").order_by(Link.id)).all()
    changes = []
    for change in pending_changes(session):
        asset = session.get(Asset, change.asset_id)
        current = revisions.snapshot(asset)
        proposed = {**current, **change.proposed}
        changes.append({"id": change.id, "asset_id": asset.id, "asset_name": asset.name,
                        "base_version": change.base_version, "current_version": asset.version,
                        "reason": change.reason, "diff": diff(current, proposed)})
    return {
        "assets": [{"id": a.id, "name": a.name, "kind": a.kind, "category": a.category,
                    "description": a.description, "added_by": who,
                    "created_at": a.created_at.isoformat()} for a, who in new_assets],
        "changes": changes,
        "links": [{"id": link.id, "type": link.type, "from": {"id": a.id, "name": a.name},
                   "to": {"id": b.id, "name": b.name}} for link, a, b in new_links],
    }
