"""The gap analysis read from PostGIS: hand-worked figures, the demo town, the exported layer."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape

from assetmap.errors import InvalidInput, NotFound
from assetmap.network import analyse, build_graph
from assetmap.reports.gaps import render_gaps_report
from assetmap.reports.gaps_run import (
    HIDDEN_NAME,
    REPORT_VIEWER,
    area_bridging,
    area_priority_scores,
    load_snapshot,
    result_from_json,
    result_to_json,
    run_gaps,
    save_snapshot,
)
from assetmap.store.analysis_inputs import network_records
from tests.integration.gaps.conftest import DEMO, add_small_town

DAY = date(2025, 6, 30)


def by_name(result):
    return result.areas.set_index("name")


# --- the hand-made town -------------------------------------------------------------------


def test_small_town_figures_by_hand(session, small_town):
    areas = by_name(run_gaps(session, on=DAY))
    # Assets per 1,000: A has 2 assets for 1,000 people, B 3 (the skill counts) for 3,000.
    assert areas.loc["A", "assets_per_1000"] == pytest.approx(2.0)
    assert areas.loc["B", "assets_per_1000"] == pytest.approx(1.0)
    # 2SFCA, 1,600 m catchment: the areas are 6.6 km apart, so each asset serves only its own
    # area: every asset's ratio is 1 / that area's people, and an area's access is the sum.
    # A: 2 / 1000 = 0.002; B: 3 / 3000 = 0.001.
    assert areas.loc["A", "access"] == pytest.approx(0.002, rel=1e-12)
    assert areas.loc["B", "access"] == pytest.approx(0.001, rel=1e-12)
    # E-I by area: A has A1-A2 inside, A1-B1 crossing: (1 - 1) / 2 = 0.
    # B has B1-B2 and B2-B3 inside, A1-B1 crossing: (1 - 2) / 3 = -1/3.
    assert areas.loc["A", "bridging"] == pytest.approx(0.0)
    assert areas.loc["B", "bridging"] == pytest.approx(-1 / 3)
    # Factors (1 = more reason to invest): need A 0.8 > B 0.2 -> A 1, B 0; access A higher ->
    # low access A 0, B 1; bridging A higher -> weak ties A 0, B 1. Equal weights:
    # A = (1 + 0 + 0) / 3, B = (0 + 1 + 1) / 3.
    assert areas.loc["A", "priority"] == pytest.approx(1 / 3)
    assert areas.loc["B", "priority"] == pytest.approx(2 / 3)
    assert (areas.loc["B", "rank"], areas.loc["A", "rank"]) == (1, 2)
    assert areas.loc["B", "contrib_bridging"] == pytest.approx(1 / 3)


def test_weights_change_the_ranking(session, small_town):
    # need 3: A = 3 / 5 = 0.6, B = (1 + 1) / 5 = 0.4, so A comes first.
    areas = by_name(run_gaps(session, weights={"need": 3}, on=DAY))
    assert areas.loc["A", "priority"] == pytest.approx(0.6)
    assert areas.loc["B", "priority"] == pytest.approx(0.4)
    assert areas.loc["A", "rank"] == 1


def test_area_priority_scores_are_keyed_by_area_id(session, small_town):
    scores = area_priority_scores(session)
    assert scores == pytest.approx({small_town["A"].id: 1 / 3, small_town["B"].id: 2 / 3})


def test_service_overlay_distance(session, small_town):
    result = run_gaps(session, on=DAY)
    missing = result.services_without_assets
    # The GP surgery stands 70 m from A1; the library is nearest to B1, 0.024° of longitude
    # west of it at latitude 53.705: check the straight-line metres against the geodesic.
    assert list(missing["service_name"]) == ["Crossroads Library"]
    expected = Geod(ellps="WGS84").inv(-2.02, 53.705, -1.996, 53.705)[2]
    assert missing["nearest_asset_m"].iloc[0] == pytest.approx(expected, rel=2e-3)
    assert missing["nearest_asset_name"].iloc[0] == "B1"


def test_no_links_leaves_bridging_out(session):
    add_small_town(session, links=False)
    result = run_gaps(session, on=DAY)
    areas = by_name(result)
    assert math.isnan(areas.loc["A", "factor_bridging"])
    # need and access only: A = (1 + 0) / 2, B = (0 + 1) / 2.
    assert areas.loc["A", "priority"] == pytest.approx(0.5)
    assert areas.loc["B", "priority"] == pytest.approx(0.5)
    assert any("No published links stood on 2025-06-30" in note for note in result.notes)


def test_links_that_ended_do_not_count(session, small_town):
    # A1-B1 ended before the report day: A keeps only A1-A2 inside (E-I -1), B its two
    # inside ties (E-I -1).
    from assetmap.store.models import Link

    crossing = session.query(Link).filter_by(from_asset_id=small_town["A1"].id,
                                             to_asset_id=small_town["B1"].id).one()
    crossing.ended = date(2024, 12, 31)
    session.flush()
    values, _ = area_bridging(session, on=DAY)
    assert values == {"A": -1.0, "B": -1.0}


def test_bad_store_data_is_named(session):
    add_small_town(session, population_b=None)
    with pytest.raises(InvalidInput, match=r"areas row 1 \('B'\) has no population"):
        run_gaps(session, on=DAY)


def test_no_assets(session):
    with pytest.raises(InvalidInput, match="no published assets"):
        run_gaps(session)
    assert area_priority_scores(session) == {}


def test_bad_settings(session, small_town):
    with pytest.raises(InvalidInput, match="walk_m must be a distance greater than zero"):
        run_gaps(session, walk_m=-1)
    with pytest.raises(InvalidInput, match="method must be one of 2sfca, e2sfca"):
        run_gaps(session, method="gravity")


def test_viewer_sees_no_skills(session, small_town):
    full = run_gaps(session, on=DAY)
    shown = run_gaps(session, on=DAY, viewer=REPORT_VIEWER)
    assert sorted(full.assets["name"]) == ["A1", "A2", "B1", "B2", "B3"]
    assert sorted(shown.assets["name"]) == ["A1", "A2", "B1", "B2"]  # B3 is a person's skill
    # The figures are the same: the skill still counts in B.
    assert shown.areas["access"].tolist() == full.areas["access"].tolist()
    assert any("1 asset(s)" in note for note in shown.notes)


def test_hidden_nearest_asset_is_not_named(session, small_town):
    # The library's nearest asset is B1; made private, a planner may not see its name.
    small_town["B1"].visibility = "private"
    session.flush()
    shown = run_gaps(session, on=DAY, viewer=REPORT_VIEWER)
    assert shown.services_without_assets["nearest_asset_name"].tolist() == [HIDDEN_NAME]


def test_snapshot_round_trip(session, small_town):
    result = run_gaps(session, on=DAY, viewer=REPORT_VIEWER)
    snapshot_id = save_snapshot(session, result, {"walk_m": 800.0}, user_id=None)
    session.expire_all()
    snapshot, loaded = load_snapshot(session, snapshot_id)
    assert snapshot.kind == "gaps" and snapshot.params == {"walk_m": 800.0}
    assert loaded.to_csv() == result.to_csv()
    assert loaded.to_csv("services_without_assets") == result.to_csv("services_without_assets")
    assert loaded.notes == result.notes and loaded.parameters == result.parameters
    assert "Crossroads Library" in render_gaps_report(loaded, title="Saved")
    with pytest.raises(NotFound):
        load_snapshot(session, snapshot_id + 1000)


# --- the demo town ------------------------------------------------------------------------


def _ring_ccw(coords) -> bool:
    return shapely.LinearRing(coords).is_ccw


def test_demo_geojson_layer(session, demo):
    result = run_gaps(session, on=DAY)
    layer = json.loads(json.dumps(result.to_geojson(), allow_nan=False))
    source = json.loads((DEMO / "areas.geojson").read_text())
    expected = {f["properties"]["name"]: f["properties"] for f in source["features"]}
    assert "crs" not in layer and layer["type"] == "FeatureCollection"
    # Every area of the file, once, with its population and need index as imported.
    props = {f["properties"]["name"]: f["properties"] for f in layer["features"]}
    assert sorted(props) == sorted(expected) and len(layer["features"]) == len(expected) == 12
    for name, p in props.items():
        assert p["population"] == expected[name]["population"]
        assert p["need_index"] == pytest.approx(expected[name]["need_index"])
        for key in ("factor_need", "factor_access", "factor_bridging", "contrib_need",
                    "contrib_access", "contrib_bridging", "priority", "rank", "area_id",
                    "access", "assets_per_1000"):
            assert p[key] is not None, (name, key)
        # The contributions add up to the score, and every factor is within 0..1.
        parts = [p["contrib_need"], p["contrib_access"], p["contrib_bridging"]]
        assert sum(parts) == pytest.approx(p["priority"], abs=1e-12)
        assert all(0 <= p[f"factor_{f}"] <= 1 for f in ("need", "access", "bridging"))
    assert sorted(p["rank"] for p in props.values()) == list(range(1, 13))
    ranked = sorted(props.values(), key=lambda p: p["rank"])
    assert [p["priority"] for p in ranked] == sorted((p["priority"] for p in ranked),
                                                     reverse=True)
    for feature in layer["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
            else geometry["coordinates"]
        for rings in polygons:
            # RFC 7946 3.1.6: exteriors counter-clockwise, holes clockwise; lon/lat order
            # (the demo town is at 53.71 N, 2.10 W).
            assert _ring_ccw(rings[0])
            assert all(not _ring_ccw(hole) for hole in rings[1:])
            for lon, lat in rings[0]:
                assert -2.2 < lon < -1.9 and 53.6 < lat < 53.8
        # The exported polygon is the imported one.
        source_geom = shape(next(f for f in source["features"] if f["properties"]["name"]
                                 == feature["properties"]["name"])["geometry"])
        assert shape(geometry).symmetric_difference(source_geom).area < 1e-12


def test_demo_bridging_is_the_network_reports_ei_by_area(session, demo):
    values, notes = area_bridging(session, on=DAY)
    assets, links = network_records(session, on=DAY)
    report = analyse(build_graph(assets, links))
    groups = {g["group"]: g["ei"] for g in report.ei["area"]["groups"] if g["ei"] is not None}
    assert values == pytest.approx(groups)
    assert len(values) == 12
    assert f"{len(links)} published link(s) standing on 2025-06-30" in notes[0]
    result = by_name(run_gaps(session, on=DAY))
    assert result["bridging"].to_dict() == pytest.approx(groups)


def test_without_areas_or_services_an_h3_grid_stands_in(session, small_town):
    from assetmap.store.models import Area, Service, User

    session.query(User).update({"home_area_id": None})
    session.query(Area).delete()
    session.query(Service).delete()
    session.flush()
    result = run_gaps(session, on=DAY)
    assert result.parameters["areas_source"] == "h3"
    assert result.services is None and len(result.services_without_assets) == 0
    again = result_from_json(json.loads(json.dumps(result_to_json(result))))
    assert again.services is None and again.to_csv() == result.to_csv()
    assert "no services were" in render_gaps_report(again, title="Saved")
    assert len(result.areas) > 0 and result.areas["area_id"].isna().all()
    assert result.notes[0] == "Bridging ties are read by area, and no areas are loaded."
    # Every asset lies in one hexagon: the grid's counts add up to the five assets.
    assert int(result.areas["n_assets"].sum()) == 5
    assert area_priority_scores(session) == {}


def test_area_priority_scores_from_the_latest_saved_run(session, small_town):
    # Before anything is saved, `saved` falls back to a fresh default run.
    assert area_priority_scores(session, saved=True) == pytest.approx(
        {small_town["A"].id: 1 / 3, small_town["B"].id: 2 / 3})
    # A saved run with need weighted 3 (A = 0.6, B = 0.4, as above) is what `saved` reads.
    result = run_gaps(session, weights={"need": 3}, on=DAY)
    save_snapshot(session, result, {"weights": {"need": 3.0}}, user_id=None)
    assert area_priority_scores(session, saved=True) == pytest.approx(
        {small_town["A"].id: 0.6, small_town["B"].id: 0.4})
    assert area_priority_scores(session) == pytest.approx(
        {small_town["A"].id: 1 / 3, small_town["B"].id: 2 / 3})
