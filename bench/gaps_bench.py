"""Benchmark: gap-analysis accessibility (2SFCA, E2SFCA) against PySAL `access`.

Same generated data, same run, end to end from EPSG:4326 GeoDataFrames to one access value
per area, building each side's inputs included:

- ours: choose the UTM CRS, project, take centroids, KD-tree pairs, sparse products
  (`assetmap.gaps.catchment.floating_catchment`, what `analyse_gaps` runs);
- access (end to end): project, take centroids, `Access.create_euclidean_distance`, then
  `two_stage_fca` / `enhanced_two_stage_fca` -- the way its documentation builds Euclidean costs;
- access (given pairs): the same, but fed the pairs table from our KD-tree instead of its own
  all-pairs join, to show the cost of its floating-catchment step alone.

Results are checked identical (relative difference at most 1e-9; areas with nothing in reach:
access gives NaN, we give 0). `access` builds every area-asset pair before filtering by
distance, so where that is too big for this machine it runs on a documented window of the
data instead, and the table says so. The full `analyse_gaps` (every measure) is timed too.

Run:  PYTHONPATH=. python bench/gaps_bench.py [--scales neighbourhood,city,region]
      [--repeat 3] [--out bench/results_gaps.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from assetmap.gaps import analyse_gaps
from assetmap.gaps.catchment import default_bands, floating_catchment
from assetmap.gaps.inputs import metric_crs
from assetmap.gaps.synthetic import synthetic_town

THRESHOLD = 1600.0
# access joins every area with every asset before filtering: above this many pairs it is
# run on a window of the data (about 1,000 areas and their assets).
MAX_ACCESS_PAIRS = 25_000_000
SCALES = {
    "neighbourhood": (30, 600, 60),
    "city": (1_000, 20_000, 2_000),
    "region": (30_000, 200_000, 20_000),
}


def ours(areas, assets, method):
    """Our 2SFCA / E2SFCA from 4326 layers: one access value per area."""
    crs = metric_crs(areas, assets)
    areas_m, assets_m = areas.to_crs(crs), assets.to_crs(crs)
    demand = shapely.get_coordinates(areas_m.geometry.centroid.values)
    supply = shapely.get_coordinates(assets_m.geometry.values)
    bands = default_bands(THRESHOLD) if method == "e2sfca" else None
    return floating_catchment(
        demand,
        areas_m["population"].to_numpy(float),
        supply,
        np.ones(len(supply)),
        THRESHOLD,
        bands=bands,
    )


def _access_frames(areas, assets):
    crs = metric_crs(areas, assets)
    areas_m, assets_m = areas.to_crs(crs), assets.to_crs(crs)
    demand = areas_m[["population"]].set_geometry(areas_m.geometry.centroid)
    demand.index.name = "geoid"
    supply = assets_m[["geometry"]].copy()
    supply["supply"] = 1.0
    supply.index.name = "geoid"
    return demand, supply


def _run_access(acc, method):
    from access import weights

    if method == "2sfca":
        out = acc.two_stage_fca(name="fca", max_cost=THRESHOLD)
    else:
        fn = weights.step_fn(dict(default_bands(THRESHOLD)))
        out = acc.enhanced_two_stage_fca(name="fca", max_cost=THRESHOLD, weight_fn=fn)
    return out["fca_supply"]


def access_end_to_end(areas, assets, method):
    """PySAL access with its own Euclidean cost builder."""
    from access import Access

    demand, supply = _access_frames(areas, assets)
    acc = Access(
        demand_df=demand, demand_value="population", supply_df=supply, supply_value="supply"
    )
    acc.create_euclidean_distance(threshold=THRESHOLD)
    return _run_access(acc, method).reindex(demand.index).fillna(0.0).to_numpy()


def access_given_pairs(areas, assets, method):
    """PySAL access fed a pairs table built with a KD-tree (its FCA step alone, mostly)."""
    from access import Access

    demand, supply = _access_frames(areas, assets)
    d_xy = shapely.get_coordinates(demand.geometry.values)
    s_xy = shapely.get_coordinates(supply.geometry.values)
    pairs = cKDTree(d_xy).sparse_distance_matrix(cKDTree(s_xy), THRESHOLD, output_type="ndarray")
    # The pairs are row positions; access joins on index labels.
    cost = pd.DataFrame(
        {
            "origin": demand.index.to_numpy()[pairs["i"]],
            "dest": supply.index.to_numpy()[pairs["j"]],
            "cost": pairs["v"],
        }
    )
    acc = Access(
        demand_df=demand,
        demand_value="population",
        supply_df=supply,
        supply_value="supply",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    return _run_access(acc, method).reindex(demand.index).fillna(0.0).to_numpy(), len(cost)


def timed(fn, *args, repeat=1):
    """(best wall time in seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def rel_diff(a, b) -> float:
    """Largest element-wise relative difference (absolute where the reference is 0)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = np.where(b != 0, np.abs(b), 1.0)
    return float(np.max(np.abs(a - b) / scale)) if len(a) else 0.0


def window(areas, assets, n_target=1_000):
    """A square window around the middle holding about n_target areas, with every asset
    within the catchment threshold of it (so the window's areas see what they would see)."""
    crs = metric_crs(areas, assets)
    cent = shapely.get_coordinates(areas.to_crs(crs).geometry.centroid.values)
    mid = np.median(cent, axis=0)
    order = np.argsort(np.max(np.abs(cent - mid), axis=1))
    half = np.max(np.abs(cent[order[n_target - 1]] - mid))
    keep_areas = np.max(np.abs(cent - mid), axis=1) <= half
    a_xy = shapely.get_coordinates(assets.to_crs(crs).geometry.values)
    keep_assets = np.max(np.abs(a_xy - mid), axis=1) <= half + THRESHOLD
    return (
        areas[keep_areas].reset_index(drop=True),
        assets[keep_assets].reset_index(drop=True),
        2 * half,
    )


def bench_scale(name, n_areas, n_assets, n_services, repeat):
    areas, services, assets = synthetic_town(n_areas, n_assets, n_services, seed=2026)
    row = {"scale": name, "areas": n_areas, "assets": n_assets, "services": n_services}
    sub_areas, sub_assets = areas, assets
    if n_areas * n_assets > MAX_ACCESS_PAIRS:
        sub_areas, sub_assets, side = window(areas, assets)
        row["access_on"] = (
            f"window of {len(sub_areas):,} areas, {len(sub_assets):,} assets "
            f"({side / 1000:.1f} km square)"
        )
    else:
        row["access_on"] = "all data"
    for method in ("2sfca", "e2sfca"):
        t_full, _ = timed(ours, areas, assets, method, repeat=repeat)
        t_ours, mine = timed(ours, sub_areas, sub_assets, method, repeat=repeat)
        t_acc, theirs = timed(access_end_to_end, sub_areas, sub_assets, method)
        t_pairs, (theirs_p, n_pairs) = timed(access_given_pairs, sub_areas, sub_assets, method)
        diff = max(rel_diff(mine, theirs), rel_diff(mine, theirs_p))
        row.update(
            {
                f"{method}_ours_full_s": t_full,
                f"{method}_ours_s": t_ours,
                f"{method}_access_s": t_acc,
                f"{method}_access_pairs_s": t_pairs,
                f"{method}_ratio": t_acc / t_ours,
                f"{method}_ratio_pairs": t_pairs / t_ours,
                f"{method}_max_rel_diff": diff,
                "pairs": n_pairs,
            }
        )
        status = "identical" if diff <= 1e-9 else "DIFFERENT"
        print(
            f"{name:13s} {method:6s} ours {t_ours:8.3f}s  access {t_acc:9.3f}s "
            f"({t_acc / t_ours:7.1f}x)  access+pairs {t_pairs:8.3f}s "
            f"({t_pairs / t_ours:6.1f}x)  {status} ({diff:.1e})",
            flush=True,
        )
    start = time.perf_counter()
    analyse_gaps(areas, services, assets, method="e2sfca", threshold_m=THRESHOLD, seed=1)
    row["analyse_gaps_s"] = time.perf_counter() - start
    print(f"{name:13s} full analyse_gaps (every measure): {row['analyse_gaps_s']:.1f}s", flush=True)
    return row


def markdown(rows, command) -> str:
    lines = [
        "# Gap analysis benchmark: floating catchment against PySAL `access`",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"numpy {version('numpy')}, scipy {version('scipy')}, shapely {version('shapely')}, "
        f"geopandas {version('geopandas')}, access {version('access')}.",
        "",
        "Generated towns (`assetmap.gaps.synthetic.synthetic_town`, seed 2026): Voronoi areas of "
        "about 0.4 km², assets and services clustered around centres. Threshold "
        f"{THRESHOLD:g} m; E2SFCA bands at thirds of it with weights 1, 0.68, 0.22. Times are "
        "wall-clock seconds, end to end from EPSG:4326 GeoDataFrames (projection, centroids "
        "and the distance table included); ours is the best of the repeats, access one run.",
        "",
        "| scale | areas | assets | access run on | pairs ≤ threshold | method | ours (s) | "
        "access (s) | speed-up | access given our pairs (s) | speed-up | max rel. diff |",
        "|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        for m in ("2sfca", "e2sfca"):
            lines.append(
                f"| {r['scale']} | {r['areas']:,} | {r['assets']:,} | {r['access_on']} | "
                f"{r['pairs']:,} | {m.upper()} | {r[f'{m}_ours_s']:.3f} | "
                f"{r[f'{m}_access_s']:.2f} | **{r[f'{m}_ratio']:.0f}×** | "
                f"{r[f'{m}_access_pairs_s']:.2f} | {r[f'{m}_ratio_pairs']:.0f}× | "
                f"{r[f'{m}_max_rel_diff']:.1e} |"
            )
    lines += [
        "",
        "Ours on the whole data set, and the full `analyse_gaps` (every measure: counts per "
        "1,000, nearest distances, walk shares for 13 categories, 2SFCA per category, the "
        "overlay, priority and local Moran's I with 999 permutations):",
        "",
        "| scale | areas | assets | services | 2SFCA (s) | E2SFCA (s) | analyse_gaps (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']} | {r['areas']:,} | {r['assets']:,} | {r['services']:,} | "
            f"{r['2sfca_ours_full_s']:.3f} | {r['e2sfca_ours_full_s']:.3f} | "
            f"{r['analyse_gaps_s']:.1f} |"
        )
    lines += [
        "",
        "How to read this:",
        "",
        "- *speed-up* is access end to end over ours, both building their own inputs. The "
        "target is 20× at city scale and above. At neighbourhood scale both sides spend most "
        "of their time in fixed costs (projecting, building frames), so the ratio there "
        "says little. Both sides choose the UTM zone with the same `metric_crs`.",
        "- access builds its Euclidean costs by joining every area with every asset and "
        "measuring each pair with shapely before filtering by the threshold: at region scale "
        f"that is 6 billion pairs, so above {MAX_ACCESS_PAIRS:,} pairs both sides run on the "
        "window named in the table (the areas nearest the middle, with every asset within "
        "the threshold of the window) and ours is also timed on the whole region below.",
        "- *access given our pairs* hands access a KD-tree pairs table (its building timed "
        "with it), which isolates its pandas merge/groupby floating-catchment step; the "
        "remaining gap is sparse matrix products against table joins.",
        "- Timings on a shared 2-core machine vary by a few tenths of a second between runs: "
        "compare the ratios, measured side by side in the same run.",
        "- *max rel. diff* is the largest element-wise relative difference between ours and "
        "either access run; identical means at most 1e-9. Where nothing is in reach access "
        "gives NaN and we give 0; the comparison fills access' NaN with 0.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="neighbourhood,city,region")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown table here")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows = [bench_scale(s, *SCALES[s], args.repeat) for s in args.scales.split(",")]
    text = markdown(
        rows, "PYTHONPATH=. python bench/gaps_bench.py " + " ".join(argv or sys.argv[1:])
    )
    if args.out:
        args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
