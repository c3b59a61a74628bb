"""The network report on the web (workers, planners, admins): the page, downloads,
snapshots, comparisons between two snapshots, and background runs for large networks.

Up to SYNC_MAX_ASSETS published assets the report is built while the page loads (a
neighbourhood takes a second or two); above that it runs as a background job and the page
follows it. The report's folium map is inline script in a `srcdoc` frame, so these pages get
the report CSP that allows inline scripts (as the gap analysis pages do).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, url_for
from redis.exceptions import RedisError
from sqlalchemy import func, select

from assetmap import jobs
from assetmap.errors import EnvironmentProblem, InvalidInput, NotFound
from assetmap.export.network import graph_graphml, node_measures_csv
from assetmap.reports.network import SIZE_MEASURES, render_network_report
from assetmap.reports.network_run import (
    KIND,
    check_params,
    compare_snapshots,
    links_geojson,
    list_snapshots,
    load_snapshot,
    nodes_geojson,
    run_network,
    save_snapshot,
    title_for,
)
from assetmap.store.models import Area, Asset
from assetmap.web.database import db_session
from assetmap.web.reports_gaps import REPORT_CSP
from assetmap.web.roles import require_role
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("reports_network", __name__)
ROLES = ("worker", "planner", "admin")
SYNC_MAX_ASSETS = 3000


def _form(args) -> dict:
    return {k: args.get(k, "") for k in ("area", "on", "size_by") if args.get(k)}


def _params(args) -> dict:
    return check_params(area=args.get("area"), on=args.get("on"), size_by=args.get("size_by"))


def _page(status: int = 200, **context) -> Response:
    session = db_session()
    html = render_template(
        "reports/network_page.html", form=context.pop("form", {}),
        areas=session.scalars(select(Area.name).order_by(Area.name)).all(),
        measures=SIZE_MEASURES, snapshots=list_snapshots(session)[:20], **context)
    response = Response(html, status=status, mimetype="text/html")
    if context.get("report"):
        response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


def _render(report, params: dict) -> str:
    return render_network_report(report, title=title_for(params), size_by=params["size_by"],
                                 static_url=url_for("static", filename="vendor"))


def _published_assets() -> int:
    return db_session().scalar(select(func.count()).where(Asset.status == "published"))


@blueprint.get("/reports/network")
@require_role(*ROLES)
def network_page():
    """The report for the settings in the query string (area, on, size_by)."""
    form = _form(request.args)
    try:
        params = _params(request.args)
    except InvalidInput as exc:
        return _page(400, form=form, error=exc.message)
    if _published_assets() > SYNC_MAX_ASSETS:
        return _page(form=form, background=True, max_assets=SYNC_MAX_ASSETS)
    try:
        _, report = run_network(db_session(), params)
    except InvalidInput as exc:
        return _page(400, form=form, error=exc.message)
    query = f"?{urlencode(form)}" if form else ""
    downloads = {"Node measures (CSV)": url_for(".nodes_csv") + query,
                 "Measures on the map (GeoJSON)": url_for(".nodes_geojson_download") + query,
                 "Graph (GraphML)": url_for(".graph_graphml_download") + query,
                 "Links (GeoJSON)": url_for(".links_download") + query}
    return _page(form=form, report=_render(report, params), downloads=downloads)


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _fresh():
    params = _params(request.args)
    if _published_assets() > SYNC_MAX_ASSETS:
        raise InvalidInput("this network is too large to build while you wait; run it in the "
                           "background from /reports/network and download from the snapshot")
    return run_network(db_session(), params)


@blueprint.get("/reports/network/nodes.csv")
@require_role(*ROLES)
def nodes_csv():
    """Every asset's measures as CSV."""
    _, report = _fresh()
    return _download(node_measures_csv(report), "text/csv", "network-nodes.csv")


@blueprint.get("/reports/network/graph.graphml")
@require_role(*ROLES)
def graph_graphml_download():
    """The graph as GraphML (for Gephi, Cytoscape, networkx)."""
    graph, _ = _fresh()
    return _download(graph_graphml(graph), "application/graphml+xml", "network.graphml")


@blueprint.get("/reports/network/links.geojson")
@require_role(*ROLES)
def links_download():
    """The links as GeoJSON lines."""
    _, report = _fresh()
    return _download(json.dumps(links_geojson(report)), "application/geo+json",
                     "network-links.geojson")


@blueprint.get("/reports/network/nodes.geojson")
@require_role(*ROLES)
def nodes_geojson_download():
    """Each asset's measures joined to its point (skills left out), as GeoJSON."""
    _, report = _fresh()
    return _download(json.dumps(nodes_geojson(report)), "application/geo+json",
                     "network-measures.geojson")


@blueprint.get("/export/network.geojson")
@require_role(*ROLES)
def export_alias():
    """The network measures layer beside the other exports."""
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    return redirect(url_for(".nodes_geojson_download") + query, code=307)


@blueprint.post("/reports/network/snapshots")
@require_role(*ROLES)
def save():
    """Save today's report (or run it in the background when large) as a snapshot."""
    source = request.form
    try:
        params = check_params(area=source.get("area"), on=source.get("on"),
                              size_by=source.get("size_by"))
    except InvalidInput as exc:
        return _page(400, form=_form(source), error=exc.message)
    if _published_assets() > SYNC_MAX_ASSETS:
        try:
            job_id = jobs.enqueue(KIND, params, user_id=current_viewer().user_id)
        except RedisError as exc:
            raise EnvironmentProblem("the background job queue (Redis) is not available just "
                                     "now; please try again shortly") from exc
        return redirect(url_for(".job_page", job_id=job_id), code=303)
    session = db_session()
    try:
        _, report = run_network(session, params)
    except InvalidInput as exc:
        return _page(400, form=_form(source), error=exc.message)
    snapshot_id = save_snapshot(session, report, params, user_id=current_viewer().user_id)
    session.commit()
    return redirect(url_for(".snapshot_page", snapshot_id=snapshot_id), code=303)


@blueprint.get("/reports/network/jobs/<job_id>")
@require_role(*ROLES)
def job_page(job_id: str):
    """Follows a background run and opens its snapshot when done."""
    try:
        state = jobs.status(job_id)
    except RedisError as exc:
        raise EnvironmentProblem("the background job queue (Redis) is not available") from exc
    if state.get("snapshot_id") is not None:
        return redirect(url_for(".snapshot_page", snapshot_id=state["snapshot_id"]), code=303)
    return render_template("reports/network_job.html", job=state)


@blueprint.get("/reports/network/snapshots/<int:snapshot_id>")
@require_role(*ROLES)
def snapshot_page(snapshot_id: int):
    """A saved report, as it was."""
    try:
        snapshot, report = load_snapshot(db_session(), snapshot_id)
    except NotFound as exc:
        return _page(404, error=exc.message)
    params = {**snapshot.params, "size_by": snapshot.params.get("size_by", "betweenness")}
    return _page(form=_form(params), report=_render(report, params), snapshot=snapshot)


@blueprint.get("/reports/network/compare")
@require_role(*ROLES)
def compare_page():
    """What changed between two snapshots: ?before=ID&after=ID."""
    try:
        before, after = int(request.args["before"]), int(request.args["after"])
    except (KeyError, ValueError):
        return _page(400, error="choose two saved reports to compare (before and after)")
    session = db_session()
    try:
        change = compare_snapshots(session, before, after)
        snapshots = {i: load_snapshot(session, i)[0] for i in (before, after)}
    except NotFound as exc:
        return _page(404, error=exc.message)
    return render_template("reports/network_compare.html", change=change,
                           before=snapshots[before], after=snapshots[after])
