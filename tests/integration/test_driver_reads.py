"""Viewport reads on the driver's cursor, the idle-connection ping, and `optimise`.

Proves on committed data in a private database that a read on an Engine, a Session and a
Connection return the same features and leave pooled connections out of autocommit; that a
read on a Connection sees that transaction's uncommitted rows; that errors come out as
SQLAlchemy's (a lost connection is replaced, a failed statement keeps it, a failed connect is
an OperationalError); that the checkout ping replaces a dead idle connection (and that
without it the dead one would be used); and that `optimise` clusters and analyses the spatially read
tables.
"""

from __future__ import annotations

import json

import psycopg
import pytest
import sqlalchemy.exc
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from assetmap.store import assets, db, mapdata
from assetmap.store.db import driver_cursor, make_engine, make_sessionmaker, optimise, upgrade
from assetmap.store.models import User
from assetmap.store.visibility import ANONYMOUS, Viewer
from tests.conftest import fresh_database

HALL = {"kind": "venue", "category": "community_space", "name": "Public hall",
        "description": "Big hall", "contact": "hall@example.org", "lon": -2.099, "lat": 53.714}
NEVER = 1e9  # seconds: a threshold no test waits for, so the checkout never pings


@pytest.fixture(scope="module")
def committed():
    """A private migrated database with three committed assets; its URL and the viewers."""
    url = fresh_database("assetmap_driver_reads")
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        users = {role: User(email=f"{role}@reads.example.org", display_name=role, role=role)
                 for role in ("resident", "worker")}
        session.add_all(users.values())
        session.flush()
        viewers = {role: Viewer(role=role, user_id=u.id) for role, u in users.items()}
        ids = {
            "public": assets.create(session, HALL, viewers["worker"]).id,
            "members": assets.create(session, {**HALL, "name": "Members' room",
                                               "visibility": "members"}, viewers["worker"]).id,
            "pending": assets.create(session, {**HALL, "name": "Pending club"},
                                     viewers["resident"]).id,
        }
        session.commit()
    engine.dispose()
    return {"url": url, "viewers": viewers, "ids": ids}


@pytest.fixture
def one(committed):
    """An engine on the private database with a single pooled connection, so each test knows
    which connection is lent."""
    engine = make_engine(committed["url"], pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


@pytest.fixture
def kill(committed):
    """kill(pid): terminate a backend from another connection and wait until it is gone."""
    admin = create_engine(committed["url"], poolclass=NullPool)

    def kill(pid: int) -> None:
        with admin.connect() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid})

    yield kill
    admin.dispose()


def backend_pid(engine) -> int:
    pooled = engine.raw_connection()
    try:
        return pooled.driver_connection.info.backend_pid
    finally:
        pooled.close()


def feature_ids(engine, viewer=ANONYMOUS) -> list[int]:
    return [f["id"] for f in mapdata.assets_in_view(engine, viewer)["features"]]


def test_engine_session_and_connection_reads_agree(committed, one):
    autocommit_at_checkin = []
    event.listen(one, "checkin", lambda dbapi_conn, _record: autocommit_at_checkin.append(
        dbapi_conn.autocommit))
    ids, viewers = committed["ids"], committed["viewers"]
    expected = {ANONYMOUS: [ids["public"]],
                viewers["resident"]: [ids["public"], ids["members"], ids["pending"]]}
    for viewer, wanted in expected.items():
        on_engine = json.loads(mapdata.assets_in_view_json(one, viewer))
        with make_sessionmaker(one)() as session:
            on_session = json.loads(mapdata.assets_in_view_json(session, viewer))
        with one.connect() as conn:
            on_connection = json.loads(mapdata.assets_in_view_json(conn, viewer))
        assert on_engine == on_session == on_connection
        assert [f["id"] for f in on_engine["features"]] == wanted
        assert all(("contact" in f["properties"]) == viewer.signed_in
                   for f in on_engine["features"])
    assert autocommit_at_checkin and not any(autocommit_at_checkin)
    pooled = one.raw_connection()
    assert pooled.driver_connection.autocommit is False
    pooled.close()


