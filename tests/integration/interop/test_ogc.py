"""OGC API - Features under /ogc: documents, paging, filters, HTML, OpenAPI, bad input."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from openapi_spec_validator import validate

from assetmap.store import ogc as ogc_queries
from tests.integration.interop.conftest import PUBLIC

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _rels(document):
    return {link["rel"]: link for link in document["links"]}


def _relative(href):
    parts = urlsplit(href)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_landing_page_and_conformance(client):
    landing = _get(client, "/ogc").json
    rels = _rels(landing)
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    conformance = _get(client, _relative(rels["conformance"]["href"])).json
    assert CORE in conformance["conformsTo"]
    assert {c.rsplit("/", 1)[1] for c in conformance["conformsTo"]} == {
        "core", "geojson", "html", "oas30"}


def test_collections_with_visible_extents(client):
    document = _get(client, "/ogc/collections").json
    collections = {c["id"]: c for c in document["collections"]}
    assert list(collections) == ["assets", "links", "services", "areas"]
    assets = collections["assets"]
    assert assets["itemType"] == "feature"
    assert assets["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
    # The box of what the public sees: Lunch Club (-2.1, 53.71), Allotment Society
    # (-2.08, 53.705) and Fielden Centre up to 53.7146. Members Choir (53.715) and Secret
    # Garden must not widen it.
    assert assets["extent"]["spatial"]["bbox"] == [[-2.1, 53.705, -2.08, 53.7146]]
    assert assets["extent"]["temporal"]["interval"] == [["2020-01-01T00:00:00Z", None]]
    # Links: the earliest visible one started on 2021-03-01.
    assert collections["links"]["extent"]["temporal"]["interval"][0][0] == "2021-03-01T00:00:00Z"
    items = [link for link in assets["links"] if link["rel"] == "items"]
    assert {link["type"] for link in items} == {"application/geo+json", "text/html"}
    assert _get(client, "/ogc/collections/areas").json["title"] == "Neighbourhoods"


def test_paging_follows_next_and_prev(client, ids):
    seen, url, pages = [], "/ogc/collections/assets/items?limit=2", []
    while url:
        response = _get(client, url)
        assert response.content_type == "application/geo+json"
        page = response.json
        assert page["numberMatched"] == 3 and page["numberReturned"] == len(page["features"])
        pages.append(page)
        seen += [f["id"] for f in page["features"]]
        url = _relative(_rels(page)["next"]["href"]) if "next" in _rels(page) else None
    assert [p["numberReturned"] for p in pages] == [2, 1]
    assert seen == sorted(ids["assets"][name] for name in PUBLIC)
    assert "prev" not in _rels(pages[0])
    prev = _relative(_rels(pages[1])["prev"]["href"])
    assert parse_qs(urlsplit(prev).query)["offset"] == ["0"]


def test_filters_keep_their_parameters_in_links(client):
    page = _get(client, "/ogc/collections/assets/items?kind=group&limit=1").json
    assert page["numberMatched"] == 2  # Lunch Club and Allotment Society
    query = parse_qs(urlsplit(_rels(page)["next"]["href"]).query)
    assert query["kind"] == ["group"] and query["offset"] == ["1"]


@pytest.mark.parametrize(("query", "expected"), [
    ("bbox=-2.101,53.709,-2.097,53.711", ["Lunch Club"]),
    ("bbox=-2.101,53.709,0,-2.097,53.711,100", ["Lunch Club"]),  # 3D box: heights ignored
    # West of east: the box crosses the antimeridian, 170..180 and -180..-2.09 here.
    ("bbox=170,53.7,-2.09,53.72", ["Fielden Centre", "Lunch Club"]),
    ("datetime=2024-01-01", ["Fielden Centre", "Lunch Club"]),
    ("datetime=../2025-05-31T23:59:59Z", ["Fielden Centre", "Lunch Club"]),
    ("datetime=2025-06-01/..", sorted(PUBLIC)),
    ("category=environment", ["Allotment Society"]),
    ("visibility=members", []),
])
def test_item_filters(client, query, expected):
    page = _get(client, f"/ogc/collections/assets/items?{query}").json
    assert sorted(f["properties"]["name"] for f in page["features"]) == expected


def test_links_datetime_interval(client):
    # Only the Allotment Society partnership (2022-05-01..2024-01-31) and the meeting at
    # Fielden Centre (from 2021-03-01) are public; both overlap 2022, only one 2025.
    page = _get(client, "/ogc/collections/links/items?datetime=2025-01-01/2025-12-31").json
    assert [f["properties"]["type"] for f in page["features"]] == ["meets_at"]
    page = _get(client, "/ogc/collections/links/items?datetime=2022-01-01/2022-12-31").json
    assert page["numberMatched"] == 2


def test_one_feature(client, ids):
    lunch = ids["assets"]["Lunch Club"]
    feature = _get(client, f"/ogc/collections/assets/items/{lunch}").json
    assert feature["type"] == "Feature" and feature["id"] == lunch
    assert feature["properties"]["name"] == "Lunch Club"
    assert feature["geometry"]["coordinates"] == [-2.1, 53.71]
    assert {"self", "alternate", "collection"} <= set(_rels(feature))


def test_number_matched_left_out_beyond_the_cap(client, monkeypatch):
    monkeypatch.setattr(ogc_queries, "COUNT_CAP", 2)
    page = _get(client, "/ogc/collections/assets/items?limit=3").json
    assert "numberMatched" not in page and page["numberReturned"] == 3
    # A full page without a count: there may be more, so a next link; that page is empty.
    last = _get(client, _relative(_rels(page)["next"]["href"])).json
    assert last["numberReturned"] == 0 and "next" not in _rels(last)


def test_html_pages(client, ids):
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    landing = _get(client, "/ogc", headers=browser)
    assert landing.content_type.startswith("text/html")
    assert "OGC API" in landing.get_data(as_text=True)
    items = _get(client, "/ogc/collections/assets/items?f=html").get_data(as_text=True)
    for name in PUBLIC:
        assert name in items
    assert "Features 1–3 of 3" in items
    # Text from residents is escaped, never markup.
    assert "Grow &lt;b&gt;veg&lt;/b&gt; &amp; &#34;share&#34;" in items
    assert "<b>veg</b>" not in items
    one = _get(client, f"/ogc/collections/assets/items/{ids['assets']['Lunch Club']}?f=html")
    assert "About Lunch Club" in one.get_data(as_text=True)
    for url in ("/ogc/conformance", "/ogc/collections", "/ogc/collections/links", "/ogc/api"):
        page = _get(client, url + "?f=html")
        assert page.content_type.startswith("text/html"), url


def test_openapi_document_is_valid(client):
    response = _get(client, "/ogc/api")
    assert response.content_type == "application/vnd.oai.openapi+json;version=3.0"
    document = json.loads(response.get_data(as_text=True))
    validate(document)
    items = document["paths"]["/collections/assets/items"]["get"]
    names = {p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in items["parameters"]}
    assert {"bbox", "limit", "offset", "datetime", "kind", "category"} <= names
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 10_000, 100)


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/ogc/collections/parks", 404, "unknown layer 'parks'"),
    ("/ogc/collections/parks/items", 404, "unknown layer 'parks'"),
    ("/ogc/collections/assets/items/999999", 404, "no feature '999999'"),
    ("/ogc/collections/assets/items/abc", 404, "no feature 'abc'"),
    ("/ogc/collections/assets/items?limit=10001", 400, "limit must be a whole number from 1"),
    ("/ogc/collections/assets/items?limit=0", 400, "limit"),
    ("/ogc/collections/assets/items?limit=ten", 400, "limit"),
    ("/ogc/collections/assets/items?offset=-1", 400, "offset"),
    ("/ogc/collections/assets/items?bbox=a,b,c,d", 400, "bbox must be four numbers"),
    ("/ogc/collections/assets/items?bbox=-2,91,-1,92", 400, "latitudes"),
    ("/ogc/collections/assets/items?datetime=soon", 400, "not a date"),
    ("/ogc/collections/assets/items?datetime=2025-01-01/2024-01-01", 400, "ends before"),
    ("/ogc/collections/assets/items?datetime=../..", 400, "at least one end"),
    ("/ogc/collections/assets/items?kind=skill", 400, "unknown kind 'skill'"),
    ("/ogc/collections/assets/items?colour=red", 400, "unknown parameter 'colour'"),
    ("/ogc/collections/assets/items?crs=EPSG:27700", 400, "only http"),
    ("/ogc/collections/assets/items?f=xml", 400, "f must be json or html"),
    ("/ogc/collections/links/items?from_id=x", 400, "from_id must be a whole number"),
])
def test_bad_requests_are_clear(client, url, status, words):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == status
    assert words in response.json["error"]
