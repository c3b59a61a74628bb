"""The gap analysis on what the store holds: settings checked, bridging ties from the network,
assets shown only as far as the reader may see them, and results saved as snapshots.

Bridging: the network analysis gives Krackhardt's E-I index for each area — (ties leaving the
area - ties inside it) / all its ties, from -1 (every tie stays inside: bonding) to +1 (every
tie crosses: bridging). It goes into the priority score unchanged as the area's "bridging"
value: the score rescales it 0..1 across areas and turns it round, so the area whose ties
cross least gets the most weight for "weak ties". An area whose assets have no ties has no
E-I value and is scored on need and access only. Links count if they stand on the report day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput, NotFound
from assetmap.gaps import GapResult, analyse_gaps
from assetmap.gaps.analysis import METHODS
from assetmap.gaps.inputs import check_distance
from assetmap.gaps.priority import FACTORS, check_weights
from assetmap.jobs import runner
from assetmap.network import build_graph
from assetmap.network.bridging import ei_index
from assetmap.store.analysis_inputs import gap_layers, network_records
from assetmap.store.models import Area, Asset, ReportSnapshot
from assetmap.store.visibility import Viewer, asset_filter

KIND = "gaps"
# Who a report on the web is drawn for: it may go to any worker, planner or admin, so it shows
# individual assets only as a planner may see them (published, public or members-only, never
# a person's skill). Counts and access figures still include every published asset.
REPORT_VIEWER = Viewer(role="planner")
HIDDEN_NAME = "(an asset not shown)"


def parse_weights(text: str | None) -> dict[str, float] | None:
    """'need=2,access=1' -> {'need': 2.0, 'access': 1.0}; blank -> None (the defaults)."""
    if text is None or not str(text).strip():
        return None
    out: dict[str, float] = {}
    for part in str(text).split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(
                f"weights must read like need=1,access=1,bridging=1; {part.strip()!r} has no "
                "factor=number",
                field="weights",
            )
        try:
            out[key] = float(value)
        except ValueError:
            raise InvalidInput(
                f"weight for {key} must be a number, got {value.strip()!r}", field="weights"
            ) from None
        if key in FACTORS and not np.isfinite(out[key]):
            raise InvalidInput(f"weight for {key} must be a finite number", field="weights")
    return check_weights(out)


def check_params(
    walk: object = 800, method: object = "2sfca", threshold: object = None, weights=None
) -> dict:
    """The run settings, checked, as plain JSON-ready values (what a job and snapshot keep).

    `weights` is text ('need=1,access=2') or a mapping; messages name the setting as the
    command line and the web page do (walk, method, threshold, weights).
    """
    params = {"walk_m": check_distance(walk, "walk")}
    method = str(method or "2sfca").strip().lower()
    if method not in METHODS:
        raise InvalidInput(
            f"method must be one of {', '.join(METHODS)}, got {method!r}", field="method"
        )
    params["method"] = method
    blank = threshold is None or (isinstance(threshold, str) and not threshold.strip())
    params["threshold_m"] = None if blank else check_distance(threshold, "threshold")
    if isinstance(weights, Mapping):
        params["weights"] = check_weights(weights)
    else:
        params["weights"] = parse_weights(weights)
    return params


def area_bridging(session: Session, *, on: date | None = None) -> tuple[dict | None, list[str]]:
    """E-I index by area name from the published network on day `on` (default today).

    Returns (None, notes) when no published link stands that day: there is nothing to read.
    """
    day = on or date.today()
    assets, links = network_records(session, on=day)
    if not links:
        return None, [f"No published links stood on {day.isoformat()}, so there are no "
                      "bridging ties to weigh."]
    table = ei_index(build_graph(assets, links), "area")
    values = {row["group"]: row["ei"] for row in table["groups"] if row["ei"] is not None}
    notes = [
        f"Bridging is each area's E-I index from the {len(links)} published link(s) standing "
        f"on {day.isoformat()}: (ties leaving the area - ties inside it) / its ties, -1 all "
        "inside to +1 all crossing. It is a ratio: an area with a handful of ties can score "
        "as high as one with many."
    ]
    if table["unknown"]:
        notes.append(f"{table['unknown']} tie(s) touch an asset outside every area and are "
                     "left out of the E-I index.")
    return values, notes


def _viewable(result: GapResult, session: Session, viewer: Viewer) -> GapResult:
    """The result with individual assets cut down to what `viewer` may see."""
    visible = set(session.scalars(
        select(Asset.id).where(asset_filter(viewer), Asset.status == "published")))
    assets = result.assets[result.assets["id"].isin(visible)].reset_index(drop=True)
    names = set(assets["name"])
    missing = result.services_without_assets.copy()
    nearest = missing["nearest_asset_name"]
    missing["nearest_asset_name"] = nearest.where(nearest.isna() | nearest.isin(names),
                                                  HIDDEN_NAME)
    notes = list(result.notes)
    hidden = len(result.assets) - len(assets)
    if hidden:
        notes.append(f"{hidden} asset(s) (people's skills or private entries) count "
                     "in the figures but are not drawn on the map or named.")
    return GapResult(areas=result.areas, services_without_assets=missing,
                     services=result.services, assets=assets,
                     parameters=result.parameters, notes=notes)


def run_gaps(
    session: Session,
    *,
    walk_m: float = 800,
    method: str = "2sfca",
    threshold_m: float | None = None,
    weights: Mapping[str, float] | None = None,
    bridging: bool = True,
    on: date | None = None,
    viewer: Viewer | None = None,
    seed: int = 0,
) -> GapResult:
    """The gap analysis of the store's areas, public services and published assets.

    `bridging` weighs each area's E-I index from the published links (when any stand on
    `on`, default today). With `viewer`, the assets drawn and named are only those that
    viewer may see (the figures still count them all). Raises InvalidInput on bad settings
    or data (no assets, areas without population, ...): nothing comes back half-computed.
    """
    areas, services, assets = gap_layers(session)
    if len(assets) == 0:
        raise InvalidInput("there are no published assets to analyse: import or publish "
                           "some first")
    ids = dict(zip(areas["name"], areas["id"], strict=True))
    if not bridging:
        values, notes = None, ["Bridging ties were left out of this run on request."]
    elif len(areas) == 0:
        values, notes = None, ["Bridging ties are read by area, and no areas are loaded."]
    else:
        values, notes = area_bridging(session, on=on)
    kwargs = {} if threshold_m is None else {"threshold_m": threshold_m}
    result = analyse_gaps(
        areas.drop(columns="id") if len(areas) else None,
        services if len(services) else None,
        assets,
        walk_m=walk_m,
        method=method,
        weights=weights,
        bridging=values,
        seed=seed,
        **kwargs,
    )
    # Keep the store's area ids beside the names, so others can join on them.
    result.areas.insert(0, "area_id", result.areas["name"].map(ids).astype("Int64"))
    result.notes[:0] = notes
    return _viewable(result, session, viewer) if viewer is not None else result


def data_size(session: Session) -> tuple[int, int]:
    """(areas, published assets) in the store: what decides a wait-while-you-read run."""
    areas = session.scalar(select(func.count()).select_from(Area)) or 0
    assets = session.scalar(select(func.count()).select_from(Asset)
                            .where(Asset.status == "published")) or 0
    return int(areas), int(assets)


def latest_saved_scores(session: Session) -> tuple[dict[int, float], object] | None:
    """(area id -> priority score, when it was saved) from the latest saved run; None if none."""
    latest = session.scalar(select(ReportSnapshot).where(ReportSnapshot.kind == KIND)
                            .order_by(ReportSnapshot.created_at.desc(),
                                      ReportSnapshot.id.desc()).limit(1))
    if latest is None:
        return None
    return _scores(result_from_json(latest.result).areas), latest.created_at


def area_priority_scores(session: Session, *, saved: bool = False) -> dict[int, float]:
    """Area id -> priority score for capacity building (0..1, higher = invest sooner).

    By default a fresh run of the default analysis (800 m walk, 2SFCA, equal weights,
    bridging from today's links): about a second for a neighbourhood, ten for a city. With
    `saved`, the scores of the latest saved run instead (the settings a planner chose), when
    there is one. Empty when there are no areas or no published assets; areas without a
    score are left out. Raises InvalidInput when the data cannot be analysed (e.g. an area
    lacks a population).
    """
    if saved:
        latest = session.scalar(select(ReportSnapshot).where(ReportSnapshot.kind == KIND)
                                .order_by(ReportSnapshot.created_at.desc(),
                                          ReportSnapshot.id.desc()).limit(1))
        if latest is not None:
            return _scores(result_from_json(latest.result).areas)
    areas, assets = data_size(session)
    if areas == 0 or assets == 0:
        return {}
    return _scores(run_gaps(session).areas)


def _scores(frame: pd.DataFrame) -> dict[int, float]:
    if "area_id" not in frame.columns:
        return {}
    scored = frame[frame["priority"].notna() & frame["area_id"].notna()]
    return {int(a): float(p) for a, p in zip(scored["area_id"], scored["priority"], strict=True)}


# --- snapshots: a result as JSON and back ------------------------------------------------


def _layer_json(frame: gpd.GeoDataFrame | None) -> dict | None:
    if frame is None:
        return None
    # Borrow GapResult's RFC 7946 writer (ring orientation, NaN as null) for any layer.
    holder = GapResult(areas=frame, services_without_assets=frame, services=None, assets=frame)
    data = holder.to_geojson("areas")
    data["dtypes"] = {c: str(t) for c, t in frame.dtypes.items() if c != frame.geometry.name}
    data["columns"] = [c for c in frame.columns if c != frame.geometry.name]
    return data


def _layer_frame(data: dict | None) -> gpd.GeoDataFrame | None:
    if data is None:
        return None
    columns = data.get("columns", [])
    features = data.get("features", [])
    if features:
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    else:
        frame = gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs="EPSG:4326")
    frame = frame[[*columns, "geometry"]]
    for col, dtype in data.get("dtypes", {}).items():
        if dtype.startswith(("float", "int", "bool", "Int")):
            values = frame[col]
            if dtype.startswith("float"):
                values = pd.to_numeric(values, errors="coerce")
            frame[col] = values.astype("float64" if dtype.startswith("float") else dtype)
    return frame


def result_to_json(result: GapResult) -> dict:
    """A JSON-ready copy of a result (layers as RFC 7946 GeoJSON with their column types)."""
    return {
        "areas": _layer_json(result.areas),
        "services_without_assets": _layer_json(result.services_without_assets),
        "services": _layer_json(result.services),
        "assets": _layer_json(result.assets),
        "parameters": result.parameters,
        "notes": list(result.notes),
    }


def result_from_json(data: Mapping) -> GapResult:
    """The result saved by `result_to_json`, ready to render or download again."""
    try:
        return GapResult(
            areas=_layer_frame(data["areas"]),
            services_without_assets=_layer_frame(data["services_without_assets"]),
            services=_layer_frame(data.get("services")),
            assets=_layer_frame(data["assets"]),
            parameters=dict(data.get("parameters", {})),
            notes=list(data.get("notes", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"not a saved gap analysis: {exc}") from exc


def save_snapshot(session: Session, result: GapResult, params: dict, *,
                  user_id: int | None) -> int:
    """Store a result as a `report_snapshot` of kind 'gaps'; returns its id."""
    snapshot = ReportSnapshot(kind=KIND, params=dict(params), result=result_to_json(result),
                              created_by=user_id)
    session.add(snapshot)
    session.flush()
    return snapshot.id


def load_snapshot(session: Session, snapshot_id: int) -> tuple[ReportSnapshot, GapResult]:
    """A saved gap analysis and its result; NotFound if there is none."""
    snapshot = session.get(ReportSnapshot, snapshot_id)
    if snapshot is None or snapshot.kind != KIND:
        raise NotFound(f"there is no saved gap analysis {snapshot_id}")
    return snapshot, result_from_json(snapshot.result)


@runner(KIND)
def run_gaps_job(session: Session, params: dict, progress, *, user_id: int | None) -> int:
    """The background job: check the settings, run, save a snapshot; returns its id."""
    progress(0.05, "checking the settings")
    checked = check_params(params.get("walk_m", 800), params.get("method", "2sfca"),
                           params.get("threshold_m"), params.get("weights"))
    progress(0.15, "reading areas, services, assets and links")
    result = run_gaps(session, walk_m=checked["walk_m"], method=checked["method"],
                      threshold_m=checked["threshold_m"], weights=checked["weights"],
                      viewer=REPORT_VIEWER)
    progress(0.9, "saving the snapshot")
    return save_snapshot(session, result, checked, user_id=user_id)
