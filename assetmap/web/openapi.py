"""The OpenAPI 3.0 document for /api/v1, built from the taxonomy so the enums never drift."""

from __future__ import annotations

from assetmap.store.mapdata import MAX_LIMIT
from assetmap.taxonomy import (
    ASSET_CATEGORIES,
    ASSET_KINDS,
    LINK_TYPES,
    SERVICE_TYPES,
    VISIBILITIES,
)
from assetmap.web.converters import MAX_ID


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {str(code): _json(_ref("Error"), text) for code, text in (
    (400, "Bad input: the message names the field"), (401, "Sign in first"),
    (403, "Your role does not allow this"), (404, "Not found"),
    (409, "Conflict: someone else changed it first"), (413, "Request body too large"),
)}


def _op(summary: str, ok: dict, *, params=(), body: str | None = None,
        codes=("400", "404")) -> dict:
    op = {"summary": summary, "parameters": list(params), "responses": {**ok}}
    for code in codes:
        op["responses"][code] = ERRORS[code]
    if body:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": _ref(body)}}}
    return op


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}


def document() -> dict:
    """The whole OpenAPI document (the rounds' part comes from `openapi_rounds`)."""
    from assetmap.web import openapi_rounds

    asset_id, link_id, change_id = _path_id("asset_id"), _path_id("link_id"), _path_id(
        "change_id")
    text = {"type": "string"}
    features = _json(_ref("FeatureCollection"), "GeoJSON features")
    feature = _json(_ref("Feature"), "One GeoJSON feature")
    anything = _json({"type": "object"}, "OK")
    listing = _json({"type": "array", "items": {"type": "object"}}, "A list")
    write = ("400", "401", "403", "404", "409", "413")
    return {
        "openapi": "3.0.3",
        "info": {"title": "assetmap API", "version": "1",
                 "description": "Community assets, their links, public services and areas; "
                 "participatory rounds; counts of the skills residents offer. Writes need a "
                 "signed-in session (with the X-CSRFToken header) or a bearer token."},
        "paths": {
            "/api/v1/categories": {"get": _op("The vocabulary", {"200": anything}, codes=())},
            "/api/v1/assets": {
                "get": _op("Visible assets in a viewport", {"200": features}, params=[
                    _query("bbox", text, "minlon,minlat,maxlon,maxlat: assets whose marker "
                           "(the point, or a point on an area's surface) lies in it, by id; "
                           "`truncated` says when `limit` cut the list"),
                    _query("category", {"type": "string", "enum": list(ASSET_CATEGORIES)}, ""),
                    _query("kind", {"type": "string", "enum": list(ASSET_KINDS)}, ""),
                    _query("q", {"type": "string", "maxLength": 200}, "text search"),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                           "at most this many (default 200)"),
                ], codes=("400",)),
                "post": _op("Add an asset", {"201": feature}, body="AssetInput", codes=write),
            },
            "/api/v1/assets/{asset_id}": {
                "get": _op("One asset", {"200": feature}, params=[asset_id]),
                "patch": _op("Edit an asset (202 when it waits for review)",
                             {"200": feature, "202": anything}, params=[asset_id],
                             body="AssetEdit", codes=write),
                "delete": _op("Archive an asset", {"200": anything}, params=[asset_id],
                              codes=write),
            },
            "/api/v1/assets/{asset_id}/status": {"post": _op(
                "Approve or reject", {"200": anything}, params=[asset_id], body="StatusInput",
                codes=write)},
            "/api/v1/assets/{asset_id}/history": {"get": _op(
                "Revisions, newest first", {"200": listing}, params=[asset_id])},
            "/api/v1/assets/{asset_id}/revert": {"post": _op(
                "Revert to a revision", {"200": feature}, params=[asset_id],
                body="RevertInput", codes=write)},
            "/api/v1/assets/duplicates": {"get": _op(
                "Likely duplicates nearby", {"200": anything}, params=[
                    _query("category", text, ""), _query("lon", {"type": "number"}, ""),
                    _query("lat", {"type": "number"}, ""), _query("name", text, "")],
                codes=("400",))},
            "/api/v1/links": {
                "get": _op("Links of an asset", {"200": listing},
                           params=[_query("asset", {"type": "integer"}, "asset id")]),
                "post": _op("Link two assets", {"201": anything}, body="LinkInput",
                            codes=write),
            },
            "/api/v1/links/{link_id}": {"delete": _op(
                "Archive a link", {"200": anything}, params=[link_id], codes=write)},
            "/api/v1/links/{link_id}/status": {"post": _op(
                "Approve or reject a link", {"200": anything}, params=[link_id],
                body="StatusInput", codes=write)},
            "/api/v1/services": {"get": _op("Public services", {"200": features}, params=[
                _query("bbox", text, "minlon,minlat,maxlon,maxlat"),
                _query("service_type", {"type": "string", "enum": list(SERVICE_TYPES)}, "")],
                codes=("400",))},
            "/api/v1/areas": {"get": _op("Areas", {"200": features}, codes=())},
            "/api/v1/moderation": {"get": _op("The moderation queue", {"200": anything},
                                              codes=("401", "403"))},
            "/api/v1/changes/{change_id}/review": {"post": _op(
                "Approve or reject a pending edit", {"200": anything}, params=[change_id],
                body="ReviewInput", codes=write)},
            "/api/v1/skills/summary": {"get": _op(
                "How many people offer skills, per area and category; counts below the "
                "threshold are withheld", {"200": _json(_ref("SkillSummary"), "The counts")},
                codes=())},
            **openapi_rounds.paths(),
        },
        "components": {"schemas": {**_schemas(), **openapi_rounds.schemas()}},
    }


