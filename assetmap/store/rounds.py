"""Participatory rounds and their proposals: the rules in one place.

A worker opens a round for one or more areas: a question, opening and closing times, and a
mode — `points` (participatory budgeting: each resident spreads a budget of points) or
`ranking` (each resident ranks proposals; counted by Borda). Residents and workers propose
actions placed on the map inside the round's areas; proposals are moderated like assets
(pending until a worker approves; a worker's own are published at once; rejecting needs a
reason). A round is *upcoming* before it opens, *open* until it closes, and *closed* after
its closing time or once a worker has closed it early. Proposals are taken while it is
upcoming or open; ballots only while it is open (see `ballots.py`, with the results).

All times are timezone-aware; a time given without a zone is taken as UTC.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotFound, NotSignedIn
from assetmap.store.models import Area, Asset, Proposal, Round, RoundArea
from assetmap.store.visibility import Viewer, asset_filter

MODES = ("points", "ranking")
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_BUDGET = 1_000_000
MAX_ASSETS = 20
MAX_ID = 2**31 - 1  # ids are PostgreSQL integers; anything larger names nothing
DIGITS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() also reads other scripts' digits


# --- small checks -------------------------------------------------------------------------

def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def require_signed_in(viewer: Viewer, doing: str) -> None:
    """NotSignedIn (401) for anonymous viewers."""
    if not viewer.signed_in:
        raise NotSignedIn(f"sign in to {doing}")


def require_worker(viewer: Viewer, doing: str) -> None:
    """Forbidden unless the viewer is a worker or admin."""
    require_signed_in(viewer, doing)
    if not viewer.moderates:
        raise Forbidden(f"only workers and admins can {doing}")


def parse_time(value, field: str) -> datetime:
    """A timezone-aware datetime from a datetime or ISO 8601 text (no zone means UTC)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InvalidInput(f"{field} must be a date and time like 2026-05-01T09:00",
                               field=field) from exc
    else:
        raise InvalidInput(f"give {field} (a date and time)", field=field)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        moment.astimezone(UTC)  # stored in UTC: it must fall within years 1 to 9999 there
    except OverflowError as exc:
        raise InvalidInput(f"{field} is out of range (years 1 to 9999, in UTC)",
                           field=field) from exc
    return moment


def text_field(data: dict, field: str, *, required: bool, limit: int) -> str:
    """Trimmed text of at most `limit` characters; InvalidInput naming the field otherwise."""
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text", field=field)
    value = value.strip()
    if "\x00" in value:
        raise InvalidInput(f"{field} contains a NUL character", field=field)
    if required and not value:
        raise InvalidInput(f"{field} is required", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{field} is too long (at most {limit:,} characters)", field=field)
    return value


def whole_number(value, field: str) -> int:
    """An int from an int or digit text (not a bool, not a fraction), within PostgreSQL's
    integer range."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and DIGITS.fullmatch(value.strip().removeprefix("-")):
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None or abs(number) > MAX_ID:
        raise InvalidInput(f"{field} must be a whole number", field=field)
    return number


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise InvalidInput("hide_totals must be true or false", field="hide_totals")


# --- rounds ---------------------------------------------------------------------------------

def state(rnd: Round, now: datetime | None = None) -> str:
    """'upcoming', 'open' or 'closed' at `now`."""
    now = now or utcnow()
    if rnd.closed_early_at is not None or now >= rnd.closes_at:
        return "closed"
    return "open" if now >= rnd.opens_at else "upcoming"


def closed_at(rnd: Round) -> datetime:
    """When the round closed (or will close): early closing wins."""
    return rnd.closed_early_at or rnd.closes_at


def get_round(session: Session, round_id: int) -> Round:
    """The round, or NotFound."""
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(f"no round {round_id}")
    return rnd


def area_ids(session: Session, round_id: int) -> list[int]:
    """The ids of the round's areas, in order."""
    return list(session.scalars(select(RoundArea.area_id).where(RoundArea.round_id == round_id)
                                .order_by(RoundArea.area_id)))


def areas_of(session: Session, round_id: int) -> list[Area]:
    """The round's areas, by name."""
    return list(session.scalars(select(Area).join(RoundArea, RoundArea.area_id == Area.id)
                                .where(RoundArea.round_id == round_id).order_by(Area.name)))


def areas_geojson(session: Session, round_id: int) -> dict:
    """The round's areas as a GeoJSON FeatureCollection (id and name), for its maps."""
    rows = session.execute(
        select(Area.id, Area.name, func.ST_AsGeoJSON(Area.geom, 6))
        .join(RoundArea, RoundArea.area_id == Area.id)
        .where(RoundArea.round_id == round_id).order_by(Area.name))
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": i, "geometry": json.loads(geometry),
         "properties": {"id": i, "name": name}} for i, name, geometry in rows]}


def _area_ids_input(session: Session, value) -> list[int]:
    if isinstance(value, int | str) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise InvalidInput("choose at least one area for the round", field="area_ids")
    ids = sorted({whole_number(v, "area_ids") for v in value})
    found = set(session.scalars(select(Area.id).where(Area.id.in_(ids))))
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"no area {missing[0]}", field="area_ids")
    return ids


