"""E-I index (bonding and bridging) and linking ties, worked out by hand."""

from __future__ import annotations

import pytest

from assetmap.network import bridging, build_graph


@pytest.fixture
def town(make_asset, make_link):
    """Seven assets; categories and areas chosen so every count below can be checked.

    id  category   area  institution
    1   food       N
    2   food       N
    3   arts       N
    4   arts       S
    5   sport      S
    6   library    S     yes
    7   food       -     (no area)

    Ties: 1-2 (recorded twice, counts once), 2-3, 3-4, 4-5, 5-6, 1-6, 1-7.
    """
    cats = {1: "food", 2: "food", 3: "arts_culture", 4: "arts_culture", 5: "sport_leisure",
            6: "library", 7: "food"}
    areas = {1: "N", 2: "N", 3: "N", 4: "S", 5: "S", 6: "S", 7: None}
    assets = [make_asset(i, category=cats[i], area=areas[i], institution=(i == 6))
              for i in cats]
    pairs = [(1, 2), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (1, 6), (1, 7)]
    links = [make_link(k, a, b, "shares_skills_with") for k, (a, b) in enumerate(pairs, 1)]
    return build_graph(assets, links)


def test_ei_by_category(town):
    # Internal (same category): 1-2 food, 3-4 arts, 1-7 food = 3.
    # External: 2-3, 4-5, 5-6, 1-6 = 4.  E-I = (4 - 3) / 7 = 1/7.
    table = bridging.ei_index(town, "category")
    assert (table["internal"], table["external"], table["unknown"]) == (3, 4, 0)
    assert table["ei"] == pytest.approx(1 / 7)
    # Random mixing: group sizes 3 (food), 2 (arts), 1, 1: internal pairs 3 + 1 = 4 of
    # C(7,2) = 21, external 17, so (17 - 4) / 21 = 13/21.
    assert table["expected"] == pytest.approx(13 / 21)
    groups = {row["group"]: row for row in table["groups"]}
    # food: internal 1-2, 1-7; external 2-3, 1-6 -> 0.
    assert (groups["food"]["size"], groups["food"]["internal"],
            groups["food"]["external"], groups["food"]["ei"]) == (3, 2, 2, 0.0)
    # arts: internal 3-4; external 2-3, 4-5 -> (2 - 1) / 3.
    assert groups["arts_culture"]["ei"] == pytest.approx(1 / 3)
    # sport and library only have outside ties.
    assert groups["sport_leisure"]["ei"] == 1.0 and groups["library"]["ei"] == 1.0
    # Node 1: 1-2 in, 1-7 in, 1-6 out -> (1 - 2) / 3.
    assert table["nodes"][1] == pytest.approx(-1 / 3)
    assert table["nodes"][5] == 1.0


def test_ei_by_area_leaves_out_unknown_areas(town):
    # 1-7 has an end with no area: left out (unknown = 1).
    # Internal: 1-2, 2-3 (N), 4-5, 5-6 (S) = 4; external: 3-4, 1-6 = 2; (2 - 4) / 6 = -1/3.
    table = bridging.ei_index(town, "area")
    assert (table["internal"], table["external"], table["unknown"]) == (4, 2, 1)
    assert table["ei"] == pytest.approx(-1 / 3)
    # Sizes 3 and 3: internal pairs 3 + 3 = 6 of 15; (9 - 6) / 15 = 0.2.
    assert table["expected"] == pytest.approx(0.2)
    assert [(g["group"], g["internal"], g["external"], g["ei"]) for g in table["groups"]] == [
        ("N", 2, 2, 0.0), ("S", 2, 2, 0.0)]
    assert table["nodes"][7] is None  # no area of its own: its one tie is left out


def test_expected_ei_edge_cases():
    assert bridging.expected_ei([]) is None
    assert bridging.expected_ei([1]) is None
    assert bridging.expected_ei([2]) == -1.0  # one group: every pair is internal
    assert bridging.expected_ei([1, 1]) == 1.0


def test_linking_ties(town):
    # Institution 6 (library). Linking ties: 5-6 and 1-6 = 2 of 7 ties.
    # Community assets 1,2,3,4,5,7 (6); with a linking tie: 1 and 5 -> 1/3.
    table = bridging.linking(town)
    assert table["institutions"] == 1 and table["community_assets"] == 6
    assert table["linking_ties"] == 2
    assert table["share_of_ties"] == pytest.approx(2 / 7)
    assert table["assets_with_linking_tie"] == 2
    assert table["share_of_assets"] == pytest.approx(1 / 3)
    # By area: N has 1,2,3 (1 linked); S has 4,5 (5 linked); no area: 7 (none).
    assert [(r["area"], r["community_assets"], r["linked"]) for r in table["areas"]] == [
        ("N", 3, 1), ("S", 2, 1), ("(no area)", 1, 0)]
    assert table["nodes"] == {1: 1, 2: 0, 3: 0, 4: 0, 5: 1, 7: 0}


def test_linking_without_institutions(make_asset, make_link):
    graph = build_graph([make_asset(1), make_asset(2)], [make_link(1, 1, 2)])
    table = bridging.linking(graph)
    assert table["institutions"] == 0 and table["linking_ties"] == 0
    assert table["share_of_assets"] == 0.0
