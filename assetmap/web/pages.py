"""People's pages: the map, an asset's page (edit, link, history), the moderation queue."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotFound
from assetmap.store import assets as asset_store
from assetmap.store import links as link_store
from assetmap.store.features import published_counts
from assetmap.store.moderation import queue
from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, LINK_TYPES, VISIBILITIES
from assetmap.web.database import db_session
from assetmap.web.serialise import asset_feature, revision_json
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def map_page():
    """The map: assets by viewport, services, areas, a list view and the add-asset form."""
    viewer = current_viewer()
    return render_template(
        "map.html", counts=published_counts(db_session()), viewer=viewer,
        categories=ASSET_CATEGORIES, kinds=ASSET_KINDS, visibilities=VISIBILITIES,
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
    )


def _asset_page(asset_id: int, *, status: int = 200, error: str | None = None,
                form: dict | None = None, conflict: dict | None = None):
    session = db_session()
    viewer = current_viewer()
    try:
        asset = asset_store.get_visible(session, asset_id, viewer)
    except NotFound:
        abort(404, description=f"There is no asset {asset_id} that you can see.")
    feature = asset_feature(session, asset, viewer)
    history = [revision_json(r, viewer) for r in asset_store.history(session, asset_id)]
    return render_template(
        "asset.html", asset=asset, feature=feature, feature_json=json.dumps(feature),
        links=link_store.links_of(session, asset_id, viewer), history=history,
        pending=asset_store.pending_changes(session, asset_id) if viewer.signed_in else [],
        viewer=viewer, categories=ASSET_CATEGORIES, kinds=ASSET_KINDS,
        visibilities=VISIBILITIES, link_types=LINK_TYPES, error=error,
        form=form or {}, conflict=conflict,
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
    ), status


@blueprint.get("/assets/<int:asset_id>")
def asset_page(asset_id: int):
    """An asset: details, links, history; forms to edit, link, archive, revert."""
    return _asset_page(asset_id)


def _form_reason() -> str:
    return request.form.get("reason", "")[:2000]


@blueprint.post("/assets/<int:asset_id>/edit")
def edit_asset(asset_id: int):
    """Save the edit form; a conflict shows the other person's change beside yours."""
    data = {k: request.form[k] for k in asset_store.EDITABLE if k in request.form}
    data["version"] = request.form.get("version")
    session = db_session()
    try:
        _, change = asset_store.update(session, asset_id, data, current_viewer(),
                                       reason=_form_reason())
    except Conflict as exc:
        session.rollback()
        return _asset_page(asset_id, status=409, error=exc.message, form=data,
                           conflict=asset_store.conflict_details(session, asset_id))
    except (InvalidInput, Forbidden) as exc:
        session.rollback()
        return _asset_page(asset_id, status=exc.status, error=exc.message, form=data)
    session.commit()
    flash("Your edit is waiting for a worker to review it; the published version stays "
          "visible until then." if change else "Saved.")
    return redirect(url_for("pages.asset_page", asset_id=asset_id))


@blueprint.post("/assets/<int:asset_id>/links")
def add_link(asset_id: int):
    """Link this asset to another."""
    data = {"from_asset_id": asset_id, "to_asset_id": request.form.get("to_asset_id"),
            "type": request.form.get("type"), "started": request.form.get("started") or None,
            "ended": request.form.get("ended") or None,
            "evidence": request.form.get("evidence", "")}
    if request.form.get("direction") == "incoming":
        data["from_asset_id"], data["to_asset_id"] = data["to_asset_id"], asset_id
    session = db_session()
    try:
        link = link_store.create(session, data, current_viewer(), reason=_form_reason())
    except (InvalidInput, Forbidden) as exc:
        session.rollback()
        return _asset_page(asset_id, status=exc.status, error=exc.message)
    session.commit()
    flash("Link added." if link.status == "published" else
          "Link added; it will show once a worker approves it.")
    return redirect(url_for("pages.asset_page", asset_id=asset_id))


@blueprint.post("/assets/<int:asset_id>/status")
def change_status(asset_id: int):
    """Approve, reject or archive from the asset page or the moderation queue."""
    status = request.form.get("status", "")
    session = db_session()
    try:
        asset_store.set_status(session, asset_id, status, current_viewer(),
                               reason=_form_reason())
    except (InvalidInput, Forbidden, NotFound) as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("pages.asset_page", asset_id=asset_id))
    session.commit()
    flash({"published": "Approved and published.", "rejected": "Rejected.",
           "archived": "Archived. It is kept in the history and can be restored."}
          .get(status, "Saved."))
    if request.form.get("back") == "moderation":
        return redirect(url_for("pages.moderation"))
    if status == "archived":
        return redirect(url_for("pages.map_page"))
    return redirect(url_for("pages.asset_page", asset_id=asset_id))


@blueprint.post("/assets/<int:asset_id>/revert")
def revert_asset(asset_id: int):
    """Revert to a revision (workers)."""
    session = db_session()
    try:
        revision = int(request.form.get("revision", ""))
        asset_store.revert(session, asset_id, revision, current_viewer(), reason=_form_reason())
    except ValueError:
        flash("Choose a revision to revert to.", "error")
        return redirect(url_for("pages.asset_page", asset_id=asset_id))
    except (Forbidden, NotFound) as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("pages.asset_page", asset_id=asset_id))
    session.commit()
    flash(f"Reverted to revision {revision}.")
    return redirect(url_for("pages.asset_page", asset_id=asset_id))


@blueprint.get("/moderation")
def moderation():
    """The worker's queue."""
    viewer = current_viewer()
    if not viewer.signed_in:
        login_view = getattr(current_app, "login_manager", None)
        login_view = getattr(login_view, "login_view", None)
        if login_view:
            return redirect(url_for(login_view, next=request.path))
        abort(401, description="Sign in first.")
    if not viewer.moderates:
        abort(403, description="Only workers and admins moderate.")
    return render_template("moderation.html", queue=queue(db_session()), viewer=viewer)


@blueprint.post("/moderation/changes/<int:change_id>")
def review_change(change_id: int):
    """Approve or reject a pending edit."""
    session = db_session()
    approve = request.form.get("decision") == "approve"
    try:
        asset_store.review_change(session, change_id, approve, current_viewer(),
                                  reason=_form_reason())
    except Conflict as exc:
        session.commit()
        flash(exc.message, "error")
        return redirect(url_for("pages.moderation"))
    except (InvalidInput, Forbidden, NotFound) as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("pages.moderation"))
    session.commit()
    flash("Edit approved and published." if approve else "Edit rejected.")
    return redirect(url_for("pages.moderation"))


@blueprint.post("/moderation/links/<int:link_id>")
def review_link(link_id: int):
    """Approve or reject a pending link."""
    session = db_session()
    status = "published" if request.form.get("decision") == "approve" else "rejected"
    try:
        link_store.set_status(session, link_id, status, current_viewer(), reason=_form_reason())
    except (InvalidInput, Forbidden, NotFound) as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("pages.moderation"))
    session.commit()
    flash("Link approved." if status == "published" else "Link rejected.")
    return redirect(url_for("pages.moderation"))


@blueprint.get("/summary")
def summary():
    """Counts per layer and per category (the old front page)."""
    from assetmap.web.home import summary_context

    return render_template("home.html", **summary_context())
