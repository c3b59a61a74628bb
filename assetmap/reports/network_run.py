"""The network report from the store: records → graph → measures → page, snapshots, jobs.

The web page, the `assetmap report network` command and background jobs all come here, so
they read the same network the same way.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput, NotFound
from assetmap.jobs import runner
from assetmap.network import NetworkReport, analyse, build_graph, compare
from assetmap.reports.network import SIZE_MEASURES
from assetmap.store.analysis_inputs import link_date_range, network_records
from assetmap.store.models import ReportSnapshot

KIND = "network"


def parse_day(text: str | None) -> dt.date | None:
    """A report date from user input ('' or None means today's network)."""
    if text in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise InvalidInput(f"the date must look like 2024-05-31, got {text!r}",
                           field="on") from exc


def check_params(*, area: str | None, on: str | None, size_by: str | None) -> dict:
    """Clean report settings, or InvalidInput naming the one at fault."""
    size_by = size_by or "betweenness"
    if size_by not in SIZE_MEASURES:
        raise InvalidInput(f"cannot size the map by {size_by!r}; choose one of "
                           f"{', '.join(SIZE_MEASURES)}", field="size_by")
    area = (area or "").strip() or None
    if area and len(area) > 200:
        raise InvalidInput("the area name is too long", field="area")
    day = parse_day(on)
    return {"area": area, "on": day.isoformat() if day else None, "size_by": size_by}


def run_network(session: Session, params: dict, *, seed: int = 42):
    """(graph, report) for the settings from `check_params`; InvalidInput for an unknown area,
    an empty network or a date with no links."""
    day = parse_day(params.get("on"))
    assets, links = network_records(session, area=params.get("area"), on=day)
    if not assets:
        where = f" in {params['area']}" if params.get("area") else ""
        raise InvalidInput(f"the network is empty: no published assets{where} to analyse")
    if day is not None and not links:
        first, last = link_date_range(session)
        span = f"links run from {first} to {last}" if first else "no link has a start date"
        where = f" in {params['area']}" if params.get("area") else ""
        raise InvalidInput(f"no links stood on {day}{where}; {span}", field="on")
    graph = build_graph(assets, links, on=day)
    return graph, analyse(graph, seed=seed)


def title_for(params: dict) -> str:
    """A heading that says what the report covers."""
    where = params.get("area") or "the whole map"
    when = params.get("on") or dt.date.today().isoformat()
    return f"Social capital network: {where}, {when}"


def links_geojson(report: NetworkReport) -> dict:
    """The report's links as RFC 7946 LineStrings between their assets' points."""
    nodes = report.nodes
    features = []
    for link_id, start, end, kind, weight, directed in report.links:
        a, b = nodes.loc[start], nodes.loc[end]
        if any(v is None or v != v for v in (a["lon"], a["lat"], b["lon"], b["lat"])):
            continue
        features.append({"type": "Feature", "id": link_id, "geometry": {
            "type": "LineString", "coordinates": [[float(a["lon"]), float(a["lat"])],
                                                  [float(b["lon"]), float(b["lat"])]]},
            "properties": {"id": link_id, "from_id": int(start), "to_id": int(end),
                           "from_name": str(a["name"]), "to_name": str(b["name"]),
                           "type": kind, "weight": weight, "directed": directed}})
    return {"type": "FeatureCollection", "features": features}


NODE_COLUMNS = ("name", "kind", "category", "area", "degree", "strength", "betweenness",
                "pagerank", "community", "core", "constraint", "effective_size", "reach2",
                "articulation")


def nodes_geojson(report: NetworkReport, *, leave_out_kinds: tuple[str, ...] = ("skill",)
                  ) -> dict:
    """Each asset's network measures joined to its point, as RFC 7946 GeoJSON.

    Skills are left out by default: a skill's point may be where the person lives.
    """
    nodes = report.nodes
    columns = [c for c in NODE_COLUMNS if c in nodes.columns]
    features = []
    for asset_id, row in nodes.iterrows():
        if row.get("kind") in leave_out_kinds or row["lon"] != row["lon"]:
            continue
        props = {"id": int(asset_id)}
        for column in columns:
            value = row[column]
            props[column] = None if value != value else (
                value.item() if hasattr(value, "item") else value)
        features.append({"type": "Feature", "id": int(asset_id), "properties": props,
                         "geometry": {"type": "Point",
                                      "coordinates": [float(row["lon"]), float(row["lat"])]}})
    return {"type": "FeatureCollection", "features": features}


def save_snapshot(session: Session, report: NetworkReport, params: dict, *,
                  user_id: int | None) -> int:
    """Store the report as a snapshot (kind 'network'); returns its id."""
    snapshot = ReportSnapshot(kind=KIND, params=dict(params), result=report.to_dict(),
                              created_by=user_id)
    session.add(snapshot)
    session.flush()
    return snapshot.id


def load_snapshot(session: Session, snapshot_id: int) -> tuple[ReportSnapshot, NetworkReport]:
    """A saved network report; NotFound when there is none with that id."""
    snapshot = session.get(ReportSnapshot, snapshot_id)
    if snapshot is None or snapshot.kind != KIND:
        raise NotFound(f"no saved network report {snapshot_id}")
    return snapshot, NetworkReport.from_dict(snapshot.result)


def list_snapshots(session: Session) -> list[ReportSnapshot]:
    """Saved network reports, newest first."""
    return list(session.scalars(select(ReportSnapshot).where(ReportSnapshot.kind == KIND)
                                .order_by(ReportSnapshot.created_at.desc(),
                                          ReportSnapshot.id.desc())))


def compare_snapshots(session: Session, before_id: int, after_id: int) -> dict:
    """What changed between two saved reports (outcomes: ties, isolation, bridging)."""
    _, before = load_snapshot(session, before_id)
    _, after = load_snapshot(session, after_id)
    return json.loads(json.dumps(compare(before, after), default=str))


@runner(KIND)
def run_network_job(session: Session, params: dict, progress, *, user_id: int | None) -> int:
    """Background job: run the report with `params` and save it as a snapshot."""
    params = check_params(area=params.get("area"), on=params.get("on"),
                          size_by=params.get("size_by"))
    progress(0.1, "reading the network")
    _, report = run_network(session, params)
    progress(0.9, "saving")
    return save_snapshot(session, report, params, user_id=user_id)
