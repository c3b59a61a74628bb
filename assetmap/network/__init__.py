"""Social-capital network analysis: NetworkX graphs in, plain data out. No I/O here."""

from assetmap.network.compare import compare
from assetmap.network.graph import build_graph, directed_graph, simple_graph
from assetmap.network.report import MEANINGS, NetworkReport, analyse

__all__ = ["MEANINGS", "NetworkReport", "analyse", "build_graph", "compare", "directed_graph",
           "simple_graph"]
