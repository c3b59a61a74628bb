"""Long reports run as background jobs (RQ on Redis) with progress, never in a web request.

A job opens its own database session from the settings, runs one registered runner and
stores what it made as a `report_snapshot`; the job's result is that snapshot's id. A job
that dies (a killed worker, a lost database) can simply be enqueued again: a runner writes
its snapshot in one transaction at the end, so a half-done run leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from redis import Redis
from rq import Queue, get_current_job
from rq.job import Job, JobStatus

from assetmap.errors import InvalidInput, NotFound

QUEUE = "assetmap-reports"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# kind -> runner(session, params, progress) -> snapshot id; filled by the report modules.
RUNNERS: dict[str, Callable] = {}


def runner(kind: str):
    """Register a function as the runner for jobs of `kind`."""

    def register(func):
        RUNNERS[kind] = func
        return func

    return register


def redis_connection(url: str | None = None) -> Redis:
    """A Redis client for REDIS_URL (default: the local Redis on 127.0.0.1:6379)."""
    return Redis.from_url(url or os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))


def queue(connection: Redis | None = None) -> Queue:
    """The reports queue."""
    return Queue(QUEUE, connection=connection or redis_connection())


def _load_runners() -> None:
    # Importing the report modules registers their runners.
    import assetmap.reports.runs  # noqa: F401


def enqueue(kind: str, params: dict, *, user_id: int | None,
            connection: Redis | None = None) -> str:
    """Queue a report of `kind`; returns the job id."""
    _load_runners()
    if kind not in RUNNERS:
        raise InvalidInput(f"unknown report {kind!r}", field="kind")
    job = queue(connection).enqueue(run, kind, params, user_id, job_timeout=3600,
                                    result_ttl=7 * 24 * 3600, failure_ttl=7 * 24 * 3600)
    return job.id


def progress(fraction: float, message: str) -> None:
    """Record how far the current job has got (no-op outside a job)."""
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = round(float(fraction), 3)
        job.meta["message"] = message
        job.save_meta()


def run(kind: str, params: dict, user_id: int | None) -> int:
    """The job body: run the report and store it; returns the snapshot id."""
    from assetmap.config import Settings
    from assetmap.store.db import make_engine, make_sessionmaker, transaction

    _load_runners()
    engine = make_engine(Settings.from_env().resolved_database_url())
    try:
        progress(0.0, "starting")
        with transaction(make_sessionmaker(engine)) as session:
            snapshot_id = RUNNERS[kind](session, params, progress, user_id=user_id)
        progress(1.0, "done")
        return snapshot_id
    finally:
        engine.dispose()


def status(job_id: str, connection: Redis | None = None) -> dict:
    """A job's state, progress, message, snapshot id (when done) and error (when failed)."""
    try:
        job = Job.fetch(job_id, connection=connection or redis_connection())
    except Exception as exc:  # rq raises NoSuchJobError, or a Redis error for odd ids
        raise NotFound(f"no report job {job_id}") from exc
    state = job.get_status(refresh=True)
    out = {"id": job.id, "state": str(state.value if hasattr(state, "value") else state),
           "progress": job.meta.get("progress", 0.0), "message": job.meta.get("message", "")}
    if state == JobStatus.FINISHED:
        out["snapshot_id"] = job.return_value()
    elif state == JobStatus.FAILED:
        info = (job.latest_result().exc_string if job.latest_result() else "") or ""
        out["error"] = info.strip().splitlines()[-1] if info else "the job failed"
    return out
