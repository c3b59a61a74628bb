"""The graph once more, as numpy arrays, so measures run without a Python loop per tie.

`prepare(graph)` walks the edges of any NetworkX graph once and keeps:

- ``nodes`` (in graph order) and ``index`` (node -> position);
- the undirected simple ties ``u < v`` (positions) with ``weight`` summed over the links
  joining the pair, and ``links`` (how many links were combined);
- the directed ties ``src -> dst``: a link with ``directed`` False (or any edge of an
  undirected graph) counts both ways;
- every link as it was recorded: ``link_key`` (the link id in a multigraph, else a running
  number), ``link_u``, ``link_v``, ``link_type``, ``link_weight``, ``link_directed``.

Every measure function accepts a NetworkX graph or a `Prepared`; `analyse` prepares once
and passes it on, a caller with a graph need not know this exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp


@dataclass
class Prepared:
    """A graph and its array form (see the module notes)."""

    graph: nx.Graph
    nodes: list
    index: dict
    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray
    links: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    link_u: np.ndarray
    link_v: np.ndarray
    link_type: np.ndarray
    link_key: list
    link_weight: np.ndarray
    link_directed: np.ndarray
    _attributes: dict = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    def attribute(self, name: str) -> list:
        """A node attribute in node order (None where missing)."""
        if name not in self._attributes:
            data = self.graph.nodes
            self._attributes[name] = [data[node].get(name) for node in self.nodes]
        return self._attributes[name]

    def codes(self, name: str) -> tuple[np.ndarray, list]:
        """A node attribute as integer codes (-1 where missing) and the sorted labels."""
        values = self.attribute(name)
        labels = sorted({x for x in values if x is not None}, key=str)
        code = {label: i for i, label in enumerate(labels)}
        return np.asarray([-1 if x is None else code[x] for x in values], dtype=np.int64), labels

    @cached_property
    def degree(self) -> np.ndarray:
        """Distinct contacts per node."""
        return np.bincount(np.concatenate((self.u, self.v)), minlength=self.n)

    @cached_property
    def strength(self) -> np.ndarray:
        """Summed tie weight per node."""
        both = np.concatenate((self.weight, self.weight))
        return np.bincount(np.concatenate((self.u, self.v)), weights=both, minlength=self.n)

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Symmetric weighted adjacency matrix of the simple ties."""
        rows = np.concatenate((self.u, self.v))
        cols = np.concatenate((self.v, self.u))
        data = np.concatenate((self.weight, self.weight))
        return sp.csr_array((data, (rows, cols)), shape=(self.n, self.n))

    @cached_property
    def simple(self) -> nx.Graph:
        """The undirected simple graph as NetworkX (built only when something needs it)."""
        simple = nx.Graph()
        simple.graph.update(self.graph.graph)
        simple.add_nodes_from(self.graph.nodes(data=True))
        nodes = self.nodes
        simple.add_edges_from(
            (nodes[a], nodes[b], {"weight": float(w), "links": int(k)})
            for a, b, w, k in zip(self.u.tolist(), self.v.tolist(), self.weight.tolist(),
                                  self.links.tolist(), strict=True))
        return simple

    def tie_codes(self) -> np.ndarray:
        """Sorted codes u * n + v of the simple ties, for fast membership tests."""
        return np.sort(self.u * self.n + self.v)


def prepare(graph: nx.Graph | Prepared) -> Prepared:
    """The `Prepared` form of `graph` (returned as is if it already is one)."""
    if isinstance(graph, Prepared):
        return graph
    nodes = list(graph.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    default_directed = graph.is_directed()
    heads, tails, weights, types, both_ways, keys = [], [], [], [], [], []
    edges = (graph.edges(keys=True, data=True) if graph.is_multigraph()
             else ((a, b, i, d) for i, (a, b, d) in enumerate(graph.edges(data=True))))
    for a, b, key, data in edges:
        keys.append(key)
        heads.append(index[a])
        tails.append(index[b])
        weights.append(data.get("weight", 1.0))
        types.append(data.get("type"))
        both_ways.append(not data.get("directed", default_directed))
    link_u = np.asarray(heads, dtype=np.int64)
    link_v = np.asarray(tails, dtype=np.int64)
    link_w = np.asarray(weights, dtype=float)
    loops = link_u == link_v  # a self-tie says nothing about linking to others

    lo = np.minimum(link_u, link_v)[~loops]
    hi = np.maximum(link_u, link_v)[~loops]
    pair, inverse = np.unique(lo * n + hi, return_inverse=True)
    weight = np.bincount(inverse, weights=link_w[~loops], minlength=pair.size)
    count = np.bincount(inverse, minlength=pair.size)

    mutual = np.asarray(both_ways, dtype=bool)[~loops]
    src = np.concatenate((link_u[~loops], link_v[~loops][mutual]))
    dst = np.concatenate((link_v[~loops], link_u[~loops][mutual]))
    directed = np.unique(src * n + dst)
    return Prepared(
        graph=graph, nodes=nodes, index=index,
        u=pair // max(n, 1), v=pair % max(n, 1), weight=weight, links=count,
        src=directed // max(n, 1), dst=directed % max(n, 1),
        link_u=link_u, link_v=link_v, link_type=np.asarray(types, dtype=object),
        link_key=keys, link_weight=link_w, link_directed=~np.asarray(both_ways, dtype=bool),
    )
