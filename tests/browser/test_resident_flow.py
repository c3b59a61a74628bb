"""A resident adds an asset on the map, a worker approves it, another resident finds it and
links it, and the worker edits and reverts it — click by click in Chromium."""

from __future__ import annotations

import uuid

import pytest

from assetmap.store.db import make_engine, make_sessionmaker, transaction
from assetmap.store.users import create_user
from tests.browser.conftest import screenshot

PASSWORD = "a long pass phrase"


@pytest.fixture(scope="module")
def worker_email(demo_database_url) -> str:
    email = f"worker-{uuid.uuid4().hex[:8]}@example.org"
    engine = make_engine(demo_database_url)
    with transaction(make_sessionmaker(engine)) as session:
        create_user(session, email, "Wendy Worker", PASSWORD, role="worker")
    engine.dispose()
    return email


def sign_up(page, base: str, name: str) -> None:
    page.goto(base + "/sign-up")
    page.get_by_label("Your name, as others will see it").fill(name)
    page.get_by_label("Email").fill(f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(base + "/account")


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


def test_add_approve_find_link_and_revert(browser, live_server, worker_email):
    base = live_server
    name = f"Knit & Natter <i>{uuid.uuid4().hex[:4]}</i>"

    # 1. A resident signs up, clicks the map and fills in the form.
    rosa = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_up(rosa, base, "Rosa")
    rosa.goto(base + "/")
    rosa.wait_for_selector("#asset-list li")
    rosa.get_by_role("button", name="Add an asset").click()
    box = rosa.locator("#map").bounding_box()
    rosa.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    form = rosa.locator("#asset-form")
    form.get_by_label("Category").select_option("older_people")
    form.get_by_role("button", name="Save").click()
    assert rosa.locator('.field-error[data-for="name"]').inner_text() == "Give it a name."
    form.get_by_label("Name").fill(name)
    form.get_by_label("Description").fill("Wool, tea and <script>alert(1)</script> chat")
    form.get_by_role("button", name="Save").click()
    notice = rosa.locator("#form-done")
    notice.wait_for()
    assert "waiting for a community worker" in notice.inner_text()
    mine = rosa.locator("#asset-list li", has_text=name)
    mine.wait_for()
    assert "pending" in mine.inner_text()
    screenshot(rosa, "flow-pending")

    # 2. A worker approves it from the moderation queue.
    wendy = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(wendy, base, worker_email)
    wendy.get_by_role("link", name="Moderation").click()
    card = wendy.locator(".card", has_text=name)
    assert "Wool, tea and <script>" in card.inner_text()  # shown as text, never run
    screenshot(wendy, "flow-moderation")
    card.get_by_role("button", name="Approve").click()
    assert "Approved and published" in wendy.locator(".flash").inner_text()

    # 3. Another resident finds it on the map and in the list, and links it to a venue.
    sam = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_up(sam, base, "Sam")
    sam.goto(base + "/")
    sam.get_by_label("Search").fill("Knit & Natter")
    item = sam.locator("#asset-list li", has_text=name)
    item.wait_for()
    assert "pending" not in item.inner_text()
    item.get_by_role("link").click()  # opens the marker's popup on the map
    popup = sam.locator(".leaflet-popup-content")
    popup.wait_for()
    assert name in popup.inner_text()
    popup.get_by_role("link", name="Details, links and history").click()
    sam.wait_for_selector("h1")
    assert sam.locator("h1").inner_text() == name
    sam.get_by_text("Add a link").click()
    sam.get_by_label("This asset…").select_option("meets_at")
    sam.locator("#link-search").fill("Canalside Village")
    sam.locator("#link-results button", has_text="Canalside Village Hall").click()
    assert "Canalside Village Hall" in sam.locator("#link-chosen").inner_text()
    sam.get_by_role("button", name="Add link").click()
    assert "once a worker approves it" in sam.locator(".flash").inner_text()
    assert "Canalside Village Hall" in sam.locator(".links").inner_text()
    screenshot(sam, "flow-asset-page")

    # 4. The worker renames it, then reverts to the first revision.
    wendy.goto(sam.url)
    wendy.get_by_text("Edit", exact=True).click()
    wendy.locator("#e-name").fill("Renamed by mistake")
    wendy.get_by_role("button", name="Save changes").click()
    assert wendy.locator("h1").inner_text() == "Renamed by mistake"
    rows = wendy.locator("table.history tbody tr")
    assert rows.count() == 3  # create, approve, update
    rows.nth(2).get_by_role("button", name="Revert to this").click()
    assert wendy.locator("h1").inner_text() == name
    assert wendy.locator("table.history tbody tr").first.locator("td").nth(1).inner_text() == (
        "revert")
    screenshot(wendy, "flow-reverted")
    for context in (rosa.context, wendy.context, sam.context):
        context.close()
