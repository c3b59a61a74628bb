"""A small town whose every asset is a case for the visibility rules, committed once.

The data are read-only for the tests (each builds its own app on them), so a committed
database can also be served by a live server that GDAL reads over HTTP.

Areas: Central is the square lon -2.11..-2.09, lat 53.70..53.72; Eastwood lon -2.09..-2.07.
Who may see which asset (the names are unique, so a leak test can look for them in any output):

| asset              | kind  | visibility | status    | anonymous | resident | planner | admin |
|--------------------|-------|------------|-----------|-----------|----------|---------|-------|
| Lunch Club         | group | public     | published | yes       | yes      | yes     | yes   |
| Fielden Centre     | venue | public     | published | yes       | yes      | yes     | yes   |
| Allotment Society  | group | public     | published | yes       | yes      | yes     | yes   |
| Members Choir      | group | members    | published | -         | yes      | yes     | yes   |
| Secret Garden      | group | private    | published | -         | -        | -       | yes   |
| Pending Pantry     | group | public     | pending   | -         | -        | -       | yes   |
| Old Library Group  | group | public     | archived  | -         | -        | -       | -     |
| Bookkeeping Help   | skill | public     | published | -         | -        | -       | -     |
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Point, Polygon, box
from werkzeug.serving import make_server

from assetmap.store.db import make_engine, make_sessionmaker, upgrade
from assetmap.store.models import Area, Asset, Link, Service, User
from assetmap.store.tokens import create_token
from assetmap.web import create_app
from tests.conftest import fresh_database

OLD = datetime(2020, 1, 1, tzinfo=UTC)
PUBLIC = ["Lunch Club", "Fielden Centre", "Allotment Society"]
MEMBERS = ["Members Choir"]
HIDDEN = ["Secret Garden", "Pending Pantry", "Old Library Group", "Bookkeeping Help"]
CONTACTS = ["lunch@example.org", "choir@example.org", "garden@example.org",
            "pantry@example.org", "books@example.org"]
# Fielden Centre's ring is given clockwise on purpose: exports must turn it round.
FIELDEN_CLOCKWISE = [(-2.0990, 53.7140), (-2.0990, 53.7146), (-2.0980, 53.7146),
                     (-2.0980, 53.7140), (-2.0990, 53.7140)]


def _asset(name, kind, category, lon_lat=None, *, geom=None, visibility="public",
           status="published", contact="", created_at=OLD, created_by=None, description=None):
    shape = geom if geom is not None else Point(*lon_lat)
    return Asset(kind=kind, category=category, name=name,
                 description=description or f"About {name}",
                 geom=from_shape(shape, srid=4326), contact=contact, visibility=visibility,
                 status=status, source="town", source_id=name.lower().replace(" ", "-"),
                 created_at=created_at, updated_at=created_at, created_by=created_by)


def seed(session) -> dict:
    """Write the town; returns ids by name (assets, links, users, tokens)."""
    users = {role: User(email=f"{role}@town.example", display_name=role.title(), role=role)
             for role in ("resident", "planner", "admin", "worker")}
    session.add_all(users.values())
    session.flush()
    assets = [
        _asset("Lunch Club", "group", "older_people", (-2.1000, 53.7100),
               contact="lunch@example.org"),
        _asset("Fielden Centre", "venue", "community_space",
               geom=Polygon(FIELDEN_CLOCKWISE)),
        _asset("Allotment Society", "group", "environment", (-2.0800, 53.7050),
               created_at=datetime(2025, 6, 1, tzinfo=UTC),
               description='Grow <b>veg</b> & "share"'),  # markup to be escaped in HTML
        _asset("Members Choir", "group", "arts_culture", (-2.0850, 53.7150),
               visibility="members", contact="choir@example.org"),
        _asset("Secret Garden", "group", "environment", (-2.0950, 53.7120),
               visibility="private", contact="garden@example.org"),
        _asset("Pending Pantry", "group", "food", (-2.0970, 53.7080), status="pending",
               contact="pantry@example.org", created_by=users["resident"].id),
        _asset("Old Library Group", "group", "learning", (-2.1020, 53.7110),
               status="archived"),
        _asset("Bookkeeping Help", "skill", "learning", (-2.0980, 53.7090),
               contact="books@example.org"),
    ]
    session.add_all(assets)
    session.flush()
    by_name = {a.name: a.id for a in assets}

    def link(a, b, type_, status="published", started=None, ended=None, directed=True):
        return Link(from_asset_id=by_name[a], to_asset_id=by_name[b], type=type_,
                    status=status, started=started, ended=ended, directed=directed,
                    evidence=f"{a} - {b}", source="town", source_id=f"{a}>{b}")

    links = [
        link("Lunch Club", "Fielden Centre", "meets_at", started=date(2021, 3, 1)),
        link("Allotment Society", "Lunch Club", "partners_with", started=date(2022, 5, 1),
             ended=date(2024, 1, 31), directed=False),
        link("Lunch Club", "Members Choir", "partners_with", directed=False),
        link("Lunch Club", "Secret Garden", "partners_with", directed=False),
        link("Fielden Centre", "Allotment Society", "refers_to", status="pending"),
        link("Lunch Club", "Bookkeeping Help", "shares_skills_with", directed=False),
        link("Old Library Group", "Fielden Centre", "meets_at"),
    ]
    session.add_all(links)
    session.add_all([
        Service(service_type="health", name="Health Centre", source="nhs", source_id="H1",
                geom=from_shape(Point(-2.0990, 53.7110), srid=4326), created_at=OLD),
        Service(service_type="library", name="Town Library", source="council",
                source_id="L1", geom=from_shape(Point(-2.0810, 53.7060), srid=4326),
                created_at=OLD),
    ])
    session.add_all([
        Area(name="Central", code="E01000001", population=2400, need_index=0.62,
             geom=from_shape(MultiPolygon([box(-2.11, 53.70, -2.09, 53.72)]), srid=4326),
             created_at=OLD),
        Area(name="Eastwood", code="E01000002", population=1800,
             geom=from_shape(MultiPolygon([box(-2.09, 53.70, -2.07, 53.72)]), srid=4326),
             created_at=OLD),
    ])
    session.commit()
    link_ids = {(lk.from_asset_id, lk.to_asset_id): lk.id for lk in links}
    tokens = {role: create_token(session, f"{role}@town.example", "tests")[1]
              for role in ("planner", "admin")}
    return {"assets": by_name, "links": link_ids, "tokens": tokens,
            "users": {role: u.id for role, u in users.items()}}


@pytest.fixture(scope="session")
def town():
    """(database URL, ids) of the committed town."""
    url = fresh_database("assetmap_interop")
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        ids = seed(session)
    engine.dispose()
    return url, ids


@pytest.fixture
def ids(town):
    return town[1]


@pytest.fixture
def app(town):
    return create_app({"DATABASE_URL": town[0], "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def bearer(token: str) -> dict:
    """Request headers carrying an API token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_resident(monkeypatch, ids):
    """Requests are made as the signed-in resident (who added Pending Pantry)."""
    from assetmap.store.visibility import Viewer
    from assetmap.web import viewer

    monkeypatch.setattr(viewer, "_session_viewer",
                        lambda: Viewer(role="resident", user_id=ids["users"]["resident"]))


@pytest.fixture
def as_other_resident(monkeypatch):
    """Requests are made as a signed-in resident who added nothing."""
    from assetmap.store.visibility import Viewer
    from assetmap.web import viewer

    monkeypatch.setattr(viewer, "_session_viewer",
                        lambda: Viewer(role="resident", user_id=999_999))


@pytest.fixture(scope="session")
def live_url(town):
    """The app served on 127.0.0.1 for clients that speak HTTP (GDAL)."""
    server = make_server("127.0.0.1", 0, create_app({"DATABASE_URL": town[0]}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
