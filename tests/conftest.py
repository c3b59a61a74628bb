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
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DATA = Path(__file__).resolve().parent / "data"


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostGIS is required under CI: {reason}", pytrace=False)
    pytest.skip(f"no PostGIS: {reason}")


# Each run gets its own databases (suffixed with the process id), so runs side by side on
# one server never drop each other's; they are dropped again when the run ends.
RUN_SUFFIX = f"_{os.getpid()}"
_CREATED: list[tuple[str, str]] = []


def _admin_conninfo(url) -> str:
    if "host" in url.query:  # a Unix socket directory
        return f"host={url.query['host']} user={url.username} dbname=postgres"
    admin = url.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False)


def pytest_sessionfinish(session, exitstatus):
    from sqlalchemy.orm import close_all_sessions

    close_all_sessions()
    for conninfo, name in _CREATED:
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error:
            pass


def fresh_database(name: str) -> str:
    """URL of a new, empty database for this run (`name` plus the run's suffix)."""
    name = f"{name}{RUN_SUFFIX}"
    base = os.environ.get("DATABASE_URL_TEST")
    try:
        if base:
            url = make_url(normalise_url(base))
        else:
            from assetmap.store.localdb import LocalCluster

            url = make_url(LocalCluster(ROOT / "instance").ensure_running("postgres"))
    except EnvironmentProblem as exc:
        _unavailable(exc.message)
    conninfo = _admin_conninfo(url)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _unavailable(str(exc))
    _CREATED.append((conninfo, name))
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


# One headless Chromium for the whole run: Playwright's sync API allows one running instance
# per thread, so every browser test (tests/browser, tests/security) shares this one.
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/bootstrap --test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
