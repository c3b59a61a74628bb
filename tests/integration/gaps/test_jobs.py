"""A background run through RQ: queued from the web, run by a worker, saved as a snapshot."""

from __future__ import annotations

import uuid

import pytest
from rq import SimpleWorker
from rq.job import Job

from assetmap import jobs
from assetmap.store.db import make_engine, make_sessionmaker
from assetmap.store.models import ReportSnapshot
from tests.integration.gaps.conftest import client_for, csrf_token, gaps_app


@pytest.fixture
def queue(monkeypatch, committed_demo_url):
    """A queue of this test's own on the local Redis, and jobs reading the demo database."""
    connection = jobs.redis_connection()
    try:
        connection.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach Redis means skip
        pytest.skip(f"no Redis at {jobs.DEFAULT_REDIS_URL}: {exc}")
    monkeypatch.setattr(jobs, "QUEUE", f"assetmap-gaps-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("DATABASE_URL", committed_demo_url)
    made = jobs.queue(connection)
    yield made
    for registry in (made.finished_job_registry, made.failed_job_registry):
        for job_id in registry.get_job_ids():
            Job.fetch(job_id, connection=connection).delete()
    made.delete(delete_jobs=True)


@pytest.fixture
def app(committed_demo_url):
    return gaps_app(committed_demo_url)


def work(queue) -> None:
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_run_from_the_web_becomes_a_snapshot(app, queue, committed_demo_url):
    sessions = app.extensions["assetmap.sessions"]
    client, user_id = client_for(app, sessions, "planner", f"p-{uuid.uuid4().hex[:6]}@x.org")
    response = client.post("/reports/gaps/run", json={"walk": "700", "weights": "need=2"},
                           headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 202
    job_id = response.get_json()["job"]
    queued = client.get(f"/reports/jobs/{job_id}").get_json()
    assert queued["state"] == "queued" and queued["progress"] == 0.0
    page = client.get(f"/reports/gaps/jobs/{job_id}")
    assert page.status_code == 200 and 'http-equiv="refresh"' in page.get_data(as_text=True)

    work(queue)

    done = client.get(f"/reports/jobs/{job_id}").get_json()
    assert done["state"] == "finished" and done["progress"] == 1.0
    snapshot_id = done["snapshot_id"]
    assert done["snapshot_url"] == f"/reports/gaps/snapshots/{snapshot_id}"
    follow = client.get(f"/reports/gaps/jobs/{job_id}")
    assert follow.status_code == 303 and follow.headers["Location"] == done["snapshot_url"]
    shown = client.get(done["snapshot_url"])
    assert shown.status_code == 200 and "Areas ranked for capacity building" in \
        shown.get_data(as_text=True)

    engine = make_engine(committed_demo_url)
    with make_sessionmaker(engine)() as session:
        snapshot = session.get(ReportSnapshot, snapshot_id)
        assert snapshot.kind == "gaps" and snapshot.created_by == user_id
        assert snapshot.params == {"walk_m": 700.0, "method": "2sfca", "threshold_m": None,
                                   "weights": {"need": 2.0, "access": 1.0, "bridging": 1.0}}
        names = {f["properties"]["name"] for f in snapshot.result["areas"]["features"]}
        assert len(names) == 12
        assert snapshot.result["parameters"]["walk_m"] == 700.0
        # Drawn for a planner: no person's skill among the assets on the map.
        kinds = {f["properties"]["kind"] for f in snapshot.result["assets"]["features"]}
        assert "skill" not in kinds
    engine.dispose()


def test_a_failed_run_says_why(app, queue):
    sessions = app.extensions["assetmap.sessions"]
    client, _ = client_for(app, sessions, "worker", f"w-{uuid.uuid4().hex[:6]}@x.org")
    # Settings the web would refuse, queued directly: the runner checks them again.
    job_id = jobs.enqueue("gaps", {"walk_m": -5}, user_id=None)
    work(queue)
    state = client.get(f"/reports/jobs/{job_id}").get_json()
    assert state["state"] == "failed"
    assert "walk must be a distance greater than zero metres, got -5" in state["error"]
    page = client.get(f"/reports/gaps/jobs/{job_id}").get_data(as_text=True)
    assert "The run failed" in page and 'http-equiv="refresh"' not in page
    missing = client.get("/reports/jobs/no-such-job")
    assert missing.status_code == 404 and missing.get_json() == {"error":
                                                                 "no report job no-such-job"}
