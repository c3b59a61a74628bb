"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import func, select, text

from assetmap.store.features import published_counts
from assetmap.store.models import Asset, Category
from assetmap.web.database import db_session

blueprint = Blueprint("home", __name__)


def summary_context() -> dict:
    """What the map holds: counts per layer and per category of published public assets."""
    session = db_session()
    counts = published_counts(session)
    by_category = session.execute(
        select(Category.label, func.count(Asset.id))
        .join(Asset, Asset.category == Category.slug)
        .where(Asset.status == "published", Asset.visibility == "public")
        .group_by(Category.label)
        .order_by(func.count(Asset.id).desc(), Category.label)
    ).all()
    return {"counts": counts, "by_category": by_category}


@blueprint.get("/healthz")
def healthz():
    """200 when the database and PostGIS answer, 503 otherwise."""
    session = db_session()
    postgis = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
    return jsonify({"status": "ok", "database": "ok", "postgis": postgis})
