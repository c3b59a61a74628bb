"""The network report as a background job (it shares the gap tests' committed demo database
and job queue fixtures): queued, run by a worker, saved as a snapshot that loads again."""

from __future__ import annotations

from assetmap import jobs
from assetmap.reports.network_run import load_snapshot
from assetmap.store.db import make_engine, make_sessionmaker
from tests.integration.gaps.test_jobs import queue, work  # noqa: F401  (fixture)


def test_network_report_runs_in_the_background(queue, committed_demo_url):  # noqa: F811
    job_id = jobs.enqueue("network", {"area": "Canalside", "on": "2023-06-01"}, user_id=None,
                          connection=queue.connection)
    assert jobs.status(job_id, queue.connection)["state"] == "queued"
    work(queue)
    done = jobs.status(job_id, queue.connection)
    assert done["state"] == "finished" and done["progress"] == 1.0
    engine = make_engine(committed_demo_url)
    with make_sessionmaker(engine)() as session:
        snapshot, report = load_snapshot(session, done["snapshot_id"])
        assert snapshot.kind == "network" and snapshot.params["area"] == "Canalside"
        assert report.summary["nodes"] > 10 and report.summary["on"] == "2023-06-01"
    engine.dispose()


def test_a_bad_area_fails_the_job_with_its_message(queue):  # noqa: F811
    job_id = jobs.enqueue("network", {"area": "Atlantis"}, user_id=None,
                          connection=queue.connection)
    work(queue)
    failed = jobs.status(job_id, queue.connection)
    assert failed["state"] == "failed" and "no area called 'Atlantis'" in failed["error"]
