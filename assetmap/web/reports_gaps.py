"""Gap analysis on the web: the report page, its layer downloads, background runs, snapshots.

For workers, planners and admins. Small data (a neighbourhood: up to SYNC_MAX_AREAS areas and
SYNC_MAX_ASSETS assets, a few seconds) is analysed while the page loads; larger data runs as a
background job whose result is a saved snapshot, because a city takes ten seconds or more.

The report's map is a folium (Leaflet) map made of inline scripts, shown in `srcdoc` frames
that inherit this page's Content-Security-Policy; so report pages alone allow inline scripts.
Every name in them is escaped (Jinja autoescape, and `reports.gaps` escapes map popups).
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from redis.exceptions import RedisError
from sqlalchemy import select

from assetmap import jobs
from assetmap.errors import EnvironmentProblem, InvalidInput, NotFound
from assetmap.reports.gaps import render_gaps_report
from assetmap.reports.gaps_run import (
    KIND,
    REPORT_VIEWER,
    check_params,
    data_size,
    load_snapshot,
    run_gaps,
)
from assetmap.store.models import ReportSnapshot
from assetmap.web.database import db_session
from assetmap.web.roles import require_role
from assetmap.web.security import CSP
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("reports_gaps", __name__)

ROLES = ("worker", "planner", "admin")
SYNC_MAX_AREAS = 200
SYNC_MAX_ASSETS = 5000
ARGS = ("walk", "method", "threshold", "weights")
REPORT_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def _form_args(source) -> dict[str, str]:
    """The settings as given (query string or form), for refilling the form and links."""
    return {k: source.get(k, "").strip()[:200] for k in ARGS if source.get(k, "").strip()}


def _params(source) -> dict:
    """Checked run settings from a query string or form; InvalidInput names the problem."""
    given = _form_args(source)
    return check_params(given.get("walk", "800"), given.get("method", "2sfca"),
                        given.get("threshold"), given.get("weights"))


def _too_large(areas: int, assets: int) -> bool:
    """Whether a run would keep a page waiting too long (no areas means an H3 grid)."""
    if areas == 0:
        return assets > SYNC_MAX_ASSETS // 10
    return areas > SYNC_MAX_AREAS or assets > SYNC_MAX_ASSETS


def _recent_snapshots(limit: int = 10) -> list[dict]:
    rows = db_session().execute(
        select(ReportSnapshot.id, ReportSnapshot.created_at, ReportSnapshot.params)
        .where(ReportSnapshot.kind == KIND)
        .order_by(ReportSnapshot.created_at.desc(), ReportSnapshot.id.desc()).limit(limit))
    return [{"id": i, "created_at": at, "params": params or {}} for i, at, params in rows]


def _page(status: int = 200, **context):
    """The page in the site layout; report pages get the CSP their map needs."""
    areas, assets = context.pop("size", (None, None))
    html = render_template("reports/gaps_page.html", form=context.pop("form", {}),
                           areas=areas, assets=assets, snapshots=_recent_snapshots(),
                           max_areas=SYNC_MAX_AREAS, max_assets=SYNC_MAX_ASSETS, **context)
    response = Response(html, status=status, mimetype="text/html")
    if context.get("report"):
        response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


def _render(result, downloads: dict[str, str], title: str) -> str:
    return render_gaps_report(result, title=title,
                              static_url=url_for("static", filename="vendor"),
                              tiles_url=current_app.config.get("TILE_URL"),
                              download_urls=downloads)


@blueprint.get("/reports/gaps")
@require_role(*ROLES)
def gaps_page():
    """The report for the settings in the query string, or where to run it in the background."""
    form = _form_args(request.args)
    try:
        params = _params(request.args)
    except InvalidInput as exc:
        return _page(400, form=form, error=exc.message)
    session = db_session()
    size = data_size(session)
    if _too_large(*size):
        return _page(form=form, size=size, background=True)
    try:
        result = run_gaps(session, walk_m=params["walk_m"], method=params["method"],
                          threshold_m=params["threshold_m"], weights=params["weights"],
                          viewer=REPORT_VIEWER)
    except InvalidInput as exc:
        return _page(400, form=form, size=size, error=exc.message)
    query = f"?{urlencode(form)}" if form else ""
    downloads = {"GeoJSON": url_for(".gaps_geojson") + query,
                 "CSV": url_for(".gaps_csv") + query}
    title = f"Today's data, {date.today():%d %B %Y}"
    return _page(form=form, size=size, report=_render(result, downloads, title),
                 downloads=downloads)


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _live_result():
    """The analysis for a download request; too large for a request means a saved run."""
    params = _params(request.args)
    session = db_session()
    areas, assets = data_size(session)
    if _too_large(areas, assets):
        raise InvalidInput(
            f"{areas} areas and {assets} assets are too many to analyse while you wait: run "
            "the analysis in the background from /reports/gaps and download its snapshot")
    return run_gaps(session, walk_m=params["walk_m"], method=params["method"],
                    threshold_m=params["threshold_m"], weights=params["weights"],
                    viewer=REPORT_VIEWER)


def _geojson(result) -> Response:
    return _download(json.dumps(result.to_geojson(), allow_nan=False),
                     "application/geo+json", "gaps.geojson")


def _csv(result) -> Response:
    return _download(result.to_csv(), "text/csv", "gaps.csv")


@blueprint.get("/export/gaps.<fmt>")
@require_role(*ROLES)
def export_alias(fmt: str):
    """The gap layer beside the other exports (GeoJSON or CSV)."""
    if fmt not in ("geojson", "csv"):
        raise NotFound(f"the gap layer comes as geojson or csv, not {fmt!r}")
    target = url_for(".gaps_geojson" if fmt == "geojson" else ".gaps_csv")
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    return redirect(target + query, code=307)


@blueprint.get("/reports/gaps.geojson")
@require_role(*ROLES)
def gaps_geojson():
    """The gap layer (every area with every measure) as RFC 7946 GeoJSON."""
    return _geojson(_live_result())


@blueprint.get("/reports/gaps.csv")
@require_role(*ROLES)
def gaps_csv():
    """The gap layer as CSV, one row per area."""
    return _csv(_live_result())


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


@blueprint.post("/reports/gaps/run")
@require_role(*ROLES)
def run_in_background():
    """Queue a run with the given settings (form or JSON); it saves a snapshot when done.

    JSON clients get 202 with the job's status URL; a form is sent on to a page that
    follows the run. Bad settings are refused before anything is queued.
    """
    try:
        job_id = _enqueue()
    except (InvalidInput, EnvironmentProblem) as exc:
        if not _wants_json():
            raise
        return jsonify(exc.to_dict()), exc.status
    if _wants_json():
        return jsonify({"job": job_id, "status_url": url_for(".job_status", job_id=job_id),
                        "page_url": url_for(".job_page", job_id=job_id)}), 202
    return redirect(url_for(".job_page", job_id=job_id), code=303)


def _enqueue() -> str:
    if request.is_json:
        source = request.get_json(silent=True)
        if not isinstance(source, dict):
            raise InvalidInput("send the settings as a JSON object, e.g. {\"walk\": 800}")
    else:
        source = request.form
    params = _params({k: str(v) for k, v in source.items() if v is not None})
    try:
        return jobs.enqueue(KIND, params, user_id=current_viewer().user_id)
    except RedisError as exc:
        raise EnvironmentProblem("the background job queue (Redis) is not available just now; "
                                 "please try again shortly") from exc


def _status(job_id: str) -> dict:
    try:
        state = jobs.status(job_id)
    except RedisError as exc:
        raise EnvironmentProblem("the background job queue (Redis) is not available just now")\
            from exc
    snapshot_id = state.get("snapshot_id")
    # The queue is shared with other reports: link only snapshots that are gap analyses.
    if snapshot_id is not None and db_session().scalar(
            select(ReportSnapshot.kind).where(ReportSnapshot.id == snapshot_id)) == KIND:
        state["snapshot_url"] = url_for(".snapshot_page", snapshot_id=snapshot_id)
    return state


@blueprint.get("/reports/jobs/<job_id>")
@require_role(*ROLES)
def job_status(job_id: str):
    """A background run's state, progress and (when finished) snapshot id, as JSON."""
    try:
        return jsonify(_status(job_id))
    except (NotFound, EnvironmentProblem) as exc:
        return jsonify(exc.to_dict()), exc.status


