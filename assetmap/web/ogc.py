"""OGC API - Features (Part 1: Core, GeoJSON, HTML, OpenAPI 3.0) under /ogc.

JSON by default; HTML with `f=html` or when the client prefers text/html (a browser). Items
are paged with `limit` (at most `MAX_LIMIT`) and `offset`; `numberMatched` is given when it is
at most `COUNT_CAP`. Every answer applies the same visibility as the exports.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request, url_for

from assetmap.errors import InvalidInput, NotFound
from assetmap.export import ogc as docs
from assetmap.export.filters import build_filters, queryables
from assetmap.export.openapi import document as openapi_document
from assetmap.store import ogc as queries
from assetmap.store.layers import layer as layer_spec
from assetmap.web.database import db_session
from assetmap.web.interop import app_cache, json_errors, vary_by_viewer
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("ogc", __name__, url_prefix="/ogc")
json_errors(blueprint)

FIXED_PARAMS = {"f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime"}


def _format() -> str:
    chosen = request.args.get("f")
    if chosen is not None:
        if chosen not in ("json", "html"):
            raise InvalidInput(f"f must be json or html, got {chosen!r}", field="f")
        return chosen
    best = request.accept_mimetypes.best_match([docs.JSON, docs.GEOJSON, docs.HTML],
                                               default=docs.JSON)
    return "html" if best == docs.HTML else "json"


def _base() -> str:
    return url_for("ogc.landing", _external=True).rstrip("/")


def _respond(document: dict | str, fmt: str, template: str, content_type=docs.JSON,
             **context) -> Response:
    if fmt == "html":
        body = render_template(f"ogc/{template}", doc=document, **context)
        response = Response(body, content_type="text/html; charset=utf-8")
    else:
        body = document if isinstance(document, str) else json.dumps(document)
        response = Response(body, content_type=content_type)
    return vary_by_viewer(response, current_viewer(), max_age=60)


@blueprint.get("/", strict_slashes=False)
def landing():
    """The landing page."""
    fmt = _format()
    return _respond(docs.landing(_base(), fmt), fmt, "landing.html")


@blueprint.get("/conformance")
def conformance():
    """The conformance classes implemented."""
    fmt = _format()
    return _respond(docs.conformance(_base(), fmt), fmt, "conformance.html")


@blueprint.get("/api")
def api():
    """The OpenAPI 3.0 definition."""
    fmt = _format()
    return _respond(openapi_document(_base()), fmt, "api.html", docs.OPENAPI)


def _extent(name: str):
    viewer = current_viewer()
    key = (name, viewer.role, viewer.user_id)
    extents = app_cache("extents", 256, 60)  # an extent scans the whole layer: keep it a minute
    value = extents.get(key)
    if value is None:
        value = queries.extent(db_session(), name, viewer)
        extents.put(key, value)
    return value


def _describe(name: str, fmt: str) -> dict:
    spec = layer_spec(name)
    bbox, first = _extent(spec.name)
    return docs.collection(_base(), spec, bbox, first, fmt)


@blueprint.get("/collections")
def collections():
    """Every collection."""
    fmt = _format()
    described = [_describe(spec.name, fmt) for spec in docs.layers()]
    return _respond(docs.collections(_base(), described, fmt), fmt, "collections.html")


@blueprint.get("/collections/<collection_id>")
def collection(collection_id: str):
    """One collection."""
    fmt = _format()
    return _respond(_describe(collection_id, fmt), fmt, "collection.html")


def _whole(name: str, text: str | None, default: int, low: int, high: int | None) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise InvalidInput(f"{name} must be a whole number {bound}, got {text!r}", field=name)
    return value


def _check_crs(name: str) -> None:
    value = request.args.get(name)
    if value is not None and value != docs.CRS84:
        raise InvalidInput(f"{name}: only {docs.CRS84} is supported", field=name)


def _items_filters(spec):
    allowed = FIXED_PARAMS | set(queryables(spec))
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise InvalidInput(f"unknown parameter {unknown[0]!r}; {spec.name} items take "
                           f"{', '.join(sorted(allowed))}", field=unknown[0])
    _check_crs("crs")
    _check_crs("bbox-crs")
    equals = {k: v for k, v in request.args.items() if k not in FIXED_PARAMS}
    filters = build_filters(spec, bbox=request.args.get("bbox"),
                            interval=request.args.get("datetime"), equals=equals)
    kept = {k: v for k, v in request.args.items() if k not in ("f", "limit", "offset")}
    return filters, kept


@blueprint.get("/collections/<collection_id>/items")
def items(collection_id: str):
    """A page of a collection's features."""
    fmt = _format()
    spec = layer_spec(collection_id)
    filters, kept = _items_filters(spec)
    limit = _whole("limit", request.args.get("limit"), docs.DEFAULT_LIMIT, 1, docs.MAX_LIMIT)
    offset = _whole("offset", request.args.get("offset"), 0, 0, None)
    viewer, session = current_viewer(), db_session()
    features = queries.page(session, spec.name, viewer, filters, limit, offset)
    matched = queries.count(session, spec.name, viewer, filters)
    links = docs.items_links(_base(), spec, kept, limit, offset, len(features), matched, fmt)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "html":
        return _respond({"links": links}, fmt, "items.html", spec=spec,
                        features=[json.loads(f) for f in features], matched=matched,
                        offset=offset, limit=limit)
    head = {"type": "FeatureCollection", "timeStamp": stamp, "numberReturned": len(features)}
    if matched is not None:
        head["numberMatched"] = matched
    body = (json.dumps(head)[:-1] + ',"links":' + json.dumps(links) + ',"features":['
            + ",\n".join(features) + "]}")
    return _respond(body, fmt, "items.html", docs.GEOJSON)


@blueprint.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    """One feature."""
    fmt = _format()
    spec = layer_spec(collection_id)
    missing = NotFound(f"no feature {feature_id!r} in {spec.name}")
    if not feature_id.isdigit() or len(feature_id) > 12:
        raise missing
    text = queries.item(db_session(), spec.name, current_viewer(), int(feature_id))
    if text is None:
        raise missing
    feature = json.loads(text)
    feature["links"] = docs.item_links(_base(), spec, int(feature_id), fmt)
    if fmt == "html":
        return _respond(feature, fmt, "item.html", spec=spec)
    return _respond(feature, fmt, "item.html", docs.GEOJSON)
