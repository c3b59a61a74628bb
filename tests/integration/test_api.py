"""The JSON API as an anonymous visitor and with bad input: clear 4xx, never a 500."""

from __future__ import annotations

import json

import pytest

from assetmap.store import assets, links
from assetmap.store.models import User
from assetmap.store.visibility import Viewer
from assetmap.web import create_app

HALL = {"kind": "venue", "category": "community_space", "name": "Fielden <b>Centre</b>",
        "description": "<script>alert(1)</script>", "contact": "hall@example.org",
        "lon": -2.0990, "lat": 53.7140}


@pytest.fixture
def app(database_url, sessions):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    app.extensions["assetmap.sessions"] = sessions
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def worker(session):
    user = User(email="worker@example.org", display_name="Wendy Worker", role="worker")
    session.add(user)
    session.flush()
    return Viewer(role="worker", user_id=user.id)


@pytest.fixture
def hall(session, worker):
    made = assets.create(session, HALL, worker)
    session.flush()
    return made


def test_list_in_bbox_anonymous_hides_contacts(client, hall):
    response = client.get("/api/v1/assets?bbox=-2.2,53.6,-2.0,53.8")
    assert response.status_code == 200
    (feature,) = response.json["features"]
    assert feature["properties"]["name"] == "Fielden <b>Centre</b>"  # data, escaped on display
    assert "contact" not in feature["properties"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.099, 53.714]}
    empty = client.get("/api/v1/assets?bbox=0,0,1,1").json
    assert empty["features"] == [] and empty["truncated"] is False


def test_get_one_and_history(client, hall):
    assert client.get(f"/api/v1/assets/{hall.id}").json["properties"]["id"] == hall.id
    history = client.get(f"/api/v1/assets/{hall.id}/history").json
    assert [r["action"] for r in history] == ["create"]
    assert "contact" not in history[0]["after"]  # personal detail scrubbed for anonymous
    assert client.get("/api/v1/assets/999999").status_code == 404


@pytest.mark.parametrize("query, field", [
    ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=-200,0,0,1", "bbox"),
    ("bbox=1,1,0,0", "bbox"), ("category=knitting", "category"), ("kind=band", "kind"),
    ("limit=0", "limit"), ("limit=100000", "limit"), ("limit=many", "limit"),
    ("q=" + "x" * 300, "q"),
])
def test_bad_list_queries_name_the_field(client, query, field):
    response = client.get(f"/api/v1/assets?{query}")
    assert response.status_code == 400
    assert response.json["field"] == field and response.json["error"]


@pytest.mark.parametrize("method, path", [
    ("post", "/api/v1/assets"), ("patch", "/api/v1/assets/{id}"),
    ("delete", "/api/v1/assets/{id}"), ("post", "/api/v1/assets/{id}/status"),
    ("post", "/api/v1/assets/{id}/revert"), ("post", "/api/v1/links"),
    ("get", "/api/v1/moderation"),
])
def test_anonymous_writes_are_401(client, hall, method, path):
    body = {"status": "published", "revision": 1, "from_asset_id": hall.id,
            "to_asset_id": hall.id, "type": "funds", "version": 1, **HALL}
    response = getattr(client, method)(path.format(id=hall.id), json=body)
    assert response.status_code == 401, response.json
    assert "sign in" in response.json["error"]