def test_a_connection_read_sees_its_transactions_rows(engine, connection, session):
    worker = User(email="worker@uncommitted.example.org", display_name="w", role="worker")
    session.add(worker)
    session.flush()
    hall = assets.create(session, {**HALL, "name": "Uncommitted"},
                         Viewer(role="worker", user_id=worker.id))
    assert hall.id in feature_ids(connection)
    assert hall.id in feature_ids(session)
    assert hall.id not in feature_ids(engine)  # a pooled connection: not committed there


def test_a_failed_statement_is_sqlalchemys_error_and_keeps_the_connection(one):
    pid = backend_pid(one)
    with pytest.raises(sqlalchemy.exc.DataError) as raised, driver_cursor(one) as cursor:
        cursor.execute("SELECT 1 / 0")
    assert isinstance(raised.value.orig, psycopg.errors.DivisionByZero)
    assert backend_pid(one) == pid
    pooled = one.raw_connection()
    assert pooled.driver_connection.autocommit is False
    pooled.close()


def test_a_lost_connection_is_sqlalchemys_error_and_is_replaced(committed, one, kill,
                                                                 monkeypatch):
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", NEVER)
    dead = backend_pid(one)
    kill(dead)
    with pytest.raises(sqlalchemy.exc.OperationalError) as raised:
        mapdata.assets_in_view_json(one, ANONYMOUS)
    assert isinstance(raised.value.orig, psycopg.OperationalError)
    assert feature_ids(one) == [committed["ids"]["public"]]
    assert backend_pid(one) != dead


def test_a_lost_connection_discards_the_whole_pool(committed, kill, monkeypatch):
    # After a restart every pooled connection is dead; one failed read must be the only one.
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", NEVER)
    engine = make_engine(committed["url"], pool_size=3, max_overflow=0)
    try:
        lent = [engine.raw_connection() for _ in range(3)]
        pids = [pooled.driver_connection.info.backend_pid for pooled in lent]
        for pooled in lent:
            pooled.close()
        for pid in pids:
            kill(pid)
        with pytest.raises(sqlalchemy.exc.OperationalError):
            mapdata.assets_in_view_json(engine, ANONYMOUS)
        for _ in range(4):
            assert feature_ids(engine) == [committed["ids"]["public"]]
    finally:
        engine.dispose()


def test_an_unreachable_database_is_sqlalchemys_error():
    unreachable = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        with pytest.raises(sqlalchemy.exc.OperationalError):
            mapdata.assets_in_view_json(unreachable, ANONYMOUS)
    finally:
        unreachable.dispose()


def via_connection(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT 1"))


def via_driver(engine) -> int:
    return len(feature_ids(engine))


@pytest.mark.parametrize("use", [via_connection, via_driver])
def test_an_idle_dead_connection_is_replaced_at_checkout(one, kill, monkeypatch, use):
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0)
    dead = backend_pid(one)
    kill(dead)
    assert use(one) == 1
    assert backend_pid(one) != dead


@pytest.mark.parametrize("use", [via_connection, via_driver])
def test_without_the_ping_the_dead_connection_is_used(one, kill, monkeypatch, use):
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", NEVER)
    kill(backend_pid(one))
    with pytest.raises(sqlalchemy.exc.OperationalError):
        use(one)
    assert use(one) == 1  # the failure replaced it


def test_optimise_clusters_and_analyses(committed, one):
    def stats_rows(conn) -> int:
        return conn.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename = 'asset'"))

    with one.connect() as conn:
        before = stats_rows(conn)
    lines = optimise(one)
    assert [line.split(":")[0] for line in lines] == ["asset_map", "asset", "service"]
    assert "3 rows clustered on ix_asset_map_point" in lines[0]
    assert "3 rows clustered on ix_asset_geom" in lines[1]
    assert "0 rows clustered on ix_service_geom" in lines[2]
    with one.connect() as conn:
        clustered = conn.execute(text(
            "SELECT indexrelid::regclass::text, indisclustered FROM pg_index "
            "WHERE indexrelid IN ('ix_asset_map_point'::regclass, 'ix_asset_geom'::regclass, "
            "'ix_service_geom'::regclass)"))
        assert dict(clustered.all()) == {"ix_asset_map_point": True, "ix_asset_geom": True,
                                         "ix_service_geom": True}
        assert before == 0 and stats_rows(conn) > 0
