"""Bipartite projections checked on the Davis Southern Women (Davis, Gardner & Gardner 1941)."""

from __future__ import annotations

import networkx as nx
import pytest

from assetmap.network import build_graph, projections


def davis_records(make_asset, make_link, *, as_members: bool):
    """The 18 women and 14 events as assets and links.

    as_members=False: women are groups that meet_at events (venues).
    as_members=True: women are people (kind other) who are member_of events (groups).
    """
    davis = nx.davis_southern_women_graph()
    women, events = davis.graph["top"], davis.graph["bottom"]
    ids = {name: i for i, name in enumerate([*women, *events], 1)}
    side_kind, via_kind = ("other", "group") if as_members else ("group", "venue")
    link_type = "member_of" if as_members else "meets_at"
    assets = ([make_asset(ids[w], w, kind=side_kind) for w in women]
              + [make_asset(ids[e], e, kind=via_kind) for e in events])
    links = [make_link(k, ids[w], ids[e], link_type)
             for k, (w, e) in enumerate(sorted(davis.edges()), 1)]
    return build_graph(assets, links), ids


@pytest.mark.parametrize("as_members", [False, True])
def test_davis_women_projection(make_asset, make_link, as_members):
    graph, ids = davis_records(make_asset, make_link, as_members=as_members)
    frame = (projections.members_sharing_groups(graph) if as_members
             else projections.groups_sharing_venues(graph))
    name = {i: n for n, i in ids.items()}
    pairs = {frozenset((name[a], name[b])): s for a, b, s in
             frame[["a", "b", "shared"]].itertuples(index=False)}
    # The women-by-women projection has 139 of the 153 possible pairs (the well-known
    # near-complete co-attendance graph).
    assert len(pairs) == 139
    # From the published attendance table: Evelyn attended E1-E6, E8, E9; Theresa E2-E9.
    # They share E2, E3, E4, E5, E6, E8, E9: seven events.
    assert pairs[frozenset(("Evelyn Jefferson", "Theresa Anderson"))] == 7
    # Olivia Carleton and Flora Price both attended exactly E9 and E11: two shared.
    assert pairs[frozenset(("Olivia Carleton", "Flora Price"))] == 2
    # Charlotte McDowd (E3, E4, E5, E7) and Olivia (E9, E11) share nothing: no pair.
    assert frozenset(("Charlotte McDowd", "Olivia Carleton")) not in pairs
    # Number of co-attendees per woman, as in the networkx "Davis Club" example output.
    degree = {}
    for pair in pairs:
        for woman in pair:
            degree[woman] = degree.get(woman, 0) + 1
    assert degree["Evelyn Jefferson"] == 17 and degree["Charlotte McDowd"] == 11
    assert degree["Olivia Carleton"] == 12 and degree["Flora Price"] == 12
    assert not frame["tied"].any()  # the women have no ties of their own here
    assert frame["shared"].is_monotonic_decreasing


def test_shared_venue_without_a_tie_is_flagged(make_asset, make_link):
    # Choir (1) and Knitters (2) meet at the Hall (4) and are partners; Youth club (3) also
    # meets there but has no tie to either. Knitters and the Youth club also share the Den (5).
    assets = [make_asset(1, "Choir"), make_asset(2, "Knitters"), make_asset(3, "Youth club"),
              make_asset(4, "Hall", kind="venue"), make_asset(5, "Den", kind="venue")]
    links = [make_link(1, 1, 4, "meets_at"), make_link(2, 2, 4, "meets_at"),
             make_link(3, 3, 4, "meets_at"), make_link(4, 1, 2, "partners_with"),
             make_link(5, 2, 5, "meets_at"), make_link(6, 3, 5, "meets_at")]
    graph = build_graph(assets, links)
    frame = projections.groups_sharing_venues(graph)
    assert frame.to_dict("records") == [
        {"a": 2, "b": 3, "shared": 2, "tied": False},
        {"a": 1, "b": 2, "shared": 1, "tied": True},
        {"a": 1, "b": 3, "shared": 1, "tied": False},
    ]
    summary = projections.summarise(frame, graph)
    assert summary["pairs"] == 3 and summary["untied_pairs"] == 2
    assert [(r["a_name"], r["b_name"]) for r in summary["top"]] == [
        ("Knitters", "Youth club"), ("Choir", "Youth club"), ("Choir", "Knitters")]


def test_no_such_links_gives_an_empty_table(make_asset, make_link):
    graph = build_graph([make_asset(1), make_asset(2)], [make_link(1, 1, 2)])
    frame = projections.groups_sharing_venues(graph)
    assert list(frame.columns) == ["a", "b", "shared", "tied"] and frame.empty
    assert projections.summarise(frame, graph) == {"pairs": 0, "untied_pairs": 0, "top": []}
