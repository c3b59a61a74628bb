"""Migrations run up from an empty database, down to nothing, and up again."""

from sqlalchemy import inspect, text

from assetmap.store.db import current_revision, downgrade, make_engine, upgrade
from tests.conftest import fresh_database

HEAD = "0004"
TABLES = {"api_token", "app_user", "area", "asset", "asset_change", "asset_map", "ballot",
          "ballot_change", "category", "link", "person_skill", "proposal", "report_snapshot",
          "revision", "round", "round_area", "service"}


def test_up_down_up_from_empty():
    engine = make_engine(fresh_database("assetmap_migrations"))
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == HEAD
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) >= TABLES
        with engine.connect() as conn:
            gist = conn.execute(text(
                "SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'"
            )).scalars().all()
            assert set(gist) == {"app_user", "area", "asset", "asset_map", "service",
                                 "person_skill", "proposal"}
            assert conn.execute(text("SELECT count(*) FROM category")).scalar() == 21
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()
