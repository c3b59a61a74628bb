"""Gap analysis data in PostGIS: the demo town, and two hand-made areas worked out by hand.

The hand-made town (all figures below are worked out in the tests' comments):

    area A: 1,000 people, need 0.8, a 0.01° square around (-2.095, 53.705)
            assets A1 (group), A2 (venue) within 300 m of its centre
    area B: 3,000 people, need 0.2, the same square 0.1° (about 6.6 km) east
            assets B1 (group), B2 (venue), B3 (a person's skill) near its centre
    links:  A1-A2 (inside A), A1-B1 (crossing), B1-B2 and B2-B3 (inside B)
    services: a GP surgery in A beside A1; a library at (-2.02, 53.705), between the two
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_login import FlaskLoginClient

from assetmap.ingest.pipeline import import_file
from assetmap.store.db import make_engine, make_sessionmaker, upgrade
from assetmap.store.models import Area, Asset, Link, Service, User
from assetmap.store.users import as_account
from assetmap.web.access import SignedInUser
from tests.conftest import ROOT, fresh_database

DEMO = ROOT / "geodata" / "demo"
DEMO_LAYERS = (("areas", "areas.geojson"), ("services", "services.geojson"),
               ("assets", "assets.geojson"), ("links", "links.csv"))


def load_demo(sessions, folder: Path = DEMO) -> None:
    for layer, name in DEMO_LAYERS:
        import_file(sessions, layer, folder / name)


def square(lon: float, lat: float, size: float = 0.01) -> str:
    ring = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size),
            (lon, lat)]
    return "SRID=4326;MULTIPOLYGON(((" + ", ".join(f"{x} {y}" for x, y in ring) + ")))"


def point(lon: float, lat: float) -> str:
    return f"SRID=4326;POINT({lon} {lat})"


def add_small_town(session, *, links: bool = True, population_b: int | None = 3000) -> dict:
    """The hand-made town (module docstring); returns its rows by name."""
    rows = {
        "A": Area(name="A", population=1000, need_index=0.8, geom=square(-2.10, 53.70)),
        "B": Area(name="B", population=population_b, need_index=0.2,
                  geom=square(-2.00, 53.70)),
    }
    assets = {
        "A1": ("group", "older_people", -2.096, 53.705),
        "A2": ("venue", "community_space", -2.094, 53.706),
        "B1": ("group", "food", -1.996, 53.705),
        "B2": ("venue", "community_space", -1.994, 53.706),
        "B3": ("skill", "learning", -1.995, 53.704),
    }
    for name, (kind, category, lon, lat) in assets.items():
        rows[name] = Asset(kind=kind, category=category, name=name, geom=point(lon, lat),
                           status="published", visibility="public")
    rows["GP"] = Service(service_type="health", name="Valley Surgery",
                         geom=point(-2.0959, 53.7050))
    rows["Library"] = Service(service_type="library", name="Crossroads Library",
                              geom=point(-2.02, 53.705))
    session.add_all(rows.values())
    session.flush()
    if links:
        for a, b in (("A1", "A2"), ("A1", "B1"), ("B1", "B2"), ("B2", "B3")):
            session.add(Link(from_asset_id=rows[a].id, to_asset_id=rows[b].id,
                             type="partners_with", status="published"))
        session.flush()
    return rows


@pytest.fixture
def small_town(session):
    return add_small_town(session)


@pytest.fixture
def demo(sessions):
    load_demo(sessions)


@pytest.fixture(scope="session")
def committed_demo_url() -> str:
    """A committed, migrated database holding the demo town (for subprocesses and jobs)."""
    url = fresh_database("assetmap_gaps")
    engine = make_engine(url)
    upgrade(engine)
    load_demo(make_sessionmaker(engine))
    engine.dispose()
    return url


def gaps_app(database_url: str, sessions=None):
    """An app with the gap report pages; on the test's transaction when `sessions` is given."""
    from assetmap.web import create_app
    from assetmap.web.reports_gaps import blueprint

    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test-key",
                      "RATELIMIT_ENABLED": False})
    if sessions is not None:
        app.extensions["assetmap.sessions"] = sessions
    app.test_client_class = FlaskLoginClient  # signs clients in without the password form
    if "reports_gaps" not in app.blueprints:  # until the app factory registers it
        app.register_blueprint(blueprint)
    return app


def client_for(app, sessions, role: str | None, email: str | None = None):
    """A test client signed in with `role` (None: anonymous); returns (client, user id)."""
    if role is None:
        return app.test_client(), None
    with sessions() as session, session.begin():
        user = User(email=email or f"{role}@example.org", display_name=role.title(), role=role,
                    active=True)
        session.add(user)
        session.flush()
        account = as_account(user)
    return app.test_client(user=SignedInUser(account)), account.id


def csrf_token(client, path: str = "/reports/gaps?walk=0") -> str:
    """The CSRF token the site layout hands this client (the default page stops at a 400
    before any analysis, so it is cheap)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
