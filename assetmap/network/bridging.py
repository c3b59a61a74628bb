"""Bonding, bridging and linking: do ties stay within a kind of asset or area, or cross?

Krackhardt and Stern's E-I index is (external - internal) / (external + internal) ties: -1
when every tie stays inside the group (bonding), +1 when every tie crosses (bridging). Each
tie of the undirected simple graph counts once, whatever its weight, as in the original.
Ties with an end whose attribute is unknown (an asset with no area) are left out and counted
separately. Linking ties join community assets to public institutions and services.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from assetmap.network.arrays import Prepared, prepare

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


def _per_group(codes: np.ndarray, length: int) -> np.ndarray:
    return np.bincount(codes, minlength=length) if length else np.zeros(0, dtype=np.int64)


def ei_index(graph: nx.Graph | Prepared, attribute: str) -> dict:
    """E-I index over the whole network and for each group of `attribute` (category, area).

    Returns ``{"attribute", "internal", "external", "ei", "expected", "unknown",
    "groups": [{"group", "size", "internal", "external", "ei"}], "nodes": {node: ei}}``.
    A group's internal ties are those with both ends in it, its external ties those with
    one end in it. A node's value uses its own ties the same way (None with no known ties).
    """
    data = prepare(graph)
    code, labels = data.codes(attribute)
    cu, cv = code[data.u], code[data.v]
    known = (cu >= 0) & (cv >= 0)
    same = known & (cu == cv)
    cross = known & (cu != cv)
    g = len(labels)
    group_internal = _per_group(cu[same], g)
    group_external = _per_group(cu[cross], g) + _per_group(cv[cross], g)
    node_internal = (np.bincount(data.u[same], minlength=data.n)
                     + np.bincount(data.v[same], minlength=data.n))
    node_external = (np.bincount(data.u[cross], minlength=data.n)
                     + np.bincount(data.v[cross], minlength=data.n))
    sizes = _per_group(code[code >= 0], g)
    groups = [
        {"group": label, "size": int(sizes[i]), "internal": int(group_internal[i]),
         "external": int(group_external[i]),
         "ei": _ratio(int(group_external[i]), int(group_internal[i]))}
        for i, label in enumerate(labels)
    ]
    internal, external = int(same.sum()), int(cross.sum())
    return {
        "attribute": attribute,
        "internal": internal,
        "external": external,
        "ei": _ratio(external, internal),
        "expected": expected_ei(sizes.tolist()),
        "unknown": int((~known).sum()),
        "groups": groups,
        "nodes": dict(zip(data.nodes, map(_ratio, node_external.tolist(),
                                          node_internal.tolist()), strict=True)),
    }


def linking(graph: nx.Graph | Prepared) -> dict:
    """Ties between community assets and institutions, overall and by area.

    Returns ``{"institutions", "community_assets", "linking_ties", "share_of_ties",
    "assets_with_linking_tie", "share_of_assets", "areas": [...], "nodes": {node: count}}``,
    where a node's count is its number of institution contacts (community assets only).
    """
    data = prepare(graph)
    institution = np.asarray([bool(x) for x in data.attribute("institution")], dtype=bool)
    iu, iv = institution[data.u], institution[data.v]
    crossing = iu != iv
    # The community end of each linking tie: v when u is the institution, else u.
    community_end = np.where(iu[crossing], data.v[crossing], data.u[crossing])
    counts = np.bincount(community_end, minlength=data.n)
    community = ~institution
    linked = community & (counts > 0)
    area_code, area_labels = data.codes("area")
    labels = [*area_labels, "(no area)"]
    area_code = np.where(area_code < 0, len(area_labels), area_code)
    in_area = np.bincount(area_code[community], minlength=len(labels))
    linked_in_area = np.bincount(area_code[linked], minlength=len(labels))
    areas = [{"area": label, "community_assets": int(in_area[i]),
              "linked": int(linked_in_area[i]), "share": linked_in_area[i] / in_area[i]}
             for i, label in enumerate(labels) if in_area[i]]
    n_ties, ties, n_community = data.u.size, int(crossing.sum()), int(community.sum())
    return {
        "institutions": int(institution.sum()),
        "community_assets": n_community,
        "linking_ties": ties,
        "share_of_ties": ties / n_ties if n_ties else None,
        "assets_with_linking_tie": int(linked.sum()),
        "share_of_assets": int(linked.sum()) / n_community if n_community else None,
        "areas": [{**row, "share": float(row["share"])} for row in areas],
        "nodes": {data.nodes[i]: int(counts[i]) for i in np.flatnonzero(community)},
    }


def ei_values(table: dict, nodes: list) -> np.ndarray:
    """A node E-I column (NaN where undefined) in the order of `nodes`."""
    values = table["nodes"]
    return np.asarray([np.nan if values.get(n) is None else values[n] for n in nodes],
                      dtype=float)
