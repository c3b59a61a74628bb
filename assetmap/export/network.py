"""Network downloads: the per-asset measures as CSV, and the graph as GraphML.

GraphML (for Gephi, Cytoscape, yEd, NetworkX) carries strings, numbers and booleans only:
dates become ISO strings, and attributes with no value are left off the element rather than
written as a made-up default.
"""

from __future__ import annotations

import datetime as dt
import io

import networkx as nx

from assetmap.network.report import NetworkReport


def node_measures_csv(report: NetworkReport) -> str:
    """The report's node table as CSV text: one row per asset, id first."""
    return report.nodes.to_csv(index=True, index_label="id", float_format="%.10g",
                               lineterminator="\n")


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def graph_graphml(graph: nx.Graph) -> bytes:
    """The graph (e.g. from `build_graph`) as GraphML bytes (UTF-8), attributes made plain."""
    out = graph.__class__()
    out.graph.update({k: _plain(v) for k, v in graph.graph.items()
                      if v is not None and not isinstance(v, dict)})
    out.add_nodes_from((node, {k: _plain(v) for k, v in attrs.items() if v is not None})
                       for node, attrs in graph.nodes(data=True))
    if graph.is_multigraph():
        out.add_edges_from((u, v, key, {k: _plain(x) for k, x in attrs.items() if x is not None})
                           for u, v, key, attrs in graph.edges(keys=True, data=True))
    else:
        out.add_edges_from((u, v, {k: _plain(x) for k, x in attrs.items() if x is not None})
                           for u, v, attrs in graph.edges(data=True))
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