def create_round(session: Session, data: dict, viewer: Viewer) -> Round:
    """Open a round (workers and admins). `data`: title, question, mode, budget (points mode),
    opens_at, closes_at, hide_totals, area_ids."""
    require_worker(viewer, "open a round")
    if not isinstance(data, dict):
        raise InvalidInput("the round must be given as an object of fields")
    title = text_field(data, "title", required=True, limit=MAX_TITLE)
    question = text_field(data, "question", required=False, limit=MAX_TEXT)
    mode = data.get("mode", "points")
    if mode not in MODES:
        raise InvalidInput("mode must be 'points' or 'ranking'", field="mode")
    budget = None
    if mode == "points":
        if data.get("budget") in (None, ""):
            raise InvalidInput("give each resident's points budget", field="budget")
        budget = whole_number(data["budget"], "budget")
        if not 1 <= budget <= MAX_BUDGET:
            raise InvalidInput(f"budget must be between 1 and {MAX_BUDGET:,} points",
                               field="budget")
    opens_at = parse_time(data.get("opens_at"), "opens_at")
    closes_at = parse_time(data.get("closes_at"), "closes_at")
    if closes_at <= opens_at:
        raise InvalidInput("the round must close after it opens", field="closes_at")
    ids = _area_ids_input(session, data.get("area_ids"))
    rnd = Round(title=title, question=question, mode=mode, budget=budget, opens_at=opens_at,
                closes_at=closes_at, hide_totals=_flag(data.get("hide_totals", True)),
                created_by=viewer.user_id)
    session.add(rnd)
    session.flush()
    session.add_all(RoundArea(round_id=rnd.id, area_id=i) for i in ids)
    session.flush()
    return rnd


def lock_round(session: Session, round_id: int, *, exclusive: bool) -> Round:
    """The round re-read under a row lock: shared while a ballot is cast, exclusive to close.

    Closing and casting thus take turns: a ballot that got in first is counted, and one that
    waited sees the round closed."""
    rnd = session.scalar(select(Round).where(Round.id == round_id)
                         .with_for_update(read=not exclusive)
                         .execution_options(populate_existing=True))
    if rnd is None:
        raise NotFound(f"no round {round_id}")
    return rnd


def close_round(session: Session, round_id: int, viewer: Viewer,
                now: datetime | None = None) -> Round:
    """Close a round early (workers and admins); Conflict if it is already closed."""
    require_worker(viewer, "close a round")
    rnd = lock_round(session, round_id, exclusive=True)
    now = now or utcnow()
    if state(rnd, now) == "closed":
        raise Conflict(f"this round closed already, at {closed_at(rnd):%Y-%m-%d %H:%M} UTC")
    rnd.closed_early_at = now
    session.flush()
    return rnd


def list_rounds(session: Session) -> list[Round]:
    """Every round, newest closing time first."""
    return list(session.scalars(select(Round).order_by(Round.closes_at.desc(), Round.id.desc())))


def round_areas_map(session: Session) -> dict[int, list[int]]:
    """Round id -> its area ids, for lists of rounds."""
    out: dict[int, list[int]] = {}
    for round_id, area_id in session.execute(select(RoundArea.round_id, RoundArea.area_id)
                                             .order_by(RoundArea.area_id)):
        out.setdefault(round_id, []).append(area_id)
    return out


# --- gap scores -------------------------------------------------------------------------------

def area_gap_scores(session: Session) -> dict[int, float]:
    """Each area's need index, the gap score shown beside proposals when no gap analysis has
    been saved yet (areas without a need index are left out)."""
    rows = session.execute(select(Area.id, Area.need_index).where(Area.need_index.is_not(None)))
    return {area_id: float(score) for area_id, score in rows}


# --- proposals -------------------------------------------------------------------------------

def _point(data: dict) -> tuple[float, float]:
    """(lon, lat) from `lon`/`lat` or a GeoJSON Point in `geometry`."""
    geometry = data.get("geometry")
    if geometry is not None:
        if not (isinstance(geometry, dict) and geometry.get("type") == "Point"
                and isinstance(geometry.get("coordinates"), list | tuple)
                and len(geometry["coordinates"]) == 2):
            raise InvalidInput("geometry must be a GeoJSON Point", field="geometry")
        lon, lat = geometry["coordinates"]
    elif data.get("lon") in (None, "") or data.get("lat") in (None, ""):
        raise InvalidInput("place the proposal on the map (give lon and lat)", field="lon")
    else:
        lon, lat = data["lon"], data["lat"]
    try:
        if isinstance(lon, bool) or isinstance(lat, bool):
            raise TypeError
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("lon and lat must both be numbers", field="lon") from exc
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180
            and -90 <= lat <= 90):
        raise InvalidInput("lon must be within ±180 and lat within ±90", field="lon")
    return lon, lat


