"""Shared by the benchmarks: a fresh database on the embedded cluster (or DATABASE_URL_BENCH),
servers started on 127.0.0.1, and wrk runs parsed into numbers."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fresh_database(name: str) -> str:
    """URL of an empty, migrated database `name`."""
    from assetmap.store.db import make_engine, upgrade
    from assetmap.store.localdb import LocalCluster

    base = os.environ.get("DATABASE_URL_BENCH")
    url = make_url(base) if base else make_url(
        LocalCluster(ROOT / "instance").ensure_running("postgres"))
    with psycopg.connect(conninfo(url.set(database="postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(target)
    upgrade(engine)
    engine.dispose()
    return target


def conninfo(url) -> str:
    """A libpq connection string for a SQLAlchemy URL (or its text)."""
    url = make_url(url)
    if "host" in url.query:  # the embedded cluster's Unix socket
        return f"host={url.query['host']} user={url.username} dbname={url.database}"
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


# Assets spread at random over part of the Pennines, with some for members only and some
# pending, as a city's map would hold them.
GENERATE = """
INSERT INTO asset (kind, category, name, description, geom, contact, website, opening_times,
                   accessibility, visibility, status, source, source_id, extra, version)
SELECT (ARRAY['group','venue','group','other'])[1 + (i %% 4)],
       (SELECT slug FROM category WHERE scope = 'asset' ORDER BY slug
        OFFSET (i %% 13) LIMIT 1),
       'Asset ' || i, 'A community asset made for the benchmark, number ' || i,
       ST_SetSRID(ST_MakePoint(-2.35 + random() * 0.5, 53.35 + random() * 0.3), 4326),
       '', '', '', '', CASE WHEN i %% 20 = 0 THEN 'members' ELSE 'public' END,
       CASE WHEN i %% 50 = 0 THEN 'pending' ELSE 'published' END,
       'bench', i::text, '{}'::jsonb, 1
FROM generate_series(1, %(n)s) AS i
"""


def generate_assets(url: str, count: int) -> None:
    """Insert `count` generated assets into the database at `url` and analyse the table."""
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(GENERATE, {"n": count})
        conn.execute("ANALYZE asset")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def start(argv: list[str], env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(argv, env={**os.environ, **(env or {})}, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def wrk(url: str, *, seconds: int, connections: int, script: Path | None = None) -> dict:
    """Run wrk against `url` and return requests/s, latency percentiles (ms) and errors."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: sudo apt-get install wrk")
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        argv[1:1] = ["-s", str(script)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": ms("50%"), "p90": ms("90%"), "p99": ms("99%"),
        "errors": (errors.group(1) if errors else "none"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }
