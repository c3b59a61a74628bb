"""A resident signs up, signs out and in again, offers a skill, and signs out — in Chromium."""

from __future__ import annotations

import uuid

from tests.browser.conftest import screenshot

PASSWORD = "a long pass phrase"


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px wide)"


def test_resident_signs_up_offers_a_skill_and_signs_out(page, live_server):
    email = f"nadia-{uuid.uuid4().hex[:8]}@example.org"

    page.goto(live_server + "/sign-up")
    page.get_by_label("Your name, as others will see it").fill("Nadia")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("Type it again").fill("different from the first")
    page.get_by_role("button", name="Create my account").click()
    assert page.locator(".field-error").inner_text() == "The two passwords are not the same."
    screenshot(page, "accounts-sign-up-error")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    page.wait_for_url(live_server + "/account")
    assert page.locator("h1").inner_text() == "Your account"
    assert page.locator(".nav-user").inner_text() == "Nadia"
    assert page.locator("header .role-badge").text_content() == "resident"
    screenshot(page, "accounts-account")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server + "/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == (
        "That email and password do not match an account.")
    screenshot(page, "accounts-sign-in")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server + "/")

    page.get_by_role("link", name="My skills").click()
    page.wait_for_url(live_server + "/account/skills")
    page.get_by_label("Skill", exact=True).fill("First aid")
    page.get_by_label("Kind of skill").select_option("health_wellbeing")
    page.get_by_label("Your neighbourhood").select_option(label="Canalside")
    page.get_by_label("Details (optional, only you see them)").fill("Refreshed last spring")
    page.get_by_role("button", name="Offer this skill").click()
    item = page.locator(".skill-item")
    assert item.count() == 1
    assert "First aid" in item.inner_text() and "Canalside" in item.inner_text()
    screenshot(page, "accounts-skills")

    page.get_by_role("link", name="Skills", exact=True).click()
    page.wait_for_url(live_server + "/skills")
    canalside = page.locator("article.area-card", has_text="Canalside")
    # One person offering first aid is below the threshold of 3: no number is shown.
    assert "Fewer than 3 people for every kind of skill." in canalside.inner_text()
    screenshot(page, "accounts-skill-summary")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server + "/sign-in")
    assert page.get_by_role("link", name="Sign up").is_visible()
    assert page.locator(".nav-user").count() == 0


def test_account_pages_fit_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    email = f"phone-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(live_server + "/sign-up")
    fits(page, 375)
    screenshot(page, "accounts-sign-up-phone")
    page.get_by_label("Your name, as others will see it").fill("Phone Person")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(live_server + "/account")
    fits(page, 375)
    screenshot(page, "accounts-account-phone")
    page.goto(live_server + "/account/skills")
    fits(page, 375)
    screenshot(page, "accounts-skills-phone")
    page.goto(live_server + "/skills")
    fits(page, 375)
    context.close()
