"""The network report from PostGIS: filtered by area and date, on the web and as files."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import text

from assetmap.errors import InvalidInput
from assetmap.ingest.pipeline import import_file
from assetmap.reports.network_run import check_params, run_network
from tests.browser.conftest import DEMO
from tests.integration.rounds.web_helpers import build_app, person

DAY = date(2023, 6, 1)


@pytest.fixture
def demo(sessions):
    for layer, name in (("areas", "areas.geojson"), ("services", "services.geojson"),
                        ("assets", "assets.geojson"), ("links", "links.csv")):
        import_file(sessions, layer, DEMO / name)


def expected_counts(session, area: str, day: date) -> tuple[int, int]:
    """Independently, in SQL: published assets in the area, and the published links standing
    on `day` whose two ends are both among them."""
    nodes = session.execute(text(
        "SELECT count(*) FROM asset a JOIN area r ON r.name = :area "
        "WHERE a.status = 'published' AND ST_Intersects(a.geom, r.geom)"), {"area": area})
    links = session.execute(text(
        "WITH inside AS (SELECT a.id FROM asset a JOIN area r ON r.name = :area "
        "  WHERE a.status = 'published' AND ST_Intersects(a.geom, r.geom)) "
        "SELECT count(*) FROM link l WHERE l.status = 'published' "
        "AND l.from_asset_id IN (SELECT id FROM inside) "
        "AND l.to_asset_id IN (SELECT id FROM inside) "
        "AND (l.started IS NULL OR l.started <= :day) AND (l.ended IS NULL OR l.ended >= :day)"),
        {"area": area, "day": day})
    return nodes.scalar_one(), links.scalar_one()


def test_report_filtered_by_area_and_date(session, demo):
    params = check_params(area="Canalside", on=DAY.isoformat(), size_by=None)
    graph, report = run_network(session, params)
    nodes, links = expected_counts(session, "Canalside", DAY)
    assert report.summary["nodes"] == nodes > 10
    assert report.summary["links"] == links > 5
    assert graph.number_of_edges() == links
    everything = run_network(session, check_params(area=None, on=None, size_by=None))[1]
    assert everything.summary["nodes"] > report.summary["nodes"]


def test_bad_settings_are_clear(session, demo):
    with pytest.raises(InvalidInput, match="no area called 'Atlantis'"):
        run_network(session, check_params(area="Atlantis", on=None, size_by=None))
    with pytest.raises(InvalidInput, match="no links stood on 1990-01-01; links run from"):
        run_network(session, check_params(area=None, on="1990-01-01", size_by=None))
    with pytest.raises(InvalidInput, match="must look like 2024-05-31"):
        check_params(area=None, on="yesterday", size_by=None)
    with pytest.raises(InvalidInput, match="cannot size the map by"):
        check_params(area=None, on=None, size_by="vibes")


def test_empty_network_is_a_message(session):
    with pytest.raises(InvalidInput, match="the network is empty"):
        run_network(session, check_params(area=None, on=None, size_by=None))


@pytest.fixture
def app(database_url, sessions):
    return build_app(database_url, sessions)


def test_web_report_downloads_snapshots_and_compare(app, sessions, session, demo):
    worker, _ = person(app, sessions, "worker@example.org", role="worker")
    page = worker.get("/reports/network?area=Canalside&on=2023-06-01")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<iframe" in html and "unsafe-inline" in page.headers["Content-Security-Policy"]

    nodes, links = expected_counts(session, "Canalside", DAY)
    rows = list(csv.DictReader(io.StringIO(worker.get(
        "/reports/network/nodes.csv?area=Canalside&on=2023-06-01").get_data(as_text=True))))
    assert len(rows) == nodes and "betweenness" in rows[0]
    graphml = ET.fromstring(worker.get(
        "/reports/network/graph.graphml?area=Canalside&on=2023-06-01").data)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graphml.findall(".//g:node", ns)) == nodes
    lines = worker.get("/reports/network/links.geojson?area=Canalside&on=2023-06-01").json
    assert len(lines["features"]) == links
    assert {f["geometry"]["type"] for f in lines["features"]} == {"LineString"}

    first = worker.form("/reports/network/snapshots", {"area": "Canalside", "on": "2021-01-01"})
    second = worker.form("/reports/network/snapshots", {"area": "Canalside", "on": "2023-06-01"})
    assert first.status_code == second.status_code == 303
    ids = [int(r.headers["Location"].rsplit("/", 1)[1]) for r in (first, second)]
    compare = worker.get(f"/reports/network/compare?before={ids[0]}&after={ids[1]}")
    assert compare.status_code == 200
    assert 'data-change="new_links"' in compare.get_data(as_text=True)
    assert worker.get(f"/reports/network/snapshots/{ids[1]}").status_code == 200


def test_web_roles_and_bad_input(app, sessions, demo):
    resident, _ = person(app, sessions, "resident@example.org")
    assert resident.get("/reports/network").status_code == 403
    anonymous = app.test_client().get("/reports/network")
    assert anonymous.status_code in (302, 401)
    planner, _ = person(app, sessions, "planner@example.org", role="planner")
    for query, message in (("on=someday", "must look like"), ("area=Atlantis", "no area called"),
                           ("on=1990-01-01", "no links stood on")):
        response = planner.get(f"/reports/network?{query}")
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert planner.get("/reports/network/compare?before=x").status_code == 400
    assert planner.get("/reports/network/snapshots/999999").status_code == 404


def test_measures_and_gap_layers_beside_the_exports(app, sessions, session, demo):
    planner, _ = person(app, sessions, "planner2@example.org", role="planner")
    moved = planner.get("/export/network.geojson?area=Canalside")
    assert moved.status_code == 307
    assert moved.headers["Location"].endswith("/reports/network/nodes.geojson?area=Canalside")
    layer = planner.get("/reports/network/nodes.geojson?area=Canalside").json
    kinds = {f["properties"]["kind"] for f in layer["features"]}
    assert "skill" not in kinds and {"group", "venue"} <= kinds
    first = layer["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert {"degree", "betweenness", "pagerank", "community"} <= set(first["properties"])
    nodes, _ = expected_counts(session, "Canalside", date.today())
    skills = session.execute(text(
        "SELECT count(*) FROM asset a JOIN area r ON r.name = 'Canalside' "
        "WHERE a.status = 'published' AND a.kind = 'skill' AND ST_Intersects(a.geom, r.geom)"
    )).scalar_one()
    assert len(layer["features"]) == nodes - skills
    assert planner.get("/export/gaps.geojson").status_code == 307
    assert planner.get("/export/gaps.xlsx").status_code == 404
    resident, _ = person(app, sessions, "resident2@example.org")
    assert resident.get("/export/network.geojson").status_code == 403
