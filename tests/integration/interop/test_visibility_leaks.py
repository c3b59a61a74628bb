"""Nothing private, pending, archived or a skill leaves through any export, endpoint or tile.

Every output is searched as bytes for the hidden assets' names and contact details: names and
contacts are unique in the town, and GeoJSON, CSV, HTML, GeoPackage (SQLite keeps text as
UTF-8) and vector tiles (protobuf strings) all carry text as it is.
"""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest

from tests.integration.interop.conftest import CONTACTS, HIDDEN, MEMBERS, PUBLIC, bearer

LAYERS = ("assets", "links", "services", "areas")


def _tiles():
    n14, n10 = 2 ** 14, 2 ** 10
    lat = math.radians(53.71)
    fy = (1 - math.asinh(math.tan(lat)) / math.pi) / 2
    urls = []
    for lon in (-2.1, -2.08):  # both zoom-14 tiles the town spans
        urls += [f"/tiles/{layer}/14/{int((lon + 180) / 360 * n14)}/{int(fy * n14)}.mvt"
                 for layer in LAYERS]
    urls += [f"/tiles/{layer}/10/{int(177.9 / 360 * n10)}/{int(fy * n10)}.mvt"
             for layer in LAYERS]
    return urls


def _urls():
    urls = [f"/export/{layer}.{fmt}" for layer in LAYERS for fmt in ("geojson", "csv", "gpkg")]
    urls += ["/ogc/collections", "/ogc/collections?f=html"]
    for layer in LAYERS:
        urls += [f"/ogc/collections/{layer}", f"/ogc/collections/{layer}/items",
                 f"/ogc/collections/{layer}/items?f=html&limit=1000"]
    return urls + _tiles()


def _everything(client, headers=None) -> bytes:
    out = []
    for url in _urls():
        response = client.get(url, headers=headers or {})
        assert response.status_code in (200, 204), (url, response.get_data(as_text=True))
        out.append(response.get_data())
    return b"\n".join(out)


def _present(blob: bytes, words) -> list[str]:
    return [w for w in words if w.encode() in blob]


def _low_zoom_count(client, headers=None) -> int:
    url = next(u for u in _tiles() if u.startswith("/tiles/assets/10/"))
    tile = mapbox_vector_tile.decode(client.get(url, headers=headers or {}).get_data())
    return sum(f["properties"]["count"] for f in tile["assets"]["features"])


def test_anonymous_sees_only_public_assets(client):
    blob = _everything(client)
    assert _present(blob, PUBLIC) == PUBLIC  # the search does find names when they are there
    assert _present(blob, HIDDEN + MEMBERS) == []
    assert _present(blob, CONTACTS) == []
    assert b"contact" not in blob  # not even an empty contact column
    assert _low_zoom_count(client) == 3


def test_a_resident_sees_members_assets_and_contacts_but_nothing_hidden(client,
                                                                        as_other_resident):
    blob = _everything(client)
    assert _present(blob, PUBLIC + MEMBERS) == PUBLIC + MEMBERS
    assert _present(blob, HIDDEN) == []
    assert _present(blob, CONTACTS) == ["lunch@example.org", "choir@example.org"]
    assert _low_zoom_count(client) == 4


def test_the_resident_who_added_a_pending_asset_sees_it(client, as_resident):
    # The map's rule: your own submission shows to you while it waits for review.
    blob = _everything(client)
    assert _present(blob, HIDDEN) == ["Pending Pantry"]
    assert _low_zoom_count(client) == 5


def test_a_planner_token_adds_members_assets_and_contacts(client, ids):
    headers = bearer(ids["tokens"]["planner"])
    blob = _everything(client, headers)
    assert _present(blob, PUBLIC + MEMBERS) == PUBLIC + MEMBERS
    assert _present(blob, HIDDEN) == []
    assert _present(blob, CONTACTS) == ["lunch@example.org", "choir@example.org"]


def test_an_admin_token_never_gets_skills_or_archived_assets(client, ids):
    blob = _everything(client, bearer(ids["tokens"]["admin"]))
    assert _present(blob, ["Secret Garden", "Pending Pantry"]) == ["Secret Garden",
                                                                    "Pending Pantry"]
    assert _present(blob, ["Old Library Group", "Bookkeeping Help", "books@example.org"]) == []


@pytest.mark.parametrize("name", HIDDEN + MEMBERS)
def test_hidden_assets_are_not_found_by_id(client, ids, name):
    response = client.get(f"/ogc/collections/assets/items/{ids['assets'][name]}")
    assert response.status_code == 404


def test_links_to_hidden_assets_are_not_found_by_id(client, ids):
    a = ids["assets"]
    hidden = [(a["Lunch Club"], a["Secret Garden"]), (a["Lunch Club"], a["Bookkeeping Help"]),
              (a["Old Library Group"], a["Fielden Centre"]),
              (a["Fielden Centre"], a["Allotment Society"]),  # a pending link
              (a["Lunch Club"], a["Members Choir"])]
    for pair in hidden:
        response = client.get(f"/ogc/collections/links/items/{ids['links'][pair]}")
        assert response.status_code == 404, pair


def test_filters_cannot_reach_hidden_rows(client):
    for query in ("visibility=members", "kind=group&bbox=-2.096,53.711,-2.094,53.713"):
        page = client.get(f"/ogc/collections/assets/items?{query}").json
        assert page["features"] == [], query
