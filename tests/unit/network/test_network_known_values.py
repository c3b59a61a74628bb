"""Measures against values known independently of this code: published figures for the
karate club, the Florentine families and the Davis Southern Women, and hand calculations."""

from __future__ import annotations

import networkx as nx
import pytest

from assetmap.network import analyse, build_graph, centrality, structure
from assetmap.network.arrays import prepare
from assetmap.network.engine import choose_engine


@pytest.fixture(params=["networkx", "igraph"])
def engine_name(request):
    if request.param == "igraph":
        pytest.importorskip("igraph")
    return request.param


def test_karate_club_published_figures(engine_name):
    # Zachary's club: 34 members, 78 ties; density 78 / (34*33/2) = 0.1390; average
    # clustering 0.5706; betweenness highest for the instructor (node 0, 0.4376) and the
    # administrator (node 33, 0.3041), as tabulated in the literature on this network.
    graph = nx.karate_club_graph()
    data = prepare(graph)
    engine = choose_engine(data, engine_name)
    between, note = centrality.betweenness(engine)
    assert note["method"] == "exact"
    assert between[0] == pytest.approx(0.4376, abs=1e-4)
    assert between[33] == pytest.approx(0.3041, abs=1e-4)
    assert sorted(between, key=between.get, reverse=True)[:2] == [0, 33]
    clustering = engine.clustering()
    assert sum(clustering.values()) / 34 == pytest.approx(0.5706, abs=1e-4)
    # The main core is the 4-core of ten members (1-based 1,2,3,4,8,9,14,31,33,34).
    core = engine.core_number()
    assert structure.core_summary(core) == {"k": 4, "size": 10}
    assert sorted(n for n, k in core.items() if k == 4) == [0, 1, 2, 3, 7, 8, 13, 30, 32, 33]


def test_karate_club_only_the_instructor_is_a_cut_point():
    # Member 12 (node 11) is tied only to the instructor (node 0). Nodes 4, 5, 6, 10 and 16
    # are tied only to each other and to node 0 (4: 0,6,10; 5: 0,6,10,16; 6: 0,4,5,16;
    # 10: 0,4,5; 16: 5,6). So losing node 0 leaves three parts: the other 27 members, those
    # five, and node 11 alone. No other single member's loss splits the club.
    fragile, bridges = structure.cut_points(nx.karate_club_graph())
    assert [f["node"] for f in fragile] == [0]
    assert [p["size"] for p in fragile[0]["parts"]] == [27, 5, 1]
    assert sorted(fragile[0]["parts"][1]["members"]) == [4, 5, 6, 10, 16]
    assert fragile[0]["parts"][2]["members"] == [11]
    assert fragile[0]["cut_off"] == 6
    assert [(b["from"], b["to"], b["cut_off"]) for b in bridges] == [(0, 11, 1)]


def test_florentine_families(engine_name):
    # Padgett's marriage network (15 families with ties; Pucci has none and is left out):
    # Medici betweenness 0.522 (Padgett & Ansell's broker), Guadagni second with 0.255.
    graph = nx.florentine_families_graph()
    engine = choose_engine(prepare(graph), engine_name)
    between, _ = centrality.betweenness(engine)
    assert between["Medici"] == pytest.approx(0.522, abs=1e-3)
    assert between["Guadagni"] == pytest.approx(0.255, abs=1e-3)
    # Burt's measures for the Medici, by hand. Medici ties: Acciaiuoli, Albizzi, Barbadori,
    # Ridolfi, Salviati, Tornabuoni (6, all weight 1), so p = 1/6 to each. The only tie among
    # them is Ridolfi-Tornabuoni, and Ridolfi and Tornabuoni each have 3 ties.
    # Effective size (Borgatti): n - 2t/n = 6 - 2*1/6 = 5.6667.
    # Constraint: for Ridolfi (and Tornabuoni) (1/6 + 1/6 * 1/3)^2 = (4/18)^2 = 16/324;
    # for the other four (1/6)^2 = 9/324; total (2*16 + 4*9)/324 = 68/324 = 0.20988.
    constraint, effective = centrality.structural_holes(engine)
    assert effective["Medici"] == pytest.approx(6 - 2 / 6, abs=1e-12)
    assert constraint["Medici"] == pytest.approx(68 / 324, abs=1e-12)
    # A family with a single tie is fully constrained and has effective size 1.
    assert constraint["Acciaiuoli"] == pytest.approx(1.0)
    assert effective["Acciaiuoli"] == pytest.approx(1.0)


def test_florentine_cut_points_by_hand():
    # Reading the marriage ties: Acciaiuoli's only tie is to the Medici; Pazzi's only tie is
    # to Salviati, whose others go to the Medici; Lamberteschi hangs on Guadagni; Ginori on
    # Albizzi. So the cut points are Medici (Acciaiuoli; and Salviati with Pazzi), Salviati
    # (Pazzi), Guadagni (Lamberteschi) and Albizzi (Ginori).
    fragile, _ = structure.cut_points(nx.florentine_families_graph(), member_limit=20)
    split = {f["node"]: sorted(sorted(p["members"]) for p in f["parts"][1:]) for f in fragile}
    assert split == {
        "Medici": [["Acciaiuoli"], ["Pazzi", "Salviati"]],
        "Salviati": [["Pazzi"]],
        "Guadagni": [["Lamberteschi"]],
        "Albizzi": [["Ginori"]],
    }


def test_karate_through_the_whole_report(from_networkx):
    # The same known figures must come out of analyse() on records built from the club.
    assets, links, index = from_networkx(nx.karate_club_graph())
    report = analyse(build_graph(assets, links), engine="networkx")
    assert report.summary["nodes"] == 34 and report.summary["ties"] == 78
    assert report.summary["density"] == pytest.approx(0.13904, abs=1e-5)
    assert report.summary["average_clustering"] == pytest.approx(0.5706, abs=1e-4)
    assert report.nodes.at[index[0], "betweenness"] == pytest.approx(0.4376, abs=1e-4)
    assert report.connectors[0]["node"] == index[0]
    assert report.summary["core"] == {"k": 4, "size": 10}
    assert [f["node"] for f in report.fragile_points] == [index[0]]
    assert 0.37 <= report.summary["modularity"] <= 0.45
