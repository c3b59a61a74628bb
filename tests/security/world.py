"""A small committed world for the security and reliability tests: one area, an account per
role plus a second resident, assets and links in each state, a pending edit, a skill, an open
round with proposals and a ballot. Ids are returned in a `World` so tables can name them."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from assetmap.store import assets as asset_store
from assetmap.store import ballots, rounds, skills
from assetmap.store import links as link_store
from assetmap.store import users as user_store
from assetmap.store.db import make_engine, make_sessionmaker, transaction, upgrade
from assetmap.store.models import Area, Revision
from assetmap.store.visibility import Viewer
from assetmap.web import create_app
from tests.conftest import fresh_database
from tests.integration.auth.helpers import PASSWORD

SECRET = "security-test-key"
ROLES = ("anonymous", "resident", "other", "worker", "planner", "admin")
CENTRAL = ("SRID=4326;MULTIPOLYGON(((-2.12 53.70,-2.08 53.70,-2.08 53.73,-2.12 53.73,"
           "-2.12 53.70)))")
BBOX = "-2.2,53.6,-2.0,53.8"


@dataclass
class World:
    url: str
    users: dict[str, int] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    reset_token: str = ""

    def viewer(self, role: str) -> Viewer:
        real = {"other": "resident"}.get(role, role)
        return Viewer(role=real, user_id=self.users[role])


def build_world(name: str = "assetmap_security") -> World:
    """Make, migrate and fill a committed database; return its URL and ids."""
    world = World(url=fresh_database(name))
    engine = make_engine(world.url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with transaction(factory) as s:
        area = Area(name="Central", code="C1", population=1000, need_index=0.5, geom=CENTRAL)
        s.add(area)
        s.flush()
        world.ids["area"] = area.id
        for role in ROLES[1:]:
            real = {"other": "resident"}.get(role, role)
            user = user_store.create_user(s, f"{role}@example.org", f"{role.title()} Person",
                                          PASSWORD, real)
            world.users[role] = user.id
            world.fingerprints[role] = user_store.fingerprint(user.password_hash)
        world.reset_token = user_store.issue_reset_token(SECRET, s.get(
            user_store.User, world.users["resident"]))
    w, r = world.viewer("worker"), world.viewer("resident")
    with transaction(factory) as s:
        hall = {"kind": "venue", "category": "community_space", "lon": -2.10, "lat": 53.71}
        p = asset_store.create(s, {**hall, "name": "Fielden Centre"}, w)
        mine = asset_store.create(s, {**hall, "name": "Resident's Cafe", "lat": 53.712}, r)
        q = asset_store.create(s, {**hall, "name": "Pending Club", "lat": 53.715}, r)
        s.flush()
        asset_store.set_status(s, mine.id, "published", w)
        world.ids.update(published=p.id, mine=mine.id, pending=q.id,
                         pending_version=q.version)
        world.ids["revision"] = s.scalar(select(Revision.id).where(
            Revision.entity == "asset", Revision.entity_id == p.id).limit(1))
        link = link_store.create(s, {"from_asset_id": p.id, "to_asset_id": mine.id,
                                     "type": "meets_at"}, w)
        pending_link = link_store.create(s, {"from_asset_id": p.id, "to_asset_id": mine.id,
                                             "type": "partners_with"}, r)
        world.ids.update(link=link.id, pending_link=pending_link.id)
        s.flush()
        _, change = asset_store.update(s, p.id, {"name": "Fielden Hall", "version": p.version},
                                       r)
        world.ids["change"] = change.id
        world.ids["skill"] = skills.offer_skill(s, r.user_id, "Bread making",
                                                "community_space", area_id=area.id).id
        now = datetime.now(UTC)
        rnd = rounds.create_round(s, {
            "title": "Spend the ward budget", "mode": "points", "budget": 10,
            "opens_at": (now - timedelta(days=1)).isoformat(),
            "closes_at": (now + timedelta(days=30)).isoformat(),
            "area_ids": [area.id], "hide_totals": True}, w)
        world.ids["round"] = rnd.id
        point = {"lon": -2.10, "lat": 53.71}
        prop = rounds.create_proposal(s, rnd.id, {"title": "More benches", **point}, r)
        rounds.set_proposal_status(s, rnd.id, prop.id, "published", w)
        pending_prop = rounds.create_proposal(s, rnd.id, {"title": "A skate park", **point}, r)
        world.ids.update(proposal=prop.id, pending_proposal=pending_prop.id)
        ballots.set_home_area(s, r, area.id)
        ballots.cast_ballot(s, rnd.id, {str(prop.id): 4}, r)
    engine.dispose()
    return world


def make_app(world: World, **config):
    """An app on the world's database, with the account-data pages registered."""
    settings = {"DATABASE_URL": world.url, "TESTING": True, "SECRET_KEY": SECRET, **config}
    app = create_app(settings)
    ensure_my_data(app)
    return app


def ensure_my_data(app) -> None:
    """Register the account-data blueprint when the app factory does not (yet)."""
    if "my_data" not in app.blueprints:
        from assetmap.web import my_data

        app.register_blueprint(my_data.blueprint)


def signed_in_client(app, world: World, role: str):
    """A test client whose session names `role`'s account (anonymous: no session)."""
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as sess:
            sess["_user_id"] = f"{world.users[role]}:{world.fingerprints[role]}"
            sess["_fresh"] = True
    return client


@contextmanager
def rolled_back(app, engine):
    """Point `app` at one connection whose transaction is rolled back when the block ends."""
    with engine.connect() as conn:
        outer = conn.begin()
        app.extensions["assetmap.sessions"] = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield conn
        finally:
            outer.rollback()


def fill(text: str, world: World) -> str:
    """`text` with {name} replaced by the world's id of that name."""
    def value(match):
        name = match.group(1)
        if name == "reset_token":
            return world.reset_token
        if name.startswith("user:"):
            return str(world.users[name[5:]])
        return str(world.ids[name])

    return re.sub(r"\{([a-z_:]+)\}", value, text)


def fill_json(data, world: World):
    """`fill` through a JSON body; a lone {name} becomes the number itself."""
    if isinstance(data, dict):
        return {fill(k, world): fill_json(v, world) for k, v in data.items()}
    if isinstance(data, list):
        return [fill_json(v, world) for v in data]
    if isinstance(data, str) and re.fullmatch(r"\{[a-z_:]+\}", data):
        return int(fill(data, world))
    return data
