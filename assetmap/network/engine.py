"""Two engines behind the same heavy measures: NetworkX (the reference) and igraph (fast).

NetworkX stays the graph model; for the measures whose cost grows fastest (betweenness,
PageRank, Louvain, k-core, clustering, constraint, effective size, 2-step reach) the graph is
copied once into igraph's C structures and computed there. Both engines return the same
numbers in the same form (dicts keyed by node, scaled the way NetworkX scales them); the unit
tests hold them to 1e-9 on small graphs. Every engine works on the undirected simple ties
of a `arrays.Prepared` graph (parallel links combined, weights summed).
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import scipy.sparse as sp

from assetmap.errors import EnvironmentProblem, InvalidInput
from assetmap.network.arrays import Prepared, prepare

try:  # igraph is a declared dependency, but a missing wheel should not break small reports
    import igraph
except ImportError:  # pragma: no cover - depends on the machine
    igraph = None

# From this many nodes up, "auto" picks igraph: below it the copy into igraph costs about as
# much as it saves, and NetworkX's own code is the easiest to check by reading.
FAST_ENGINE_FROM = 300
ENGINES = ("auto", "networkx", "igraph")


def choose_engine(graph: nx.Graph | Prepared, engine: str = "auto"):
    """An engine object for `graph`: "networkx", "igraph", or "auto" (by graph size)."""
    data = prepare(graph)
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})",
                           field="engine")
    if engine == "auto":
        engine = "igraph" if igraph is not None and data.n >= FAST_ENGINE_FROM else "networkx"
    if engine == "igraph":
        if igraph is None:
            raise EnvironmentProblem("the igraph engine needs python-igraph: pip install igraph")
        return IgraphEngine(data)
    return NetworkXEngine(data)


def sampled_sources(nodes: list, k: int, seed: int) -> list:
    """The k betweenness sources NetworkX would pick for this seed (same call, same order)."""
    return random.Random(seed).sample(list(nodes), k)


def sparse_effective_size(data: Prepared) -> np.ndarray:
    """Burt's effective size for every node, weighted, with sparse matrices only.

    e(i) = sum over neighbours j of (1 - sum_q p_iq m_jq), where p_iq is i's share of its tie
    weight going to q and m_jq is j's tie to q relative to j's strongest tie. The sparse
    product covers the two-step paths only and is then kept on the ties, so memory grows
    with the two-step paths, never with n squared (NetworkX's all-nodes shortcut builds a
    dense n x n matrix: 3 GB at 20,000 assets).
    """
    adj = data.adjacency
    strength = np.asarray(adj.sum(axis=1)).ravel()
    strongest = adj.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = sp.diags_array(np.where(strength > 0, 1.0 / strength, 0.0)) @ adj
        relative = sp.diags_array(np.where(strongest > 0, 1.0 / strongest, 0.0)) @ adj
    redundancy = (share @ relative.T).multiply(adj > 0)
    degree = np.diff(adj.indptr).astype(float)
    result = degree - np.asarray(redundancy.sum(axis=1)).ravel()
    result[degree == 0] = np.nan  # undefined for an isolated node, as NetworkX says
    return result


class NetworkXEngine:
    """The reference engine: NetworkX's own functions, in the most direct form."""

    name = "networkx"

    def __init__(self, data: Prepared):
        self.data = data
        self.graph = data.simple

    def betweenness(self, k: int | None, seed: int) -> dict:
        """Normalised betweenness, exact (k None) or from k seeded sample sources."""
        return nx.betweenness_centrality(self.graph, k=k, seed=random.Random(seed))

    def pagerank(self, alpha: float = 0.85) -> dict:
        """Weighted PageRank, solved tightly so the two engines agree to 1e-9."""
        if self.graph.number_of_nodes() == 0:
            return {}
        return nx.pagerank(self.graph, alpha=alpha, weight="weight", tol=1e-13, max_iter=10_000)

    def communities(self, seed: int) -> list[set]:
        """Louvain communities (weighted, resolution 1)."""
        return nx.community.louvain_communities(self.graph, weight="weight", seed=seed)

    def modularity(self, communities: list[set]) -> float:
        """Weighted modularity of a partition (0 for a graph without ties)."""
        if self.graph.size(weight="weight") == 0:
            return 0.0
        return nx.community.modularity(self.graph, communities, weight="weight")

    def core_number(self) -> dict:
        """k-core number of every node."""
        return nx.core_number(self.graph)

    def clustering(self) -> dict:
        """Unweighted local clustering coefficient."""
        return nx.clustering(self.graph)

    def constraint(self) -> dict:
        """Burt's constraint, weighted, node by node from the definition (NaN if isolated)."""
        return nx.constraint(self.graph, nodes=list(self.graph), weight="weight")

    def effective_size(self) -> dict:
        """Burt's effective size, weighted, node by node from the definition."""
        return nx.effective_size(self.graph, nodes=list(self.graph), weight="weight")

    def reach2(self) -> dict:
        """How many other nodes are at most two steps away."""
        adj = self.graph.adj
        out = {}
        for node, nbrs in adj.items():
            seen = set(nbrs)
            for nbr in nbrs:
                seen.update(adj[nbr])
            seen.discard(node)
            out[node] = len(seen)
        return out


