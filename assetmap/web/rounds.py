"""Participatory rounds: pages under /rounds and the JSON API under /api/v1/rounds.

Thin views: they parse the request, call `assetmap.store.rounds` / `ballots` (where every rule
lives), commit, and render. Form posts that break a rule show the round's page again with the
message; API calls get the error as JSON with its status (see `web/errors.py`).
"""

from __future__ import annotations

import json
import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from assetmap.errors import AssetmapError, InvalidInput, NotFound, NotSignedIn
from assetmap.export import rounds as export
from assetmap.store import ballots
from assetmap.store import rounds as store
from assetmap.store.models import Area
from assetmap.web.api import body, reason_of
from assetmap.web.database import db_session
from assetmap.web.roles import require_role
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("rounds", __name__)

STATE_LABELS = {"upcoming": "Opens soon", "open": "Open", "closed": "Closed"}
CHOICE_FIELD = re.compile(r"choice-(.+)")


# --- shapes ----------------------------------------------------------------------------------

def round_json(session, rnd) -> dict:
    """A round as the API shows it (no one's ballot, no totals)."""
    return {"id": rnd.id, "title": rnd.title, "question": rnd.question, "mode": rnd.mode,
            "budget": rnd.budget, "opens_at": rnd.opens_at.isoformat(),
            "closes_at": rnd.closes_at.isoformat(),
            "closed_early_at": rnd.closed_early_at.isoformat() if rnd.closed_early_at else None,
            "hide_totals": rnd.hide_totals, "state": store.state(rnd),
            "area_ids": store.area_ids(session, rnd.id),
            "ballots": ballots.ballot_count(session, rnd.id)}


def proposal_json(proposal, lon: float, lat: float) -> dict:
    """A proposal with its place."""
    return {"id": proposal.id, "round_id": proposal.round_id, "title": proposal.title,
            "description": proposal.description, "lon": lon, "lat": lat,
            "area_id": proposal.area_id, "asset_ids": proposal.asset_ids,
            "status": proposal.status, "reason": proposal.reason,
            "version": proposal.version}


def ballot_json(ballot) -> dict:
    """The asker's own ballot."""
    return {"round_id": ballot.round_id, "choices": ballot.choices,
            "updated_at": ballot.updated_at.isoformat() if ballot.updated_at else None}


def _gap_scores(session) -> tuple[dict[int, float], str]:
    """The priority scores of the latest saved gap analysis, or the need index when no
    analysis has been saved; and a sentence saying which, for the results page."""
    from assetmap.reports.gaps_run import latest_saved_scores

    saved = latest_saved_scores(session)
    if saved is not None:
        scores, when = saved
        return scores, ("Gap score: the capacity-building priority of the proposal's area "
                        f"(0–1, higher means invest sooner) from the gap analysis saved on "
                        f"{when:%d %b %Y}, so need and residents' choices can be read side by "
                        "side.")
    return store.area_gap_scores(session), (
        "Gap score: the need index of the proposal's area (higher means more need), because "
        "no gap analysis has been saved yet; so need and residents' choices can be read side "
        "by side.")


def _results(round_id: int):
    session = db_session()
    rnd = store.get_round(session, round_id)
    ballots.require_totals_visible(rnd, current_viewer())
    scores, note = _gap_scores(session)
    got = ballots.results(session, round_id, gap_scores=scores)
    got.gap_note = note
    return got


# --- JSON API --------------------------------------------------------------------------------

@blueprint.get("/api/v1/rounds")
def api_list():
    """Every round with its state and areas."""
    session = db_session()
    return jsonify([round_json(session, r) for r in store.list_rounds(session)])


@blueprint.post("/api/v1/rounds")
def api_create():
    """Open a round (workers and admins)."""
    session = db_session()
    rnd = store.create_round(session, body(), current_viewer())
    session.commit()
    response = jsonify(round_json(session, rnd))
    response.status_code = 201
    response.headers["Location"] = url_for("rounds.api_get", round_id=rnd.id)
    return response


