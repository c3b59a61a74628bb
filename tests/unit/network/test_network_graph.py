"""build_graph: attributes, filters, direction handling, and clear errors for bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from assetmap.errors import InvalidInput
from assetmap.network import build_graph, directed_graph, simple_graph
from assetmap.network.arrays import prepare


@pytest.fixture
def place(make_asset, make_link):
    """Three areas' worth of assets and links with dates, used by several tests.

    1 Hall (venue, North) <- 2 Choir (group, North) meets_at, from 2020 (directed)
    2 Choir <-> 3 Youth club (group, South) partners_with, 2021-01-01 .. 2021-12-31
    2 Choir <-> 3 Youth club shares_skills_with, weight 2, from mid-2020, no end (parallel)
    4 Library (institution, South) -> 3 Youth club funds, from 2022
    5 Lonely group (East): no links
    """
    assets = [
        make_asset(1, "Hall", kind="venue", area="North", lon=-1.5, lat=53.8),
        make_asset(2, "Choir", category="arts_culture", area="North"),
        make_asset(3, "Youth club", category="children_youth", area="South"),
        make_asset(4, "Library", kind="venue", category="library", area="South",
                   institution=True),
        make_asset(5, "Lonely group", area="East"),
    ]
    links = [
        make_link(10, 2, 1, "meets_at", started=dt.date(2020, 1, 1)),
        make_link(11, 2, 3, "partners_with", started="2021-01-01", ended="2021-12-31"),
        make_link(12, 2, 3, "shares_skills_with", weight=2, started="2020-06-01"),
        make_link(13, 4, 3, "funds", started=dt.date(2022, 1, 1)),
    ]
    return assets, links


def test_nodes_and_edges_carry_their_attributes(place):
    graph = build_graph(*place)
    assert graph.number_of_nodes() == 5 and graph.number_of_edges() == 4
    assert graph.nodes[1] == {"name": "Hall", "kind": "venue", "category": "community_space",
                              "area": "North", "lon": -1.5, "lat": 53.8, "institution": False}
    assert graph.nodes[4]["institution"] is True
    edge = graph.edges[2, 3, 11]
    assert edge["type"] == "partners_with"
    assert edge["started"] == dt.date(2021, 1, 1) and edge["ended"] == dt.date(2021, 12, 31)
    # The direction defaults come from the taxonomy: meets_at directed, partners_with not.
    assert graph.edges[2, 1, 10]["directed"] is True
    assert graph.edges[2, 3, 11]["directed"] is False


def test_simple_graph_sums_parallel_links(place):
    simple = simple_graph(build_graph(*place))
    # Choir-Youth club: partners_with (1) + shares_skills_with (2) = 3, two links.
    assert simple[2][3]["weight"] == 3.0
    assert simple[2][3]["links"] == 2
    assert simple[2][3]["types"] == ["partners_with", "shares_skills_with"]
    assert simple.number_of_edges() == 3
    data = prepare(build_graph(*place))
    assert sorted(zip(data.u.tolist(), data.v.tolist(), data.weight.tolist(), strict=True)) == [
        (0, 1, 1.0), (1, 2, 3.0), (2, 3, 1.0)]


def test_directed_graph_counts_undirected_links_both_ways(place):
    directed = directed_graph(build_graph(*place))
    assert set(directed.edges()) == {(2, 1), (2, 3), (3, 2), (4, 3)}
    assert directed[2][3]["weight"] == 3.0 and directed[3][2]["weight"] == 3.0
    data = prepare(build_graph(*place))
    pairs = {(data.nodes[a], data.nodes[b]) for a, b in zip(data.src, data.dst, strict=True)}
    assert pairs == set(directed.edges())


def test_network_on_a_day(place):
    # On 2021-06-01: meets_at (from 2020) and both Choir-Youth links (one ends 2021-12-31,
    # one has no end) stood; funds (from 2022) had not started.
    assert sorted(build_graph(*place, on=dt.date(2021, 6, 1)).edges(keys=True)) == [
        (2, 1, 10), (2, 3, 11), (2, 3, 12)]
    # On its last day a link still stands; the next day it is gone.
    assert (2, 3, 11) in build_graph(*place, on="2021-12-31").edges(keys=True)
    later = build_graph(*place, on="2022-01-01")
    assert sorted(later.edges(keys=True)) == [(2, 1, 10), (2, 3, 12), (4, 3, 13)]
    assert later.graph["on"] == "2022-01-01"


def test_filters_by_category_link_type_and_area(place):
    by_area = build_graph(*place, areas=["South"])
    assert sorted(by_area.nodes()) == [3, 4]
    assert list(by_area.edges(keys=True)) == [(4, 3, 13)]
    by_type = build_graph(*place, link_types=["meets_at", "funds"])
    assert sorted(by_type.edges(keys=True)) == [(2, 1, 10), (4, 3, 13)]
    assert by_type.number_of_nodes() == 5  # filtering links keeps every asset
    by_category = build_graph(*place, categories="community_space")
    assert sorted(by_category.nodes()) == [1, 5]
    assert by_category.number_of_edges() == 0


@pytest.mark.parametrize(("change", "words"), [
    (lambda a, lk: (a, [*lk, {**lk[0], "id": 99, "type": "likes"}]), "unknown link type 'likes'"),
    (lambda a, lk: ([{**a[0], "kind": "person"}, *a[1:]], lk), "unknown kind 'person'"),
    (lambda a, lk: ([{**a[0], "category": "pub"}, *a[1:]], lk), "unknown category 'pub'"),
    (lambda a, lk: ([*a, a[0]], lk), "asset 1 appears twice"),
    (lambda a, lk: (a, [*lk, {**lk[0], "id": 20, "to_id": 77}]), "points to asset 77"),
    (lambda a, lk: (a, [*lk, {**lk[0], "id": 21, "to_id": 2}]), "joins asset 2 to itself"),
    (lambda a, lk: (a, [*lk, {**lk[0], "id": 22, "weight": -1}]), "positive number"),
    (lambda a, lk: (a, [*lk, {**lk[0], "id": 23, "started": "2022-02-01",
                              "ended": "2021-01-01"}]), "ended (2021-01-01) before"),
    (lambda a, lk: (a, [*lk, {**lk[0], "id": 24, "started": "last spring"}]), "is not a date"),
    (lambda a, lk: ([{**a[0], "lat": 123.0}, *a[1:]], lk), "lat 123.0 is outside"),
    (lambda a, lk: ([{k: v for k, v in a[0].items() if k != "name"}, *a[1:]], lk),
     "asset #1 has no name"),
])
def test_bad_records_are_named(place, change, words):
    with pytest.raises(InvalidInput) as caught:
        build_graph(*change(*place))
    assert words in str(caught.value)


def test_empty_network_is_refused(place):
    with pytest.raises(InvalidInput, match="the network is empty: there are no assets"):
        build_graph([], [])
    with pytest.raises(InvalidInput, match="no asset matches the chosen categories"):
        build_graph(*place, categories=["faith"])


def test_unknown_filter_values_are_refused(place):
    with pytest.raises(InvalidInput, match="unknown link type: 'hugs'"):
        build_graph(*place, link_types=["hugs"])
    with pytest.raises(InvalidInput, match="unknown category: 'pubs'"):
        build_graph(*place, categories=["pubs"])
    with pytest.raises(InvalidInput, match=r"unknown area 'West'.*East, North, South"):
        build_graph(*place, areas=["West"])


def test_a_date_with_no_links_is_refused(place):
    with pytest.raises(InvalidInput, match="no links stood on 2019-06-01") as caught:
        build_graph(*place, on=dt.date(2019, 6, 1))
    assert caught.value.field == "on"
