"""`assetmap backup` and `assetmap restore` round-trip every table, row for row."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner

from assetmap.cli_ops import backup, restore
from assetmap.errors import InvalidInput
from assetmap.store import backup as backups
from assetmap.store.models import Base
from tests.conftest import fresh_database
from tests.reliability.test_faults import _conninfo
from tests.security.world import build_world

TABLES = sorted([*Base.metadata.tables, "alembic_version", "spatial_ref_sys"])


def _contents(url: str) -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    out = {}
    with psycopg.connect(_conninfo(url)) as conn:
        for table in TABLES:
            rows = conn.execute(f"SELECT t::text FROM {table} t ORDER BY 1").fetchall()
            out[table] = [row[0] for row in rows]
    return out


@pytest.fixture(scope="module")
def source():
    return build_world("assetmap_backup_source")


def test_backup_then_restore_into_an_empty_database_gives_every_row_back(source, tmp_path,
                                                                          monkeypatch):
    dump = tmp_path / "site.dump"
    monkeypatch.setenv("DATABASE_URL", source.url)
    made = CliRunner().invoke(backup, [str(dump)])
    assert made.exit_code == 0, made.output
    assert dump.read_bytes()[:5] == b"PGDMP"

    target = fresh_database("assetmap_backup_target")
    monkeypatch.setenv("DATABASE_URL", target)
    done = CliRunner().invoke(restore, [str(dump), "--yes"])
    assert done.exit_code == 0, done.output
    before, after = _contents(source.url), _contents(target)
    # The world fills every table the tests care about; check it is not a comparison of
    # empty tables.
    for table in ("app_user", "asset", "link", "revision", "person_skill", "round",
                  "proposal", "ballot", "ballot_change", "asset_change", "area"):
        assert before[table], table
    assert after == before


def test_restoring_over_a_changed_database_puts_it_back_as_it_was(source, tmp_path):
    dump = backups.backup(source.url, tmp_path / "before.dump")
    target = fresh_database("assetmap_backup_overwrite")
    backups.restore(target, dump)
    with psycopg.connect(_conninfo(target)) as conn:
        conn.execute("DELETE FROM ballot")
        conn.execute("UPDATE asset SET name = 'vandalised'")
        conn.execute("INSERT INTO category (slug, scope, label) VALUES ('x', 'asset', 'X')")
    backups.restore(target, dump)
    assert _contents(target) == _contents(source.url)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(InvalidInput, match="not a backup"):
        backups.restore("postgresql+psycopg://u@/db?host=/tmp", bogus)
    result = CliRunner().invoke(restore, [str(bogus), "--yes"])
    assert result.exit_code != 0
