"""CSRF, rate limits, oversized bodies, cookies and headers: bad requests get a clear 4xx."""

from __future__ import annotations

from sqlalchemy import select

from assetmap.store.models import PersonSkill
from assetmap.store.tokens import create_token
from tests.integration.auth.helpers import PASSWORD, csrf_token, make_user, sign_in


def test_missing_or_wrong_csrf_token_is_a_clear_400(client, sessions):
    make_user(sessions, "c@example.org")
    client.get("/sign-in")  # a session exists, so only the token is missing
    missing = client.post("/sign-in", data={"email": "c@example.org", "password": PASSWORD})
    assert missing.status_code == 400
    text = missing.get_data(as_text=True)
    assert "This form could not be accepted: The CSRF token is missing." in text
    assert "reload the page and try again" in text
    wrong = client.post("/sign-in", data={"csrf_token": "forged", "email": "c@example.org",
                                          "password": PASSWORD})
    assert wrong.status_code == 400 and "CSRF token is invalid" in wrong.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # neither signed anyone in


def test_csrf_token_is_accepted_in_the_x_csrftoken_header(client, sessions):
    make_user(sessions, "h@example.org")
    token = csrf_token(client)
    response = client.post("/sign-in", data={"email": "h@example.org", "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_json_calls_from_the_page_need_the_header(client, sessions):
    make_user(sessions, "j@example.org")
    sign_in(client, "j@example.org")
    bare = client.post("/api/v1/assets", json={"name": "x"})
    assert bare.status_code == 400
    assert bare.json["error"].startswith("The CSRF token is missing: send the token from")
    token = csrf_token(client, "/account")  # the <meta name="csrf-token"> of any page
    with_header = client.post("/api/v1/assets", json={"name": "x"},
                              headers={"X-CSRFToken": token})
    assert "CSRF" not in with_header.get_data(as_text=True)  # past CSRF: judged on its data


def test_bearer_requests_skip_csrf_and_are_judged_by_the_token_alone(client, sessions):
    make_user(sessions, "cookie@example.org")
    planner = make_user(sessions, "token@example.org", "planner")
    with sessions() as session:
        _, token = create_token(session, "token@example.org", "skills script")
    sign_in(client, "cookie@example.org")  # the client also carries a resident's cookie
    form = {"skill": "GIS mapping", "category": "learning", "area": ""}
    # No CSRF token, but a bearer header: accepted, and done as the token's owner.
    response = client.post("/account/skills", data=form,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 303
    with sessions() as session:
        assert session.scalars(select(PersonSkill.user_id)).all() == [planner]
    # The same request on the cookie alone is a CSRF failure, as any cookie request would be.
    assert client.post("/account/skills", data=form).status_code == 400


def test_sign_in_rate_limit_trips_with_a_clear_429(client, sessions):
    make_user(sessions, "limit@example.org")
    token = csrf_token(client)
    attempt = {"csrf_token": token, "email": "limit@example.org", "password": "wrong guess!"}
    statuses = [client.post("/sign-in", data=attempt).status_code for _ in range(10)]
    assert statuses == [401] * 10  # AUTH_RATE_LIMIT: 10 a minute
    blocked = client.post("/sign-in", data={**attempt, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts from your connection" in blocked.get_data(as_text=True)
    assert "10 per 1 minute" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    assert client.get("/account").status_code == 302  # even the right password was refused
    # Reading the page is not limited.
    assert client.get("/sign-in").status_code == 200


def test_rate_limits_can_be_switched_off(make_app, sessions):
    # A limit of 2 a minute that would trip on the third attempt, were limits on.
    client = make_app(RATELIMIT_ENABLED=False, AUTH_RATE_LIMIT="2/minute").test_client()
    token = csrf_token(client)
    attempt = {"csrf_token": token, "email": "x@example.org", "password": "wrong guess!"}
    statuses = [client.post("/sign-in", data=attempt).status_code for _ in range(3)]
    assert statuses == [401] * 3


def test_oversized_body_is_a_413(client):
    token = csrf_token(client)
    response = client.post("/sign-in", data={"csrf_token": token, "email": "x" * (3 << 20)})
    assert response.status_code == 413
    assert "larger than this site accepts (2 MB)" in response.get_data(as_text=True)


def test_garbage_input_never_gives_a_500(client, sessions):
    make_user(sessions, "g@example.org")
    token = csrf_token(client)
    cases = [
        ("/sign-in", {"email": "\x00\xff" * 100, "password": "p" * 5000}),
        ("/sign-up", {"email": "a@b", "display_name": "", "password": "\x00" * 20}),
        ("/reset-password", {"email": "@" * 400}),
        ("/account/skills", {"skill": "x"}),
    ]
    for path, data in cases:
        response = client.post(path, data={"csrf_token": token, **data})
        assert 300 <= response.status_code < 500, (path, response.status_code)
    assert client.get("/sign-in?next=%00%ff//x").status_code == 200


def test_security_headers_and_cookies_under_testing(client):
    response = client.get("/sign-in")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # plain http under TESTING
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_and_hsts_when_asked(make_app):
    response = make_app(SECURE_COOKIES=True).test_client().get("/sign-in",
                                                                base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cookies_are_secure_by_default_outside_testing(make_app, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("ASSETMAP_PLAIN_HTTP", raising=False)
    assert make_app(TESTING=False).config["SESSION_COOKIE_SECURE"] is True
    assert make_app(TESTING=False, PLAIN_HTTP=True).config["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("ASSETMAP_PLAIN_HTTP", "1")
    assert make_app(TESTING=False).config["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")  # an explicit choice wins
    assert make_app(TESTING=False).config["REMEMBER_COOKIE_SECURE"] is True
