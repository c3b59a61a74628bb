"""Folium maps that work offline: Leaflet comes from the vendored copy, never a CDN.

A report written to a file inlines Leaflet (so it opens anywhere, without a server); a page
served by the app points at `/static/vendor/` instead, which keeps pages small and lets the
browser cache the library.
"""

from __future__ import annotations

import base64
from pathlib import Path

import folium

from assetmap.config import DEFAULT_ATTRIBUTION, DEFAULT_TILE_URL

_VENDOR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor"
_JS = [("leaflet", "leaflet/leaflet.js")]
_CSS = [("leaflet_css", "leaflet/leaflet.css")]


def _data_uri(relative: str, mime: str) -> str:
    payload = (_VENDOR / relative).read_bytes()
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def new_map(
    *,
    location: tuple[float, float] | None = None,
    zoom_start: int = 14,
    tiles_url: str | None = None,
    attribution: str | None = None,
    static_url: str | None = None,
) -> folium.Map:
    """A folium Map whose Leaflet is vendored: inlined, or under `static_url` when given."""
    fmap = folium.Map(
        location=list(location) if location else [0, 0],
        zoom_start=zoom_start,
        tiles=tiles_url or DEFAULT_TILE_URL,
        attr=attribution or DEFAULT_ATTRIBUTION,
        control_scale=True,
    )
    if static_url is not None:
        base = static_url.rstrip("/")
        fmap.default_js = [(name, f"{base}/{path}") for name, path in _JS]
        fmap.default_css = [(name, f"{base}/{path}") for name, path in _CSS]
    else:
        fmap.default_js = [(name, _data_uri(path, "text/javascript")) for name, path in _JS]
        fmap.default_css = [(name, _data_uri(path, "text/css")) for name, path in _CSS]
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The map as a complete HTML document."""
    return fmap.get_root().render()
