"""OGC API - Features (Part 1: Core) documents: landing page, conformance, collections, links.

Pure functions of the layer catalogue and the URLs they are served at; the web layer fetches
data and renders them as JSON or HTML.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from assetmap.store.layers import LAYERS, Layer

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
TITLE = "assetmap: community assets, their links, public services and neighbourhoods"


def link(href: str, rel: str, type_: str, title: str) -> dict:
    """One link object as the standard spells it."""
    return {"href": href, "rel": rel, "type": type_, "title": title}


def with_query(url: str, params: dict) -> str:
    """`url` with query parameters (empty ones left out)."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _self_and_alternate(url: str, fmt: str, json_type: str = JSON, params=None) -> list[dict]:
    params = params or {}
    as_json = link(with_query(url, {**params, "f": "json"}), "self" if fmt == "json"
                   else "alternate", json_type, "this document as JSON")
    as_html = link(with_query(url, {**params, "f": "html"}), "self" if fmt == "html"
                   else "alternate", HTML, "this document as HTML")
    return [as_json, as_html] if fmt == "json" else [as_html, as_json]


def landing(base: str, fmt: str) -> dict:
    """The landing page: what this is and where everything else is."""
    return {
        "title": TITLE,
        "description": "Community assets mapped by residents (groups, venues...), the links "
                       "between them, public services and neighbourhood areas, as OGC API - "
                       "Features. Only what the asker may see is served.",
        "links": [
            *_self_and_alternate(base, fmt),
            link(f"{base}/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)"),
            link(f"{base}/api?f=html", "service-doc", HTML, "the API definition as a page"),
            link(f"{base}/conformance", "conformance", JSON, "conformance classes implemented"),
            link(f"{base}/collections", "data", JSON, "the collections"),
        ],
    }


def conformance(base: str, fmt: str) -> dict:
    """The conformance classes implemented."""
    return {"conformsTo": CONFORMANCE,
            "links": _self_and_alternate(f"{base}/conformance", fmt)}


def _instant(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def collection(base: str, spec: Layer, bbox: list[float] | None,
               first: date | datetime | None, fmt: str = "json") -> dict:
    """One collection's description, with its extent and links to its items."""
    url = f"{base}/collections/{spec.name}"
    extent: dict = {"temporal": {"interval": [[_instant(first), None]], "trs": GREGORIAN}}
    if bbox is not None:
        extent["spatial"] = {"bbox": [bbox], "crs": CRS84}
    return {
        "id": spec.name,
        "title": spec.title,
        "description": spec.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent,
        "links": [
            *_self_and_alternate(url, fmt),
            link(f"{url}/items?f=json", "items", GEOJSON, f"{spec.title} as GeoJSON"),
            link(f"{url}/items?f=html", "items", HTML, f"{spec.title} as a page"),
        ],
    }


def collections(base: str, described: list[dict], fmt: str) -> dict:
    """The list of collections."""
    return {"links": _self_and_alternate(f"{base}/collections", fmt),
            "collections": described}


def items_links(base: str, spec: Layer, params: dict, limit: int, offset: int,
                returned: int, matched: int | None, fmt: str) -> list[dict]:
    """self/alternate, next (when there may be more), prev (when not at the start), collection.

    Without an exact count, a full page means there may be more.
    """
    url = f"{base}/collections/{spec.name}/items"
    here = {**params, "limit": limit, "offset": offset}
    links = _self_and_alternate(url, fmt, GEOJSON, here)
    more = offset + returned < matched if matched is not None else returned == limit
    kind = GEOJSON if fmt == "json" else HTML
    if more:
        links.append(link(with_query(url, {**here, "offset": offset + limit, "f": fmt}),
                          "next", kind, "the next page"))
    if offset > 0:
        links.append(link(with_query(url, {**here, "offset": max(offset - limit, 0),
                                           "f": fmt}), "prev", kind, "the previous page"))
    links.append(link(f"{base}/collections/{spec.name}", "collection", JSON, spec.title))
    return links


def item_links(base: str, spec: Layer, feature_id: int, fmt: str) -> list[dict]:
    """Links of a single feature."""
    url = f"{base}/collections/{spec.name}/items/{feature_id}"
    return [*_self_and_alternate(url, fmt, GEOJSON),
            link(f"{base}/collections/{spec.name}", "collection", JSON, spec.title)]


def layers() -> list[Layer]:
    """The collections, in the order they are listed."""
    return list(LAYERS.values())
