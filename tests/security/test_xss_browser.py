"""An XSS corpus through every text field people can fill in — asset fields, link evidence,
skill names and details, round titles and questions, proposal titles and descriptions,
review reasons, display names — into every page and the map's popup, in Chromium.

Two things are checked on each page: no dialog fires, and no element the payloads would
create exists (the Content-Security-Policy would stop an injected script from running, so
a quiet page alone would prove little); and the payload is on the page as text.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from assetmap.store.db import make_engine
from tests.integration.auth.helpers import PASSWORD
from tests.security.world import build_world, make_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-img')\" class=xss-img>",
    "\"'><svg onload=alert('xss-svg') class=xss-svg>",
    "javascript:alert('xss-link')",
    "{{7*7}}<b class=xss-b>bold</b>",
]
EVIL = " ".join(PAYLOADS)
INJECTED = "script:not([src]):has-text('xss'), img.xss-img, svg.xss-svg, b.xss-b, " \
           "a[href^='javascript']"

UPDATES = [
    "UPDATE asset SET name = left(:evil, 200), description = :evil, contact = left(:evil, 500),"
    " website = left(:evil, 500), opening_times = left(:evil, 500), accessibility = :evil",
    "UPDATE link SET evidence = :evil",
    "UPDATE person_skill SET skill = left(:evil, 120), description = :evil",
    "UPDATE round SET title = left(:evil, 200), question = :evil",
    "UPDATE proposal SET title = left(:evil, 200), description = :evil, reason = :evil",
    "UPDATE asset_change SET reason = :evil",
    "UPDATE revision SET reason = :evil",
    "UPDATE app_user SET display_name = left(:evil, 120)",
]


@pytest.fixture(scope="module")
def site():
    world = build_world("assetmap_xss")
    engine = make_engine(world.url)
    with engine.begin() as conn:
        for sql in UPDATES:
            conn.execute(text(sql), {"evil": EVIL})
        # Closing the round shows its results to everyone.
        conn.execute(text("UPDATE round SET hide_totals = false"))
    engine.dispose()
    app = make_app(world, RATELIMIT_ENABLED=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield world, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _signed_in_page(browser, base, email):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    if email:
        page.goto(base + "/sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    return context, page, dialogs


def _check(page, dialogs, where):
    assert dialogs == [], f"{where}: a dialog fired: {dialogs}"
    assert page.locator(INJECTED).count() == 0, f"{where}: markup from a payload was parsed"


def _shows_as_text(page, where, payload="<script>alert('xss-script')</script>"):
    assert payload in page.locator("body").inner_text(), f"{where}: payload not shown as text"


PAGES = {
    "resident@example.org": ["/account", "/account/skills", "/account/data", "/rounds",
                             "/rounds/{round}", "/rounds/{round}/results", "/assets/{mine}",
                             "/skills", "/summary"],
    "worker@example.org": ["/moderation", "/assets/{published}", "/assets/{pending}",
                           "/rounds/{round}", "/reports/network", "/reports/gaps"],
    "admin@example.org": ["/admin/users"],
}
SHOWN = {"/account", "/account/skills", "/rounds", "/rounds/{round}", "/rounds/{round}/results",
         "/assets/{mine}", "/moderation", "/assets/{published}", "/assets/{pending}",
         "/admin/users"}


@pytest.mark.parametrize("email", list(PAGES))
def test_payloads_stay_text_on_every_page(site, browser, email):
    world, base = site
    context, page, dialogs = _signed_in_page(browser, base, email)
    try:
        for path in PAGES[email]:
            url = base + path.format(**world.ids)
            response = page.goto(url)
            assert response.status == 200, f"{path}: {response.status}"
            page.wait_for_load_state("networkidle")
            _check(page, dialogs, f"{path} as {email}")
            if path in SHOWN:
                _shows_as_text(page, f"{path} as {email}")
    finally:
        context.close()


def test_payloads_stay_text_in_the_map_list_and_popup(site, browser):
    world, base = site
    context, page, dialogs = _signed_in_page(browser, base, "worker@example.org")
    try:
        page.goto(base + "/")
        items = page.locator("#asset-list li a")
        items.first.wait_for(timeout=20000)
        assert items.count() >= 3
        _check(page, dialogs, "map list")
        assert "<script>alert('xss-script')</script>" in page.locator("#asset-list").inner_text()
        items.first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10000)
        assert "<img src=x onerror=" in popup.inner_text()
        _check(page, dialogs, "map popup")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "xss-map-popup.png"))
    finally:
        context.close()


def test_account_data_page_screenshot(site, browser):
    """The account data page as a resident sees it, saved for people to look at."""
    world, base = site
    context, page, dialogs = _signed_in_page(browser, base, "other@example.org")
    try:
        page.goto(base + "/account/data")
        assert page.get_by_role("heading", name="Your data").is_visible()
        assert page.get_by_role("button", name="Delete my account").is_visible()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "account-data.png"), full_page=True)
    finally:
        context.close()
