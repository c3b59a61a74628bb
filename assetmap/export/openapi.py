"""The OpenAPI 3.0 definition of the OGC API - Features endpoints, built from the layers."""

from __future__ import annotations

from assetmap.export.ogc import DEFAULT_LIMIT, GEOJSON, HTML, JSON, MAX_LIMIT, TITLE, layers
from assetmap.store.layers import Layer, Prop

_TYPES = {"string": {"type": "string"}, "integer": {"type": "integer"},
          "number": {"type": "number"}, "boolean": {"type": "boolean"},
          "date": {"type": "string", "format": "date"},
          "date-time": {"type": "string", "format": "date-time"}}

PARAMETERS = {
    "f": {"name": "f", "in": "query", "required": False,
          "description": "Response format: json or html (otherwise from the Accept header).",
          "schema": {"type": "string", "enum": ["json", "html"]}},
    "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form",
             "explode": False,
             "description": "Only features meeting this box: west,south,east,north in "
                            "longitude/latitude (CRS84). Four numbers, or six (the heights "
                            "are ignored).",
             "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                        "items": {"type": "number"}}},
    "limit": {"name": "limit", "in": "query", "required": False, "style": "form",
              "explode": False,
              "description": f"How many features per page: 1 to {MAX_LIMIT} (a larger value "
                             "is refused with 400).",
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                         "default": DEFAULT_LIMIT}},
    "offset": {"name": "offset", "in": "query", "required": False,
               "description": "How many matching features to skip (follow the next link).",
               "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "datetime": {"name": "datetime", "in": "query", "required": False, "style": "form",
                 "explode": False,
                 "description": "A date, RFC 3339 date-time or interval ('a/b', '..' open). "
                                "Links active then; other features recorded by then.",
                 "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True,
                  "description": "The feature's id.", "schema": {"type": "integer"}},
}

_ERROR = {"description": "A problem with the request, explained in `error`.",
          "content": {JSON: {"schema": {"$ref": "#/components/schemas/error"}}}}


def _ok(description: str, json_type: str = JSON) -> dict:
    return {"description": description,
            "content": {json_type: {"schema": {"type": "object"}}, HTML: {"schema":
                                                                          {"type": "string"}}}}


def _get(summary: str, operation: str, params: list, response: dict, tag: str = "Capabilities",
         not_found: bool = False) -> dict:
    responses = {"200": response, "400": _ERROR}
    if not_found:
        responses["404"] = _ERROR
    return {"get": {"summary": summary, "operationId": operation, "tags": [tag],
                    "parameters": params, "responses": responses}}


def _queryable(prop: Prop) -> dict:
    schema = dict(_TYPES[prop.type])
    if prop.choices:
        schema["enum"] = list(prop.choices)
    return {"name": prop.name, "in": "query", "required": False,
            "description": f"Only features whose {prop.name} is this ({prop.description}).",
            "schema": schema}


def _collection_paths(spec: Layer) -> dict:
    ref = [{"$ref": f"#/components/parameters/{n}"} for n in ("f",)]
    items_params = [{"$ref": f"#/components/parameters/{n}"}
                    for n in ("f", "bbox", "limit", "offset", "datetime")]
    items_params += [_queryable(p) for p in spec.props if p.queryable]
    base = f"/collections/{spec.name}"
    return {
        base: _get(f"Describe {spec.title}", f"describe_{spec.name}", ref,
                   _ok("The collection."), spec.title, True),
        f"{base}/items": _get(f"{spec.title}: features", f"items_{spec.name}", items_params,
                              _ok("A page of features (a FeatureCollection).", GEOJSON),
                              spec.title, True),
        f"{base}/items/{{featureId}}": _get(
            f"{spec.title}: one feature", f"item_{spec.name}",
            [*ref, {"$ref": "#/components/parameters/featureId"}],
            _ok("The feature.", GEOJSON), spec.title, True),
    }


def document(base: str) -> dict:
    """The OpenAPI 3.0 document for the API served at `base` (…/ogc)."""
    paths = {
        "/": _get("Landing page", "landing", [{"$ref": "#/components/parameters/f"}],
                  _ok("Links to the API definition, conformance and collections.")),
        "/conformance": _get("Conformance classes", "conformance",
                             [{"$ref": "#/components/parameters/f"}],
                             _ok("The conformance classes this API implements.")),
        "/collections": _get("Collections", "collections",
                             [{"$ref": "#/components/parameters/f"}],
                             _ok("The feature collections.")),
        "/api": _get("This API definition", "api", [{"$ref": "#/components/parameters/f"}],
                     _ok("This document.")),
    }
    for spec in layers():
        paths.update(_collection_paths(spec))
    return {
        "openapi": "3.0.3",
        "info": {"title": TITLE, "version": "1.0.0",
                 "description": "OGC API - Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0). "
                                "Send `Authorization: Bearer <token>` with a planner's API "
                                "token for members-only assets and contact details.",
                 "license": {"name": "AGPL-3.0-or-later",
                             "url": "https://www.gnu.org/licenses/agpl-3.0.html"}},
        "servers": [{"url": base}],
        "tags": [{"name": "Capabilities"}, *({"name": s.title} for s in layers())],
        "paths": paths,
        "components": {
            "parameters": PARAMETERS,
            "schemas": {"error": {"type": "object", "required": ["error"],
                                  "properties": {"error": {"type": "string"},
                                                 "field": {"type": "string"}}}},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "A planner's API token "
                                                         "(`assetmap token create`)."}},
        },
        "security": [{}, {"token": []}],
    }
