"""The embedded PostGIS: a private PostgreSQL cluster under the instance folder.

Used when no DATABASE_URL is set, the way pytest-postgresql does it: initdb and pg_ctl from
the machine's PostgreSQL, listening only on a Unix socket inside the cluster's folder, so it
never clashes with a server already on the machine. initdb refuses to run as root, so as root
the cluster belongs to the unprivileged `postgres` user that Debian's packages create.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from assetmap.errors import EnvironmentProblem

DB_NAME = "assetmap"
SUPERUSER = "assetmap"
INSTALL_HINT = (
    "install them with: sudo apt-get install postgresql postgresql-{major}-postgis-3 "
    "(or set DATABASE_URL to a PostgreSQL server that has PostGIS)"
)


def find_bindir() -> Path:
    """The newest PostgreSQL server's bin folder (initdb, pg_ctl, postgres)."""
    candidates = []
    for root in (Path("/usr/lib/postgresql"), Path("/usr/local/pgsql")):
        candidates += [p for p in root.glob("*/bin") if (p / "initdb").exists()]
        if (root / "bin" / "initdb").exists():
            candidates.append(root / "bin")
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    if not candidates:
        raise EnvironmentProblem(
            "PostgreSQL server programs (initdb, pg_ctl) are not installed; "
            + INSTALL_HINT.format(major="NN")
        )

    def major(bindir: Path) -> int:
        match = re.search(r"/(\d+)/bin$", str(bindir))
        return int(match.group(1)) if match else 0

    return max(candidates, key=major)


def server_major(bindir: Path) -> int:
    """The major version of the server in `bindir`."""
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"PostgreSQL\)\s*(\d+)", out).group(1))


def check_postgis(bindir: Path) -> None:
    """Fail with an install hint when the PostGIS extension is missing for this server."""
    major = server_major(bindir)
    sharedir = subprocess.run(
        [str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True
    ).stdout.strip() if (bindir / "pg_config").exists() else f"/usr/share/postgresql/{major}"
    if not (Path(sharedir) / "extension" / "postgis.control").exists():
        raise EnvironmentProblem(
            f"PostGIS is not installed for PostgreSQL {major}; " + INSTALL_HINT.format(major=major)
        )


class LocalCluster:
    """A PostgreSQL cluster owned by this instance folder."""

    def __init__(self, instance: Path):
        self.instance = Path(instance).resolve()
        self.datadir = self.instance / "postgres"
        self.owner = _cluster_owner()

    @property
    def socket_dir(self) -> Path:
        # Unix socket paths are limited to ~107 bytes; long checkouts fall back to /tmp.
        if len(str(self.datadir)) < 80:
            return self.datadir
        digest = hashlib.sha1(str(self.datadir).encode()).hexdigest()[:10]
        return Path(tempfile.gettempdir()) / f"assetmap-{digest}"

    def url(self, dbname: str = DB_NAME) -> str:
        """SQLAlchemy URL for a database in this cluster, over the Unix socket."""
        return f"postgresql+psycopg://{SUPERUSER}@/{dbname}?host={self.socket_dir}"

    def is_running(self) -> bool:
        """True when the cluster's postmaster answers."""
        if not (self.datadir / "postmaster.pid").exists():
            return False
        bindir = find_bindir()
        result = subprocess.run(
            [str(bindir / "pg_isready"), "-q", "-h", str(self.socket_dir), "-U", SUPERUSER],
            capture_output=True,
        )
        return result.returncode == 0

    def ensure_running(self, dbname: str = DB_NAME) -> str:
        """Create and start the cluster if needed; make sure `dbname` exists; return its URL."""
        bindir = find_bindir()
        check_postgis(bindir)
        with self._lock():
            if not (self.datadir / "PG_VERSION").exists():
                self._initdb(bindir)
            if not self.is_running():
                self._start(bindir)
            self._create_database(dbname)
        return self.url(dbname)

    def stop(self) -> bool:
        """Stop the cluster cleanly (fast shutdown); False when it was not running."""
        if not (self.datadir / "postmaster.pid").exists():
            return False
        bindir = find_bindir()
        self._run([str(bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"])
        return True

    def _initdb(self, bindir: Path) -> None:
        self.datadir.mkdir(parents=True, exist_ok=True)
        self._chown(self.datadir)
        self._run([
            str(bindir / "initdb"), "-D", str(self.datadir), "-U", SUPERUSER,
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        ])

    def _start(self, bindir: Path) -> None:
        sock = self.socket_dir
        sock.mkdir(parents=True, exist_ok=True)
        self._chown(sock)
        # No TCP at all: only the socket inside our own folder.
        options = f"-c listen_addresses='' -k {sock} -c fsync=off -c max_connections=200"
        self._run([
            str(bindir / "pg_ctl"), "-D", str(self.datadir), "-l",
            str(self.datadir / "server.log"), "-o", options, "-w", "-t", "60", "start",
        ])

    def _create_database(self, dbname: str) -> None:
        import psycopg

        conninfo = f"host={self.socket_dir} user={SUPERUSER} dbname=postgres"
        for attempt in range(50):
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)
                    ).fetchone()
                    if not exists:
                        conn.execute(f'CREATE DATABASE "{dbname}"')
                    return
            except psycopg.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)

    @contextmanager
    def _lock(self):
        self.instance.mkdir(parents=True, exist_ok=True)
        with open(self.instance / "postgres.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _chown(self, path: Path) -> None:
        if self.owner is not None:
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
            path.chmod(0o700)

    def _run(self, argv: list[str]) -> None:
        if self.owner is not None:
            argv = ["runuser", "-u", self.owner.pw_name, "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, cwd="/")
        if result.returncode != 0:
            raise EnvironmentProblem(
                f"the embedded database failed ({' '.join(argv[-3:])}): "
                + (result.stderr.strip() or result.stdout.strip())
            )


def _cluster_owner() -> pwd.struct_passwd | None:
    """None when we may own the cluster ourselves; the `postgres` account when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError as exc:
        raise EnvironmentProblem(
            "running as root needs an unprivileged 'postgres' account for the embedded database; "
            + INSTALL_HINT.format(major="NN")
        ) from exc
