"""The JSON API under /api/v1: assets, links, services, areas, moderation."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from assetmap.errors import Conflict, Forbidden, InvalidInput
from assetmap.store import assets as asset_store
from assetmap.store import links as link_store
from assetmap.store import mapdata
from assetmap.store.models import Asset
from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, LINK_TYPES, SERVICE_TYPES
from assetmap.web.database import db_bind, db_session
from assetmap.web.serialise import asset_feature, change_json, link_json, revision_json
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def body() -> dict:
    """The request's JSON object, or a clear 400."""
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidInput("the request body must be JSON (Content-Type: application/json)")
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object")
    return data


def reason_of(data: dict) -> str:
    reason = data.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 2000:
        raise InvalidInput("reason must be text of at most 2,000 characters", field="reason")
    return reason


def decision_of(data: dict) -> str:
    """A moderator's decision from the body: 'published' or 'rejected'."""
    status = data.get("status")
    if status not in ("published", "rejected"):
        raise InvalidInput("status must be 'published' or 'rejected'", field="status")
    return status


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a whole number", field=name) from exc
    if not 0 <= number < 2**31:
        raise InvalidInput(f"{name} is out of range", field=name)
    return number


@blueprint.get("/categories")
def categories():
    """The vocabulary the forms and filters use."""
    return jsonify({
        "asset_categories": ASSET_CATEGORIES, "asset_kinds": list(ASSET_KINDS),
        "service_types": SERVICE_TYPES,
        "link_types": {k: {"label": label, "directed": directed}
                       for k, (label, directed) in LINK_TYPES.items()},
    })


@blueprint.get("/assets")
def list_assets():
    """Visible assets in a bbox, filtered by category, kind and text."""
    args = request.args
    text = mapdata.assets_in_view_json(
        db_bind(), current_viewer(), bbox=mapdata.parse_bbox(args.get("bbox")),
        category=args.get("category") or None, kind=args.get("kind") or None,
        q=args.get("q") or None, limit=mapdata.parse_limit(args.get("limit")))
    return Response(text, mimetype="application/json")


@blueprint.post("/assets")
def create_asset():
    """Add an asset (pending until a worker approves it, unless a worker adds it)."""
    data = body()
    session = db_session()
    asset = asset_store.create(session, data, current_viewer(), reason=reason_of(data))
    session.commit()
    response = jsonify(asset_feature(session, asset, current_viewer()))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_asset", asset_id=asset.id)
    return response


@blueprint.get("/assets/<int:asset_id>")
def get_asset(asset_id: int):
    """One asset with its full geometry."""
    session = db_session()
    asset = asset_store.get_visible(session, asset_id, current_viewer())
    return jsonify(asset_feature(session, asset, current_viewer()))


@blueprint.patch("/assets/<int:asset_id>")
def update_asset(asset_id: int):
    """Edit an asset; `version` must be the version you edited (409 when out of date)."""
    data = body()
    session = db_session()
    try:
        asset, change = asset_store.update(session, asset_id, data, current_viewer(),
                                           reason=reason_of(data))
    except Conflict as exc:
        session.rollback()
        exc.details = asset_store.conflict_details(session, asset_id)
        raise
    session.commit()
    if change is not None:
        return jsonify({"status": "awaiting review", "change": change_json(change)}), 202
    return jsonify(asset_feature(session, asset, current_viewer()))


@blueprint.delete("/assets/<int:asset_id>")
def archive_asset(asset_id: int):
    """Archive (never delete) an asset."""
    session = db_session()
    asset_store.get_visible(session, asset_id, current_viewer())
    data = request.get_json(silent=True) or {}
    reason = reason_of(data) if isinstance(data, dict) else ""
    asset = asset_store.set_status(session, asset_id, "archived", current_viewer(),
                                   reason=reason)
    session.commit()
    return jsonify({"id": asset.id, "status": asset.status})


@blueprint.post("/assets/<int:asset_id>/status")
def set_asset_status(asset_id: int):
    """Approve (published) or reject (with a reason) — workers and admins."""
    data = body()
    status = decision_of(data)
    session = db_session()
    asset = asset_store.set_status(session, asset_id, status, current_viewer(),
                                   reason=reason_of(data))
    session.commit()
    return jsonify({"id": asset.id, "status": asset.status, "version": asset.version})


