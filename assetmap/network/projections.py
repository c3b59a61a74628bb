"""Bipartite projections: who shares what.

Groups that meet at the same venue (``meets_at``), and people or skills that belong to the
same group (``member_of``), are likely to know of each other even without a recorded tie;
a shared venue with no tie is an easy introduction. The projection counts, for every pair on
one side, how many things on the other side they share.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

SHARED_VENUES = "Pairs of groups that meet at the same venue, and how many venues they share."
SHARED_GROUPS = ("Pairs of people or skills that belong to the same group, and how many "
                 "groups they share.")

COLUMNS = ["a", "b", "shared", "tied"]


def project(graph: nx.MultiDiGraph, *, link_type: str, side_kinds: Iterable[str],
            via_kinds: Iterable[str]) -> pd.DataFrame:
    """Pairs of `side_kinds` nodes sharing `via_kinds` nodes through `link_type` links.

    Links count in either direction. Returns a DataFrame with columns a, b (node ids, a
    listed first in graph order), shared (how many in common) and tied (whether a and b have
    any link of their own), sorted by shared, most first.
    """
    side_kinds, via_kinds = set(side_kinds), set(via_kinds)
    kind = dict(graph.nodes(data="kind"))
    side = [node for node in graph if kind[node] in side_kinds]
    via = [node for node in graph if kind[node] in via_kinds]
    side_index = {node: i for i, node in enumerate(side)}
    via_index = {node: i for i, node in enumerate(via)}
    rows, cols = [], []
    for u, v, link in graph.edges(data="type"):
        if link != link_type:
            continue
        if u in side_index and v in via_index:
            rows.append(side_index[u])
            cols.append(via_index[v])
        elif v in side_index and u in via_index:
            rows.append(side_index[v])
            cols.append(via_index[u])
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype=dt) for name, dt in
                             zip(COLUMNS, ["int64", "int64", "int64", "bool"], strict=True)})
    incidence = sp.csr_array((np.ones(len(rows)), (rows, cols)),
                             shape=(len(side), len(via)))
    incidence.data[:] = 1.0  # a pair linked twice still shares one venue
    shared = sp.triu(incidence @ incidence.T, k=1).tocoo()
    a = [side[i] for i in shared.row]
    b = [side[j] for j in shared.col]
    tied = [graph.has_edge(x, y) or graph.has_edge(y, x) for x, y in zip(a, b, strict=True)]
    frame = pd.DataFrame({"a": a, "b": b, "shared": shared.data.astype(np.int64),
                          "tied": tied})
    return frame.sort_values(["shared", "a", "b"], ascending=[False, True, True],
                             ignore_index=True)


def groups_sharing_venues(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Groups linked ``meets_at`` to the same venue."""
    return project(graph, link_type="meets_at", side_kinds={"group"}, via_kinds={"venue"})


def members_sharing_groups(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """People and skills (kinds skill and other) linked ``member_of`` the same group."""
    return project(graph, link_type="member_of", side_kinds={"skill", "other"},
                   via_kinds={"group"})


def summarise(frame: pd.DataFrame, graph: nx.MultiDiGraph, *, top: int = 20) -> dict:
    """Counts and the top pairs (untied pairs first among equals) with names, for a report."""
    untied = frame[~frame["tied"]] if len(frame) else frame
    order = frame.sort_values(["tied", "shared"], ascending=[True, False], kind="stable")
    rows = [
        {"a": row.a, "b": row.b, "a_name": graph.nodes[row.a]["name"],
         "b_name": graph.nodes[row.b]["name"], "shared": int(row.shared),
         "tied": bool(row.tied)}
        for row in order.head(top).itertuples(index=False)
    ]
    return {"pairs": int(len(frame)), "untied_pairs": int(len(untied)), "top": rows}
