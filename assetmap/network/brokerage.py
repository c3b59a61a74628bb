"""Gould and Fernandez brokerage roles, on the directed ties.

An asset b brokers for a and c when a -> b -> c and there is no direct tie a -> c (a, b, c
distinct). With every asset in a group (its area or category), each such open two-path is
one of five roles for b:

- coordinator:    a, b and c all in the same group          (A -> A -> A)
- itinerant:      a and c share a group that b is not in    (A -> B -> A)
- representative: b speaks for its own group to another     (A -> A -> B)
- gatekeeper:     b lets an outsider into its own group     (A -> B -> B)
- liaison:        a, b and c all in different groups        (A -> B -> C)

This follows sna::brokerage (Butts) on the raw counts. Undirected links count in both
directions (see `arrays.prepare`). Two-paths with an end whose group is unknown are
left out. The two-paths are enumerated in chunks with numpy, never one by one in Python.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from assetmap.network.arrays import Prepared, prepare

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
BROKERAGE = ("Brokerage roles: how often an asset passes contact between two others who are "
             "not directly tied, and whether that crosses groups (gatekeeper, representative, "
             "liaison) or stays within one (coordinator).")

_CHUNK = 4_000_000  # two-paths per numpy batch: bounds memory on regional graphs


def _role_codes(ga: np.ndarray, gb: np.ndarray, gc: np.ndarray) -> np.ndarray:
    role = np.full(ga.shape, 4, dtype=np.int64)  # liaison unless one of the cases below
    same_ab, same_bc, same_ac = ga == gb, gb == gc, ga == gc
    role[same_ab & same_bc] = 0
    role[same_ac & ~same_ab] = 1
    role[same_ab & ~same_bc] = 2
    role[same_bc & ~same_ab] = 3
    return role


def brokerage_counts(n: int, sources: np.ndarray, targets: np.ndarray,
                     groups: np.ndarray) -> np.ndarray:
    """Role counts, an (n, 5) integer array in `ROLES` order, for ties given as positions.

    `sources`/`targets` are distinct directed ties; `groups` an int code per node, -1 when
    unknown.
    """
    counts = np.zeros(n * len(ROLES), dtype=np.int64)
    if n == 0 or sources.size == 0:
        return counts.reshape(n, len(ROLES))
    tie_codes = np.sort(sources * n + targets)
    by_source = np.argsort(sources, kind="stable")
    out_targets = targets[by_source]
    out_start = np.concatenate(([0], np.cumsum(np.bincount(sources, minlength=n))))
    out_degree = np.diff(out_start)

    # Every incoming tie a -> b pairs with each of b's outgoing ties b -> c.
    per_in = out_degree[targets]
    ends = np.cumsum(per_in)
    start = 0
    while start < sources.size:
        stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + _CHUNK, "right"))
        stop = max(stop, start + 1)
        a_in, b_in, k = sources[start:stop], targets[start:stop], per_in[start:stop]
        start = stop
        total = int(k.sum())
        if total == 0:
            continue
        a = np.repeat(a_in, k)
        b = np.repeat(b_in, k)
        offset = np.arange(total) - np.repeat(np.cumsum(k) - k, k)
        c = out_targets[out_start[b] + offset]
        keep = a != c
        code = a * n + c
        where = np.searchsorted(tie_codes, code)
        closed = (where < tie_codes.size) & (tie_codes[np.minimum(where, tie_codes.size - 1)]
                                             == code)
        keep &= ~closed
        ga, gb, gc = groups[a], groups[b], groups[c]
        keep &= (ga >= 0) & (gb >= 0) & (gc >= 0)
        role = _role_codes(ga[keep], gb[keep], gc[keep])
        counts += np.bincount(b[keep] * len(ROLES) + role, minlength=n * len(ROLES))
    return counts.reshape(n, len(ROLES))


def brokerage(graph: nx.Graph | Prepared, attribute: str) -> dict:
    """Brokerage roles by `attribute` ("area" or "category") over the directed ties.

    Returns ``{"attribute", "totals": {role: n}, "groups": [{"group", role...}],
    "nodes": (n, 5) array in node order}``; "groups" sums the roles of the brokers in each
    group, i.e. which groups do which kind of brokering.
    """
    data = prepare(graph)
    groups, labels = data.codes(attribute)
    counts = brokerage_counts(data.n, data.src, data.dst, groups)
    known = groups >= 0
    by_group = np.column_stack([
        np.bincount(groups[known], weights=counts[known, r], minlength=len(labels))
        for r in range(len(ROLES))]) if labels else np.zeros((0, len(ROLES)))
    table = [{"group": label, **{role: int(x) for role, x in zip(ROLES, by_group[i],
                                                                 strict=True)}}
             for i, label in enumerate(labels)]
    totals = counts.sum(axis=0)
    return {
        "attribute": attribute,
        "totals": {role: int(x) for role, x in zip(ROLES, totals, strict=True)},
        "groups": table,
        "nodes": counts,
    }
