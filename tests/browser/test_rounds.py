"""A participatory round, click by click in Chromium: a worker opens it, two residents
propose and vote, the worker closes it, and the results page shows the right totals."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from assetmap.store import users as user_store
from assetmap.store.db import make_engine, make_sessionmaker
from assetmap.store.models import Area
from tests.browser.conftest import screenshot

PASSWORD = "a long pass phrase"
# Inside Millholme (its representative point, worked out with shapely from the demo areas).
MILLHOLME_POINT = (-2.103596, 53.710029)


@pytest.fixture(scope="module")
def rounds_server(demo_database_url):
    """The app on 127.0.0.1 with the rounds blueprint (registered here until the factory
    does), rate limits off because this test signs several people in."""
    from assetmap.web import create_app
    from assetmap.web.rounds import blueprint

    app = create_app({"DATABASE_URL": demo_database_url, "TESTING": True,
                      "RATELIMIT_ENABLED": False})
    if "rounds" not in app.blueprints:
        app.register_blueprint(blueprint)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def accounts(demo_database_url):
    """A worker and two residents (one of them without a home area yet)."""
    engine = make_engine(demo_database_url)
    tag = uuid.uuid4().hex[:8]
    made = {}
    with make_sessionmaker(engine)() as session, session.begin():
        canalside = session.scalar(select(Area).where(Area.name == "Canalside"))
        for key, role in (("worker", "worker"), ("rosa", "resident"), ("sam", "resident")):
            email = f"{key}-{tag}@example.org"
            user = user_store.create_user(session, email, key.title(), PASSWORD, role)
            if key == "rosa":
                user.home_area_id = canalside.id
            made[key] = email
    engine.dispose()
    return made


def sign_in(page, base, email):
    page.goto(base + "/sign-in?next=/rounds")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/rounds")


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px wide)"


def test_round_from_opening_to_results(browser, rounds_server, accounts):
    base = rounds_server
    contexts = {k: browser.new_context(viewport={"width": 1280, "height": 900})
                for k in ("worker", "rosa", "sam")}
    worker, rosa, sam = (contexts[k].new_page() for k in ("worker", "rosa", "sam"))
    try:
        _run(base, accounts, worker, rosa, sam)
    finally:
        for context in contexts.values():
            context.close()


def _run(base, accounts, worker, rosa, sam):
    now = datetime.now(UTC)
    # 1. The worker opens a points round for Canalside and Millholme.
    sign_in(worker, base, accounts["worker"])
    worker.get_by_role("link", name="Open a round").click()
    worker.get_by_label("Title").fill("Spring priorities")
    worker.get_by_label("The question residents answer").fill(
        "What should we start first in Canalside and Millholme?")
    worker.get_by_label("Canalside").check()
    worker.get_by_label("Millholme").check()
    worker.get_by_label("Points per resident (points mode)").fill("10")
    worker.get_by_label("Opens (UTC)").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    worker.get_by_label("Closes (UTC)").fill((now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    screenshot(worker, "rounds-new")
    worker.get_by_role("button", name="Open the round").click()
    worker.wait_for_selector("h1:has-text('Spring priorities')")
    round_url = worker.url
    assert worker.locator(".round-state").first.inner_text().lower() == "open"

    # 2. Rosa (home area Canalside) proposes by clicking inside the round's area on the map.
    sign_in(rosa, base, accounts["rosa"])
    rosa.goto(round_url)
    rosa.wait_for_selector("#round-map .leaflet-overlay-pane path")
    rosa.locator(".leaflet-overlay-pane path").first.click()  # Canalside, listed first
    assert rosa.locator("#p-lon").input_value() != ""
    rosa.get_by_label("What should be done?").fill("Youth club at the canal basin")
    rosa.get_by_label("Why, and how (optional)").fill("Evenings, for 11 to 16 year olds.")
    screenshot(rosa, "rounds-propose")
    rosa.get_by_role("button", name="Propose").click()
    assert "once a worker approves it" in rosa.locator(".flash").inner_text()

    # 3. Sam has no home area yet: he sets it on the small page, then proposes by coordinates.
    sign_in(sam, base, accounts["sam"])
    sam.goto(round_url)
    sam.get_by_role("link", name="set your home area").click()
    sam.get_by_label("Your home area").select_option(label="Millholme")
    screenshot(sam, "rounds-home-area")
    sam.get_by_role("button", name="Save").click()
    sam.wait_for_url(round_url)
    sam.get_by_label("What should be done?").fill("Skills swap at the library")
    sam.get_by_label("Longitude").fill(str(MILLHOLME_POINT[0]))
    sam.get_by_label("Latitude").fill(str(MILLHOLME_POINT[1]))
    sam.get_by_role("button", name="Propose").click()
    assert "once a worker approves it" in sam.locator(".flash").inner_text()

    # 4. The worker approves both.
    worker.goto(round_url)
    assert worker.locator(".proposal .badge").count() == 2
    screenshot(worker, "rounds-moderate")
    for _ in range(2):
        worker.locator(".proposal").filter(has=worker.locator(".badge")).first \
            .get_by_role("button", name="Approve").click()
        worker.wait_for_selector(".flash")
    assert worker.locator(".proposal .badge").count() == 0

    # 5. Both vote. Rosa: 7 youth club, 3 skills swap; Sam: 4 and 6. By hand: 11 and 9.
    rosa.goto(round_url)
    rosa.get_by_label("Youth club at the canal basin").fill("7")
    rosa.get_by_label("Skills swap at the library").fill("5")
    assert "3 points is more" not in rosa.locator("#budget-line").inner_text()
    rosa.get_by_label("Skills swap at the library").fill("4")
    assert rosa.locator("#budget-line").inner_text() == (
        "11 points is more than your budget of 10: take 1 off.")
    screenshot(rosa, "rounds-ballot-over-budget")
    rosa.get_by_role("button", name="Cast my ballot").click()
    assert "spends 11 points but the budget is 10" in rosa.locator("#round-error").inner_text()
    rosa.get_by_label("Skills swap at the library").fill("3")
    rosa.get_by_role("button", name="Cast my ballot").click()
    assert "Your ballot is saved" in rosa.locator(".flash").inner_text()
    assert rosa.get_by_label("Youth club at the canal basin").input_value() == "7"
    screenshot(rosa, "rounds-voted")
    sam.goto(round_url)
    sam.get_by_label("Youth club at the canal basin").fill("4")
    sam.get_by_label("Skills swap at the library").fill("6")
    sam.get_by_role("button", name="Cast my ballot").click()
    assert "Your ballot is saved" in sam.locator(".flash").inner_text()
    # Totals stay hidden from residents while the round is open.
    assert sam.locator("#results-link").count() == 0

    # 6. The worker closes the round; the results page shows the hand-counted totals.
    worker.goto(round_url)
    worker.get_by_role("button", name="Close the round").click()
    assert "The round is closed" in worker.locator(".flash").inner_text()
    rosa.goto(round_url)
    rosa.get_by_role("link", name="Results").click()
    rosa.wait_for_selector("#results-map .leaflet-marker-pane, #results-map path")
    rows = rosa.locator("#totals tbody tr")
    assert [rows.nth(i).locator("td").all_inner_texts()[:4] for i in range(2)] == [
        ["1", "Youth club at the canal basin", "11", "2"],
        ["2", "Skills swap at the library", "9", "2"]]
    turnout = {r.locator("td").first.inner_text(): r.locator("td").nth(1).inner_text()
               for r in rosa.locator("#turnout tbody tr").all()}
    assert turnout == {"Canalside": "1", "Millholme": "1"}
    assert "Borda" not in rosa.locator("#method").inner_text()
    screenshot(rosa, "rounds-results")

    # The pages fit a phone.
    rosa.set_viewport_size({"width": 375, "height": 740})
    fits(rosa, 375)
    screenshot(rosa, "rounds-results-phone")
    for path in (round_url, base + "/rounds", base + "/rounds/home-area"):
        rosa.goto(path)
        fits(rosa, 375)
    rosa.goto(round_url)
    screenshot(rosa, "rounds-round-phone")
    rosa.goto(base + "/rounds")
    screenshot(rosa, "rounds-list-phone")
