"""The web skeleton: home page counts and the health check, on real PostGIS data."""

from __future__ import annotations

import pytest

from assetmap.ingest.pipeline import import_file
from assetmap.web import create_app


@pytest.fixture
def client(database_url, sessions):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    # The app shares the test's rolled-back transaction, so it sees the test's data.
    app.extensions["assetmap.sessions"] = sessions
    return app.test_client()


def test_home_lists_counts(client, sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    import_file(sessions, "assets", data_dir / "assets.geojson")
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<strong data-count="assets">3</strong>' in html  # one of the four is pending
    assert '<strong data-count="areas">2</strong>' in html
    assert "Older people" in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_healthz_reports_postgis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["postgis"].startswith("3.")


def test_healthz_is_503_when_the_database_is_down(database_url):
    app = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "not available" in response.json["error"]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>404</h1>" in response.get_data(as_text=True)
