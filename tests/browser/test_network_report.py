"""A worker reads the network report for one neighbourhood, in Chromium."""

from __future__ import annotations

import uuid

from assetmap.store.db import make_engine, make_sessionmaker, transaction
from assetmap.store.users import create_user
from tests.browser.conftest import screenshot

PASSWORD = "a long pass phrase"


def test_worker_reads_the_network_report(browser, live_server, demo_database_url):
    email = f"worker-{uuid.uuid4().hex[:8]}@example.org"
    engine = make_engine(demo_database_url)
    with transaction(make_sessionmaker(engine)) as session:
        create_user(session, email, "Wendy Worker", PASSWORD, role="worker")
    engine.dispose()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/")
    page.get_by_role("link", name="Network", exact=True).click()
    page.get_by_label("Area").select_option("Canalside")
    page.get_by_role("button", name="Show").click()
    frame = page.frame_locator("iframe.report-frame")
    frame.locator("h1").first.wait_for()
    assert "Canalside" in frame.locator("h1").first.inner_text()
    # The map is a sandboxed frame of its own inside the report, with the vendored Leaflet.
    frame.frame_locator("iframe.map").locator(".leaflet-container").wait_for()
    assert frame.locator("table").count() >= 3
    page.wait_for_timeout(500)
    screenshot(page, "network-report")
    page.context.close()
