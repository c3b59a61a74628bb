"""Two-step floating catchment (2SFCA) and enhanced 2SFCA accessibility, vectorised.

The method (Luo & Wang 2003; enhanced with distance-decay bands by Luo & Qi 2009), computed
exactly as PySAL `access` does it so that the two agree to rounding:

1. for each supply point j, the demand in its catchment: D_j = sum_i w(d_ij) * P_i over demand
   points i with d_ij <= threshold;
2. its supply-to-demand ratio: R_j = S_j / D_j;
3. each demand point's access: A_i = sum_j w(d_ij) * R_j over supply points within threshold.

2SFCA uses w = 1 inside the threshold; E2SFCA uses a step function of distance bands.
`access` builds and joins pandas tables pair by pair; here the pairs come from a KD-tree as a
sparse matrix and both steps are sparse matrix products.

Two deliberate differences in the edge cases, both where `access` gives no number:
a demand point with no supply in reach gets 0 (access: NaN), and a supply point with no
demand in reach contributes nothing (access: leaves it out of step 3 too, or divides by 0
when its only demand has zero population, giving inf).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from assetmap.errors import InvalidInput

# `access.Access.enhanced_two_stage_fca` defaults to step_fn({10: 1, 20: 0.68, 30: 0.22})
# (minutes, with 30 the catchment edge). We keep its weights and scale the band edges to
# thirds of the distance threshold.
DEFAULT_BAND_WEIGHTS = (1.0, 0.68, 0.22)

Bands = Sequence[tuple[float, float]]


def default_bands(threshold_m: float) -> list[tuple[float, float]]:
    """E2SFCA bands as (upper edge in metres, weight): thirds of the threshold, access' weights."""
    return [
        (threshold_m * (k + 1) / len(DEFAULT_BAND_WEIGHTS), weight)
        for k, weight in enumerate(DEFAULT_BAND_WEIGHTS)
    ]


def check_bands(bands: Bands) -> list[tuple[float, float]]:
    """Bands sorted by edge; edges must be positive and weights non-negative numbers."""
    try:
        clean = sorted((float(edge), float(weight)) for edge, weight in bands)
    except (TypeError, ValueError):
        raise InvalidInput(
            "bands must be (upper edge in metres, weight) pairs", field="bands"
        ) from None
    if not clean:
        raise InvalidInput("bands must hold at least one (edge, weight) pair", field="bands")
    for edge, weight in clean:
        if not (np.isfinite(edge) and edge > 0):
            raise InvalidInput(f"band edge {edge!r} must be greater than zero", field="bands")
        if not (np.isfinite(weight) and weight >= 0):
            raise InvalidInput(f"band weight {weight!r} must be zero or more", field="bands")
    return clean


def step_weights(dist: np.ndarray, bands: Bands) -> np.ndarray:
    """The weight of the first band whose upper edge is >= the distance; 0 beyond the last.

    Same rule as `access.weights.step_fn` (`if x <= edge: return weight`), vectorised.
    """
    ordered = sorted(bands)
    edges = np.array([edge for edge, _ in ordered], dtype=float)
    values = np.append(np.array([w for _, w in ordered], dtype=float), 0.0)
    return values[np.searchsorted(edges, dist, side="left")]


def catchment_pairs(
    demand_xy: np.ndarray, supply_xy: np.ndarray, threshold_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(demand row, supply row, distance) for every pair no more than `threshold_m` apart."""
    demand_tree = cKDTree(demand_xy)
    supply_tree = cKDTree(supply_xy)
    # The ndarray output keeps pairs at distance zero (a dok/coo matrix would drop them).
    pairs = demand_tree.sparse_distance_matrix(
        supply_tree, threshold_m, p=2.0, output_type="ndarray"
    )
    return pairs["i"].astype(np.int64), pairs["j"].astype(np.int64), pairs["v"]


def floating_catchment(
    demand_xy: np.ndarray,
    population: np.ndarray,
    supply_xy: np.ndarray,
    supply: np.ndarray,
    threshold_m: float,
    *,
    bands: Bands | None = None,
) -> np.ndarray:
    """2SFCA access of each demand point (or E2SFCA when `bands` is given).

    `supply` is (m,) or (m, k): k supply columns (e.g. all assets, then one per category)
    computed in one pass. Returns (n,) or (n, k) accordingly, in supply units per person.
    """
    supply = np.asarray(supply, dtype=float)
    flat = supply.ndim == 1
    supply_2d = supply[:, None] if flat else supply
    n, m = len(demand_xy), len(supply_xy)
    if n == 0 or m == 0:
        empty = np.zeros((n, supply_2d.shape[1]))
        return empty[:, 0] if flat else empty
    i, j, dist = catchment_pairs(demand_xy, supply_xy, threshold_m)
    weight = np.ones(len(dist)) if bands is None else step_weights(dist, bands)
    w = sparse.csr_matrix((weight, (i, j)), shape=(n, m))
    # Step 1: weighted demand in each supply point's catchment.
    demand_in_reach = w.T @ np.asarray(population, dtype=float)
    # Step 2: supply-to-demand ratio; none where there is nobody to serve.
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(demand_in_reach[:, None] > 0, supply_2d / demand_in_reach[:, None], 0.0)
    # Step 3: weighted sum of the ratios in reach of each demand point.
    access = np.asarray(w @ ratio)
    return access[:, 0] if flat else access
