"""Vector tiles: /tiles/{layer}/{z}/{x}/{y}.mvt (Mapbox Vector Tile 2.1, Web Mercator).

Layers: assets, links, services, areas; each tile holds one MVT layer of the same name. Below
zoom `DETAIL_ZOOM` the assets and services tiles hold grid cells with a `count` instead of the
features themselves (see `assetmap.store.tiles`). Those low-zoom tiles are costly (a city's
whole layer goes into one) and change little, so each worker keeps them for `CACHE_SECONDS`
(app setting TILE_CACHE_SECONDS; 0 turns the cache off), the same time browsers are told they
may keep them. Responses carry an ETag; a matching
If-None-Match gets 304. Empty tiles are 204 No Content.

Example for a map library: `/tiles/assets/{z}/{x}/{y}.mvt`, source layer "assets"; or point
it at the TileJSON document `/tiles/assets.json`, which lists the fields.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, jsonify, request

from assetmap.errors import InvalidInput
from assetmap.store.layers import layer as layer_spec
from assetmap.store.tiles import AGGREGATED, DETAIL_ZOOM, MAX_ZOOM, TILE_PROPS, tile
from assetmap.web.database import db_session
from assetmap.web.interop import app_cache, json_errors, vary_by_viewer
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("tiles", __name__, url_prefix="/tiles")
json_errors(blueprint)

MVT = "application/vnd.mapbox-vector-tile"
CACHE_SECONDS = 60
CACHE_TILES = 2048  # low-zoom tiles kept per worker; at most a few hundred kB each


def _coordinate(name: str, text: str, upper: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= upper:
        raise InvalidInput(f"{name} must be a whole number from 0 to {upper}, got {text!r}",
                           field=name)
    return value


def _cache_seconds() -> int:
    return int(current_app.config.get("TILE_CACHE_SECONDS", CACHE_SECONDS))


def tile_cache():
    """This app's cache of low-zoom tiles."""
    return app_cache("tiles", CACHE_TILES, _cache_seconds())


@blueprint.get("/<layer>/<z>/<x>/<y>.mvt")
def vector_tile(layer: str, z: str, x: str, y: str):
    """One vector tile of `layer`, as the asker may see it."""
    spec = layer_spec(layer)
    zoom = _coordinate("z", z, MAX_ZOOM)
    last = 2 ** zoom - 1
    column, row = _coordinate("x", x, last), _coordinate("y", y, last)
    viewer = current_viewer()
    key = (spec.name, zoom, column, row, viewer.role, viewer.user_id)
    seconds = _cache_seconds()
    # Low-zoom tiles are costly for everyone; detail tiles are cheap but an anonymous
    # visitor's are the same for every visitor, so a busy public map serves them from memory.
    cached = seconds > 0 and (zoom < DETAIL_ZOOM or not viewer.signed_in)
    data = tile_cache().get(key) if cached else None
    if data is None:
        data = tile(db_session(), spec.name, viewer, zoom, column, row)
        if cached:
            tile_cache().put(key, data)
    response = Response(data, status=200 if data else 204, content_type=MVT)
    if data:
        response.set_etag(hashlib.blake2b(data, digest_size=16).hexdigest())
    vary_by_viewer(response, viewer, seconds)
    return response.make_conditional(request)


_FIELD_TYPES = {"integer": "Number", "number": "Number", "boolean": "Boolean"}


@blueprint.get("/<layer>.json")
def tilejson(layer: str):
    """A TileJSON 3.0 document for `layer`: the tile URL template, zooms and fields."""
    spec = layer_spec(layer)
    base = request.url_root.rstrip("/") + blueprint.url_prefix
    fields = {name: _FIELD_TYPES.get(spec.prop(name).type, "String")
              for name in TILE_PROPS[spec.name] if name != "id"}
    description = spec.description
    if spec.name in AGGREGATED:
        description += (f" Below zoom {DETAIL_ZOOM}: one point per grid cell with a `count` "
                        "of the features in it, and no other fields.")
        fields["count"] = "Number"
    return jsonify({
        "tilejson": "3.0.0",
        "name": spec.title,
        "tiles": [f"{base}/{spec.name}/{{z}}/{{x}}/{{y}}.mvt"],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "vector_layers": [{"id": spec.name, "description": description, "fields": fields,
                           "minzoom": 0, "maxzoom": MAX_ZOOM}],
    })
