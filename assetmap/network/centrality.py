"""Who is central, and how: degree, betweenness, PageRank, reach, structural holes.

Every function takes a graph (NetworkX or `arrays.Prepared`) or an engine from
`engine.choose_engine`, and reads the undirected simple ties;
the heavy lifting goes to the engine, the choices (exact or sampled, how many samples) are
made here so both engines make them the same way.
"""

from __future__ import annotations

import networkx as nx

from assetmap.network.arrays import Prepared, prepare

DEGREE = "How many other assets an asset is directly tied to."
STRENGTH = "The sum of an asset's tie weights: how much linking it does, not just with whom."
BETWEENNESS = ("How often an asset lies on the shortest route between two others: "
               "the go-betweens whose loss would lengthen many routes (0 to 1).")
PAGERANK = ("Influence through ties: high when an asset is tied to assets that are "
            "themselves well tied.")
CLUSTERING = "How far an asset's contacts also know each other (0 = none do, 1 = all do)."
REACH2 = "How many assets can be reached in one or two steps: an introduction away."
CONSTRAINT = ("Burt's constraint: high when an asset's contacts all know each other, so it "
              "hears little new; low means it spans structural holes.")
EFFECTIVE_SIZE = ("Burt's effective size: the number of contacts that are not redundant "
                  "with each other; high means it bridges otherwise separate contacts.")

# Exact betweenness up to this many nodes; above it, seeded sampling of source nodes.
EXACT_LIMIT = 2000
SAMPLES = 256


def degree(graph: nx.Graph | Prepared) -> dict:
    """Number of distinct contacts per node."""
    data = prepare(graph)
    return dict(zip(data.nodes, data.degree.tolist(), strict=True))


def strength(graph: nx.Graph | Prepared) -> dict:
    """Sum of tie weights per node (parallel links summed)."""
    data = prepare(graph)
    return dict(zip(data.nodes, data.strength.tolist(), strict=True))


def betweenness(engine, *, seed: int = 42, exact_limit: int = EXACT_LIMIT,
                samples: int = SAMPLES) -> tuple[dict, dict]:
    """Normalised betweenness and a note of how it was computed.

    Exact when the graph has at most `exact_limit` nodes; otherwise estimated from
    `samples` source nodes drawn with `seed` (the same draw NetworkX makes), and the note
    says so: ``{"method": "exact" | "sampled", "samples": k, "nodes": n, "seed": seed}``.
    """
    n = engine.data.n
    if n <= exact_limit or samples >= n:
        return engine.betweenness(None, seed), {"method": "exact", "samples": n, "nodes": n,
                                                "seed": seed}
    k = max(2, samples)
    return engine.betweenness(k, seed), {"method": "sampled", "samples": k, "nodes": n,
                                         "seed": seed}


def pagerank(engine) -> dict:
    """Weighted PageRank (damping 0.85) over the undirected ties."""
    return engine.pagerank(0.85)


def clustering(engine) -> dict:
    """Local clustering coefficient per node."""
    return engine.clustering()


def reach2(engine) -> dict:
    """Number of other nodes within two steps."""
    return engine.reach2()


def structural_holes(engine) -> tuple[dict, dict]:
    """Burt's constraint and effective size per node (NaN for isolated assets)."""
    return engine.constraint(), engine.effective_size()