def _asset_ids(session: Session, value, viewer: Viewer) -> list[int]:
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list | tuple):
        raise InvalidInput("asset_ids must be a list of asset ids", field="asset_ids")
    ids = sorted({whole_number(v, "asset_ids") for v in value})
    if len(ids) > MAX_ASSETS:
        raise InvalidInput(f"tie a proposal to at most {MAX_ASSETS} assets", field="asset_ids")
    seen = set(session.scalars(select(Asset.id).where(Asset.id.in_(ids), asset_filter(viewer))))
    missing = [i for i in ids if i not in seen]
    if missing:
        raise InvalidInput(f"there is no asset {missing[0]} that you can see",
                           field="asset_ids")
    return ids


def area_at(session: Session, round_id: int, lon: float, lat: float) -> int | None:
    """The round's area holding the point (the lowest id on a shared border), or None."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return session.scalar(
        select(Area.id).join(RoundArea, RoundArea.area_id == Area.id)
        .where(RoundArea.round_id == round_id, func.ST_Intersects(Area.geom, point))
        .order_by(Area.id).limit(1))


def create_proposal(session: Session, round_id: int, data: dict, viewer: Viewer,
                    now: datetime | None = None) -> Proposal:
    """Propose an action in a round: pending until a worker approves (a worker's own are
    published at once). Its area is the round's area its point lies in."""
    require_signed_in(viewer, "make a proposal")
    rnd = get_round(session, round_id)
    if state(rnd, now) == "closed":
        raise Conflict("this round has closed: it takes no more proposals")
    if not isinstance(data, dict):
        raise InvalidInput("the proposal must be given as an object of fields")
    title = text_field(data, "title", required=True, limit=MAX_TITLE)
    description = text_field(data, "description", required=False, limit=MAX_TEXT)
    lon, lat = _point(data)
    area_id = area_at(session, round_id, lon, lat)
    if area_id is None:
        names = ", ".join(a.name for a in areas_of(session, round_id))
        raise InvalidInput(f"the place you chose is outside this round's areas ({names})",
                           field="geometry")
    proposal = Proposal(
        round_id=round_id, title=title, description=description,
        geom=f"SRID=4326;POINT({lon!r} {lat!r})", area_id=area_id,
        asset_ids=_asset_ids(session, data.get("asset_ids"), viewer),
        status="published" if viewer.moderates else "pending", reason="",
        created_by=viewer.user_id)
    session.add(proposal)
    session.flush()
    return proposal


def proposal_filter(viewer: Viewer):
    """Which proposals a viewer sees: published ones; their own; workers every live one."""
    if viewer.moderates:
        return Proposal.status != "archived"
    if viewer.user_id is None:
        return Proposal.status == "published"
    return (Proposal.status == "published") | (
        (Proposal.created_by == viewer.user_id) & (Proposal.status != "archived"))


def proposals(session: Session, round_id: int, viewer: Viewer) -> list[tuple[Proposal, float,
                                                                             float]]:
    """(proposal, lon, lat) for the round's proposals the viewer may see, oldest first."""
    rows = session.execute(
        select(Proposal, func.ST_X(Proposal.geom), func.ST_Y(Proposal.geom))
        .where(Proposal.round_id == round_id, proposal_filter(viewer))
        .order_by(Proposal.id))
    return [(p, lon, lat) for p, lon, lat in rows]


def set_proposal_status(session: Session, round_id: int, proposal_id: int, status: str,
                        viewer: Viewer, *, reason: str = "",
                        version: int | None = None) -> Proposal:
    """Approve (published), reject (with a reason) or archive a proposal. Workers moderate;
    the author may archive their own while it is pending. `version`, when given, must match."""
    require_signed_in(viewer, "moderate proposals")
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.round_id != round_id or (
            proposal.status == "archived" and not viewer.moderates):
        raise NotFound(f"round {round_id} has no proposal {proposal_id}")
    if status not in ("published", "rejected", "archived"):
        raise InvalidInput("status must be 'published', 'rejected' or 'archived'",
                           field="status")
    own = proposal.created_by is not None and proposal.created_by == viewer.user_id
    if status == "archived" and own and proposal.status == "pending":
        pass  # authors may withdraw what nobody has approved yet
    elif not viewer.moderates:
        raise Forbidden("only workers and admins can approve, reject or archive proposals")
    reason = text_field({"reason": reason}, "reason", required=False, limit=2000)
    if status == "rejected" and not reason:
        raise InvalidInput("give a reason when rejecting, so the person can fix it",
                           field="reason")
    if version is not None and whole_number(version, "version") != proposal.version:
        raise Conflict(f"this proposal changed since you opened it (you saw version {version},"
                       f" it is now at version {proposal.version}); reload and try again")
    proposal.status = status
    proposal.reason = reason
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("someone else changed this proposal at the same moment; "
                       "reload it and try again") from exc
    return proposal


def pending_proposals(session: Session, round_id: int) -> list[Proposal]:
    """Proposals waiting for a worker, oldest first."""
    return list(session.scalars(select(Proposal).where(
        Proposal.round_id == round_id, Proposal.status == "pending").order_by(Proposal.id)))