class IgraphEngine:
    """The fast engine: the same measures from igraph's C library, rescaled to match."""

    name = "igraph"

    def __init__(self, data: Prepared):
        self.data = data
        self.nodes = data.nodes
        edges = np.column_stack((data.u, data.v)).tolist()
        self.ig = igraph.Graph(n=data.n, edges=edges, directed=False,
                               edge_attrs={"weight": data.weight.tolist()})

    def _by_node(self, values) -> dict:
        return dict(zip(self.nodes, (float(v) for v in values), strict=True))

    def betweenness(self, k: int | None, seed: int) -> dict:
        """NetworkX-scaled betweenness; with k, from the same sources NetworkX would pick."""
        n = len(self.nodes)
        if n < 3:
            return dict.fromkeys(self.nodes, 0.0)
        if k is None or k >= n:
            # igraph counts each unordered pair once; NetworkX divides by (n-1)(n-2)/2.
            raw = np.asarray(self.ig.betweenness(directed=False))
            return self._by_node(raw * 2.0 / ((n - 1) * (n - 2)))
        chosen = [self.data.index[s] for s in sampled_sources(self.nodes, k, seed)]
        # igraph's source-subset count is half NetworkX's ordered-pair accumulation; the
        # scaling then follows NetworkX's _rescale for sampled sources without endpoints.
        raw = 2.0 * np.asarray(self.ig.betweenness(directed=False, sources=chosen))
        scale = np.full(n, 1.0 / (k * (n - 2)))
        scale[chosen] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
        return self._by_node(raw * scale)

    def pagerank(self, alpha: float = 0.85) -> dict:
        """Weighted PageRank (PRPACK: solved exactly, not iterated)."""
        if not self.nodes:
            return {}
        return self._by_node(self.ig.pagerank(directed=False, damping=alpha, weights="weight"))

    def communities(self, seed: int) -> list[set]:
        """Louvain (igraph's multilevel), seeded through igraph's random source."""
        rng = random.Random(seed)
        igraph.set_random_number_generator(rng)
        try:
            membership = self.ig.community_multilevel(weights="weight").membership
        finally:
            igraph.set_random_number_generator(random)
        groups: dict[int, set] = {}
        for node, label in zip(self.nodes, membership, strict=True):
            groups.setdefault(label, set()).add(node)
        return list(groups.values())

    def modularity(self, communities: list[set]) -> float:
        """Weighted modularity of a partition (0 for a graph without ties)."""
        if self.ig.ecount() == 0:
            return 0.0
        label = {node: i for i, group in enumerate(communities) for node in group}
        return float(self.ig.modularity([label[node] for node in self.nodes], weights="weight"))

    def core_number(self) -> dict:
        """k-core number of every node."""
        return dict(zip(self.nodes, self.ig.coreness(), strict=True))

    def clustering(self) -> dict:
        """Unweighted local clustering coefficient (0 where fewer than two neighbours)."""
        return self._by_node(self.ig.transitivity_local_undirected(mode="zero"))

    def constraint(self) -> dict:
        """Burt's constraint, weighted (NaN for isolated nodes)."""
        values = np.asarray(self.ig.constraint(weights="weight"), dtype=float)
        values[np.asarray(self.ig.degree()) == 0] = np.nan
        return self._by_node(values)

    def effective_size(self) -> dict:
        """Burt's effective size, weighted, from sparse matrices (igraph has none)."""
        return self._by_node(sparse_effective_size(self.data))

    def reach2(self) -> dict:
        """How many other nodes are at most two steps away."""
        return dict(zip(self.nodes, self.ig.neighborhood_size(order=2, mindist=1), strict=True))
