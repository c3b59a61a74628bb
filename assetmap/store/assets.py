"""Creating, editing, moderating and archiving assets: the rules in one place.

Residents' new assets wait as `pending` until a worker approves them. A resident's edit to a
published asset becomes a pending `AssetChange` and the published version stays visible. Every
change writes a revision; nothing is deleted (delete means archive). Saves carry the version
they were made against, and a save against an old version is a Conflict, never an overwrite.
"""

from __future__ import annotations

from datetime import UTC, datetime

import shapely
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotFound, NotSignedIn
from assetmap.ingest.readers import RawRow
from assetmap.ingest.validate import Problems, clean_asset
from assetmap.store import revisions
from assetmap.store.models import Asset, AssetChange, Revision
from assetmap.store.visibility import Viewer, asset_filter

EDITABLE = ("kind", "category", "name", "description", "contact", "website", "opening_times",
            "accessibility", "visibility")


def parse_geometry(data: dict) -> shapely.Geometry | None:
    """A geometry from `geometry` (GeoJSON) or `lon`/`lat`; None when neither is given."""
    if data.get("geometry") is not None:
        try:
            return shape(data["geometry"])
        except Exception as exc:  # shapely's errors for malformed GeoJSON vary
            raise InvalidInput(f"geometry is not valid GeoJSON: {exc}", field="geometry") from exc
    if "lon" in data or "lat" in data:
        try:
            return shapely.Point(float(data["lon"]), float(data["lat"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput("lon and lat must both be numbers", field="lon") from exc
    return None


def clean_input(data: dict, *, geometry: shapely.Geometry | None) -> dict:
    """Validate user-supplied fields with the importers' rules; the first problem is raised."""
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object")
    problems = Problems()
    fields = {k: data[k] for k in EDITABLE if k in data}
    record = clean_asset(RawRow(0, fields, geometry), problems)
    if problems.items:
        _, field, reason = problems.items[0]
        raise InvalidInput(f"{field}: {reason}", field=field)
    return record


def require_signed_in(viewer: Viewer, doing: str) -> None:
    """NotSignedIn (401) for anonymous viewers."""
    if not viewer.signed_in:
        raise NotSignedIn(f"sign in to {doing}")


def get_visible(session: Session, asset_id: int, viewer: Viewer) -> Asset:
    """The asset if `viewer` may see it; NotFound otherwise (no hint that it exists)."""
    asset = session.scalar(select(Asset).where(Asset.id == asset_id, asset_filter(viewer)))
    if asset is None:
        raise NotFound(f"no asset {asset_id}")
    return asset


def create(session: Session, data: dict, viewer: Viewer, *, reason: str = "") -> Asset:
    """A new asset: published at once when a moderator adds it, pending otherwise."""
    require_signed_in(viewer, "add an asset")
    record = clean_input(data, geometry=parse_geometry(data))
    asset = Asset(
        **{k: record[k] for k in EDITABLE},
        geom=from_shape(record["geom"], srid=4326),
        status="published" if viewer.moderates else "pending",
        source="web",
        created_by=viewer.user_id,
        extra={},
    )
    session.add(asset)
    session.flush()
    asset.source_id = str(asset.id)
    revisions.record(session, asset, "create", before=None, user_id=viewer.user_id,
                     reason=reason)
    return asset


def _check_version(asset: Asset, expected: int | None) -> None:
    if expected is None:
        raise InvalidInput("say which version you edited (field 'version')", field="version")
    if int(expected) != asset.version:
        raise Conflict(
            f"this asset was changed by someone else since you opened it (you edited version "
            f"{expected}, it is now at version {asset.version}); review their change and try again",
        )


def _latest_change(session: Session, asset: Asset) -> dict | None:
    latest = session.scalar(select(Revision).where(Revision.entity == "asset",
                                                   Revision.entity_id == asset.id)
                            .order_by(Revision.id.desc()).limit(1))
    if latest is None:
        return None
    return {"revision": latest.id, "action": latest.action, "at": latest.at.isoformat(),
            "changes": diff(latest.before or {}, latest.after or {})}


def diff(before: dict, after: dict) -> dict:
    """Field -> [before, after] for every field that differs."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys
            if before.get(k) != after.get(k) and k != "version"}


def _apply(asset: Asset, record: dict, data: dict) -> None:
    for key in EDITABLE:
        if key in data:
            setattr(asset, key, record[key])
    if record.get("geom") is not None and parse_geometry(data) is not None:
        asset.geom = from_shape(record["geom"], srid=4326)


def update(session: Session, asset_id: int, data: dict, viewer: Viewer, *,
           reason: str = "") -> tuple[Asset, AssetChange | None]:
    """Edit an asset. Returns (asset, None) when applied, (asset, change) when it awaits review."""
    require_signed_in(viewer, "edit")
    asset = get_visible(session, asset_id, viewer)
    own = asset.created_by is not None and asset.created_by == viewer.user_id
    if not (viewer.moderates or own or asset.status == "published"):
        raise Forbidden("only the person who added it or a worker can edit this asset")
    if asset.status in ("archived", "rejected") and not viewer.moderates:
        raise Forbidden(f"this asset is {asset.status}")
    # Merge so partial edits validate as a whole asset.
    current = revisions.snapshot(asset)
    merged = {k: data.get(k, current[k]) for k in EDITABLE}
    geometry = parse_geometry(data) or to_shape(asset.geom)
    record = clean_input(merged, geometry=geometry)
    _check_version(asset, data.get("version"))
    if asset.status == "published" and not viewer.moderates:
        proposed = {k: record[k] for k in EDITABLE if k in data and record[k] != current[k]}
        if parse_geometry(data) is not None:
            proposed["geometry"] = record["geom"].wkt
        if not proposed:
            raise InvalidInput("nothing to change")
        change = AssetChange(asset_id=asset.id, base_version=asset.version, proposed=proposed,
                             user_id=viewer.user_id, reason=reason)
        session.add(change)
        session.flush()
        return asset, change
    before = revisions.snapshot(asset)
    _apply(asset, record, {**data, **merged})
    _flush_or_conflict(session, asset)
    revisions.record(session, asset, "update", before=before, user_id=viewer.user_id,
                     reason=reason)
    return asset, None


def _flush_or_conflict(session: Session, asset: Asset) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        # Someone saved between our read and our write: the version check in the UPDATE caught it.
        raise Conflict("this asset was changed by someone else at the same moment; "
                       "reload it and try again") from exc


def conflict_details(session: Session, asset_id: int) -> dict | None:
    """What the other person changed, for the conflict message."""
    asset = session.get(Asset, asset_id)
    return _latest_change(session, asset) if asset else None


def set_status(session: Session, asset_id: int, status: str, viewer: Viewer, *,
               reason: str = "") -> Asset:
    """Approve (published), reject or archive; archiving is also open to the asset's author."""
    require_signed_in(viewer, "change an asset's status")
    asset = session.get(Asset, asset_id)
    if asset is None or (asset.status == "archived" and not viewer.moderates):
        raise NotFound(f"no asset {asset_id}")
    own = asset.created_by is not None and asset.created_by == viewer.user_id
    if status == "archived":
        if not (viewer.moderates or (own and asset.status == "pending")):
            raise Forbidden("only a worker can archive a published asset")
    elif not viewer.moderates:
        raise Forbidden("only workers and admins can approve or reject")
    if status not in ("published", "rejected", "archived", "pending"):
        raise InvalidInput(f"unknown status {status!r}", field="status")
    if status == "rejected" and not reason.strip():
        raise InvalidInput("give a reason when rejecting, so the person can fix it",
                           field="reason")
    before = revisions.snapshot(asset)
    asset.status = status
    _flush_or_conflict(session, asset)
    action = {"published": "approve", "rejected": "reject", "archived": "archive"}.get(
        status, "status")
    revisions.record(session, asset, action, before=before, user_id=viewer.user_id,
                     reason=reason)
    return asset


def review_change(session: Session, change_id: int, approve: bool, viewer: Viewer, *,
                  reason: str = "") -> AssetChange:
    """Apply or reject a pending edit to a published asset."""
    require_signed_in(viewer, "review changes")
    if not viewer.moderates:
        raise Forbidden("only workers and admins can review changes")
    change = session.get(AssetChange, change_id)
    if change is None or change.status != "pending":
        raise NotFound(f"no pending change {change_id}")
    asset = session.get(Asset, change.asset_id)
    if approve:
        if asset.version != change.base_version:
            change.status = "superseded"
            session.flush()
            raise Conflict("the asset changed after this edit was proposed; the edit is "
                           "superseded — ask its author to look again")
        before = revisions.snapshot(asset)
        for key, value in change.proposed.items():
            if key == "geometry":
                asset.geom = from_shape(shapely.from_wkt(value), srid=4326)
            else:
                setattr(asset, key, value)
        _flush_or_conflict(session, asset)
        revisions.record(session, asset, "update", before=before, user_id=change.user_id,
                         reason=f"approved by a worker: {reason or change.reason}".strip(": "))
    elif not reason.strip():
        raise InvalidInput("give a reason when rejecting, so the person can fix it",
                           field="reason")
    change.status = "approved" if approve else "rejected"
    change.reviewed_by = viewer.user_id
    change.reviewed_at = datetime.now(UTC)
    change.reason = reason or change.reason
    session.flush()
    return change


def revert(session: Session, asset_id: int, revision_id: int, viewer: Viewer, *,
           reason: str = "") -> Asset:
    """Put the asset back as it was right after `revision_id` (a new revision records it)."""
    require_signed_in(viewer, "revert")
    if not viewer.moderates:
        raise Forbidden("only workers and admins can revert")
    asset = session.get(Asset, asset_id)
    target = session.get(Revision, revision_id)
    if asset is None:
        raise NotFound(f"no asset {asset_id}")
    if target is None or target.entity != "asset" or target.entity_id != asset_id:
        raise NotFound(f"asset {asset_id} has no revision {revision_id}")
    state = target.after or {}
    before = revisions.snapshot(asset)
    for key in (*EDITABLE, "status"):
        if key in state:
            setattr(asset, key, state[key])
    if state.get("geometry"):
        asset.geom = from_shape(shapely.from_wkt(state["geometry"]), srid=4326)
    _flush_or_conflict(session, asset)
    revisions.record(session, asset, "revert", before=before, user_id=viewer.user_id,
                     reason=reason or f"reverted to revision {revision_id}")
    return asset


def history(session: Session, asset_id: int) -> list[Revision]:
    """Every revision of the asset, newest first."""
    return list(session.scalars(select(Revision).where(
        Revision.entity == "asset", Revision.entity_id == asset_id).order_by(Revision.id.desc())))


def pending_changes(session: Session, asset_id: int | None = None) -> list[AssetChange]:
    """Edits waiting for review (for one asset, or all)."""
    query = select(AssetChange).where(AssetChange.status == "pending")
    if asset_id is not None:
        query = query.where(AssetChange.asset_id == asset_id)
    return list(session.scalars(query.order_by(AssetChange.id)))
