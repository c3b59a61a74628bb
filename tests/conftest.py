"""Shared fixtures: a real PostGIS (DATABASE_URL_TEST, or the embedded cluster), migrated once.

Each test that asks for `session` or `sessions` runs inside one outer transaction that is
rolled back at the end, so tests never see each other's data. Under CI=true a missing
PostGIS fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url
from sqlalchemy.orm import sessionmaker

from assetmap.config import normalise_url
from assetmap.errors import EnvironmentProblem
from assetmap.store.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostGIS is required under CI: {reason}", pytrace=False)
    pytest.skip(f"no PostGIS: {reason}")


def fresh_database(name: str) -> str:
    """URL of an empty database `name` (dropped and re-created) on the test server."""
    base = os.environ.get("DATABASE_URL_TEST")
    try:
        if base:
            url = make_url(normalise_url(base))
        else:
            from assetmap.store.localdb import LocalCluster

            url = make_url(LocalCluster(ROOT / "instance").ensure_running("postgres"))
    except EnvironmentProblem as exc:
        _unavailable(exc.message)
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    if "host" in url.query:  # a Unix socket directory
        conninfo = f"host={url.query['host']} user={url.username} dbname=postgres"
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _unavailable(str(exc))
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> str:
    """A migrated test database, made once per run."""
    url = fresh_database("assetmap_test")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    """A connection inside a transaction that is always rolled back."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def sessions(connection):
    """A session factory whose commits become savepoints of the rolled-back transaction."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                        expire_on_commit=False)


@pytest.fixture
def session(sessions):
    with sessions() as session:
        yield session


@pytest.fixture
def data_dir() -> Path:
    return DATA
