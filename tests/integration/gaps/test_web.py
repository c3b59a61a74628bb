"""/reports/gaps on the web: who may see it, bad settings, downloads, big data, snapshots."""

from __future__ import annotations

import csv
import io
import re

import pytest

from assetmap.reports.gaps_run import run_gaps, save_snapshot
from assetmap.web import reports_gaps
from tests.integration.gaps.conftest import client_for, csrf_token, gaps_app

ALERT = re.compile(r'role="alert">(.*?)</p>', re.S)


@pytest.fixture
def app(database_url, sessions):
    return gaps_app(database_url, sessions)


@pytest.fixture
def planner(app, sessions):
    return client_for(app, sessions, "planner")[0]


def alert(response) -> str:
    match = ALERT.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:500]
    return match.group(1).replace("&#39;", "'").strip()


@pytest.mark.parametrize("role", ["worker", "planner", "admin"])
def test_report_for_the_roles_that_plan(app, sessions, small_town, role):
    client, _ = client_for(app, sessions, role)
    response = client.get("/reports/gaps")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Areas ranked for capacity building" in html  # the report, inside the frame
    # The report's map needs inline scripts: allowed on this page, and only here.
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"].split(
        "script-src")[1].split(";")[0]
    assert "2 area(s), 5 published asset(s)" in html


def test_anonymous_is_sent_to_sign_in_and_residents_are_refused(app, sessions, small_town):
    anonymous, _ = client_for(app, sessions, None)
    for path in ("/reports/gaps", "/reports/gaps.geojson", "/reports/gaps.csv",
                 "/reports/jobs/abc", "/reports/gaps/snapshots/1"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    resident, _ = client_for(app, sessions, "resident")
    for path in ("/reports/gaps", "/reports/gaps.geojson", "/reports/gaps/snapshots/1"):
        assert resident.get(path).status_code == 403
    refused = resident.post("/reports/gaps/run", data={"walk": "800"},
                            headers={"X-CSRFToken": csrf_token(resident, "/")})
    assert refused.status_code == 403


@pytest.mark.parametrize("query, message", [
    ("walk=0", "walk must be a distance greater than zero metres, got '0'"),
    ("walk=-50", "walk must be a distance greater than zero metres, got '-50'"),
    ("walk=far", "walk must be a number of metres, got 'far'"),
    ("method=gravity", "method must be one of 2sfca, e2sfca, got 'gravity'"),
    ("weights=need%3Dlots", "weight for need must be a number, got 'lots'"),
    ("weights=trust%3D1", "unknown priority weight 'trust'; use need, access, bridging"),
    ("weights=need%3D0,access%3D0,bridging%3D0", "at least one priority weight must be above"),
    ("threshold=0", "threshold must be a distance greater than zero metres, got '0'"),
])
def test_bad_settings_are_a_400_page(planner, small_town, query, message):
    response = planner.get(f"/reports/gaps?{query}")
    assert response.status_code == 400
    assert alert(response).startswith(message)
    # The form keeps what was typed, so it can be corrected.
    assert 'name="walk"' in response.get_data(as_text=True)
    download = planner.get(f"/reports/gaps.csv?{query}")
    assert download.status_code == 400 and message in download.get_data(as_text=True)\
        .replace("&#39;", "'")


def test_bad_data_is_a_400_page(app, sessions, session, planner):
    from tests.integration.gaps.conftest import add_small_town

    add_small_town(session, population_b=None)
    session.commit()
    response = planner.get("/reports/gaps")
    assert response.status_code == 400
    assert "areas row 1 ('B') has no population" in alert(response)


def test_downloads(planner, small_town):
    response = planner.get("/reports/gaps.geojson?walk=500&weights=need%3D3")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="gaps.geojson"'
    assert response.mimetype == "application/geo+json"
    layer = response.get_json(force=True)
    scores = {f["properties"]["name"]: f["properties"]["priority"] for f in layer["features"]}
    # need 3, access 1, bridging 1 (test_run: A = 3/5, B = 2/5).
    assert scores == pytest.approx({"A": 0.6, "B": 0.4})
    response = planner.get("/reports/gaps.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="gaps.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["A", "B"]
    assert float(rows[0]["access"]) == pytest.approx(0.002)


def test_the_page_links_the_downloads_with_its_settings(planner, small_town):
    html = planner.get("/reports/gaps?walk=500&method=e2sfca").get_data(as_text=True)
    assert "/reports/gaps.geojson?walk=500&amp;amp;method=e2sfca" in html  # inside srcdoc
    assert 'href="/reports/gaps.csv?walk=500&amp;method=e2sfca"' in html


def test_big_data_points_to_a_background_run(planner, small_town, monkeypatch):
    monkeypatch.setattr(reports_gaps, "SYNC_MAX_AREAS", 1)
    response = planner.get("/reports/gaps?walk=500")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This one runs in the background" in html and "<iframe" not in html
    assert '<input type="hidden" name="walk" value="500">' in html
    download = planner.get("/reports/gaps.csv")
    assert download.status_code == 400
    assert "too many to analyse while you wait" in download.get_data(as_text=True)


def test_run_refuses_bad_settings_before_queueing(planner, small_town):
    headers = {"X-CSRFToken": csrf_token(planner)}
    response = planner.post("/reports/gaps/run", json={"walk": 0}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("walk must be a distance greater than zero")
    response = planner.post("/reports/gaps/run", json=[1, 2], headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("send the settings as a JSON object")
    # Without the page's CSRF token a browser's form post is refused.
    assert planner.post("/reports/gaps/run", data={"walk": "800"}).status_code == 400


def test_snapshot_page_and_downloads(planner, session, small_town):
    result = run_gaps(session)
    snapshot_id = save_snapshot(session, result, {"walk_m": 650.0, "method": "2sfca",
                                                  "threshold_m": None, "weights": None},
                                user_id=None)
    session.commit()
    response = planner.get(f"/reports/gaps/snapshots/{snapshot_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"(snapshot {snapshot_id})" in html and 'value="650"' in html
    listing = planner.get("/reports/gaps?walk=900").get_data(as_text=True)
    assert f"/reports/gaps/snapshots/{snapshot_id}" in listing
    csv_response = planner.get(f"/reports/gaps/snapshots/{snapshot_id}.csv")
    assert csv_response.get_data(as_text=True) == result.to_csv()
    layer = planner.get(f"/reports/gaps/snapshots/{snapshot_id}.geojson").get_json(force=True)
    assert len(layer["features"]) == 2
    missing = planner.get(f"/reports/gaps/snapshots/{snapshot_id + 999}")
    assert missing.status_code == 404
    assert "there is no saved gap analysis" in missing.get_data(as_text=True)
