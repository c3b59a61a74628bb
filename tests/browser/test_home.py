"""The first pages a visitor sees, with the demo data loaded."""

import json

from tests.browser.conftest import DEMO, screenshot


def published_count() -> int:
    features = json.loads((DEMO / "assets.geojson").read_text())["features"]
    return sum(1 for f in features if f["properties"].get("status") == "published")


def test_map_page_shows_counts_assets_and_a_list(page, live_server):
    page.goto(live_server + "/")
    assert page.locator('[data-count="assets"]').inner_text() == str(published_count())
    assert page.locator('[data-count="areas"]').inner_text() == "12"
    # The list beside the map mirrors the assets in view: public, published, never skills.
    page.wait_for_selector("#asset-list li")
    items = page.locator("#asset-list li").count()
    assert 20 < items <= 500
    assert page.locator(".leaflet-overlay-pane path").count() >= 12  # the area outlines
    screenshot(page, "map")


def test_summary_lists_categories(page, live_server):
    page.goto(live_server + "/summary")
    assert page.locator("h1").inner_text() == "What this community already has"
    assert page.locator('[data-count="assets"]').inner_text() == str(published_count())
    assert page.locator("table.data tbody tr").count() > 5
    assert screenshot(page, "summary").stat().st_size > 10_000


def test_map_fits_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/")
    page.wait_for_selector("#asset-list li")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px wide)"
    screenshot(page, "map-phone")
    context.close()


def test_zoomed_out_map_shows_counts_from_vector_tiles(page, live_server):
    page.goto(live_server + "/")
    page.wait_for_selector("#asset-list li a")
    with page.expect_response(lambda r: "/tiles/assets/" in r.url and r.status == 200):
        for _ in range(3):
            page.locator(".leaflet-control-zoom-out").click()
            page.wait_for_timeout(400)
    page.wait_for_selector(".leaflet-tile-container svg path, .leaflet-tile-container canvas")
    assert "Zoom in to list" in page.locator("#asset-list").inner_text()
    screenshot(page, "map-zoomed-out")
