"""How submissions are counted: per view, unsafe requests only, a blueprint's own limit, the
X-RateLimit headers, and counting on in memory when the shared storage is unreachable."""

from __future__ import annotations

from tests.integration.auth.helpers import csrf_token, make_user, sign_in

CLUB = {"kind": "group", "category": "community_space", "name": "Chess club",
        "lon": -2.1, "lat": 53.71}


def _signed_in(make_app, sessions, **config):
    app = make_app(WTF_CSRF_ENABLED=False, **config)
    make_user(sessions, "counted@example.org")
    client = app.test_client()
    sign_in(client, "counted@example.org")
    return client


def test_reads_are_never_counted(make_app, sessions):
    client = _signed_in(make_app, sessions, SUBMISSION_RATE_LIMIT="1/minute")
    for _ in range(5):
        response = client.get("/api/v1/categories")
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response.headers


def test_each_view_has_its_own_count_and_says_what_is_left(make_app, sessions):
    client = _signed_in(make_app, sessions, SUBMISSION_RATE_LIMIT="2/minute")
    first = client.post("/api/v1/assets", json=CLUB)
    assert first.status_code == 201
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert int(first.headers["X-RateLimit-Reset"]) > 0
    assert client.post("/api/v1/assets", json=CLUB).status_code == 201
    over = client.post("/api/v1/assets", json=CLUB)
    assert over.status_code == 429
    assert over.json["error"].startswith("Too many attempts from your connection (the limit "
                                         "is 2 per 1 minute)")
    assert int(over.headers["Retry-After"]) > 0
    # Another view counts from zero.
    asset_id = first.json["id"]
    link = client.post("/api/v1/links", json={"from_asset_id": asset_id,
                                              "to_asset_id": asset_id, "type": "partners_with"})
    assert link.status_code == 400  # judged on its data (a link to itself), not counted out


def test_sign_in_has_its_own_stricter_limit(make_app, sessions):
    app = make_app(AUTH_RATE_LIMIT="2/minute", SUBMISSION_RATE_LIMIT="100/minute")
    make_user(sessions, "strict@example.org")
    client = app.test_client()
    statuses = []
    for _ in range(3):
        token = csrf_token(client, "/sign-in")
        statuses.append(client.post("/sign-in", data={
            "csrf_token": token, "email": "strict@example.org", "password": "wrong!"},
        ).status_code)
    assert statuses == [401, 401, 429]


def test_an_unreachable_storage_counts_in_memory_instead_of_failing(make_app, sessions):
    client = _signed_in(make_app, sessions, SUBMISSION_RATE_LIMIT="1/minute",
                        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    assert client.post("/api/v1/assets", json=CLUB).status_code == 201
    assert client.post("/api/v1/assets", json=CLUB).status_code == 429


def test_switched_off_nothing_is_counted(make_app, sessions):
    client = _signed_in(make_app, sessions, RATELIMIT_ENABLED=False,
                        SUBMISSION_RATE_LIMIT="1/minute")
    assert [client.post("/api/v1/assets", json=CLUB).status_code for _ in range(3)] == \
        [201, 201, 201]
