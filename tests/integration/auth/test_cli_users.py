"""`assetmap user ...` as someone at a terminal runs it: a separate process, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assetmap.store.db import make_engine, upgrade
from tests.conftest import fresh_database


@pytest.fixture(scope="module")
def cli_env():
    url = fresh_database("assetmap_cli_users")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return {**os.environ, "DATABASE_URL": url}


def run(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "assetmap.cli", "user", *args], env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_demo_accounts_are_idempotent(cli_env):
    first = run(cli_env, "demo-accounts")
    assert first.returncode == 0, first.stderr
    assert "admin@example.org" in first.stdout and "demo-admin-2026" in first.stdout
    assert run(cli_env, "demo-accounts").returncode == 0
    listing = run(cli_env, "list").stdout.splitlines()
    # A header and one line per role, in role order, however often the command ran.
    assert [line.split()[1] for line in listing[1:]] == ["resident", "worker", "planner",
                                                          "admin"]


def test_create_set_role_and_the_errors(cli_env):
    created = run(cli_env, "create", "--email", "Nia@Example.org", "--name", "Nia",
                  stdin="long enough pw\nlong enough pw\n")
    assert created.returncode == 0, created.stderr
    assert "created resident nia@example.org" in created.stdout
    assert run(cli_env, "set-role", "nia@example.org", "planner").stdout.strip() == (
        "nia@example.org is now a planner")

    bad_role = run(cli_env, "set-role", "nia@example.org", "emperor")
    assert bad_role.returncode == 2 and "'emperor' is not one of" in bad_role.stderr
    short = run(cli_env, "create", "--email", "x@example.org", "--name", "X",
                "--password", "short")
    assert short.returncode == 1
    assert "at least 10 characters" in short.stderr and "Traceback" not in short.stderr
    dup = run(cli_env, "create", "--email", "nia@example.org", "--name", "N",
              "--password", "long enough pw")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    nobody = run(cli_env, "set-role", "nobody@example.org", "worker")
    assert nobody.returncode == 1 and "No account with the email" in nobody.stderr
