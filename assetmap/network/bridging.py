"""Bonding, bridging and linking: do ties stay within a kind of asset or area, or cross?

Krackhardt and Stern's E-I index is (external - internal) / (external + internal) ties: -1
when every tie stays inside the group (bonding), +1 when every tie crosses (bridging). Each
tie of the undirected simple graph counts once, whatever its weight, as in the original.
Ties with an end whose attribute is unknown (an asset with no area) are left out and counted
separately. Linking ties join community assets to public institutions and services.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np

EI_INDEX = ("E-I index: -1 when ties stay within the same category or area (bonding), "
            "+1 when they all cross (bridging); compare it with what random mixing would give.")
LINKING = ("Linking ties: ties between community assets and public institutions or "
           "services; they show who can reach decision makers and resources.")


def _ratio(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def expected_ei(sizes: list[int]) -> float | None:
    """The E-I index if ties fell at random among the pairs, given the group sizes.

    Internal pairs are sum C(n_g, 2), all pairs C(N, 2); a random tie is internal with the
    share of internal pairs. Groups of very different sizes make a negative baseline, which
    is why the observed value is read against this one.
    """
    total = sum(sizes)
    pairs = total * (total - 1) // 2
    internal = sum(s * (s - 1) // 2 for s in sizes)
    return _ratio(pairs - internal, internal) if pairs else None


def ei_index(graph: nx.Graph, attribute: str) -> dict:
    """E-I index over the whole network and for each group of `attribute` (category, area).

    Returns ``{"attribute", "internal", "external", "ei", "expected", "unknown",
    "groups": [{"group", "size", "internal", "external", "ei"}], "nodes": {node: ei}}``.
    A group's internal ties are those with both ends in it, its external ties those with
    one end in it. A node's value uses its own ties the same way (None with no known ties).
    """
    value = {node: attrs.get(attribute) for node, attrs in graph.nodes(data=True)}
    internal = external = unknown = 0
    group_internal: Counter = Counter()
    group_external: Counter = Counter()
    node_internal: Counter = Counter()
    node_external: Counter = Counter()
    for u, v in graph.edges():
        a, b = value[u], value[v]
        if a is None or b is None:
            unknown += 1
            continue
        if a == b:
            internal += 1
            group_internal[a] += 1
            node_internal[u] += 1
            node_internal[v] += 1
        else:
            external += 1
            group_external[a] += 1
            group_external[b] += 1
            node_external[u] += 1
            node_external[v] += 1
    sizes = Counter(x for x in value.values() if x is not None)
    groups = [
        {"group": group, "size": sizes[group], "internal": group_internal[group],
         "external": group_external[group],
         "ei": _ratio(group_external[group], group_internal[group])}
        for group in sorted(sizes, key=str)
    ]
    return {
        "attribute": attribute,
        "internal": internal,
        "external": external,
        "ei": _ratio(external, internal),
        "expected": expected_ei(list(sizes.values())),
        "unknown": unknown,
        "groups": groups,
        "nodes": {node: _ratio(node_external[node], node_internal[node]) for node in graph},
    }


def linking(graph: nx.Graph) -> dict:
    """Ties between community assets and institutions, overall and by area.

    Returns ``{"institutions", "community_assets", "linking_ties", "share_of_ties",
    "assets_with_linking_tie", "share_of_assets", "areas": [...], "nodes": {node: count}}``,
    where a node's count is its number of institution contacts (community assets only).
    """
    institution = {node: bool(attrs.get("institution")) for node, attrs in graph.nodes(data=True)}
    community = [node for node, inst in institution.items() if not inst]
    counts = {node: sum(1 for m in graph.adj[node] if institution[m]) for node in community}
    ties = sum(counts.values())
    linked = [node for node, c in counts.items() if c]
    by_area: dict = {}
    for node in community:
        area = graph.nodes[node].get("area") or "(no area)"
        row = by_area.setdefault(area, {"area": area, "community_assets": 0, "linked": 0})
        row["community_assets"] += 1
        row["linked"] += bool(counts[node])
    areas = sorted(by_area.values(), key=lambda r: r["area"])
    for row in areas:
        row["share"] = row["linked"] / row["community_assets"]
    n_ties = graph.number_of_edges()
    return {
        "institutions": len(institution) - len(community),
        "community_assets": len(community),
        "linking_ties": ties,
        "share_of_ties": ties / n_ties if n_ties else None,
        "assets_with_linking_tie": len(linked),
        "share_of_assets": len(linked) / len(community) if community else None,
        "areas": areas,
        "nodes": counts,
    }


def ei_values(table: dict, nodes: list) -> np.ndarray:
    """A node E-I column (NaN where undefined) in the order of `nodes`."""
    values = table["nodes"]
    return np.asarray([np.nan if values.get(n) is None else values[n] for n in nodes],
                      dtype=float)
