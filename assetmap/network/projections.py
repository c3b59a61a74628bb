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

from assetmap.network.arrays import Prepared, prepare

SHARED_VENUES = "Pairs of groups that meet at the same venue, and how many venues they share."
SHARED_GROUPS = ("Pairs of people or skills that belong to the same group, and how many "
                 "groups they share.")

COLUMNS = ["a", "b", "shared", "tied"]


def project(graph: nx.Graph | Prepared, *, link_type: str, side_kinds: Iterable[str],
            via_kinds: Iterable[str]) -> pd.DataFrame:
    """Pairs of `side_kinds` nodes sharing `via_kinds` nodes through `link_type` links.

    Links count in either direction. Returns a DataFrame with columns a, b (node ids, a
    listed first in graph order), shared (how many in common) and tied (whether a and b have
    any link of their own), sorted by shared, most first.
    """
    data = prepare(graph)
    kinds = np.asarray(data.attribute("kind"), dtype=object)
    side = np.isin(kinds, list(side_kinds))
    via = np.isin(kinds, list(via_kinds))
    of_type = data.link_type == link_type
    u, v = data.link_u[of_type], data.link_v[of_type]
    forward = side[u] & via[v]
    backward = side[v] & via[u]
    members = np.concatenate((u[forward], v[backward]))
    places = np.concatenate((v[forward], u[backward]))
    if members.size == 0:
        return pd.DataFrame({name: pd.Series(dtype=dt) for name, dt in
                             zip(COLUMNS, ["int64", "int64", "int64", "bool"], strict=True)})
    incidence = sp.csr_array((np.ones(members.size), (members, places)),
                             shape=(data.n, data.n))
    incidence.data[:] = 1.0  # a pair linked twice still shares one venue
    shared = sp.triu(incidence @ incidence.T, k=1).tocoo()
    rows, cols = shared.row.astype(np.int64), shared.col.astype(np.int64)
    tied = np.isin(rows * data.n + cols, data.tie_codes(), assume_unique=False)
    nodes = np.asarray(data.nodes, dtype=object)
    frame = pd.DataFrame({"a": nodes[rows], "b": nodes[cols],
                          "shared": shared.data.astype(np.int64), "tied": tied})
    frame = frame.iloc[np.lexsort((cols, rows, -frame["shared"].to_numpy()))]
    return frame.reset_index(drop=True)


def groups_sharing_venues(graph: nx.Graph | Prepared) -> pd.DataFrame:
    """Groups linked ``meets_at`` to the same venue."""
    return project(graph, link_type="meets_at", side_kinds={"group"}, via_kinds={"venue"})


def members_sharing_groups(graph: nx.Graph | Prepared) -> pd.DataFrame:
    """People and skills (kinds skill and other) linked ``member_of`` the same group."""
    return project(graph, link_type="member_of", side_kinds={"skill", "other"},
                   via_kinds={"group"})


def summarise(frame: pd.DataFrame, graph: nx.Graph | Prepared, *, top: int = 20) -> dict:
    """Counts and the top pairs (untied pairs first among equals) with names, for a report."""
    graph = graph.graph if isinstance(graph, Prepared) else graph
    untied = frame[~frame["tied"]] if len(frame) else frame
    order = frame.sort_values(["tied", "shared"], ascending=[True, False], kind="stable")
    rows = [
        {"a": row.a, "b": row.b, "a_name": graph.nodes[row.a].get("name", str(row.a)),
         "b_name": graph.nodes[row.b].get("name", str(row.b)), "shared": int(row.shared),
         "tied": bool(row.tied)}
        for row in order.head(top).itertuples(index=False)
    ]
    return {"pairs": int(len(frame)), "untied_pairs": int(len(untied)), "top": rows}
