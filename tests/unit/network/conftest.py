"""Helpers for the network tests: plain asset and link records, as the store produces them."""

from __future__ import annotations

import pytest


def asset(id, name=None, kind="group", category="community_space", area=None, lon=None,
          lat=None, institution=False):
    """One asset record."""
    return {"id": id, "name": name or f"asset {id}", "kind": kind, "category": category,
            "area": area, "lon": lon, "lat": lat, "institution": institution}


def link(id, a, b, type="partners_with", weight=1.0, directed=None, started=None, ended=None):
    """One link record."""
    return {"id": id, "from_id": a, "to_id": b, "type": type, "weight": weight,
            "directed": directed, "started": started, "ended": ended}


@pytest.fixture
def make_asset():
    return asset


@pytest.fixture
def make_link():
    return link


@pytest.fixture
def from_networkx():
    """Records for a NetworkX graph: every node a group, every edge an undirected link."""

    def convert(graph, **asset_fields):
        index = {node: i + 1 for i, node in enumerate(graph.nodes())}
        assets = [asset(index[node], name=str(node), **asset_fields) for node in graph]
        links = [link(i + 1, index[u], index[v], weight=float(d.get("weight", 1.0)))
                 for i, (u, v, d) in enumerate(graph.edges(data=True))]
        return assets, links, index

    return convert
