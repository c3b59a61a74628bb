"""The `assetmap` command as a user runs it: a separate process, exit codes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assetmap.store.db import make_engine, upgrade
from tests.conftest import fresh_database


@pytest.fixture(scope="module")
def cli_env():
    url = fresh_database("assetmap_cli")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return {**os.environ, "DATABASE_URL": url}


def run(env, *args):
    return subprocess.run([sys.executable, "-m", "assetmap.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_export_and_reimport(cli_env, data_dir, tmp_path):
    result = run(cli_env, "import", "assets", str(data_dir / "assets.csv"))
    assert result.returncode == 0, result.stderr
    assert "3 created, 0 updated" in result.stdout
    result = run(cli_env, "import", "assets", str(data_dir / "assets.csv"))
    assert "0 created, 0 updated, 3 unchanged" in result.stdout
    out = tmp_path / "assets.geojson"
    result = run(cli_env, "export", "assets", "--format", "geojson", "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = {f["properties"]["name"] for f in json.loads(out.read_text())["features"]}
    assert "Todmorden Folk Choir" in names


def test_bad_file_exits_non_zero_with_rows_and_writes_nothing(cli_env, data_dir, tmp_path):
    result = run(cli_env, "import", "assets", str(data_dir / "unknown_category.csv"),
                 "--source", "bad-source")
    assert result.returncode == 1
    assert "row 3, category: unknown value 'knitting'" in result.stderr
    assert "row 4, kind: unknown value 'band'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    out = tmp_path / "all.geojson"
    run(cli_env, "export", "assets", "-o", str(out))
    sources = {f["properties"]["source"] for f in json.loads(out.read_text())["features"]}
    assert "bad-source" not in sources


def test_missing_file_and_bad_layer_are_clear(cli_env, tmp_path):
    result = run(cli_env, "import", "assets", str(tmp_path / "nope.csv"))
    assert result.returncode == 1 and "no such file" in result.stderr
    result = run(cli_env, "import", "parks", str(tmp_path / "nope.csv"))
    assert result.returncode == 2 and "Invalid value" in result.stderr


def test_unreachable_database_is_a_message_not_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = run(env, "db", "upgrade")
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr and "Traceback" not in result.stderr


def test_cli_round_trip_keeps_every_feature_and_property(cli_env, data_dir, tmp_path):
    source = data_dir / "assets.geojson"
    result = run(cli_env, "import", "assets", str(source), "--source", "round-trip")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "everything.geojson"
    result = run(cli_env, "export", "assets", "--view", "everything", "-o", str(out))
    assert result.returncode == 0, result.stderr
    exported = {f["id"]: f for f in json.loads(out.read_text())["features"]
                if f["properties"]["source"] == "round-trip"}
    original = json.loads(source.read_text())["features"]
    assert len(exported) == len(original)
    for feature in original:
        mine = exported[feature.get("id") or feature["properties"]["id"]]
        for key, value in feature["properties"].items():
            assert mine["properties"][key] == value
        assert mine["geometry"] == feature["geometry"]
    refused = run(cli_env, "export", "assets", "--view", "everything", "--format", "csv",
                  "-o", str(tmp_path / "x.csv"))
    assert refused.returncode == 2 and "whole layer as GeoJSON" in refused.stderr