@blueprint.get("/assets/<int:asset_id>/history")
def asset_history(asset_id: int):
    """The asset's revisions, newest first (field values only for signed-in people)."""
    session = db_session()
    viewer = current_viewer()
    asset_store.get_visible(session, asset_id, viewer)
    return jsonify([revision_json(r, viewer) for r in asset_store.history(session, asset_id)])


@blueprint.post("/assets/<int:asset_id>/revert")
def revert_asset(asset_id: int):
    """Put an asset back as it was after a revision — workers and admins."""
    data = body()
    revision_id = data.get("revision")
    if (not isinstance(revision_id, int) or isinstance(revision_id, bool)
            or not 0 < revision_id < 2**63):
        raise InvalidInput("revision must be a revision id (a whole number)", field="revision")
    session = db_session()
    asset = asset_store.revert(session, asset_id, revision_id, current_viewer(),
                               reason=reason_of(data))
    session.commit()
    return jsonify(asset_feature(session, asset, current_viewer()))


@blueprint.get("/assets/duplicates")
def duplicates():
    """Likely duplicates of a new asset: same category, within 100 m, a similar name."""
    args = request.args
    category = args.get("category", "")
    if category not in ASSET_CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}", field="category")
    try:
        lon, lat = float(args["lon"]), float(args["lat"])
    except (KeyError, ValueError) as exc:
        raise InvalidInput("lon and lat must be numbers", field="lon") from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("lon/lat out of range", field="lon")
    name = args.get("name", "")[:200]
    found = mapdata.likely_duplicates(db_session(), current_viewer(), category=category,
                                      lon=lon, lat=lat, name=name)
    return jsonify({"duplicates": found})


@blueprint.get("/links")
def list_links():
    """Links of one asset (`asset=ID`) that the viewer may see."""
    asset_id = _int_arg("asset")
    if asset_id is None:
        raise InvalidInput("give asset=ID", field="asset")
    session = db_session()
    viewer = current_viewer()
    asset_store.get_visible(session, asset_id, viewer)
    rows = link_store.links_of(session, asset_id, viewer)
    return jsonify([link_json(link, a, b) for link, a, b in rows])


@blueprint.post("/links")
def create_link():
    """Link two assets (pending until a worker approves it, unless a worker adds it)."""
    data = body()
    session = db_session()
    link = link_store.create(session, data, current_viewer(), reason=reason_of(data))
    session.commit()
    return jsonify(link_json(link, session.get(Asset, link.from_asset_id),
                             session.get(Asset, link.to_asset_id))), 201


@blueprint.post("/links/<int:link_id>/status")
def set_link_status(link_id: int):
    """Approve or reject (with a reason) a link — workers and admins."""
    data = body()
    status = decision_of(data)
    session = db_session()
    link = link_store.set_status(session, link_id, status, current_viewer(),
                                 reason=reason_of(data))
    session.commit()
    return jsonify({"id": link.id, "status": link.status})


@blueprint.delete("/links/<int:link_id>")
def archive_link(link_id: int):
    """Archive a link."""
    session = db_session()
    link = link_store.set_status(session, link_id, "archived", current_viewer())
    session.commit()
    return jsonify({"id": link.id, "status": link.status})


@blueprint.get("/services")
def list_services():
    """Public services in a bbox."""
    return jsonify(mapdata.services_in_view(
        db_session(), bbox=mapdata.parse_bbox(request.args.get("bbox")),
        service_type=request.args.get("service_type") or None))


@blueprint.get("/areas")
def list_areas():
    """Neighbourhood outlines with population and need."""
    return jsonify(mapdata.areas(db_session()))


@blueprint.get("/moderation")
def moderation_queue():
    """What waits for review: new assets, edits to published assets, new links."""
    viewer = current_viewer()
    asset_store.require_signed_in(viewer, "see the moderation queue")
    if not viewer.moderates:
        raise Forbidden("only workers and admins see the moderation queue")
    from assetmap.store.moderation import queue

    return jsonify(queue(db_session()))


@blueprint.post("/changes/<int:change_id>/review")
def review_change(change_id: int):
    """Approve or reject a pending edit to a published asset."""
    data = body()
    approve = data.get("approve")
    if not isinstance(approve, bool):
        raise InvalidInput("approve must be true or false", field="approve")
    session = db_session()
    try:
        change = asset_store.review_change(session, change_id, approve, current_viewer(),
                                           reason=reason_of(data))
    except Conflict:
        session.commit()  # keep the change marked superseded
        raise
    session.commit()
    return jsonify(change_json(change))


@blueprint.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    from assetmap.web.openapi import document

    return jsonify(document())
