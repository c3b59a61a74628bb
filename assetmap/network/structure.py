"""The shape of the network: parts, isolated assets, communities, the core, fragile points.

All functions take a NetworkX graph or its `arrays.Prepared` form and read the undirected
simple ties.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, islice

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import connected_components

from assetmap.network.arrays import Prepared, prepare

COMPONENTS = "Separate parts of the network: assets in different parts have no chain of ties."
ISOLATES = "Assets with no tie to any other asset."
COMMUNITIES = ("Clusters of assets more tied to each other than to the rest "
               "(Louvain; modularity above about 0.3 means clear clusters).")
K_CORE = ("The cohesive core: the largest set in which every asset has at least k ties to "
          "others in the set; an asset's core number is the highest such k.")
ARTICULATION = ("Fragile points: assets whose loss would split the network, "
                "leaving the listed parts cut off from each other.")
BRIDGES = "Single ties whose loss would split the network in two."


def components(graph: nx.Graph | Prepared) -> dict:
    """Count and sizes of the connected parts, isolated assets included as parts of one."""
    data = prepare(graph)
    n = data.n
    if n == 0:
        return {"count": 0, "count_without_isolates": 0, "largest": 0, "largest_share": 0.0,
                "sizes": []}
    _, labels = connected_components(data.adjacency, directed=False)
    sizes = sorted(np.bincount(labels).tolist(), reverse=True)
    return {
        "count": len(sizes),
        "count_without_isolates": sum(1 for s in sizes if s > 1),
        "largest": sizes[0] if sizes else 0,
        "largest_share": sizes[0] / n if n else 0.0,
        "sizes": sizes[:20],
    }


def isolates(graph: nx.Graph | Prepared) -> list:
    """Nodes with no tie at all."""
    data = prepare(graph)
    return [data.nodes[i] for i in np.flatnonzero(data.degree == 0)]


def _node_key(node):
    # Node ids are ints in practice; this keeps ordering total if a caller mixes types.
    return (0, node, "") if isinstance(node, int | float) else (1, 0, str(node))


def canonical_communities(groups: list[set]) -> list[list]:
    """Communities as sorted lists, largest first (ties broken by smallest member)."""
    as_lists = [sorted(group, key=_node_key) for group in groups if group]
    return sorted(as_lists, key=lambda members: (-len(members), _node_key(members[0])))


def community_summary(graph: nx.Graph, communities: list[list], degree: dict) -> list[dict]:
    """For each community of two or more assets: size, kinds, main categories and areas."""
    graph = graph.graph if isinstance(graph, Prepared) else graph
    out = []
    for number, members in enumerate(communities):
        if len(members) < 2:
            continue
        attrs = [graph.nodes[m] for m in members]
        anchor = min(members, key=lambda m: (-degree[m], _node_key(m)))
        out.append({
            "community": number,
            "size": len(members),
            "kinds": dict(Counter(a.get("kind") for a in attrs).most_common()),
            "categories": dict(Counter(a.get("category") for a in attrs).most_common(3)),
            "areas": dict(Counter(a["area"] for a in attrs if a.get("area")).most_common(3)),
            "anchor": anchor,
            "anchor_name": graph.nodes[anchor].get("name", str(anchor)),
        })
    return out


def core_summary(core: dict) -> dict:
    """The highest k and how many assets sit in that innermost core."""
    if not core:
        return {"k": 0, "size": 0}
    k = max(core.values())
    return {"k": int(k), "size": sum(1 for value in core.values() if value == k)}


def _dfs_tree(data: Prepared):
    """Iterative DFS over every part: preorder, discovery index, low-link, subtree size."""
    adjacency = data.adjacency
    indptr, indices = adjacency.indptr.tolist(), adjacency.indices.tolist()
    n = data.n
    disc = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    parent = np.full(n, -1, dtype=np.int64)
    size = np.ones(n, dtype=np.int64)
    root_of = np.zeros(n, dtype=np.int64)
    children: list[list[int]] = [[] for _ in range(n)]
    order: list[int] = []
    for root in range(n):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = len(order)
        order.append(root)
        root_of[root] = root
        stack = [(root, iter(indices[indptr[root]:indptr[root + 1]]))]
        while stack:
            v, it = stack[-1]
            advanced = False
            for w in it:
                if disc[w] < 0:
                    parent[w], root_of[w] = v, root
                    disc[w] = low[w] = len(order)
                    order.append(w)
                    children[v].append(w)
                    stack.append((w, iter(indices[indptr[w]:indptr[w + 1]])))
                    advanced = True
                    break
                if w != parent[v]:
                    low[v] = min(low[v], disc[w])
            if not advanced:
                stack.pop()
                if parent[v] >= 0:
                    p = parent[v]
                    low[p] = min(low[p], low[v])
                    size[p] += size[v]
    return disc, low, parent, size, root_of, children, np.asarray(order, dtype=np.int64)


def cut_points(graph: nx.Graph | Prepared, *,
               member_limit: int = 25) -> tuple[list[dict], list[dict]]:
    """Articulation points with the parts each would leave behind, and bridges.

    One depth-first search (Hopcroft-Tarjan) gives, for every node, the subtree it roots;
    a subtree occupies a contiguous run of the preorder, so every part is a few ranges of
    that order and its size and kinds come from prefix sums: linear time, however many
    fragile points there are. Each part lists up to `member_limit` member ids.
    """
    data = prepare(graph)
    nodes, attrs = data.nodes, data.graph.nodes
    if not nodes:
        return [], []
    disc, low, parent, size, root_of, children, order = _dfs_tree(data)
    kind_of = [k or "other" for k in data.attribute("kind")]
    kinds = sorted(set(kind_of))
    ordered_kinds = np.asarray(kind_of, dtype=object)[order]
    prefix = {kind: np.concatenate(([0], np.cumsum(ordered_kinds == kind))) for kind in kinds}

    def part(ranges: list[tuple[int, int]]) -> dict:
        ranges = [(a, b) for a, b in ranges if b > a]
        members = islice(chain.from_iterable(order[a:b] for a, b in ranges), member_limit)
        counts = {kind: int(sum(prefix[kind][b] - prefix[kind][a] for a, b in ranges))
                  for kind in kinds}
        return {"size": int(sum(b - a for a, b in ranges)),
                "members": [nodes[i] for i in members],
                "kinds": {kind: c for kind, c in counts.items() if c}}

    fragile, bridges = [], []
    for v in range(len(nodes)):
        root = root_of[v]
        split = [c for c in children[v] if low[c] >= disc[v]]
        is_root = parent[v] < 0
        if (is_root and len(children[v]) >= 2) or (not is_root and split):
            parts = [part([(disc[c], disc[c] + size[c])]) for c in split]
            if not is_root:
                # The rest of v's part: outside v's subtree, plus the children that stay
                # attached to it through a back edge.
                kept = [(disc[c], disc[c] + size[c]) for c in children[v] if low[c] < disc[v]]
                outside = [(disc[root], disc[v]), (disc[v] + size[v], disc[root] + size[root])]
                parts.append(part(outside + kept))
            parts.sort(key=lambda p: -p["size"])
            node = nodes[v]
            fragile.append({
                "node": node,
                "name": attrs[node].get("name", str(node)),
                "kind": attrs[node].get("kind"),
                "parts": parts,
                # Assets that would lose touch with the largest remaining part.
                "cut_off": int(sum(p["size"] for p in parts[1:])),
            })
        for c in children[v]:
            if low[c] > disc[v]:
                side = int(size[c])
                bridges.append({
                    "from": nodes[v], "to": nodes[c],
                    "from_name": attrs[nodes[v]].get("name", str(nodes[v])),
                    "to_name": attrs[nodes[c]].get("name", str(nodes[c])),
                    "cut_off": min(side, int(size[root]) - side),
                })
    fragile.sort(key=lambda f: (-f["cut_off"], f["name"]))
    bridges.sort(key=lambda b: (-b["cut_off"], b["from_name"], b["to_name"]))
    return fragile, bridges
