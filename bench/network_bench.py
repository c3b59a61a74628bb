"""Benchmark: the whole network report against igraph computing the same measures.

    python bench/network_bench.py [--sizes small,large] [--out bench/results_network.md]

"small" is a city (about 10,000 assets / 30,000 links), "large" a region (about 200,000 /
600,000). For each size the script generates a realistic network (areas with venues that
many groups use, people and skills that belong to groups, partnerships mostly within an
area and a category, a few public institutions that groups refer to and that fund groups,
and some isolated assets), then times, in the same process:

- build: `build_graph()` from the plain records;
- analyse: the whole `analyse()` (every measure, tables and findings) with the auto engine;
- igraph: igraph alone computing, from the same undirected edge list, every measure of the
  report that igraph has built in: degree, strength, betweenness (exact or from the same
  number of sampled sources), PageRank, Louvain with modularity, coreness, local clustering,
  constraint, 2-step reach, components, articulation points and bridges.

The analyse and igraph runs alternate `--repeat` times so both see the same machine load;
times are each side's fastest run (wall clock) and the ratio is the median of the paired
ratios (the upper middle one for an even number of runs). Peak memory is the traced Python
heap (tracemalloc, numpy included; igraph's own C allocations are not traced) and the
process's maximum resident size. A last table splits one analyse() into its stages.
Results are appended as a Markdown section to `--out`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import igraph  # noqa: E402

from assetmap.network import (  # noqa: E402
    analyse,
    bridging,
    brokerage,
    build_graph,
    centrality,
    projections,
    simple_graph,
    structure,
)
from assetmap.network.arrays import prepare  # noqa: E402
from assetmap.network.centrality import EXACT_LIMIT, SAMPLES  # noqa: E402
from assetmap.network.engine import choose_engine  # noqa: E402
from assetmap.taxonomy import ASSET_CATEGORIES, SERVICE_TYPES  # noqa: E402

SIZES = {"demo": (300, 900), "small": (10_000, 30_000), "large": (200_000, 600_000)}
# Share of links by type, and the kinds at each end.
LINK_MIX = [
    ("meets_at", 0.30, "group", "venue"),
    ("member_of", 0.30, "skill", "group"),
    ("partners_with", 0.22, "group", "group"),
    ("shares_skills_with", 0.08, "skill", "skill"),
    ("refers_to", 0.06, "group", "institution"),
    ("funds", 0.04, "institution", "group"),
]
KIND_MIX = [("group", 0.45), ("skill", 0.40), ("venue", 0.08), ("other", 0.05),
            ("institution", 0.02)]


def generate(n_nodes: int, n_links: int, seed: int = 1) -> tuple[list[dict], list[dict]]:
    """Plain asset and link records for a made-up place of `n_nodes` assets."""
    rng = np.random.default_rng(seed)
    n_areas = max(4, n_nodes // 250)
    side = int(np.ceil(np.sqrt(n_areas)))
    # Areas on a grid about 1.2 km apart, around a city centre.
    centres = [(-1.55 + (i % side) * 0.018, 53.80 + (i // side) * 0.011)
               for i in range(n_areas)]
    kinds = rng.choice([k for k, _ in KIND_MIX], size=n_nodes, p=[p for _, p in KIND_MIX])
    area = rng.integers(0, n_areas, size=n_nodes)
    lon = np.array([centres[a][0] for a in area]) + rng.normal(0, 0.004, n_nodes)
    lat = np.array([centres[a][1] for a in area]) + rng.normal(0, 0.0025, n_nodes)
    categories = list(ASSET_CATEGORIES)
    category = rng.choice(categories, size=n_nodes)
    services = list(SERVICE_TYPES)
    assets = []
    for i in range(n_nodes):
        institution = kinds[i] == "institution"
        assets.append({
            "id": i + 1,
            "name": f"{'Service' if institution else str(kinds[i]).title()} {i + 1}",
            "kind": "venue" if institution else str(kinds[i]),
            "category": services[i % len(services)] if institution else str(category[i]),
            "area": f"Area {area[i] + 1}",
            "lon": float(lon[i]), "lat": float(lat[i]),
            "institution": bool(institution),
        })
    # Popularity makes hubs: a few venues and groups attract many links (Pareto tail).
    popularity = rng.pareto(1.5, n_nodes) + 1.0
    lonely = rng.random(n_nodes) < 0.04  # assets nobody has linked yet
    pools = {}
    for kind in {k for _, _, a, b in LINK_MIX for k in (a, b)}:
        members = np.flatnonzero((kinds == kind) & ~lonely)
        members = members[np.argsort(area[members], kind="stable")]
        weights = np.cumsum(popularity[members])
        starts = np.searchsorted(area[members], np.arange(n_areas + 1))
        pools[kind] = (members, weights, starts)

    def pick(kind: str, areas: np.ndarray) -> np.ndarray:
        members, cum, starts = pools[kind]
        lo, hi = starts[areas], starts[areas + 1]
        empty = hi == lo  # an area without this kind: pick from anywhere
        lo, hi = np.where(empty, 0, lo), np.where(empty, len(members), hi)
        base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
        span = cum[hi - 1] - base
        pos = np.searchsorted(cum, base + rng.random(len(areas)) * span, side="right")
        return members[np.clip(pos, lo, hi - 1)]

    links, next_id = [], 1
    for link_type, share, from_kind, to_kind in LINK_MIX:
        count = int(round(n_links * share))
        members = pools[from_kind][0]
        sources = members[rng.integers(0, len(members), count)]
        # Most ties stay in the source's own area; some go to a random other area.
        target_area = np.where(rng.random(count) < 0.85, area[sources],
                               rng.integers(0, n_areas, count))
        targets = pick(to_kind, target_area)
        if link_type == "partners_with":  # partners mostly share a category: resample
            differ = category[targets] != category[sources]
            redo = differ & (rng.random(count) < 0.6)
            targets[redo] = pick(to_kind, target_area[redo])
        starts = rng.integers(0, 3650, count)
        ends = rng.random(count) < 0.1
        for s, t, st, e in zip(sources, targets, starts, ends, strict=True):
            if s == t:
                continue
            start = dt.date(2015, 1, 1) + dt.timedelta(days=int(st))
            links.append({"id": next_id, "from_id": int(s) + 1, "to_id": int(t) + 1,
                          "type": link_type, "weight": float(1 + rng.integers(0, 3)),
                          "directed": None, "started": start,
                          "ended": start + dt.timedelta(days=400) if e else None})
            next_id += 1
    return assets, links


def igraph_same_measures(simple, seed: int) -> None:
    """igraph alone, from the simple graph's edge list, computing the report's measures."""
    nodes = list(simple.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in simple.edges()]
    weights = [w for _, _, w in simple.edges(data="weight")]
    g = igraph.Graph(n=len(nodes), edges=edges, directed=False, edge_attrs={"weight": weights})
    g.degree()
    g.strength(weights="weight")
    if len(nodes) <= EXACT_LIMIT:
        g.betweenness(directed=False)
    else:
        sources = random.Random(seed).sample(range(len(nodes)), SAMPLES)
        g.betweenness(directed=False, sources=sources)
    g.pagerank(directed=False, weights="weight")
    random.seed(seed)
    clusters = g.community_multilevel(weights="weight")
    g.modularity(clusters.membership, weights="weight")
    g.coreness()
    g.transitivity_local_undirected(mode="zero")
    g.constraint(weights="weight")
    g.neighborhood_size(order=2, mindist=1)
    g.connected_components()
    g.articulation_points()
    g.bridges()


def timed(func) -> tuple[float, object]:
    """Wall-clock seconds of one call, and its result."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def traced_peak(func) -> float:
    """Peak traced Python heap (MiB) while `func` runs."""
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def stages(graph, seed: int) -> dict:
    """Seconds per stage of one analyse(), calling the same functions it calls."""
    out = {}

    def step(name, func):
        seconds, result = timed(func)
        out[name] = seconds
        return result

    data = step("prepare arrays", lambda: prepare(graph))
    fast = step("copy to igraph", lambda: choose_engine(data))
    step("betweenness", lambda: centrality.betweenness(fast, seed=seed))
    step("pagerank", lambda: centrality.pagerank(fast))
    step("louvain", lambda: fast.communities(seed))
    step("constraint, effective size", lambda: centrality.structural_holes(fast))
    step("clustering, core, reach", lambda: (fast.clustering(), fast.core_number(),
                                             fast.reach2()))
    step("fragile points, bridges", lambda: structure.cut_points(data))
    step("E-I, linking", lambda: ([bridging.ei_index(data, a) for a in ("category", "area")],
                                  bridging.linking(data)))
    step("brokerage", lambda: brokerage.brokerage(data, "category"))
    step("projections", lambda: (projections.groups_sharing_venues(data),
                                 projections.members_sharing_groups(data)))
    return out


