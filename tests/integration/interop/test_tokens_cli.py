"""API tokens (store, web, `assetmap token`) and `assetmap export`, run as a user runs them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys

import pyogrio
import pytest
from sqlalchemy import select, update

from assetmap.errors import Forbidden, InvalidInput, NotFound
from assetmap.store.db import make_engine, make_sessionmaker
from assetmap.store.models import ApiToken, User
from assetmap.store.tokens import create_token, revoke_token, verify_token
from tests.integration.interop.conftest import MEMBERS, PUBLIC, bearer


@pytest.fixture
def town_sessions(town):
    engine = make_engine(town[0])
    yield make_sessionmaker(engine)
    engine.dispose()


def run(town, *args):
    env = {**os.environ, "DATABASE_URL": town[0]}
    return subprocess.run([sys.executable, "-m", "assetmap.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def _asset_names(client, headers=None):
    response = client.get("/export/assets.geojson", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(f["properties"]["name"] for f in json.loads(response.get_data())["features"])


def test_only_the_hash_is_kept(town_sessions):
    with town_sessions() as session:
        token_id, token = create_token(session, "planner@town.example", "hash check")
        row = session.get(ApiToken, token_id)
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in row.token_hash and row.name == "hash check"
        assert verify_token(session, token).role == "planner"
        assert verify_token(session, token + "x") is None
        assert session.get(ApiToken, token_id).last_used_at is not None


def test_tokens_only_for_active_planners_and_admins(town_sessions):
    with town_sessions() as session:
        with pytest.raises(Forbidden, match="resident; only active planners and admins"):
            create_token(session, "resident@town.example", "nope")
        with pytest.raises(NotFound, match="no user with email"):
            create_token(session, "nobody@town.example", "nope")
        with pytest.raises(InvalidInput, match="needs a name"):
            create_token(session, "planner@town.example", "  ")
        with pytest.raises(NotFound, match="no API token with id 999999"):
            revoke_token(session, 999_999)


def test_bad_tokens_are_refused_not_ignored(client, town_sessions):
    response = client.get("/export/assets.geojson", headers=bearer("amt_not-a-real-token"))
    assert response.status_code == 401
    assert "API token is not valid" in response.json["error"]
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert client.get("/ogc/collections", headers=bearer("nope")).status_code == 401
    # Another scheme is not a token: the request stays anonymous.
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert _asset_names(client, basic) == sorted(PUBLIC)


def test_revoked_and_demoted_tokens_stop_working(client, town_sessions):
    with town_sessions() as session:
        session.add(User(email="planner2@town.example", display_name="P2", role="planner"))
        session.commit()
        first_id, first = create_token(session, "planner2@town.example", "first")
        _, second = create_token(session, "planner2@town.example", "second")
    assert _asset_names(client, bearer(first)) == sorted(PUBLIC + MEMBERS)
    with town_sessions() as session:
        revoke_token(session, first_id)
    assert client.get("/export/assets.geojson", headers=bearer(first)).status_code == 401
    assert client.get("/export/assets.geojson", headers=bearer(second)).status_code == 200
    with town_sessions() as session:
        session.execute(update(User).where(User.email == "planner2@town.example")
                        .values(role="resident"))
        session.commit()
    assert client.get("/export/assets.geojson", headers=bearer(second)).status_code == 401


def test_token_commands(town, client, town_sessions):
    made = run(town, "token", "create", "--email", "admin@town.example", "--name", "QGIS")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("amt_") and "not shown again" in made.stderr
    assert "Secret Garden" in _asset_names(client, bearer(token))
    listed = run(town, "token", "list")
    assert listed.returncode == 0 and token not in listed.stdout
    with town_sessions() as session:
        token_id = session.scalar(select(ApiToken.id).where(
            ApiToken.token_hash == hashlib.sha256(token.encode()).hexdigest()))
    line = next(li for li in listed.stdout.splitlines() if li.startswith(f"{token_id}\t"))
    assert "admin@town.example\tadmin\tactive" in line and line.endswith("QGIS")
    revoked = run(town, "token", "revoke", str(token_id))
    assert revoked.returncode == 0 and f"token {token_id} revoked" in revoked.stdout
    assert client.get("/export/assets.geojson", headers=bearer(token)).status_code == 401
    assert f"{token_id}\tadmin@town.example\tadmin\trevoked" in run(town, "token",
                                                                     "list").stdout
    refused = run(town, "token", "create", "--email", "resident@town.example", "--name", "x")
    assert refused.returncode == 1
    assert "only active planners and admins may have API tokens" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_export_command_formats_views_and_filters(town, tmp_path):
    out = tmp_path / "assets.geojson"
    done = run(town, "export", "assets", "-o", str(out), "--kind", "group")
    assert done.returncode == 0, done.stderr
    names = sorted(f["properties"]["name"] for f in json.loads(out.read_text())["features"])
    assert names == ["Allotment Society", "Lunch Club"]
    gpkg = tmp_path / "assets.gpkg"
    done = run(town, "export", "assets", "--format", "gpkg", "-o", str(gpkg), "--view",
               "members")
    assert done.returncode == 0, done.stderr
    frame = pyogrio.read_dataframe(gpkg)
    assert sorted(frame["name"]) == sorted(PUBLIC + MEMBERS) and "contact" in frame
    done = run(town, "export", "links", "--format", "csv", "-o", "-", "--date", "2024-06-01")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["type"] for r in rows] == ["meets_at"]
    done = run(town, "export", "assets", "--view", "all", "-o", str(out), "--area", "Central")
    names = sorted(f["properties"]["name"] for f in json.loads(out.read_text())["features"])
    # Moderators' view: Secret Garden and Pending Pantry too, never the skill or archived.
    assert names == ["Fielden Centre", "Lunch Club", "Pending Pantry", "Secret Garden"]


def test_export_command_bad_input(town, tmp_path):
    out = tmp_path / "x.geojson"
    bad = run(town, "export", "assets", "-o", str(out), "--area", "Atlantis")
    assert bad.returncode == 1 and "unknown area 'Atlantis'" in bad.stderr
    assert not out.exists()  # checked before any file was opened
    bad = run(town, "export", "services", "-o", str(out), "--kind", "group")
    assert bad.returncode == 1 and "cannot be filtered on 'kind'" in bad.stderr
    bad = run(town, "export", "assets", "-o", "-", "--format", "gpkg")
    assert bad.returncode == 2 and "must be written to a file" in bad.stderr
    bad = run(town, "export", "assets", "-o", str(out), "--bbox", "1,2")
    assert bad.returncode == 1 and "bbox must be four numbers" in bad.stderr
