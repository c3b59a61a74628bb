"""Faults: an import killed half-way, a report job killed half-way, the database going away.

- `assetmap import` is SIGKILLed while it is writing: the database holds none of the file,
  and importing it again then brings in all of it.
- A report job's worker is SIGKILLed while the job runs: nothing half-made is stored, and the
  same report enqueued again completes.
- The app's database stops: the app answers 503 with a clear message, and answers normally
  again once the database is back, without being restarted (idle connections are checked
  before use; a lost one discards the pool).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text

from assetmap.store.db import make_engine, upgrade
from assetmap.store.localdb import LocalCluster
from tests.conftest import ROOT, fresh_database

ROWS = 6000


def _conninfo(url: str) -> str:
    u = make_url(url)
    return f"host={u.query['host']} user={u.username} dbname={u.database}" if "host" in \
        u.query else u.set(drivername="postgresql").render_as_string(hide_password=False)


def _big_geojson(path: Path, rows: int) -> None:
    features = [{"type": "Feature", "id": f"a{i}",
                 "geometry": {"type": "Point", "coordinates": [-2.3 + (i % 400) * 0.001,
                                                               53.6 + (i // 400) * 0.001]},
                 "properties": {"name": f"Generated asset {i}", "kind": "group",
                                "category": "community_space"}} for i in range(rows)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def _count(url: str, table: str) -> int:
    with psycopg.connect(_conninfo(url)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _writing(url: str) -> bool:
    """Whether some session is inside a transaction that has inserted into `asset`."""
    name = make_url(url).database
    with psycopg.connect(_conninfo(url)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND xact_start IS NOT "
            "NULL AND query ILIKE 'INSERT INTO asset%%' AND pid <> pg_backend_pid()",
            (name,)).fetchone()
    return row[0] > 0


def test_an_import_killed_midway_leaves_nothing_and_can_be_run_again(tmp_path):
    url = fresh_database("assetmap_killed_import")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    source = tmp_path / "many.geojson"
    _big_geojson(source, ROWS)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "assetmap.cli", "import", "assets", str(source)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not _writing(url):
        assert process.poll() is None, "the import ended before it was caught writing"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the writing: rows have gone to the server uncommitted
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # PostgreSQL notices the dead client and rolls its transaction back.
    deadline = time.monotonic() + 30
    while _writing(url) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _count(url, "asset") == 0
    assert _count(url, "revision") == 0
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{ROWS} created" in again.stdout
    assert _count(url, "asset") == ROWS


@pytest.fixture
def private_cluster():
    """A PostgreSQL cluster of this test's own, which the test may stop and start."""
    folder = Path(tempfile.mkdtemp(prefix="am-", dir="/tmp"))
    folder.chmod(0o755)  # as root the cluster belongs to `postgres`, which must reach it
    cluster = LocalCluster(folder)
    url = cluster.ensure_running("assetmap")
    yield cluster, url
    cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_the_app_says_503_while_the_database_is_down_and_recovers_by_itself(private_cluster):
    from tests.security.world import make_app

    cluster, url = private_cluster
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO asset (kind, category, name, description, geom, contact,"
                          " website, opening_times, accessibility, visibility, status, extra, "
                          "version) VALUES ('venue', 'community_space', 'Hall', '', "
                          "ST_GeomFromText('POINT(-2.1 53.71)', 4326), '', '', '', '', "
                          "'public', 'published', '{}', 1)"))
    engine.dispose()
    app = make_app(type("W", (), {"url": url})(), RATELIMIT_ENABLED=False)
    client = app.test_client()
    viewport = "/api/v1/assets?bbox=-2.2,53.6,-2.0,53.8"
    assert len(client.get(viewport).json["features"]) == 1

    cluster.stop()
    down = client.get(viewport)
    assert down.status_code == 503
    assert "database is not available" in down.json["error"]
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert "database is not available" in page.get_data(as_text=True)

    cluster.ensure_running("assetmap")
    back = client.get(viewport)  # the same app, its pool holding dead connections
    assert back.status_code == 200
    assert len(back.json["features"]) == 1
    assert client.get("/").status_code == 200
