"""A report job whose worker is SIGKILLed mid-run leaves nothing half-made, and the same
report enqueued again runs to the end. Uses the Redis on 127.0.0.1:6379 and a queue of the
test's own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from redis import Redis
from rq import Queue

from assetmap.store.db import make_engine, upgrade
from tests.conftest import ROOT, fresh_database
from tests.reliability.test_faults import _conninfo


@pytest.fixture
def redis():
    connection = Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        connection.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no Redis here
        pytest.skip(f"no Redis on 127.0.0.1:6379: {exc}")
    return connection


def _snapshots(url) -> int:
    with psycopg.connect(_conninfo(url)) as conn:
        return conn.execute("SELECT count(*) FROM report_snapshot").fetchone()[0]


def _worker(queue_name: str, url: str, *, burst: bool) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "rq.cli", "worker", "--url", "redis://127.0.0.1:6379/15",
            "--worker-class", "rq.worker.SimpleWorker", queue_name]
    if burst:
        argv.insert(-1, "--burst")
    return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def test_a_killed_report_job_leaves_nothing_and_runs_again(redis):
    url = fresh_database("assetmap_killed_job")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    queue = Queue(f"assetmap-test-{uuid.uuid4().hex[:8]}", connection=redis)
    params = {"steps": 40, "pause": 0.25}
    job = queue.enqueue("tests.reliability.slow_job.run", params, job_timeout=600)
    worker = _worker(queue.name, url, burst=False)
    try:
        deadline = time.monotonic() + 60
        while job.get_meta(refresh=True).get("progress", 0) < 0.1:
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and anything it started
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert job.get_status(refresh=True) != "finished"
    time.sleep(0.5)  # PostgreSQL rolls back the dead connection's transaction
    assert _snapshots(url) == 0

    again = queue.enqueue("tests.reliability.slow_job.run", {"steps": 2, "pause": 0.05},
                          job_timeout=600)
    rerun = _worker(queue.name, url, burst=True)
    output = rerun.communicate(timeout=120)[0].decode()
    assert rerun.returncode == 0, output
    assert again.get_status(refresh=True) == "finished", output
    assert isinstance(again.return_value(), int)
    assert _snapshots(url) == 1
    queue.delete(delete_jobs=True)
