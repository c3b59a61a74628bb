"""Backups: pg_dump and pg_restore of the whole database, in PostgreSQL's custom format.

The programs come from the same PostgreSQL installation as the embedded cluster
(`localdb.find_bindir()`), so pg_dump is never older than the server it reads. Connection
details come from the database URL (the settings' DATABASE_URL, or the embedded cluster's
Unix socket); a password in the URL is handed over in PGPASSWORD, never on the command line.

A restore replaces what the target database holds: every object in the dump is dropped first
(`--clean --if-exists`) and the whole restore runs in one transaction, so a failed restore
leaves the database as it was.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import make_url

from assetmap.errors import EnvironmentProblem, InvalidInput
from assetmap.store.localdb import find_bindir

MAGIC = b"PGDMP"  # the first bytes of every custom-format dump


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments and environment for a SQLAlchemy URL."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("postgresql"):
        raise InvalidInput(f"backups need a PostgreSQL database, not {parsed.drivername}")
    if not parsed.database:
        raise InvalidInput("the database URL names no database")
    args = ["--dbname", parsed.database]
    host = parsed.query.get("host") or parsed.host
    if host:
        args += ["--host", host if isinstance(host, str) else host[0]]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return args, env


def _program(name: str) -> str:
    path = find_bindir() / name
    if not path.exists():
        raise EnvironmentProblem(f"{name} is not installed beside the PostgreSQL server "
                                 f"({path.parent}); install the postgresql-client package")
    return str(path)


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise EnvironmentProblem(f"{what} failed: " + (detail[-1] if detail else
                                                       f"exit code {result.returncode}"))


def backup(url: str, path: Path) -> Path:
    """Write the whole database at `url` to `path` (custom format); returns the path.

    The dump is written beside `path` first and renamed into place when pg_dump succeeds,
    so an interrupted backup never leaves a truncated file under the chosen name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    args, env = _libpq(url)
    try:
        _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(partial), *args], env, "pg_dump")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def check_dump(path: Path) -> None:
    """InvalidInput unless `path` is a readable custom-format dump."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no backup file at {path}")
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise InvalidInput(f"{path} is not a backup made by `assetmap backup` "
                               "(not a pg_dump custom-format file)")


def restore(url: str, path: Path) -> None:
    """Replace the database at `url` with the dump at `path`, all at once or not at all."""
    check_dump(path)
    args, env = _libpq(url)
    _run([_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", *args, str(path)], env, "pg_restore")
