"""Input the database cannot take is refused up front with a 400 naming the field: text with
a lone surrogate (a 500 before), and times outside years 1 to 9999 once turned into UTC
(stored before, after which listing or reading the round failed for everyone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from assetmap.errors import InvalidInput
from assetmap.store import rounds

from .conftest import INSIDE, add_areas
from .web_helpers import build_app, person

LONE = "\ud800"


@pytest.fixture
def world(database_url, sessions):
    app = build_app(database_url, sessions)
    with sessions() as session, session.begin():
        area_id = add_areas(session)["Central"].id
    worker, _ = person(app, sessions, "wendy@example.org", "worker")
    return {"worker": worker, "area_id": area_id}


def round_body(world, **overrides) -> dict:
    now = datetime.now(UTC)
    return {"title": "Where first?", "mode": "points", "budget": 10,
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=3)).isoformat(),
            "area_ids": [world["area_id"]], **overrides}


def open_round(world) -> int:
    made = world["worker"].send("POST", "/api/v1/rounds", json=round_body(world))
    assert made.status_code == 201, made.json
    return made.json["id"]


def refused(response, field: str) -> None:
    assert response.status_code == 400, (response.status_code, response.data[:300])
    assert response.json["field"] == field and response.json["error"]


@pytest.mark.parametrize("field", ["title", "question"])
def test_round_text_with_a_lone_surrogate_is_refused(world, field):
    sent = world["worker"].send("POST", "/api/v1/rounds",
                                json=round_body(world, **{field: f"Spring {LONE}"}))
    refused(sent, field)


@pytest.mark.parametrize("field", ["title", "description"])
def test_proposal_text_with_a_lone_surrogate_is_refused(world, field):
    rid = open_round(world)
    lon, lat = INSIDE["Central"]
    body = {"title": "Benches", "lon": lon, "lat": lat, field: f"More {LONE}"}
    refused(world["worker"].send("POST", f"/api/v1/rounds/{rid}/proposals", json=body), field)


def test_reason_with_a_lone_surrogate_is_refused(world):
    rid = open_round(world)
    lon, lat = INSIDE["Central"]
    proposal = world["worker"].send("POST", f"/api/v1/rounds/{rid}/proposals",
                                    json={"title": "Benches", "lon": lon, "lat": lat}).json
    sent = world["worker"].send(
        "POST", f"/api/v1/rounds/{rid}/proposals/{proposal['id']}/status",
        json={"status": "rejected", "reason": f"Too far {LONE}"})
    refused(sent, "reason")


@pytest.mark.parametrize("field, value", [
    ("opens_at", "0001-01-01T00:00:00+05:00"),  # 31 Dec of year 0 in UTC
    ("closes_at", "9999-12-31T23:59:59-14:00"),  # year 10000 in UTC
])
def test_times_outside_the_storable_range_are_refused(world, field, value):
    sent = world["worker"].send("POST", "/api/v1/rounds",
                                json=round_body(world, **{field: value}))
    refused(sent, field)
    listed = world["worker"].get("/api/v1/rounds")
    assert listed.status_code == 200 and listed.json == []


def test_parse_time_keeps_the_edges_that_fit():
    assert rounds.parse_time("0001-01-01T00:00:00Z", "opens_at").year == 1
    assert rounds.parse_time("9999-12-31T23:59:59+14:00", "closes_at").year == 9999
    an_hour_east = timezone(timedelta(hours=1))
    with pytest.raises(InvalidInput) as caught:  # a datetime (from a form) is checked too
        rounds.parse_time(datetime(1, 1, 1, tzinfo=an_hour_east), "opens_at")
    assert caught.value.field == "opens_at"
