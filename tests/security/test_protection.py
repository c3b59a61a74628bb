"""CSRF on every unsafe route, rate limits, reset-link expiry, cookie flags, headers."""

from __future__ import annotations

import time
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import func, select

from assetmap.store import users as user_store
from assetmap.store.db import make_engine
from assetmap.store.models import Asset, User
from assetmap.web.security import CSP
from tests.integration.auth.helpers import PASSWORD, csrf_token
from tests.security.access_table import TABLE
from tests.security.world import (
    SECRET,
    fill,
    fill_json,
    make_app,
    rolled_back,
    signed_in_client,
)

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Pages allowed to run inline script, and why. Each is a weaker page: keep the list short.
INLINE_SCRIPT_PAGES = {
    "/reports/gaps": "the gap report embeds folium maps, whose HTML carries inline script",
    "/reports/network": "the network report embeds folium maps, likewise",
}
# test_xss_browser.py visits both with hostile asset names and watches for dialogs in every
# frame: the compensating check for these pages.


@pytest.fixture(scope="module")
def engine(world):
    engine = make_engine(world.url)
    yield engine
    engine.dispose()


def _send(client, case, world, **extra):
    kwargs = {}
    if case.json is not None:
        kwargs["json"] = fill_json(case.json, world)
    if case.form is not None:
        kwargs["data"] = {fill(k, world): fill(v, world) for k, v in case.form.items()}
    return client.open(fill(case.path, world), method=case.method, **kwargs, **extra)


def test_every_unsafe_route_refuses_a_request_without_the_csrf_token(world, engine):
    """As an admin (who may do anything), every state-changing route answers 400 naming the
    CSRF token when none is sent — and nothing in the database changes."""
    app = make_app(world, RATELIMIT_ENABLED=False)
    routes = {(r.rule, m) for r in app.url_map.iter_rules() for m in r.methods}
    unsafe = sorted(key for key in TABLE if key[1] in UNSAFE and key in routes)
    assert len(unsafe) > 30  # the table really covers the app's writes
    for key in unsafe:
        with rolled_back(app, engine) as conn:
            before = conn.execute(select(func.count()).select_from(Asset)).scalar()
            response = _send(signed_in_client(app, world, "admin"), TABLE[key], world)
            assert response.status_code == 400, key
            assert "CSRF" in response.get_data(as_text=True), key
            assert conn.execute(select(func.count()).select_from(Asset)).scalar() == before


def test_a_wrong_csrf_token_is_refused_and_the_right_one_accepted(world, engine):
    app = make_app(world, RATELIMIT_ENABLED=False)
    with rolled_back(app, engine):
        client = signed_in_client(app, world, "resident")
        body = {"kind": "group", "category": "community_space", "name": "Knit club",
                "lon": -2.1, "lat": 53.71}
        forged = client.post("/api/v1/assets", json=body, headers={"X-CSRFToken": "forged"})
        assert forged.status_code == 400 and "CSRF" in forged.json["error"]
        token = csrf_token(client, "/")
        good = client.post("/api/v1/assets", json=body, headers={"X-CSRFToken": token})
        assert good.status_code == 201


def test_a_bearer_header_never_rides_on_the_session_cookie(world, engine):
    """A request with `Authorization: Bearer` is judged by the token alone: a bad token is 401
    even though the browser's session cookie belongs to a signed-in admin."""
    app = make_app(world, RATELIMIT_ENABLED=False)
    with rolled_back(app, engine):
        client = signed_in_client(app, world, "admin")
        response = client.post(f"/api/v1/assets/{world.ids['pending']}/status",
                               json={"status": "published"},
                               headers={"Authorization": "Bearer amt_not-a-real-token"})
        assert response.status_code == 401


def test_sign_in_is_rate_limited_per_address(world, engine):
    app = make_app(world, AUTH_RATE_LIMIT="3/minute", RATELIMIT_STORAGE_URI="memory://")
    with rolled_back(app, engine):
        client = app.test_client()
        statuses = []
        for _ in range(4):
            token = csrf_token(client, "/sign-in")
            statuses.append(client.post("/sign-in", data={
                "csrf_token": token, "email": "resident@example.org",
                "password": "wrong password!"}).status_code)
        assert statuses == [401, 401, 401, 429]
        limited = client.post("/sign-in", data={"csrf_token": token,
                                                "email": "resident@example.org",
                                                "password": PASSWORD})
        # Even the right password waits: guessing cannot continue by getting lucky.
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) > 0