@blueprint.get("/api/v1/rounds/<int:round_id>")
def api_get(round_id: int):
    """One round and the proposals the asker may see."""
    session = db_session()
    rnd = store.get_round(session, round_id)
    out = round_json(session, rnd)
    out["proposals"] = [proposal_json(*row)
                        for row in store.proposals(session, round_id, current_viewer())]
    return jsonify(out)


@blueprint.post("/api/v1/rounds/<int:round_id>/close")
def api_close(round_id: int):
    """Close a round now (workers and admins)."""
    session = db_session()
    rnd = store.close_round(session, round_id, current_viewer())
    session.commit()
    return jsonify(round_json(session, rnd))


@blueprint.get("/api/v1/rounds/<int:round_id>/proposals")
def api_proposals(round_id: int):
    """The round's proposals the asker may see."""
    session = db_session()
    store.get_round(session, round_id)
    return jsonify([proposal_json(*row)
                    for row in store.proposals(session, round_id, current_viewer())])


@blueprint.post("/api/v1/rounds/<int:round_id>/proposals")
def api_propose(round_id: int):
    """Propose an action: `title`, `description`, `lon`/`lat` (or a GeoJSON Point as
    `geometry`), optional `asset_ids`."""
    session = db_session()
    proposal = store.create_proposal(session, round_id, body(), current_viewer())
    session.commit()
    (row,) = [r for r in store.proposals(session, round_id, current_viewer())
              if r[0].id == proposal.id]
    return jsonify(proposal_json(*row)), 201


@blueprint.post("/api/v1/rounds/<int:round_id>/proposals/<int:proposal_id>/status")
def api_proposal_status(round_id: int, proposal_id: int):
    """Approve (`published`), reject (with a `reason`) or archive a proposal."""
    data = body()
    session = db_session()
    proposal = store.set_proposal_status(
        session, round_id, proposal_id, data.get("status", ""), current_viewer(),
        reason=reason_of(data), version=data.get("version"))
    session.commit()
    return jsonify({"id": proposal.id, "status": proposal.status,
                    "version": proposal.version})


@blueprint.get("/api/v1/rounds/<int:round_id>/ballot")
def api_my_ballot(round_id: int):
    """The asker's own ballot (404 if they have not voted)."""
    viewer = current_viewer()
    store.require_signed_in(viewer, "see your ballot")
    session = db_session()
    store.get_round(session, round_id)
    ballot = ballots.my_ballot(session, round_id, viewer)
    if ballot is None:
        raise NotFound("you have not voted in this round")
    return jsonify(ballot_json(ballot))


@blueprint.route("/api/v1/rounds/<int:round_id>/ballot", methods=["PUT", "POST"])
def api_vote(round_id: int):
    """Cast or change the asker's ballot: `{"choices": {"<proposal id>": points or rank}}`."""
    data = body()
    session = db_session()
    ballot = ballots.cast_ballot(session, round_id, data.get("choices"), current_viewer())
    session.commit()
    return jsonify(ballot_json(ballot))


@blueprint.get("/api/v1/rounds/<int:round_id>/results")
def api_results(round_id: int):
    """Totals, turnout and gap scores (once the asker may see them)."""
    return jsonify(export.results_json(_results(round_id)))


@blueprint.route("/api/v1/rounds/home-area", methods=["GET", "PUT"])
def api_home_area():
    """Read or set (`{"area_id": id or null}`) the asker's home area."""
    viewer = current_viewer()
    store.require_signed_in(viewer, "say where you live")
    session = db_session()
    if request.method == "PUT":
        ballots.set_home_area(session, viewer, body().get("area_id"))
        session.commit()
    return jsonify({"area_id": ballots.home_area_id(session, viewer)})


# --- pages -----------------------------------------------------------------------------------

def _map_settings() -> dict:
    return {"tile_url": current_app.config["TILE_URL"],
            "tile_attribution": current_app.config["TILE_ATTRIBUTION"]}


