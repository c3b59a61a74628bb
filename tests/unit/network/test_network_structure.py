"""Parts, isolates, fragile points and bridges, on hand-built graphs and against brute force."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from assetmap.network import build_graph, structure
from assetmap.network.arrays import prepare


@pytest.fixture
def estate(make_asset, make_link):
    """A small estate, drawn out:

        Knit club(2) --meets_at--> Hall(1) <--meets_at-- Youth club(3) -- Football(4)
                                     ^                        |               |
        Food bank(5) --meets_at------+                        +---- Boxing(6)-+
        Food bank(5) -- Pantry(7)
        Chess(8)  (no ties)

    Hall (1) is the only way between {2}, {5, 7} and {3, 4, 6}: if it closes, those three
    parts are cut off from each other. Food bank (5) alone holds the Pantry (7) on. Youth
    club (3) is the triangle's only way to the Hall: losing it cuts Football and Boxing off
    from {1, 2, 5, 7}. Football (4) and Boxing (6) are not cut points (the triangle holds).
    Bridges: 2-1, 1-5, 5-7 (1-3 is one too: Hall-Youth club is the only tie to the triangle).
    """
    assets = [make_asset(1, "Hall", kind="venue"), make_asset(2, "Knit club"),
              make_asset(3, "Youth club"), make_asset(4, "Football"),
              make_asset(5, "Food bank"), make_asset(6, "Boxing"),
              make_asset(7, "Pantry", kind="skill"), make_asset(8, "Chess")]
    links = [make_link(1, 2, 1, "meets_at"), make_link(2, 3, 1, "meets_at"),
             make_link(3, 5, 1, "meets_at"), make_link(4, 3, 4), make_link(5, 3, 6),
             make_link(6, 4, 6), make_link(7, 5, 7)]
    return build_graph(assets, links)


def test_estate_fragile_points_and_what_they_split(estate):
    fragile, bridges = structure.cut_points(estate)
    by_node = {f["node"]: f for f in fragile}
    assert set(by_node) == {1, 3, 5}
    hall = by_node[1]
    assert hall["name"] == "Hall" and hall["kind"] == "venue"
    assert sorted(sorted(p["members"]) for p in hall["parts"]) == [[2], [3, 4, 6], [5, 7]]
    # The largest part (the triangle, 3) remains; 1 + 2 assets lose touch with it.
    assert hall["cut_off"] == 3
    assert hall["parts"][0]["kinds"] == {"group": 3}
    assert sorted(p["kinds"].get("skill", 0) for p in hall["parts"]) == [0, 0, 1]
    youth = by_node[3]
    assert sorted(sorted(p["members"]) for p in youth["parts"]) == [[1, 2, 5, 7], [4, 6]]
    assert youth["cut_off"] == 2
    food = by_node[5]
    assert sorted(sorted(p["members"]) for p in food["parts"]) == [[1, 2, 3, 4, 6], [7]]
    assert fragile[0]["node"] == 1  # the most damaging loss is listed first
    assert {frozenset((b["from"], b["to"])) for b in bridges} == {
        frozenset(pair) for pair in [(1, 2), (1, 3), (1, 5), (5, 7)]}
    # Bridge 1-3 leaves the triangle (3 assets) on the smaller side.
    assert next(b for b in bridges if {b["from"], b["to"]} == {1, 3})["cut_off"] == 3


def test_components_and_isolates(estate):
    parts = structure.components(estate)
    assert parts["count"] == 2 and parts["count_without_isolates"] == 1
    assert parts["sizes"] == [7, 1] and parts["largest_share"] == pytest.approx(7 / 8)
    assert structure.isolates(estate) == [8]


def brute_force_parts(graph: nx.Graph, node) -> list[set]:
    """The parts of node's component once node is removed, by deleting it and looking."""
    component = nx.node_connected_component(graph, node) - {node}
    rest = graph.subgraph(component)
    return list(nx.connected_components(rest))


@pytest.mark.parametrize("seed", range(25))
def test_cut_points_agree_with_deleting_each_node(seed):
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(rng.randint(2, 40), rng.randint(1, 45), seed=seed)
    fragile, bridges = structure.cut_points(graph, member_limit=100)
    expected = {}
    for node in graph:
        parts = brute_force_parts(graph, node)
        if len(parts) >= 2:
            expected[node] = sorted(sorted(p) for p in parts)
    found = {f["node"]: sorted(sorted(p["members"]) for p in f["parts"]) for f in fragile}
    assert found == expected
    assert {frozenset((b["from"], b["to"])) for b in bridges} == {
        frozenset(e) for e in nx.bridges(graph)}


def test_member_lists_are_capped_but_sizes_are_not():
    star = nx.star_graph(40)  # centre 0 with 40 leaves: 40 one-member parts
    path = nx.path_graph(60)  # node 30 splits 0..29 from 31..59
    fragile, _ = structure.cut_points(star, member_limit=3)
    assert len(fragile) == 1 and len(fragile[0]["parts"]) == 40
    fragile, _ = structure.cut_points(path, member_limit=5)
    middle = next(f for f in fragile if f["node"] == 30)
    assert [p["size"] for p in middle["parts"]] == [30, 29]
    assert all(len(p["members"]) == 5 for p in middle["parts"])


def test_communities_are_canonical_and_summarised(estate):
    groups = structure.canonical_communities([{7, 5}, {3, 4, 6}, {8}, {1, 2}])
    assert groups == [[3, 4, 6], [1, 2], [5, 7], [8]]
    data = prepare(estate)
    degree = dict(zip(data.nodes, data.degree.tolist(), strict=True))
    summary = structure.community_summary(estate, groups, degree)
    assert [row["size"] for row in summary] == [3, 2, 2]  # the single Chess club is left out
    # Youth club (3) has 3 ties, the most in its community: it is the anchor.
    assert summary[0]["anchor"] == 3 and summary[0]["anchor_name"] == "Youth club"
    assert summary[1]["kinds"] == {"venue": 1, "group": 1}
