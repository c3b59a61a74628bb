"""`assetmap gaps` end to end, in a subprocess, on a committed copy of the demo town."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from assetmap.store.db import make_engine, make_sessionmaker
from assetmap.store.models import ReportSnapshot
from tests.conftest import ROOT

# The command as `assetmap` runs it (`assetmap.cli.main`: errors become messages), with
# `gaps` added when cli.py does not register it yet.
RUN = ("import sys\n"
       "from assetmap.cli import cli, main\n"
       "from assetmap.cli_gaps import gaps\n"
       "if 'gaps' not in cli.commands:\n"
       "    cli.add_command(gaps)\n"
       "sys.argv = ['assetmap', *sys.argv[1:]]\n"
       "main()\n")


@pytest.fixture
def assetmap(committed_demo_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": committed_demo_url, "PYTHONPATH": str(ROOT),
           "ASSETMAP_INSTANCE": str(tmp_path / "instance")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", RUN, *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)

    return run


def test_report_layers_and_snapshot(assetmap, tmp_path, committed_demo_url):
    html, layer, table = tmp_path / "gaps.html", tmp_path / "gaps.geojson", tmp_path / "gaps.csv"
    done = assetmap("gaps", "--walk", "600", "--method", "e2sfca", "--weight",
                    "need=2,bridging=0.5", "--on", "2025-06-30", "-o", str(html),
                    "--geojson", str(layer), "--csv", str(table), "--save")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "enhanced 2SFCA within 1,600 m, walk 600 m, weights need 2, access 1, bridging 0.5" \
        in out
    data = json.loads(layer.read_text())
    features = sorted(data["features"], key=lambda f: f["properties"]["rank"])
    assert len(features) == 12 and "crs" not in data
    # The summary lists the top ten areas in the layer's order, with the layer's scores.
    lines = [line for line in out.splitlines() if line[:4].strip().isdigit()]
    assert len(lines) == 10
    for line, feature in zip(lines, features, strict=False):
        props = feature["properties"]
        assert line.split()[0] == str(props["rank"])
        assert props["name"] in line
        assert f"{props['priority']:.2f}" in line
    rows = list(csv.DictReader(table.open()))
    assert sorted(r["name"] for r in rows) == sorted(f["properties"]["name"] for f in features)
    page = html.read_text()
    assert "Areas ranked for capacity building" in page and features[0]["properties"]["name"] \
        in page
    assert "unpkg.com" not in page and "cdn.jsdelivr" not in page  # Leaflet is inlined
    snapshot_id = int(out.strip().splitlines()[-1].rsplit(" ", 1)[1])
    engine = make_engine(committed_demo_url)
    with make_sessionmaker(engine)() as session:
        snapshot = session.get(ReportSnapshot, snapshot_id)
        assert snapshot.kind == "gaps"
        assert snapshot.params == {"walk_m": 600.0, "method": "e2sfca", "threshold_m": None,
                                   "weights": {"need": 2.0, "access": 1.0, "bridging": 0.5}}
        assert len(snapshot.result["areas"]["features"]) == 12
        assert session.scalar(select(ReportSnapshot.created_by)
                              .where(ReportSnapshot.id == snapshot_id)) is None
    engine.dispose()


@pytest.mark.parametrize("args, message", [
    (("--walk", "0"), "error: walk must be a distance greater than zero metres, got '0'"),
    (("--walk", "-200"), "error: walk must be a distance greater than zero metres"),
    (("--method", "gravity"), "error: method must be one of 2sfca, e2sfca, got 'gravity'"),
    (("--weight", "need=lots"), "error: weight for need must be a number, got 'lots'"),
    (("--threshold", "far"), "error: threshold must be a number of metres, got 'far'"),
    (("--on", "yesterday"), "error: --on must be a date like 2025-06-30"),
])
def test_bad_input_exits_with_a_message(assetmap, args, message):
    done = assetmap("gaps", *args)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
