"""Build the network of assets and links as a NetworkX graph, from plain records.

The records are dictionaries (the store produces them; nothing here touches a database):

- asset: ``id`` (int), ``name``, ``kind`` (group | venue | skill | other), ``category``
  (an asset category or, for public institutions, a service type), ``area`` (name or None),
  ``lon``/``lat`` (a representative point in WGS84, or None), ``institution`` (bool).
- link: ``id``, ``from_id``, ``to_id``, ``type`` (a link type), ``weight`` (> 0, default 1),
  ``directed`` (default from the link type), ``started``/``ended`` (dates or None).

How direction is handled. `build_graph` keeps every link as it was recorded, in a
``MultiDiGraph`` keyed by link id (an undirected link is stored once, from -> to, with
``directed=False``). Most measures ask "are these two assets tied, and how strongly?", so
they run on `simple_graph`: undirected, one edge per linked pair, parallel links combined by
summing their weights. Brokerage needs to know who passes what to whom, so it reads the
directed ties (`directed_graph`; `arrays.prepare` holds the same as arrays), where an
undirected link counts in both directions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

import networkx as nx

from assetmap.errors import InvalidInput
from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, LINK_TYPES, SERVICE_TYPES

KNOWN_CATEGORIES = {**ASSET_CATEGORIES, **SERVICE_TYPES}


def _date(value, *, what: str, field: str, row: int | None = None) -> dt.date | None:
    """A date from a date, a datetime or an ISO string; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise InvalidInput(f"{what}: {field} {value!r} is not a date (use YYYY-MM-DD)",
                       field=field, row=row)


def _coordinate(value, *, lo: float, hi: float, what: str, field: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what}: {field} {value!r} is not a number", field=field) from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise InvalidInput(f"{what}: {field} {number} is outside {lo}..{hi}", field=field)
    return number


def _clean_asset(record: Mapping, row: int) -> dict:
    for key in ("id", "name", "kind", "category"):
        if record.get(key) is None:
            raise InvalidInput(f"asset #{row + 1} has no {key}", field=key, row=row)
    what = f"asset {record['id']}"
    kind, category = record["kind"], record["category"]
    if kind not in ASSET_KINDS:
        raise InvalidInput(f"{what}: unknown kind {kind!r} (known: {', '.join(ASSET_KINDS)})",
                           field="kind", row=row)
    if category not in KNOWN_CATEGORIES:
        raise InvalidInput(f"{what}: unknown category {category!r}", field="category", row=row)
    return {
        "name": str(record["name"]),
        "kind": kind,
        "category": category,
        "area": record.get("area") or None,
        "lon": _coordinate(record.get("lon"), lo=-180, hi=180, what=what, field="lon"),
        "lat": _coordinate(record.get("lat"), lo=-90, hi=90, what=what, field="lat"),
        "institution": bool(record.get("institution", False)),
    }


def _clean_link(record: Mapping, row: int) -> dict:
    for key in ("id", "from_id", "to_id", "type"):
        if record.get(key) is None:
            raise InvalidInput(f"link #{row + 1} has no {key}", field=key, row=row)
    what = f"link {record['id']}"
    kind = record["type"]
    if kind not in LINK_TYPES:
        raise InvalidInput(
            f"{what}: unknown link type {kind!r} (known: {', '.join(LINK_TYPES)})",
            field="type", row=row)
    if record["from_id"] == record["to_id"]:
        raise InvalidInput(f"{what} joins asset {record['from_id']} to itself",
                           field="to_id", row=row)
    weight = record.get("weight")
    weight = 1.0 if weight is None else weight
    try:
        weight = float(weight)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what}: weight {weight!r} is not a number",
                           field="weight", row=row) from None
    if not math.isfinite(weight) or weight <= 0:
        raise InvalidInput(f"{what}: weight must be a positive number, not {weight}",
                           field="weight", row=row)
    directed = record.get("directed")
    started = _date(record.get("started"), what=what, field="started", row=row)
    ended = _date(record.get("ended"), what=what, field="ended", row=row)
    if started and ended and ended < started:
        raise InvalidInput(f"{what} ended ({ended}) before it started ({started})",
                           field="ended", row=row)
    return {
        "id": record["id"],
        "from_id": record["from_id"],
        "to_id": record["to_id"],
        "type": kind,
        "weight": weight,
        "directed": LINK_TYPES[kind][1] if directed is None else bool(directed),
        "started": started,
        "ended": ended,
    }


def _check_choices(given: Iterable[str] | None, known: Iterable[str], what: str) -> set | None:
    if given is None:
        return None
    chosen = {given} if isinstance(given, str) else set(given)
    unknown = sorted(chosen - set(known))
    if unknown:
        raise InvalidInput(f"unknown {what}: {', '.join(map(repr, unknown))}", field=what)
    return chosen