@blueprint.get("/reports/gaps/jobs/<job_id>")
@require_role(*ROLES)
def job_page(job_id: str):
    """A page that follows a background run and opens its snapshot when it is done."""
    state = _status(job_id)
    if state.get("snapshot_url"):
        return redirect(state["snapshot_url"], code=303)
    return render_template("reports/gaps_job.html", job=state)


@blueprint.get("/reports/gaps/snapshots/<int:snapshot_id>")
@require_role(*ROLES)
def snapshot_page(snapshot_id: int):
    """A saved run, as it was when it ran."""
    snapshot, result = load_snapshot(db_session(), snapshot_id)
    downloads = {"GeoJSON": url_for(".snapshot_geojson", snapshot_id=snapshot_id),
                 "CSV": url_for(".snapshot_csv", snapshot_id=snapshot_id)}
    title = f"Gap analysis saved {snapshot.created_at:%d %B %Y, %H:%M}"
    return _page(form=_snapshot_form(snapshot.params), snapshot=snapshot,
                 report=_render(result, downloads, title), downloads=downloads)


def _snapshot_form(params: dict) -> dict[str, str]:
    """A saved run's settings as the form would show them."""
    form = {"walk": f"{params.get('walk_m', 800):g}", "method": params.get("method", "2sfca")}
    if params.get("threshold_m"):
        form["threshold"] = f"{params['threshold_m']:g}"
    if params.get("weights"):
        form["weights"] = ",".join(f"{k}={v:g}" for k, v in params["weights"].items())
    return form


@blueprint.get("/reports/gaps/snapshots/<int:snapshot_id>.geojson")
@require_role(*ROLES)
def snapshot_geojson(snapshot_id: int):
    """A saved run's gap layer as GeoJSON."""
    return _geojson(load_snapshot(db_session(), snapshot_id)[1])


@blueprint.get("/reports/gaps/snapshots/<int:snapshot_id>.csv")
@require_role(*ROLES)
def snapshot_csv(snapshot_id: int):
    """A saved run's gap layer as CSV."""
    return _csv(load_snapshot(db_session(), snapshot_id)[1])