def test_submissions_are_rate_limited(world, engine):
    app = make_app(world, SUBMISSION_RATE_LIMIT="2/minute", WTF_CSRF_ENABLED=False,
                   RATELIMIT_STORAGE_URI="memory://")
    with rolled_back(app, engine):
        client = signed_in_client(app, world, "resident")
        body = {"kind": "group", "category": "community_space", "name": "Chess club",
                "lon": -2.1, "lat": 53.71}
        codes = [client.post("/api/v1/assets", json=body).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        # Reading is never limited.
        assert client.get("/api/v1/categories").status_code == 200


@pytest.mark.parametrize(("age", "expected"), [(3500, 200), (3601, 400)])
def test_a_reset_link_works_for_an_hour_only(world, engine, age, expected):
    app = make_app(world, RATELIMIT_ENABLED=False)
    with rolled_back(app, engine) as conn:
        from sqlalchemy.orm import Session

        user = Session(bind=conn).get(User, world.users["other"])
        token = user_store.issue_reset_token(SECRET, user, clock=lambda: time.time() - age)
        response = app.test_client().get(f"/reset-password/{token}")
        assert response.status_code == expected
        if expected == 400:
            assert "expired" in response.get_data(as_text=True)


def test_a_reset_link_works_once(world, engine):
    app = make_app(world, RATELIMIT_ENABLED=False)
    with rolled_back(app, engine):
        client = app.test_client()
        path = f"/reset-password/{world.reset_token}"
        new = {"password": "another long passphrase", "confirm": "another long passphrase"}
        first = client.post(path, data={"csrf_token": csrf_token(client, path), **new})
        assert first.status_code == 302
        again = client.get(path)
        assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = next(iter(SimpleCookie(header)))
        found[name] = header
    return found


def test_cookies_are_secure_httponly_and_samesite_by_default(world, engine):
    # Not TESTING, no PLAIN_HTTP: the production default.
    app = make_app(world, TESTING=False, RATELIMIT_ENABLED=False)
    with rolled_back(app, engine):
        client = app.test_client()
        page = client.get("/sign-in", base_url="https://localhost").get_data(as_text=True)
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        # Over HTTPS Flask-WTF also wants a same-site Referer.
        response = client.post("/sign-in", data={"csrf_token": token, "remember": "y",
                                                  "email": "resident@example.org",
                                                  "password": PASSWORD},
                               base_url="https://localhost",
                               headers={"Referer": "https://localhost/sign-in"})
        assert response.status_code == 302
        cookies = _cookies(response)
        assert {"session", "remember_token"} <= set(cookies)
        for name in ("session", "remember_token"):
            flags = [part.strip().lower() for part in cookies[name].split(";")]
            assert "secure" in flags and "httponly" in flags, name
            assert "samesite=lax" in flags, name
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_every_page_carries_the_security_headers(world, engine):
    app = make_app(world, RATELIMIT_ENABLED=False)
    gets = sorted(key for key in TABLE if key[1] == "GET")
    with rolled_back(app, engine):
        client = signed_in_client(app, world, "worker")
        for key in gets:
            case = TABLE[key]
            if not {(r.rule, "GET") for r in app.url_map.iter_rules()} >= {key}:
                continue
            response = client.get(fill(case.path, world))
            response.close()
            headers = response.headers
            expected = CSP
            if key[0] in INLINE_SCRIPT_PAGES:
                expected = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            assert headers["Content-Security-Policy"] == expected, key
            assert headers["X-Content-Type-Options"] == "nosniff", key
            assert headers["X-Frame-Options"] == "DENY", key
            assert headers["Referrer-Policy"] == "same-origin", key
    # No inline script may run: the policy allows scripts from this site only.
    script_src = next(p for p in CSP.split(";") if p.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