@blueprint.get("/rounds")
def list_page():
    """Rounds: open ones in the asker's area first, then the rest."""
    session = db_session()
    viewer = current_viewer()
    home = ballots.home_area_id(session, viewer)
    area_names = {a.id: a.name for a in ballots.all_areas(session)}
    by_round = store.round_areas_map(session)
    groups: dict[str, list] = {"yours": [], "open": [], "upcoming": [], "closed": []}
    for rnd in store.list_rounds(session):
        moment = store.state(rnd)
        ids = by_round.get(rnd.id, [])
        entry = {"round": rnd, "state": moment, "areas": [area_names[i] for i in ids]}
        key = "yours" if moment == "open" and home in ids else moment
        groups[key].append(entry)
    return render_template("rounds/list.html", groups=groups, viewer=viewer,
                           home=area_names.get(home), labels=STATE_LABELS)


@blueprint.route("/rounds/new", methods=["GET", "POST"])
@require_role("worker", "admin")
def new_page():
    """The form to open a round (workers and admins)."""
    session = db_session()
    form = request.form.to_dict() if request.method == "POST" else {"mode": "points",
                                                                     "budget": "10"}
    error, status = None, 200
    if request.method == "POST":
        data = {**form, "area_ids": request.form.getlist("area_ids"),
                "hide_totals": "hide_totals" in request.form}
        try:
            rnd = store.create_round(session, data, current_viewer())
            session.commit()
        except AssetmapError as exc:
            session.rollback()
            error, status = exc.message, exc.status
        else:
            flash("The round is open for proposals." if store.state(rnd) != "closed"
                  else "The round was saved.")
            return redirect(url_for("rounds.round_page", round_id=rnd.id))
    return render_template("rounds/new.html", areas=ballots.all_areas(session), form=form,
                           chosen={str(i) for i in request.form.getlist("area_ids")},
                           error=error), status


def _round_page(round_id: int, *, status: int = 200, error: str | None = None,
                form: dict | None = None):
    session = db_session()
    viewer = current_viewer()
    try:
        rnd = store.get_round(session, round_id)
    except NotFound:
        abort(404, description=f"There is no round {round_id}.")
    moment = store.state(rnd)
    rows = store.proposals(session, round_id, viewer)
    areas = store.areas_of(session, round_id)
    home = ballots.home_area_id(session, viewer)
    mine = ballots.my_ballot(session, round_id, viewer)
    markers = [{"id": p.id, "title": p.title, "lon": lon, "lat": lat, "status": p.status}
               for p, lon, lat in rows]
    return render_template(
        "rounds/round.html", round=rnd, state=moment, labels=STATE_LABELS, viewer=viewer,
        proposals=rows, published=[p for p, _, _ in rows if p.status == "published"],
        areas=areas, home=db_session().get(Area, home) if home else None,
        eligible=home in {a.id for a in areas}, ballot=mine.choices if mine else {},
        voted_at=mine.updated_at if mine else None,
        totals_visible=ballots.totals_visible(rnd, viewer),
        voters=ballots.ballot_count(session, round_id),
        areas_json=json.dumps(store.areas_geojson(session, round_id)),
        markers_json=json.dumps(markers), error=error, form=form or {},
        **_map_settings()), status


@blueprint.get("/rounds/<int:round_id>")
def round_page(round_id: int):
    """A round: its question, proposals on a map, the proposal form and the ballot."""
    return _round_page(round_id)


def _act(round_id: int, action, form: dict | None = None):
    """Run `action(session, viewer)`, commit, and go back to the round showing the message it
    returns; on a broken rule show the round again with the problem (sign in if needed)."""
    session = db_session()
    viewer = current_viewer()
    try:
        message = action(session, viewer)
        session.commit()
    except NotSignedIn:
        session.rollback()
        return redirect(url_for("auth.sign_in", next=url_for("rounds.round_page",
                                                             round_id=round_id)))
    except NotFound:
        session.rollback()
        raise
    except AssetmapError as exc:
        session.rollback()
        return _round_page(round_id, status=exc.status, error=exc.message, form=form)
    flash(message)
    return redirect(url_for("rounds.round_page", round_id=round_id))


@blueprint.post("/rounds/<int:round_id>/proposals")
def propose(round_id: int):
    """The proposal form."""
    form = request.form.to_dict()
    data = {k: form.get(k, "") for k in ("title", "description", "lon", "lat", "asset_ids")}

    def action(session, viewer):
        proposal = store.create_proposal(session, round_id, data, viewer)
        if proposal.status == "published":
            return "Proposal published."
        return "Thank you: your proposal will show once a worker approves it."

    return _act(round_id, action, form=form)