def _schemas() -> dict:
    text = {"type": "string"}
    asset_fields = {
        "kind": {"type": "string", "enum": list(ASSET_KINDS)},
        "category": {"type": "string", "enum": list(ASSET_CATEGORIES)},
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "maxLength": 10000},
        "contact": {"type": "string", "maxLength": 500},
        "website": {"type": "string", "maxLength": 500},
        "opening_times": {"type": "string", "maxLength": 500},
        "accessibility": {"type": "string", "maxLength": 10000},
        "visibility": {"type": "string", "enum": list(VISIBILITIES)},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "geometry": {"type": "object", "description": "GeoJSON Point or Polygon"},
        "reason": {"type": "string", "maxLength": 2000},
    }
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {
            "error": text, "field": text, "row": {"type": "integer"},
            "their_change": {"type": "object"}}},
        "Feature": {"type": "object", "required": ["type", "geometry", "properties"],
                    "properties": {"type": {"type": "string", "enum": ["Feature"]},
                                   "id": {"type": "integer"}, "geometry": {"type": "object"},
                                   "properties": {"type": "object"}}},
        "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": _ref("Feature")},
            "truncated": {"type": "boolean"}}},
        "AssetInput": {"type": "object", "required": ["kind", "category", "name"],
                       "properties": asset_fields},
        "AssetEdit": {"type": "object", "required": ["version"],
                      "properties": {**asset_fields, "version": {"type": "integer"}}},
        "StatusInput": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string", "enum": ["published", "rejected"]}, "reason": text}},
        "RevertInput": {"type": "object", "required": ["revision"], "properties": {
            "revision": {"type": "integer"}, "reason": text}},
        "SkillSummary": {"type": "object", "required": ["threshold", "counts", "areas"],
                         "properties": {
                             "threshold": {"type": "integer", "minimum": 1},
                             "counts": text,
                             "areas": {"type": "array", "items": _ref("SkillArea")}}},
        "SkillArea": {"type": "object", "required": ["id", "name", "categories"], "properties": {
            "id": {"type": "integer"}, "name": text, "categories": {"type": "array", "items": {
                "type": "object", "required": ["category", "label", "count", "display"],
                "properties": {
                    "category": {"type": "string", "enum": list(ASSET_CATEGORIES)},
                    "label": text,
                    "count": {"type": "integer", "nullable": True,
                              "description": "null when withheld (below the threshold)"},
                    "display": text}}}}},
        "ReviewInput": {"type": "object", "required": ["approve"], "properties": {
            "approve": {"type": "boolean"}, "reason": text}},
        "LinkInput": {"type": "object", "required": ["from_asset_id", "to_asset_id", "type"],
                      "properties": {
                          "from_asset_id": {"type": "integer"},
                          "to_asset_id": {"type": "integer"},
                          "type": {"type": "string", "enum": list(LINK_TYPES)},
                          "weight": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                          "directed": {"type": "boolean"},
                          "started": {"type": "string", "format": "date"},
                          "ended": {"type": "string", "format": "date"},
                          "evidence": {"type": "string", "maxLength": 10000},
                          "reason": text}},
    }
