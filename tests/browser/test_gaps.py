"""A planner signs in and reads the gap analysis of the demo town in Chromium."""

from __future__ import annotations

import threading
import uuid

import pytest
from werkzeug.serving import make_server

from assetmap.store import users as user_store
from assetmap.store.db import make_engine, make_sessionmaker
from tests.browser.conftest import screenshot

PASSWORD = "a long pass phrase"


@pytest.fixture(scope="module")
def gaps_server(demo_database_url):
    """The app on the demo data, with the gap report pages registered."""
    from assetmap.web import create_app
    from assetmap.web.reports_gaps import blueprint

    app = create_app({"DATABASE_URL": demo_database_url, "TESTING": True,
                      "RATELIMIT_ENABLED": False})
    if "reports_gaps" not in app.blueprints:  # until the app factory registers it
        app.register_blueprint(blueprint)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def planner_email(demo_database_url) -> str:
    email = f"priya-{uuid.uuid4().hex[:8]}@example.org"
    engine = make_engine(demo_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        user_store.create_user(session, email, "Priya", PASSWORD, "planner")
    engine.dispose()
    return email


def test_planner_reads_the_gap_report(page, gaps_server, planner_email):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(gaps_server + "/reports/gaps")
    page.wait_for_url(gaps_server + "/sign-in?next=/reports/gaps")
    page.get_by_label("Email").fill(planner_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(gaps_server + "/reports/gaps")

    report = page.frame_locator("iframe.gaps-report")
    # The demo town has 12 neighbourhoods (geodata/demo/README.md): one ranked row each.
    rows = report.locator("#ranked ~ .tablewrap tbody tr")
    rows.first.wait_for()
    assert rows.count() == 12
    assert rows.first.locator("td").first.inner_text() == "1"
    # The folium map in the report draws the 12 areas as Leaflet paths, from the vendored
    # Leaflet (inline scripts run: the page's policy allows them for the report alone).
    leaflet = report.frame_locator("iframe.map")
    leaflet.locator("path.leaflet-interactive").first.wait_for()
    assert leaflet.locator("path.leaflet-interactive").count() >= 12
    assert leaflet.locator(".leaflet-control-layers").count() == 1
    page.wait_for_timeout(500)  # let the frame grow to its content before the picture
    screenshot(page, "gaps-report")

    page.get_by_label("Walk (m)").fill("0")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("alert").inner_text() == (
        "walk must be a distance greater than zero metres, got '0'")
    screenshot(page, "gaps-bad-walk")
    assert errors == []
