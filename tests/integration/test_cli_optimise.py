"""`assetmap db optimise`: clusters assets and services by place on the DATABASE_URL database,
reports a line per table, and an unreachable database is the error the CLI turns into a message.
"""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from click.testing import CliRunner
from sqlalchemy import text

from assetmap.cli import cli
from assetmap.store import db
from assetmap.store.db import make_engine, upgrade
from tests.conftest import fresh_database


@pytest.fixture
def invoke(monkeypatch):
    """Run `assetmap ARGS` in-process, disposing the engine the command makes."""
    made = []

    def tracked(url, **kwargs):
        made.append(make_engine(url, **kwargs))
        return made[-1]

    monkeypatch.setattr(db, "make_engine", tracked)

    def invoke(url, *args):
        return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": url, "SECRET_KEY": "t"})

    yield invoke
    for engine in made:
        engine.dispose()


def test_db_optimise_clusters_both_tables(invoke):
    url = fresh_database("assetmap_cli_optimise")
    engine = make_engine(url)
    try:
        upgrade(engine)
        result = invoke(url, "db", "optimise")
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert [line.split(":")[0] for line in lines] == ["asset_map", "asset", "service"]
        assert "ix_asset_map_point" in lines[0] and "ix_service_geom" in lines[2]
        with engine.connect() as conn:
            marked = conn.scalar(text(
                "SELECT bool_and(indisclustered) FROM pg_index WHERE indexrelid IN "
                "('ix_asset_map_point'::regclass, 'ix_asset_geom'::regclass, "
                "'ix_service_geom'::regclass)"))
        assert marked is True
    finally:
        engine.dispose()


def test_db_optimise_on_an_unreachable_database_is_an_operational_error(invoke):
    result = invoke("postgresql://nobody@127.0.0.1:1/none", "db", "optimise")
    assert result.exit_code != 0
    assert isinstance(result.exception, sqlalchemy.exc.OperationalError)
