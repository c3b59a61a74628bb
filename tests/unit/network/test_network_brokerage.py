"""Gould-Fernandez brokerage roles on hand-built graphs, and against a plain-loop count."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from assetmap.network import build_graph, directed_graph
from assetmap.network.brokerage import ROLES, brokerage

X, Y, Z = "food", "arts_culture", "faith"


@pytest.fixture
def broker_star(make_asset, make_link):
    """Broker B (group X) with two senders and three receivers, all ties directed:

        X1 -> B,  Y1 -> B;   B -> X2,  B -> Y2,  B -> Z1

    The six two-paths through B, by the groups of (sender, broker, receiver):
        X1 B X2  X X X  coordinator
        X1 B Y2  X X Y  representative
        X1 B Z1  X X Z  representative
        Y1 B X2  Y X X  gatekeeper
        Y1 B Y2  Y X Y  itinerant
        Y1 B Z1  Y X Z  liaison
    Nobody else is in the middle of any two-path.
    """
    groups = {"B": X, "X1": X, "X2": X, "Y1": Y, "Y2": Y, "Z1": Z}
    ids = {name: i for i, name in enumerate(groups, 1)}
    assets = [make_asset(ids[n], n, category=g) for n, g in groups.items()]
    pairs = [("X1", "B"), ("Y1", "B"), ("B", "X2"), ("B", "Y2"), ("B", "Z1")]
    links = [make_link(k, ids[a], ids[b], "refers_to") for k, (a, b) in enumerate(pairs, 1)]
    return assets, links, ids


def roles_of(result, graph, node) -> dict:
    row = result["nodes"][list(graph.nodes()).index(node)]
    return dict(zip(ROLES, row.tolist(), strict=True))


def test_each_role_once(broker_star):
    assets, links, ids = broker_star
    graph = build_graph(assets, links)
    result = brokerage(graph, "category")
    assert roles_of(result, graph, ids["B"]) == {
        "coordinator": 1, "itinerant": 1, "representative": 2, "gatekeeper": 1, "liaison": 1}
    for name in ("X1", "X2", "Y1", "Y2", "Z1"):
        assert sum(roles_of(result, graph, ids[name]).values()) == 0
    assert result["totals"] == {"coordinator": 1, "itinerant": 1, "representative": 2,
                                "gatekeeper": 1, "liaison": 1}
    # All brokering is done by B, who is in group X (food).
    food = next(row for row in result["groups"] if row["group"] == X)
    assert food["representative"] == 2 and food["liaison"] == 1


def test_a_direct_tie_closes_the_path(broker_star, make_link):
    # Adding X1 -> Y2 means X1 no longer needs B to reach Y2: one representative path goes.
    assets, links, ids = broker_star
    graph = build_graph(assets, [*links, make_link(99, ids["X1"], ids["Y2"], "refers_to")])
    assert roles_of(brokerage(graph, "category"), graph, ids["B"])["representative"] == 1


def test_an_undirected_link_counts_both_ways(broker_star):
    # Make Y1 - B mutual: B now also sends to Y1, adding X1 -> B -> Y1 (X X Y, representative).
    # Y1 -> B -> Y1 is not a two-path (sender and receiver the same), and through Y1 the only
    # path would be B -> Y1 -> B, likewise excluded.
    assets, links, ids = broker_star
    links[1] = {**links[1], "type": "partners_with", "directed": None}
    graph = build_graph(assets, links)
    result = brokerage(graph, "category")
    assert roles_of(result, graph, ids["B"])["representative"] == 3
    assert sum(roles_of(result, graph, ids["Y1"]).values()) == 0


def test_unknown_groups_are_left_out(make_asset, make_link):
    # A -> B -> C with C's area unknown: no role can be given, so nothing is counted.
    assets = [make_asset(1, area="N"), make_asset(2, area="N"), make_asset(3, area=None)]
    graph = build_graph(assets, [make_link(1, 1, 2, "refers_to"), make_link(2, 2, 3,
                                                                            "refers_to")])
    assert brokerage(graph, "area")["totals"] == dict.fromkeys(ROLES, 0)
    assert brokerage(graph, "category")["totals"]["coordinator"] == 1


def loop_count(digraph: nx.DiGraph, group: dict) -> dict:
    """Plain definition: every open two-path a -> b -> c, a != c, no tie a -> c."""
    counts = {node: dict.fromkeys(ROLES, 0) for node in digraph}
    for b in digraph:
        for a in digraph.predecessors(b):
            for c in digraph.successors(b):
                if a == c or digraph.has_edge(a, c):
                    continue
                ga, gb, gc = group[a], group[b], group[c]
                if ga == gb == gc:
                    role = "coordinator"
                elif ga == gc:
                    role = "itinerant"
                elif ga == gb:
                    role = "representative"
                elif gb == gc:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                counts[b][role] += 1
    return counts


@pytest.mark.parametrize("seed", range(6))
def test_matches_the_plain_definition_on_random_networks(make_asset, make_link, seed):
    rng = random.Random(seed)
    n = 40
    categories = [X, Y, Z, "learning"]
    assets = [make_asset(i, category=rng.choice(categories)) for i in range(n)]
    links, k = [], 0
    while len(links) < 120:
        a, b = rng.sample(range(n), 2)
        k += 1
        links.append(make_link(k, a, b, rng.choice(["refers_to", "partners_with", "funds"])))
    graph = build_graph(assets, links)
    digraph = directed_graph(graph)
    group = {node: graph.nodes[node]["category"] for node in graph}
    expected = loop_count(digraph, group)
    result = brokerage(graph, "category")
    nodes = list(graph.nodes())
    got = {nodes[i]: dict(zip(ROLES, row.tolist(), strict=True))
           for i, row in enumerate(result["nodes"])}
    assert got == expected
    assert int(np.sum(result["nodes"])) == sum(sum(c.values()) for c in expected.values())


def test_counting_in_small_batches_gives_the_same_answer(make_asset, make_link, monkeypatch):
    # Regional graphs are counted in batches of two-paths; force tiny batches here.
    from assetmap.network import brokerage as module

    rng = random.Random(11)
    assets = [make_asset(i, category=rng.choice([X, Y, Z])) for i in range(30)]
    links = [make_link(k, *rng.sample(range(30), 2), "refers_to") for k in range(1, 90)]
    graph = build_graph(assets, links)
    whole = brokerage(graph, "category")["nodes"]
    monkeypatch.setattr(module, "_CHUNK", 5)
    assert np.array_equal(brokerage(graph, "category")["nodes"], whole)
    assert whole.sum() > 0
