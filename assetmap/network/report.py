"""`analyse()`: every measure of a network, as one plain-data `NetworkReport`.

The report holds numbers, names and lists only (and one pandas DataFrame, the per-node
table), so it renders to HTML, exports to CSV, and saves to JSON as a snapshot that
`compare()` can read years later without the graph.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, fields

import networkx as nx
import numpy as np
import pandas as pd

from assetmap.errors import InvalidInput
from assetmap.network import bridging, brokerage, centrality, findings, projections, structure
from assetmap.network.arrays import prepare
from assetmap.network.engine import choose_engine

SIZE = "How many assets and ties the network holds."
DENSITY = "The share of all possible pairs of assets that are tied (0 to 1)."
AVERAGE_CLUSTERING = "On average, how far assets' contacts also know each other."

# One line per measure, shown next to it in the report.
MEANINGS = {
    "size": SIZE,
    "density": DENSITY,
    "components": structure.COMPONENTS,
    "isolates": structure.ISOLATES,
    "average_clustering": AVERAGE_CLUSTERING,
    "degree": centrality.DEGREE,
    "strength": centrality.STRENGTH,
    "betweenness": centrality.BETWEENNESS,
    "pagerank": centrality.PAGERANK,
    "clustering": centrality.CLUSTERING,
    "reach2": centrality.REACH2,
    "constraint": centrality.CONSTRAINT,
    "effective_size": centrality.EFFECTIVE_SIZE,
    "communities": structure.COMMUNITIES,
    "core": structure.K_CORE,
    "articulation": structure.ARTICULATION,
    "bridges": structure.BRIDGES,
    "ei_index": bridging.EI_INDEX,
    "linking": bridging.LINKING,
    "brokerage": brokerage.BROKERAGE,
    "shared_venues": projections.SHARED_VENUES,
    "shared_groups": projections.SHARED_GROUPS,
}

CROSSING_ROLES = [role for role in brokerage.ROLES if role != "coordinator"]
_TABLE_LIMIT = 50  # rows kept for long lists (fragile points, bridges) in a report


@dataclass
class NetworkReport:
    """The analysed network: summary figures, the node table, and the lists a reader needs."""

    summary: dict
    nodes: pd.DataFrame
    connectors: list[dict] = field(default_factory=list)
    brokers: list[dict] = field(default_factory=list)
    isolates: list[dict] = field(default_factory=list)
    fragile_points: list[dict] = field(default_factory=list)
    bridges: list[dict] = field(default_factory=list)
    communities: list[dict] = field(default_factory=list)
    ei: dict = field(default_factory=dict)
    linking: dict = field(default_factory=dict)
    brokerage: dict = field(default_factory=dict)
    projections: dict = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)
    links: list[list] = field(default_factory=list)
    meanings: dict = field(default_factory=lambda: dict(MEANINGS))

    def to_dict(self) -> dict:
        """JSON-ready data (NaN becomes None); `from_dict` reverses it."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "nodes"}
        table = self.nodes
        out["nodes"] = {
            "index": [_plain(x) for x in table.index],
            "columns": list(table.columns),
            "dtypes": {col: str(dtype) for col, dtype in table.dtypes.items()},
            "data": [[_plain(x) for x in row] for row in table.itertuples(index=False)],
        }
        return _plain(out)

    @classmethod
    def from_dict(cls, data: dict) -> NetworkReport:
        """Rebuild a report saved with `to_dict` (e.g. a stored snapshot)."""
        try:
            table = data["nodes"]
            nodes = pd.DataFrame(table["data"], index=table["index"], columns=table["columns"])
            for col, dtype in table["dtypes"].items():
                if dtype.startswith(("float", "int", "bool")):
                    nodes[col] = nodes[col].astype(float if dtype.startswith("float") else dtype)
            nodes.index.name = "id"
            kwargs = {f.name: data[f.name] for f in fields(cls)
                      if f.name != "nodes" and f.name in data}
            return cls(nodes=nodes, **kwargs)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"not a saved network report: {exc}") from exc


