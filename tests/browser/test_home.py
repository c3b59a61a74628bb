"""The home page as a visitor sees it, with the demo data loaded."""

import json

from tests.browser.conftest import DEMO, screenshot


def test_home_shows_the_demo_counts(page, live_server):
    features = json.loads((DEMO / "assets.geojson").read_text())["features"]
    published = sum(1 for f in features if f["properties"].get("status") == "published")
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "What this community already has"
    assert page.locator('[data-count="assets"]').inner_text() == str(published)
    assert page.locator('[data-count="areas"]').inner_text() == "12"
    assert page.locator("table.data tbody tr").count() > 5
    assert screenshot(page, "home").stat().st_size > 10_000


def test_home_fits_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px wide)"
    screenshot(page, "home-phone")
    context.close()
