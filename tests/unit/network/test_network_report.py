"""analyse(): the whole report on a small place, its findings, JSON snapshots and compare()."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pandas as pd
import pytest

from assetmap.errors import InvalidInput
from assetmap.network import MEANINGS, NetworkReport, analyse, build_graph, compare

BEFORE, AFTER = dt.date(2021, 6, 1), dt.date(2023, 6, 1)


@pytest.fixture
def place(make_asset, make_link):
    """A neighbourhood around a Hall at (-1.55, 53.80); 0.0027 deg of latitude is ~300 m.

    On BEFORE (2021-06-01) the links standing are 1-5:
        Choir(2), Youth club(3), Lunch club(10) meet at the Hall(1)   -> Hall has 3 ties
        Choir(2) refers to the Library(7, institution)
        Allotment(6) - Football(4) partners (ends 2022-06-30)
    isolated then: Lonely knitters(5, ~300 m north of the Hall), Carpentry(8, no location),
    Far walkers(9, ~800 m north).
    On AFTER (2023-06-01): link 5 has ended; 6 Football meets at the Hall, 7 Carpentry is a
    member of the Choir, 8 Lonely knitters partner the Youth club. Isolated: 6 and 9.
    """
    a = make_asset
    assets = [
        a(1, "Hall", kind="venue", area="North", lon=-1.55, lat=53.80),
        a(2, "Choir", category="arts_culture", area="North", lon=-1.551, lat=53.801),
        a(3, "Youth club", category="children_youth", area="North", lon=-1.549, lat=53.799),
        a(4, "Football", category="sport_leisure", area="South", lon=-1.54, lat=53.79),
        a(5, "Lonely knitters", category="arts_culture", area="North", lon=-1.55,
          lat=53.8027),
        a(6, "Allotment", category="environment", area="South", lon=-1.53, lat=53.79),
        a(7, "Library", kind="venue", category="library", area="South", lon=-1.545,
          lat=53.795, institution=True),
        a(8, "Carpentry", kind="skill", category="learning", area="North"),
        a(9, "Far walkers", category="sport_leisure", area="North", lon=-1.55, lat=53.8072),
        a(10, "Lunch club", category="older_people", area="North", lon=-1.5505, lat=53.80),
    ]
    old, new = dt.date(2020, 1, 1), dt.date(2023, 1, 1)
    links = [
        make_link(1, 2, 1, "meets_at", started=old),
        make_link(2, 3, 1, "meets_at", started=old),
        make_link(3, 10, 1, "meets_at", started=old),
        make_link(4, 2, 7, "refers_to", started=old),
        make_link(5, 6, 4, "partners_with", started=old, ended=dt.date(2022, 6, 30)),
        make_link(6, 4, 1, "meets_at", started=new),
        make_link(7, 8, 2, "member_of", started=new),
        make_link(8, 5, 3, "partners_with", started=dt.date(2023, 3, 1)),
    ]
    return assets, links


def test_report_contents(place):
    report = analyse(build_graph(*place, on=BEFORE))
    summary = report.summary
    assert (summary["nodes"], summary["links"], summary["ties"]) == (10, 5, 5)
    assert summary["density"] == pytest.approx(5 / 45)
    assert summary["isolates"] == 3 and summary["on"] == "2021-06-01"
    assert summary["engine"] == "networkx"  # ten nodes: below the fast-engine size
    assert summary["betweenness"]["method"] == "exact"
    assert {row["node"] for row in report.isolates} == {5, 8, 9}
    # The Hall joins Choir, Youth club and Lunch club: it lies on the most routes.
    assert report.connectors[0]["name"] == "Hall"
    # Hall: parts {2, 7}, {3}, {10}; Choir: parts {1, 3, 10}, {7}.
    assert [f["node"] for f in report.fragile_points] == [1, 2]
    assert report.fragile_points[0]["cut_off"] == 2
    table = report.nodes
    assert list(table.index) == list(range(1, 11))
    assert table.at[1, "degree"] == 3 and table.at[1, "cut_off"] == 2
    assert table.at[2, "linking_ties"] == 1
    # Every node-table measure and every summary measure has its one-line meaning.
    for key in ("betweenness", "pagerank", "constraint", "effective_size", "reach2", "core",
                "ei_index", "brokerage", "articulation", "linking", "density"):
        assert MEANINGS[key] and report.meanings[key] == MEANINGS[key]


def test_findings_point_at_isolated_groups_near_a_busy_venue(place):
    report = analyse(build_graph(*place, on=BEFORE))
    near = [f for f in report.findings if f["kind"] == "isolated_near_hub"]
    # Lonely knitters are ~300 m from the Hall (3 ties); Far walkers ~800 m, beyond 500 m;
    # Carpentry has no location.
    assert [f["nodes"] for f in near] == [[5, 1]]
    assert "Lonely knitters (group) has no ties, yet is 30" in near[0]["text"]
    metres = int(near[0]["text"].split(" is ")[1].split(" m ")[0])
    # 0.0027 deg of latitude at 53.8 N on the WGS84 ellipsoid is 300.6 m.
    assert metres == pytest.approx(301, abs=1)
    assert any(f["kind"] == "fragile_point" and f["nodes"][0] == 1 for f in report.findings)
    shared = next(f for f in report.findings if f["kind"] == "shared_venue_untied")
    assert shared["text"].startswith("3 pairs of groups meet at the same venue")
    wider = analyse(build_graph(*place, on=BEFORE), near_metres=1000)
    assert [f["nodes"] for f in wider.findings if f["kind"] == "isolated_near_hub"] == [
        [5, 1], [9, 1]]


def test_snapshot_round_trip_through_json(place):
    report = analyse(build_graph(*place))
    text = json.dumps(report.to_dict(), allow_nan=False)  # strict JSON: no NaN
    again = NetworkReport.from_dict(json.loads(text))
    assert again.to_dict() == report.to_dict()
    pd.testing.assert_frame_equal(again.nodes, report.nodes, check_dtype=False)
    assert again.nodes["degree"].dtype.kind == "i"


def test_bad_snapshot_is_refused():
    with pytest.raises(InvalidInput, match="not a saved network report"):
        NetworkReport.from_dict({"summary": {}})


def test_compare_two_dates(place):
    before = analyse(build_graph(*place, on=BEFORE))
    after = analyse(build_graph(*place, on=AFTER))
    change = compare(before, after)
    assert (change["before_on"], change["after_on"]) == ("2021-06-01", "2023-06-01")
    assert [row["id"] for row in change["new_links"]] == [6, 7, 8]
    assert [row["id"] for row in change["lost_links"]] == [5]
    assert [(x["node"], x["kind"]) for x in change["no_longer_isolated"]] == [
        (5, "group"), (8, "skill")]
    assert [x["node"] for x in change["newly_isolated"]] == [6]
    assert change["groups_no_longer_isolated"] == 1 and change["groups_newly_isolated"] == 1
    assert change["density"]["change"] == pytest.approx(7 / 45 - 5 / 45)
    assert change["isolates"] == {"before": 3, "after": 2, "change": -1}
    assert change["joined"] == [] and change["left"] == []
    # Snapshots compare the same way once saved and loaded.
    saved = NetworkReport.from_dict(json.loads(json.dumps(before.to_dict())))
    assert compare(saved, after)["newly_isolated"] == change["newly_isolated"]


def test_bad_arguments(place):
    with pytest.raises(InvalidInput, match="the network is empty"):
        analyse(nx.MultiDiGraph())
    with pytest.raises(InvalidInput, match="by category or area, not 'colour'"):
        analyse(build_graph(*place), brokerage_by="colour")


def test_same_report_from_either_engine(place):
    pytest.importorskip("igraph")
    graph = build_graph(*place)
    slow, fast = analyse(graph, engine="networkx"), analyse(graph, engine="igraph")
    columns = ["degree", "betweenness", "pagerank", "clustering", "constraint",
               "effective_size", "reach2", "core", "ei_category", "ei_area", "cross_brokerage"]
    pd.testing.assert_frame_equal(slow.nodes[columns], fast.nodes[columns], atol=1e-9,
                                  check_dtype=False)


def test_findings_never_point_at_a_skill_location(make_asset, make_link):
    # A skill may be placed where its holder lives: even isolated and 100 m from a busy
    # venue, it is not named. The isolated group at the same spot is.
    assets = [make_asset(1, "Hall", kind="venue", lon=0.0, lat=51.5),
              *[make_asset(i, f"Group {i}", lon=0.001 * i, lat=51.5) for i in (2, 3, 4)],
              make_asset(5, "Welding", kind="skill", lon=0.0, lat=51.5009),
              make_asset(6, "Quiet group", lon=0.0, lat=51.5009)]
    links = [make_link(i, i, 1, "meets_at") for i in (2, 3, 4)]
    report = analyse(build_graph(assets, links))
    near = [f["nodes"] for f in report.findings if f["kind"] == "isolated_near_hub"]
    assert near == [[6, 1]]
