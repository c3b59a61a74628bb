"""Engines, sessions and migrations."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# A pooled connection idle for longer than this is checked before it is lent again.
PING_AFTER_IDLE_SECONDS = 1.0


def make_engine(url: str, **kwargs) -> Engine:
    """An engine that checks idle connections before use, so a restarted database is survived.

    SQLAlchemy's pool_pre_ping checks every connection at every checkout: a round trip that
    was a sixth of the map's busiest request. A connection that was in use a moment ago
    cannot have missed a restart unnoticed (its error would have invalidated the pool), so
    only those idle for over a second are checked.
    """
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "checkin")
    def remember_when(_dbapi_connection, record):
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy):
        checked_in = record.info.get("checked_in")  # None: just connected
        if (checked_in is not None and time.monotonic() - checked_in > PING_AFTER_IDLE_SECONDS
                and not _answers(engine, dbapi_connection)):
            raise DisconnectionError("the pooled connection no longer answers")

    return engine


def _answers(engine: Engine, dbapi_connection) -> bool:
    try:
        return engine.dialect.do_ping(dbapi_connection)
    except engine.dialect.loaded_dbapi.Error:
        # The pool replaces the connection and tries again (SQLAlchemy's checkout protocol).
        return False


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back on any error."""
    with factory() as session, session.begin():
        yield session


@contextmanager
def driver_cursor(db: Session | Engine | Connection) -> Iterator[DBAPICursor]:
    """A DBAPI cursor for one read-only statement, for the few requests where SQLAlchemy's
    statement execution costs more than the query.

    On an engine (or a session on one): a pooled connection in autocommit mode, so the read
    is a single round trip. On a connection (a test's or a job's transaction, or a session
    bound to one) the read runs inside that transaction. Either way a database error comes
    out as SQLAlchemy's own (so the app's handlers answer 400 or 503 as for any query), and
    a lost connection is discarded together with the rest of the pool, as SQLAlchemy does.
    """
    bind = db.get_bind() if isinstance(db, Session) else db
    dialect = bind.dialect
    dbapi_error = dialect.loaded_dbapi.Error
    owned = isinstance(bind, Engine)
    if owned:
        try:
            pooled = bind.raw_connection()  # the pool's idle ping runs here
        except dbapi_error as exc:
            raise DBAPIError.instance(None, None, exc, dbapi_error) from exc
    else:
        pooled = bind.connection
    driver = pooled.driver_connection
    try:
        if owned:
            driver.autocommit = True
        with driver.cursor() as cursor:
            yield cursor
    except dbapi_error as exc:
        lost = dialect.is_disconnect(exc, driver, None)
        if lost and owned:
            pooled.invalidate(exc)
            bind.dispose()  # its other connections went to the same lost server
        elif lost:
            bind.invalidate(exc)
        raise DBAPIError.instance(None, None, exc, dbapi_error,
                                  connection_invalidated=lost) from exc
    finally:
        if owned:
            if not driver.closed:
                driver.autocommit = False
            pooled.close()


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration pointing at the packaged migrations and this engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` ('base' for an empty database)."""
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None before the first."""
    with engine.connect() as conn:
        has_table = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
        if not has_table:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def postgis_version(engine: Engine) -> str:
    """PostGIS's version string; raises if the extension is not there."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT postgis_lib_version()")).scalar_one()


# Tables the map reads by place: rewriting them in the order of their spatial index puts
# neighbours on the same pages, so a viewport reads a few pages instead of one per row.
SPATIALLY_READ = {"asset_map": "ix_asset_map_point", "asset": "ix_asset_geom",
                  "service": "ix_service_geom"}


def optimise(engine: Engine) -> list[str]:
    """Cluster the spatially read tables on their GiST indexes and refresh statistics.

    CLUSTER locks each table while it rewrites it (seconds for 200,000 assets): run it after
    a large import or in a quiet hour. Returns what was done, a line per table.
    """
    done = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table, index in SPATIALLY_READ.items():
            started = time.monotonic()
            conn.exec_driver_sql(f"CLUSTER {table} USING {index}")
            conn.exec_driver_sql(f"ANALYZE {table}")
            rows = conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            done.append(f"{table}: {rows:,} rows clustered on {index} and analysed "
                        f"in {time.monotonic() - started:.1f} s")
    return done