def active_on(link: Mapping, day: dt.date) -> bool:
    """True when the link stood on `day`: started on or before it and not ended before it."""
    started, ended = link.get("started"), link.get("ended")
    return (started is None or started <= day) and (ended is None or ended >= day)


def build_graph(
    assets: Iterable[Mapping],
    links: Iterable[Mapping],
    *,
    on: dt.date | str | None = None,
    categories: Iterable[str] | None = None,
    link_types: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The network as a MultiDiGraph (one edge per link, keyed by link id), after filters.

    `on` keeps the links that stood on that day; `categories`, `link_types` and `areas` keep
    the assets (and the links between kept assets) that match. Every record is checked and
    any problem raises `InvalidInput` naming the asset or link at fault.
    """
    day = _date(on, what="report date", field="on")
    wanted_categories = _check_choices(categories, KNOWN_CATEGORIES, "category")
    wanted_types = _check_choices(link_types, LINK_TYPES, "link type")

    nodes: dict = {}
    for row, record in enumerate(assets):
        clean = _clean_asset(record, row)
        if record["id"] in nodes:
            raise InvalidInput(f"asset {record['id']} appears twice", field="id", row=row)
        nodes[record["id"]] = clean
    if not nodes:
        raise InvalidInput("the network is empty: there are no assets to analyse")

    known_areas = {attrs["area"] for attrs in nodes.values() if attrs["area"]}
    wanted_areas = None
    if areas is not None:
        wanted_areas = {areas} if isinstance(areas, str) else set(areas)
        unknown = sorted(wanted_areas - known_areas)
        if unknown:
            raise InvalidInput(
                f"unknown area {', '.join(map(repr, unknown))}: no asset lies in it "
                f"(areas with assets: {', '.join(sorted(known_areas)) or 'none'})",
                field="area")

    clean_links, seen = [], set()
    for row, record in enumerate(links):
        link = _clean_link(record, row)
        if link["id"] in seen:
            raise InvalidInput(f"link {link['id']} appears twice", field="id", row=row)
        seen.add(link["id"])
        for end in ("from_id", "to_id"):
            if link[end] not in nodes:
                raise InvalidInput(f"link {link['id']} points to asset {link[end]}, "
                                   "which is not in the asset list", field=end, row=row)
        clean_links.append(link)

    if day is not None:
        clean_links = [link for link in clean_links if active_on(link, day)]
        if not clean_links:
            raise InvalidInput(f"no links stood on {day.isoformat()}: "
                               "there is no network to analyse on that date", field="on")

    def keep(attrs: dict) -> bool:
        return ((wanted_categories is None or attrs["category"] in wanted_categories)
                and (wanted_areas is None or attrs["area"] in wanted_areas))

    graph = nx.MultiDiGraph(
        on=day.isoformat() if day else None,
        filters={"categories": sorted(wanted_categories or []),
                 "link_types": sorted(wanted_types or []),
                 "areas": sorted(wanted_areas or [])},
    )
    graph.add_nodes_from((key, attrs) for key, attrs in nodes.items() if keep(attrs))
    if graph.number_of_nodes() == 0:
        raise InvalidInput("the network is empty: no asset matches the chosen "
                           "categories and areas")
    for link in clean_links:
        if wanted_types is not None and link["type"] not in wanted_types:
            continue
        if link["from_id"] in graph and link["to_id"] in graph:
            graph.add_edge(link["from_id"], link["to_id"], key=link["id"], id=link["id"],
                           type=link["type"], weight=link["weight"],
                           directed=link["directed"], started=link["started"],
                           ended=link["ended"])
    return graph


def simple_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected, one edge per tied pair; weight = sum of the pair's link weights.

    Each edge also carries ``links`` (how many links were combined) and ``types`` (their
    link types, sorted), so nothing recorded is silently lost.
    """
    simple = nx.Graph(**graph.graph)
    simple.add_nodes_from(graph.nodes(data=True))
    adj = simple._adj  # direct adjacency access: this runs on every report, on large graphs
    for u, v, data in graph.edges(data=True):
        existing = adj[u].get(v)
        if existing is None:
            simple.add_edge(u, v, weight=data["weight"], links=1, types=[data["type"]])
        else:
            existing["weight"] += data["weight"]
            existing["links"] += 1
            if data["type"] not in existing["types"]:
                existing["types"] = sorted([*existing["types"], data["type"]])
    return simple


def directed_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The directed ties as a DiGraph (undirected links both ways), weights summed."""
    out = nx.DiGraph(**graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        pairs = [(u, v)] if data["directed"] else [(u, v), (v, u)]
        for a, b in pairs:
            if out.has_edge(a, b):
                out[a][b]["weight"] += data["weight"]
            else:
                out.add_edge(a, b, weight=data["weight"])
    return out
