"""A report job for the fault tests: it registers a deliberately slow runner with
`assetmap.jobs` (in the worker's own process) and then runs the real job body, `jobs.run`,
so the job's transaction handling is the project's own."""

from __future__ import annotations

import time

from assetmap import jobs
from assetmap.store.models import ReportSnapshot

KIND = "slow-test-report"


@jobs.runner(KIND)
def slow_runner(session, params, progress, *, user_id=None):
    """Writes its snapshot early in the transaction, then takes its time before finishing."""
    snapshot = ReportSnapshot(kind=KIND, params=params, result={"done": True},
                              created_by=user_id)
    session.add(snapshot)
    session.flush()
    for step in range(params.get("steps", 10)):
        progress(step / params.get("steps", 10), f"step {step}")
        time.sleep(params.get("pause", 0.5))
    return snapshot.id


def run(params: dict) -> int:
    """The job function the test enqueues."""
    return jobs.run(KIND, params, None)
