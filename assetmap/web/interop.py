"""Planners' interoperability endpoints: GeoJSON exports, OGC API - Features, vector tiles.

The blueprints answer every error in JSON (`{"error": message}`), whatever the client accepts:
they are read by programs (QGIS, GDAL, map libraries) more often than by people.
"""

from __future__ import annotations

import threading

from cachetools import TTLCache
from flask import Blueprint, Flask, Response, current_app, jsonify
from werkzeug.exceptions import HTTPException

from assetmap.errors import AssetmapError
from assetmap.store.visibility import Viewer


def json_errors(blueprint: Blueprint) -> None:
    """Make errors raised in `blueprint`'s views JSON responses with a clear message."""

    @blueprint.errorhandler(AssetmapError)
    def domain_error(exc: AssetmapError):
        return jsonify(exc.to_dict()), exc.status

    @blueprint.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = jsonify({"error": exc.description or exc.name})
        for name, value in exc.get_headers():  # WWW-Authenticate on 401, Allow on 405
            if name.lower() != "content-type":
                response.headers.add(name, value)
        return response, exc.code or 500


def vary_by_viewer(response: Response, viewer: Viewer, max_age: int) -> Response:
    """Cache headers: shared caches may keep anonymous answers; others stay private."""
    scope = "private" if viewer.signed_in else "public"
    response.headers["Cache-Control"] = f"{scope}, max-age={max_age}"
    response.vary.update(("Authorization", "Cookie"))
    return response


class Cache:
    """A small per-app cache with a time limit (cachetools' TTLCache behind a lock)."""

    def __init__(self, maxsize: int, ttl: float):
        self._data: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl)
        self._lock = threading.Lock()

    def get(self, key):
        """The value kept under `key`, or None."""
        with self._lock:
            return self._data.get(key)

    def put(self, key, value) -> None:
        """Keep `value` under `key` until it expires."""
        with self._lock:
            self._data[key] = value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()


def app_cache(name: str, maxsize: int, ttl: float) -> Cache:
    """The current app's cache called `name` (each app its own: tests run several apps)."""
    caches = current_app.extensions.setdefault("assetmap.interop_caches", {})
    if name not in caches:
        caches[name] = Cache(maxsize, ttl)
    return caches[name]


def register(app: Flask) -> None:
    """Register the export, OGC and tile blueprints on `app`."""
    from assetmap.web import exports, ogc, tiles

    app.register_blueprint(exports.blueprint)
    app.register_blueprint(ogc.blueprint)
    app.register_blueprint(tiles.blueprint)