def _plain(value):
    """Numbers, strings, lists and dicts only: numpy scalars unwrapped, NaN -> None."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rows(nodes: pd.DataFrame, ids, columns: list[str]) -> list[dict]:
    frame = nodes.loc[list(ids), columns].reset_index()
    return _plain(frame.rename(columns={"id": "node"}).to_dict("records"))


def _link_rows(data) -> list[list]:
    """[id, from, to, type, weight, directed] for every link (edge keys are link ids)."""
    nodes = data.nodes
    return [[key, nodes[u], nodes[v], kind, weight, directed] for key, u, v, kind, weight, directed
            in zip(data.link_key, data.link_u.tolist(), data.link_v.tolist(),
                   data.link_type.tolist(), data.link_weight.tolist(),
                   data.link_directed.tolist(), strict=True)]


def analyse(graph: nx.MultiDiGraph, *, seed: int = 42,
            exact_limit: int = centrality.EXACT_LIMIT, samples: int = centrality.SAMPLES,
            engine: str = "auto", brokerage_by: str = "category", top: int = 15,
            near_metres: float = findings.NEAR_METRES) -> NetworkReport:
    """Measure the network from `build_graph` and return a `NetworkReport`.

    `seed` fixes Louvain and betweenness sampling; betweenness is exact up to `exact_limit`
    nodes and sampled from `samples` sources above; `engine` is "auto" (igraph from
    `engine.FAST_ENGINE_FROM` nodes), "networkx" or "igraph"; brokerage roles are read by
    `brokerage_by` ("category" or "area"); `top` bounds the connector and broker lists.
    """
    if graph.number_of_nodes() == 0:
        raise InvalidInput("the network is empty: there are no assets to analyse")
    if brokerage_by not in ("category", "area"):
        raise InvalidInput(f"brokerage can be read by category or area, not {brokerage_by!r}",
                           field="brokerage_by")
    data = prepare(graph)
    order = data.nodes
    fast = choose_engine(data, engine)

    degree = centrality.degree(data)
    between, between_note = centrality.betweenness(fast, seed=seed, exact_limit=exact_limit,
                                                   samples=samples)
    pagerank = centrality.pagerank(fast)
    clustering = centrality.clustering(fast)
    constraint, effective = centrality.structural_holes(fast)
    reach = centrality.reach2(fast)
    core = fast.core_number()
    groups = structure.canonical_communities(fast.communities(seed))
    modularity = fast.modularity([set(g) for g in groups])
    community_of = {node: number for number, members in enumerate(groups) for node in members}
    fragile, bridges = structure.cut_points(data)
    ei = {attr: bridging.ei_index(data, attr) for attr in ("category", "area")}
    link = bridging.linking(data)
    brokers = brokerage.brokerage(data, brokerage_by)
    cut_off = {point["node"]: point["cut_off"] for point in fragile}

    def column(values: dict, dtype=float) -> np.ndarray:
        return np.fromiter((values[n] for n in order), dtype=dtype, count=len(order))

    nodes = pd.DataFrame({
        "name": data.attribute("name"),
        "kind": data.attribute("kind"),
        "category": data.attribute("category"),
        "area": data.attribute("area"),
        "institution": [bool(x) for x in data.attribute("institution")],
        "lon": np.asarray(data.attribute("lon"), dtype=float),
        "lat": np.asarray(data.attribute("lat"), dtype=float),
        "degree": data.degree,
        "strength": data.strength,
        "betweenness": column(between),
        "pagerank": column(pagerank),
        "clustering": column(clustering),
        "reach2": column(reach, np.int64),
        "constraint": column(constraint),
        "effective_size": column(effective),
        "core": column(core, np.int64),
        "community": column(community_of, np.int64),
        "ei_category": bridging.ei_values(ei["category"], order),
        "ei_area": bridging.ei_values(ei["area"], order),
        "linking_ties": [link["nodes"].get(n, 0) for n in order],
        **{role: brokers["nodes"][:, i] for i, role in enumerate(brokerage.ROLES)},
        "cut_off": [cut_off.get(n, 0) for n in order],
    }, index=pd.Index(order, name="id"))
    nodes["cross_brokerage"] = nodes[CROSSING_ROLES].sum(axis=1)
    nodes["isolate"] = nodes["degree"] == 0

    n, ties = data.n, int(data.u.size)
    communities = structure.community_summary(graph, groups, degree)
    summary = {
        "nodes": n,
        "links": len(data.link_key),
        "ties": ties,
        "kinds": dict(Counter(nodes["kind"]).most_common()),
        "density": 2 * ties / (n * (n - 1)) if n > 1 else 0.0,
        "components": structure.components(data),
        "isolates": int(nodes["isolate"].sum()),
        "average_clustering": float(nodes["clustering"].mean()),
        "communities": len(communities),
        "modularity": modularity,
        "core": structure.core_summary(core),
        "betweenness": between_note,
        "engine": fast.name,
        "seed": seed,
        "brokerage_by": brokerage_by,
        "articulation_points": len(fragile),
        "bridges": len(bridges),
        "ei_category": ei["category"]["ei"],
        "ei_area": ei["area"]["ei"],
        "linking_share": link["share_of_assets"],
        "on": graph.graph.get("on"),
        "filters": graph.graph.get("filters", {}),
    }
    ranked = nodes[nodes["degree"] > 0].sort_values(["betweenness", "degree"], ascending=False)
    shown = ["name", "kind", "category", "area", "degree", "betweenness", "pagerank"]
    broke = nodes[nodes["cross_brokerage"] > 0].sort_values(
        ["cross_brokerage", "effective_size"], ascending=False)
    broker_cols = ["name", "kind", "category", "area", *brokerage.ROLES, "cross_brokerage",
                   "constraint", "effective_size"]
    shared_venues = projections.summarise(projections.groups_sharing_venues(data), data)
    shared_groups = projections.summarise(projections.members_sharing_groups(data), data)
    report = NetworkReport(
        summary=summary,
        nodes=nodes,
        connectors=_rows(nodes, ranked.index[:top], shown),
        brokers=_rows(nodes, broke.index[:top], broker_cols),
        isolates=_rows(nodes, nodes.index[nodes["isolate"]], ["name", "kind", "category",
                                                             "area"]),
        fragile_points=fragile[:_TABLE_LIMIT],
        bridges=bridges[:_TABLE_LIMIT],
        communities=communities,
        ei={attr: {k: v for k, v in table.items() if k != "nodes"}
            for attr, table in ei.items()},
        linking={k: v for k, v in link.items() if k != "nodes"},
        brokerage={k: v for k, v in brokers.items() if k != "nodes"},
        projections={"groups_sharing_venues": shared_venues,
                     "members_sharing_groups": shared_groups},
        links=_link_rows(data),
    )
    report.findings = findings.suggest(nodes, summary, fragile, ei, link, shared_venues,
                                       near_metres=near_metres)
    report.summary = _plain(report.summary)
    return report