def test_malformed_json_and_wrong_shapes(client, hall):
    response = client.post("/api/v1/assets", data="{not json",
                           content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json["error"]
    response = client.post("/api/v1/assets", json=[1, 2, 3])
    assert response.status_code == 400 and "object" in response.json["error"]


def test_text_that_cannot_be_stored_is_a_400_and_changes_nothing(database_url, sessions,
                                                                  session, hall):
    from sqlalchemy import func, select

    from assetmap.store.models import Asset, Link
    from tests.integration.rounds.web_helpers import build_app, person

    app = build_app(database_url, sessions)
    worker, _ = person(app, sessions, "surrogate-worker@example.org", role="worker")
    before = session.scalar(select(func.count()).select_from(Asset))
    lone = '"\\ud800 hall"'  # JSON's escape for a lone surrogate, which UTF-8 cannot hold
    requests = [
        ("POST", "/api/v1/assets", '{"kind": "venue", "category": "community_space", '
                                   f'"name": {lone}, "lon": -2.1, "lat": 53.7}}', "name"),
        ("PATCH", f"/api/v1/assets/{hall.id}", f'{{"description": {lone}, "version": 1}}',
         "description"),
        ("DELETE", f"/api/v1/assets/{hall.id}", f'{{"reason": {lone}}}', "reason"),
        ("POST", "/api/v1/links", f'{{"from_asset_id": {hall.id}, "to_asset_id": {hall.id}, '
                                  f'"type": "partners_with", "extra": {{"note": [{lone}]}}}}',
         "extra.note.0"),
    ]
    for method, path, raw, field in requests:
        response = worker.send(method, path, data=raw, content_type="application/json")
        assert response.status_code == 400, (method, path)
        assert response.json["field"] == field
        assert "not valid Unicode" in response.json["error"]
    assert session.scalar(select(func.count()).select_from(Asset)) == before
    assert session.scalar(select(func.count()).select_from(Link)) == 0
    assert session.get(Asset, hall.id).status == "published"


def test_oversized_body_is_413(client):
    big = json.dumps({**HALL, "description": "x" * (3 * 1024 * 1024)})
    response = client.post("/api/v1/assets", data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.is_json


def test_duplicates_endpoint(client, hall):
    response = client.get("/api/v1/assets/duplicates?category=community_space"
                          "&lon=-2.0991&lat=53.7141&name=Fielden%20Centre")
    assert [d["id"] for d in response.json["duplicates"]] == [hall.id]
    assert client.get("/api/v1/assets/duplicates?category=x&lon=1&lat=1").status_code == 400
    assert client.get("/api/v1/assets/duplicates?category=food&lon=a&lat=1").status_code == 400


def test_links_listing(client, session, hall, worker):
    club = assets.create(session, {**HALL, "kind": "group", "category": "older_people",
                                   "name": "Lunch Club"}, worker)
    links.create(session, {"from_asset_id": club.id, "to_asset_id": hall.id,
                           "type": "meets_at"}, worker)
    listed = client.get(f"/api/v1/links?asset={hall.id}").json
    assert [(link["from"]["name"], link["type"]) for link in listed] == [("Lunch Club", "meets_at")]
    assert client.get("/api/v1/links").status_code == 400
    assert client.get("/api/v1/links?asset=abc").status_code == 400


def test_services_areas_categories_and_openapi(client):
    assert client.get("/api/v1/services?service_type=spaceport").status_code == 400
    assert client.get("/api/v1/areas").json["type"] == "FeatureCollection"
    assert "meets_at" in client.get("/api/v1/categories").json["link_types"]
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.") and "/api/v1/assets" in doc["paths"]


def test_asset_page_escapes_user_text(client, hall):
    html = client.get(f"/assets/{hall.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Fielden &lt;b&gt;Centre&lt;/b&gt;" in html
    assert "hall@example.org" not in html  # contact only for signed-in people


def test_signed_in_edits_conflicts_and_pending_changes_over_http(database_url, sessions,
                                                                 session, hall):
    from tests.integration.rounds.web_helpers import build_app, person

    app = build_app(database_url, sessions)
    first, _ = person(app, sessions, "first-worker@example.org", role="worker")
    second, _ = person(app, sessions, "second-worker@example.org", role="worker")
    resident, _ = person(app, sessions, "rosa@example.org")
    url = f"/api/v1/assets/{hall.id}"
    version = first.get(url).json["properties"]["version"]
    ok = first.send("PATCH", url, json={"description": "Bigger hall", "version": version})
    assert ok.status_code == 200 and ok.json["properties"]["version"] == version + 1
    late = second.send("PATCH", url, json={"description": "Small hall", "version": version})
    assert late.status_code == 409
    assert late.json["their_change"]["changes"]["description"][1] == "Bigger hall"
    assert first.get(url).json["properties"]["description"] == "Bigger hall"
    # A resident's edit to a published asset waits; the published text stays.
    waiting = resident.send("PATCH", url, json={"name": "Fielden Centre & Café",
                                                "version": version + 1})
    assert waiting.status_code == 202 and waiting.json["status"] == "awaiting review"
    assert first.get(url).json["properties"]["name"] == "Fielden <b>Centre</b>"
    queue = first.get("/api/v1/moderation").json
    assert [c["diff"]["name"][1] for c in queue["changes"]] == ["Fielden Centre & Café"]
    assert resident.get("/api/v1/moderation").status_code == 403
    # A link to itself and a revert by a resident are refused with the field named.
    selfish = resident.send("POST", "/api/v1/links", json={
        "from_asset_id": hall.id, "to_asset_id": hall.id, "type": "partners_with"})
    assert selfish.status_code == 400 and selfish.json["field"] == "to_asset_id"
    assert resident.send("POST", f"{url}/revert", json={"revision": 1}).status_code == 403
