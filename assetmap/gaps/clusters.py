"""Clusters of low access: local Moran's I (esda) on Queen-contiguity weights (libpysal).

An area is flagged when it is low and its neighbours are low too (the LL quadrant) and the
pattern is unlikely under random permutation (pseudo p below `alpha`). Permutations are
seeded so the same data always flags the same areas.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

MIN_AREAS = 30
LOW_LOW = 3  # esda's quadrant numbering: 1 HH, 2 LH, 3 LL, 4 HL

COLUMNS = ["moran_i", "moran_p", "moran_quadrant", "low_access_cluster"]


def _weights(areas: gpd.GeoDataFrame, neighbours: Mapping[int, Sequence[int]] | None):
    from libpysal.weights import Queen, W

    with warnings.catch_warnings():
        # libpysal warns about islands and disconnected components; we report islands ourselves.
        warnings.simplefilter("ignore")
        if neighbours is not None:
            return W({k: list(v) for k, v in neighbours.items()}, silence_warnings=True)
        return Queen.from_dataframe(areas, use_index=False, silence_warnings=True)


def low_access_clusters(
    areas: gpd.GeoDataFrame,
    values: np.ndarray,
    *,
    seed: int,
    permutations: int = 999,
    alpha: float = 0.05,
    neighbours: Mapping[int, Sequence[int]] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Local Moran's I of `values` per area, with the low-low clusters flagged.

    `neighbours` (row -> rows) replaces Queen contiguity when the caller knows adjacency
    exactly, as for an H3 grid. With fewer than MIN_AREAS connected areas, or no variation,
    nothing is computed and the note says why.
    """
    n = len(areas)
    empty = pd.DataFrame(
        {
            "moran_i": np.full(n, np.nan),
            "moran_p": np.full(n, np.nan),
            "moran_quadrant": pd.array([pd.NA] * n, dtype="Int64"),
            "low_access_cluster": np.zeros(n, dtype=bool),
        }
    )
    values = np.asarray(values, dtype=float)
    if n < MIN_AREAS:
        return empty, [
            f"Clusters of low access were not computed: local Moran's I needs at least "
            f"{MIN_AREAS} areas and there are {n}."
        ]
    if np.isnan(values).any() or np.nanmax(values) == np.nanmin(values):
        return empty, [
            "Clusters of low access were not computed: access is the same in every area."
        ]
    w = _weights(areas, neighbours)
    islands = set(w.islands)
    connected = n - len(islands)
    if connected < MIN_AREAS:
        return empty, [
            f"Clusters of low access were not computed: only {connected} areas touch a "
            f"neighbour and local Moran's I needs at least {MIN_AREAS}."
        ]
    from esda.moran import Moran_Local

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = Moran_Local(
            values, w, transformation="r", permutations=permutations, seed=seed, n_jobs=1
        )
    out = empty.copy()
    out["moran_i"] = local.Is
    out["moran_p"] = local.p_sim
    out["moran_quadrant"] = pd.array(local.q, dtype="Int64")
    out["low_access_cluster"] = (local.q == LOW_LOW) & (local.p_sim < alpha)
    notes = []
    if islands:
        # An island has no neighbours, so it can be neither in nor out of a cluster.
        rows = sorted(islands)
        out.loc[rows, COLUMNS] = [np.nan, np.nan, pd.NA, False]
        notes.append(f"{len(rows)} area(s) touch no other area and are left out of clusters.")
    flagged = int(out["low_access_cluster"].sum())
    notes.append(
        f"Local Moran's I on access ({permutations} seeded permutations, seed {seed}, "
        f"Queen contiguity): {flagged} area(s) in significant low-access clusters (p < {alpha})."
        if neighbours is None
        else f"Local Moran's I on access ({permutations} seeded permutations, seed {seed}, "
        f"H3 neighbours): {flagged} area(s) in significant low-access clusters (p < {alpha})."
    )
    return out, notes