def run(size: str, repeat: int, seed: int) -> dict:
    """Generate, build, time and measure one size; returns the figures.

    The analyse and igraph runs alternate, so that both see the same machine load; the
    table keeps each one's fastest run and the median of the paired ratios.
    """
    n_nodes, n_links = SIZES[size]
    generated, (assets, links) = timed(lambda: generate(n_nodes, n_links, seed))
    build, graph = timed(lambda: build_graph(assets, links))
    simple = simple_graph(graph)
    t_analyse, t_igraph, report = [], [], None
    for _ in range(max(1, repeat)):
        seconds, report = timed(lambda: analyse(graph, seed=seed))
        t_analyse.append(seconds)
        t_igraph.append(timed(lambda: igraph_same_measures(simple, seed))[0])
    ratios = sorted(a / b for a, b in zip(t_analyse, t_igraph, strict=True))
    peak_analyse = traced_peak(lambda: analyse(graph, seed=seed))
    peak_igraph = traced_peak(lambda: igraph_same_measures(simple, seed))
    return {
        "size": size, "nodes": graph.number_of_nodes(), "links": graph.number_of_edges(),
        "ties": simple.number_of_edges(), "generate": generated, "build": build,
        "analyse": min(t_analyse), "igraph": min(t_igraph),
        "ratio": ratios[len(ratios) // 2], "runs": len(ratios),
        "peak_analyse": peak_analyse, "peak_igraph": peak_igraph,
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "engine": report.summary["engine"], "betweenness": report.summary["betweenness"],
        "stages": stages(graph, seed),
    }


def markdown(results: list[dict], command: str) -> str:
    """The results as a Markdown section."""
    lines = [
        f"## {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"igraph {igraph.__version__}, {len(os.sched_getaffinity(0))} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end (the machine is shared: times vary with load).",
        "",
        "| size | nodes | links | ties | build s | analyse s | igraph s | ratio (median of "
        "pairs) | betweenness | peak MiB analyse / igraph | max RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b = r["betweenness"]
        lines.append(
            f"| {r['size']} | {r['nodes']:,} | {r['links']:,} | {r['ties']:,} | "
            f"{r['build']:.2f} | {r['analyse']:.2f} | {r['igraph']:.2f} | "
            f"{r['ratio']:.2f}x ({r['runs']} runs) | {b['method']} ({b['samples']:,} sources) | "
            f"{r['peak_analyse']:.0f} / {r['peak_igraph']:.0f} | {r['maxrss']:.0f} |")
    for r in results:
        lines += ["", f"Where one analyse() of '{r['size']}' spends its time (seconds):", "",
                  "| stage | s |", "|---|---|"]
        lines += [f"| {name} | {seconds:.2f} |" for name, seconds in r["stages"].items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the sizes asked for, print and append the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small", help="comma list of: demo, small, large")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=str(Path(__file__).with_name("results_network.md")))
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}")
    results = []
    for size in sizes:
        result = run(size, args.repeat, args.seed)
        print(result, flush=True)
        results.append(result)
    command = "python bench/network_bench.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = markdown(results, command.strip())
    print(text)
    out = Path(args.out)
    header = "" if out.exists() else "# Network report benchmark\n\n" + __doc__ + "\n"
    with out.open("a", encoding="utf-8") as handle:
        handle.write(header + text + "\n")


if __name__ == "__main__":
    main()
