"""Fixtures for participatory rounds: three areas, people in them, a round, proposals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assetmap.store import rounds
from assetmap.store.models import Area, User
from assetmap.store.visibility import Viewer

# Three 0.02° squares side by side; Central and Eastwood share the edge lon = -2.09.
SQUARES = {
    "Central": (-2.11, 53.70, 2400, 0.62),
    "Eastwood": (-2.09, 53.70, 1800, 0.35),
    "Northfield": (-2.11, 53.72, 900, None),
}
# A point inside each square.
INSIDE = {"Central": (-2.10, 53.71), "Eastwood": (-2.08, 53.71), "Northfield": (-2.10, 53.73)}
NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)


def square(lon: float, lat: float, size: float = 0.02) -> str:
    ring = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size),
            (lon, lat)]
    return "SRID=4326;MULTIPOLYGON(((" + ", ".join(f"{x} {y}" for x, y in ring) + ")))"


def add_areas(session) -> dict[str, Area]:
    """The three areas, flushed."""
    made = {}
    for name, (lon, lat, population, need) in SQUARES.items():
        made[name] = Area(name=name, population=population, need_index=need,
                          geom=square(lon, lat), extra={})
        session.add(made[name])
    session.flush()
    return made


def add_person(session, email: str, role: str = "resident", home: Area | None = None) -> Viewer:
    """An account (no password needed for store tests) and its Viewer."""
    user = User(email=email, display_name=email.split("@")[0], role=role,
                home_area_id=home.id if home else None)
    session.add(user)
    session.flush()
    return Viewer(role=role, user_id=user.id)


@pytest.fixture
def areas(session):
    return add_areas(session)


@pytest.fixture
def worker(session):
    return add_person(session, "wendy@example.org", "worker")


@pytest.fixture
def people(session, areas):
    """Residents: two in Central, one in Eastwood, one in Northfield, one with no home area."""
    return {
        "ann": add_person(session, "ann@example.org", home=areas["Central"]),
        "bob": add_person(session, "bob@example.org", home=areas["Central"]),
        "eve": add_person(session, "eve@example.org", home=areas["Eastwood"]),
        "nia": add_person(session, "nia@example.org", home=areas["Northfield"]),
        "hal": add_person(session, "hal@example.org"),
    }


def round_data(areas, **overrides) -> dict:
    """A points round for Central and Eastwood, open around NOW."""
    data = {"title": "What should we build first?", "question": "Spread 10 points.",
            "mode": "points", "budget": 10, "opens_at": NOW - timedelta(days=1),
            "closes_at": NOW + timedelta(days=7), "hide_totals": True,
            "area_ids": [areas["Central"].id, areas["Eastwood"].id]}
    data.update(overrides)
    return data


def propose(session, round_id, viewer, title, where="Central", **extra):
    lon, lat = INSIDE[where]
    return rounds.create_proposal(session, round_id,
                                  {"title": title, "lon": lon, "lat": lat, **extra}, viewer,
                                  now=NOW)


@pytest.fixture
def points_round(session, areas, worker):
    return rounds.create_round(session, round_data(areas), worker)


@pytest.fixture
def ranking_round(session, areas, worker):
    return rounds.create_round(session, round_data(areas, mode="ranking", budget=None,
                                                   title="Rank the ideas"), worker)