@blueprint.post("/rounds/<int:round_id>/proposals/<int:proposal_id>/status")
def proposal_status(round_id: int, proposal_id: int):
    """Approve, reject (with a reason) or archive a proposal from the round's page."""
    status = request.form.get("status", "")

    def action(session, viewer):
        store.set_proposal_status(session, round_id, proposal_id, status, viewer,
                                  reason=request.form.get("reason", "")[:2000],
                                  version=request.form.get("version") or None)
        return {"published": "Proposal approved and published.",
                "rejected": "Proposal rejected.", "archived": "Proposal withdrawn."}[status]

    return _act(round_id, action)


@blueprint.post("/rounds/<int:round_id>/ballot")
def vote(round_id: int):
    """The ballot form: one `choice-<proposal id>` field per proposal; blanks are left out."""
    choices = {}
    for key, value in request.form.items():
        match = CHOICE_FIELD.fullmatch(key)
        if match and value.strip():
            choices[match.group(1)] = value.strip()

    def action(session, viewer):
        ballots.cast_ballot(session, round_id, choices, viewer)
        return ("Your ballot is saved. You can change it until the round closes; only your "
                "latest ballot counts.")

    return _act(round_id, action, form=request.form.to_dict())


@blueprint.post("/rounds/<int:round_id>/close")
def close(round_id: int):
    """Close the round now (workers and admins)."""

    def action(session, viewer):
        store.close_round(session, round_id, viewer)
        return "The round is closed; its results are final."

    return _act(round_id, action)


@blueprint.get("/rounds/<int:round_id>/results")
def results_page(round_id: int):
    """Totals, a map of the proposals, turnout per area and gap scores."""
    session = db_session()
    try:
        store.get_round(session, round_id)
    except NotFound:
        abort(404, description=f"There is no round {round_id}.")
    got = _results(round_id)
    top = max((p.total for p in got.proposals), default=0)
    markers = [{"id": p.id, "title": p.title, "lon": p.lon, "lat": p.lat, "total": p.total,
                "place": p.place, "share": (p.total / top) if top else 0}
               for p in got.proposals]
    return render_template(
        "rounds/results.html", results=got, round=got.round, labels=STATE_LABELS,
        areas_json=json.dumps(store.areas_geojson(session, round_id)),
        markers_json=json.dumps(markers), **_map_settings())


@blueprint.get("/rounds/<int:round_id>/results.geojson")
def results_geojson(round_id: int):
    """The results as GeoJSON: a point per proposal, with totals and gap scores."""
    text = json.dumps(export.results_geojson(_results(round_id)), ensure_ascii=False)
    return _download(text, "application/geo+json", f"round-{round_id}-results.geojson")


@blueprint.get("/rounds/<int:round_id>/results.csv")
def results_csv(round_id: int):
    """The results as CSV: a row per proposal."""
    return _download(export.results_csv(_results(round_id)), "text/csv; charset=utf-8",
                     f"round-{round_id}-results.csv")


def _download(text: str, mimetype: str, name: str) -> Response:
    response = Response(text, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # totals change until the round closes
    return response


@blueprint.route("/rounds/home-area", methods=["GET", "POST"])
@require_role()
def home_area_page():
    """Where the signed-in person lives: it decides which rounds they can vote in."""
    session = db_session()
    viewer = current_viewer()
    error, status = None, 200
    if request.method == "POST":
        try:
            ballots.set_home_area(session, viewer, request.form.get("area_id", ""))
            session.commit()
        except InvalidInput as exc:
            session.rollback()
            error, status = exc.message, exc.status
        else:
            flash("Your home area is saved." if ballots.home_area_id(session, viewer)
                  else "Your home area is cleared.")
            back = request.form.get("next", "")
            if re.fullmatch(r"/rounds/[0-9]{1,10}", back):
                return redirect(back)
            return redirect(url_for("rounds.list_page"))
    return render_template("rounds/home_area.html", areas=ballots.all_areas(session),
                           home=ballots.home_area_id(session, viewer), error=error,
                           next=request.values.get("next", "")), status
