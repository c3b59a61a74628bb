"""Ballots and results of participatory rounds, and residents' home areas.

A person may vote in a round when their home area (`app_user.home_area_id`, which they set
themselves) is one of the round's areas.

One ballot per person per round (the `ballot_one_per_person` constraint), changeable until
the round closes. Casting is one upsert — `INSERT ... ON CONFLICT (round_id, user_id) DO
UPDATE` — plus one row appended to `ballot_change`, in the same transaction, so a
double-click or two submissions at once leave exactly one counted ballot and both attempts in
the audit trail. Only `ballot` is counted. No function here returns anyone's choices but the
asker's own.

Counting:
- points mode: a proposal's total is the sum of the points residents gave it;
- ranking mode (Borda count): with n published proposals in the round, a proposal ranked r
  on a ballot gets n − r + 1 points from it (first place n points, last place 1); proposals a
  ballot leaves unranked get nothing from it, and a rank past n (left by a proposal withdrawn
  after the ballot was cast) earns nothing rather than a negative score.
Only published proposals are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from assetmap.errors import Conflict, Forbidden, InvalidInput, NotFound
from assetmap.store import rounds
from assetmap.store.models import Area, Ballot, BallotChange, Proposal, Round, User
from assetmap.store.visibility import Viewer

MAX_CHOICES = 500


def _proposal_id(key) -> int:
    text = str(key).strip()
    if isinstance(key, bool) or not rounds.DIGITS.fullmatch(text) or int(text) > rounds.MAX_ID:
        raise InvalidInput(f"{key!r} is not a proposal id", field="choices")
    return int(text)


def _amount(value, pid: int, what: str) -> int:
    if isinstance(value, str) and rounds.DIGITS.fullmatch(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"the {what} for proposal {pid} must be a whole number of 0 or more",
                           field="choices")
    return value


def clean_choices(session: Session, rnd: Round, choices) -> dict[str, int]:
    """Checked choices as stored: {"<proposal id>": points or rank}; zero points dropped.

    InvalidInput names the problem: not an object, a bad id or amount, a proposal outside the
    round or not published, over budget, ranks that repeat or skip."""
    if not isinstance(choices, dict):
        raise InvalidInput("choices must map proposal ids to points or ranks", field="choices")
    if len(choices) > MAX_CHOICES:
        raise InvalidInput(f"a ballot can name at most {MAX_CHOICES} proposals",
                           field="choices")
    what = "points" if rnd.mode == "points" else "rank"
    parsed: dict[int, int] = {}
    for key, value in choices.items():
        pid = _proposal_id(key)
        if pid in parsed:
            raise InvalidInput(f"proposal {pid} appears twice on the ballot", field="choices")
        parsed[pid] = _amount(value, pid, what)
    if rnd.mode == "points":
        parsed = {pid: pts for pid, pts in parsed.items() if pts > 0}
    _check_proposals(session, rnd, sorted(parsed))
    if not parsed:
        raise InvalidInput("the ballot is empty: give points to at least one proposal"
                           if rnd.mode == "points" else
                           "the ballot is empty: rank at least one proposal", field="choices")
    if rnd.mode == "points":
        spent = sum(parsed.values())
        if spent > rnd.budget:
            raise InvalidInput(f"this ballot spends {spent} points but the budget is "
                               f"{rnd.budget}", field="choices")
    else:
        _check_ranks(parsed)
    return {str(pid): parsed[pid] for pid in sorted(parsed)}


def _check_proposals(session: Session, rnd: Round, ids: list[int]) -> None:
    found = {pid: (round_id, status) for pid, round_id, status in session.execute(
        select(Proposal.id, Proposal.round_id, Proposal.status).where(Proposal.id.in_(ids)))}
    for pid in ids:
        round_id, status = found.get(pid, (None, None))
        if round_id != rnd.id:
            raise InvalidInput(f"proposal {pid} is not part of this round", field="choices")
        if status != "published":
            raise InvalidInput(f"proposal {pid} is not published ({status}), so it cannot be "
                               "voted for", field="choices")


def _check_ranks(parsed: dict[int, int]) -> None:
    ranks = sorted(parsed.values())
    if any(r < 1 for r in ranks):
        raise InvalidInput("ranks start at 1 (first choice)", field="choices")
    for rank in set(ranks):
        if ranks.count(rank) > 1:
            raise InvalidInput(f"rank {rank} is given to more than one proposal",
                               field="choices")
    expected = list(range(1, len(ranks) + 1))
    if ranks != expected:
        missing = next(r for r in expected if r not in ranks)
        raise InvalidInput(f"ranks must run 1, 2, 3… without gaps: rank {missing} is missing",
                           field="choices")


# --- residents' home area --------------------------------------------------------------------

def all_areas(session: Session) -> list[Area]:
    """Every area, by name (for the home-area and new-round forms)."""
    return list(session.scalars(select(Area).order_by(Area.name)))


def home_area_id(session: Session, viewer: Viewer) -> int | None:
    """The viewer's home area id, read fresh from the database."""
    if viewer.user_id is None:
        return None
    return session.scalar(select(User.home_area_id).where(User.id == viewer.user_id))


def set_home_area(session: Session, viewer: Viewer, area_id) -> int | None:
    """Set (or clear, with None or '') where the signed-in person lives."""
    rounds.require_signed_in(viewer, "say where you live")
    user = session.get(User, viewer.user_id)
    if user is None:
        raise NotFound("your account no longer exists")
    if area_id in (None, ""):
        user.home_area_id = None
    else:
        area_id = rounds.whole_number(area_id, "area_id")
        if session.get(Area, area_id) is None:
            raise InvalidInput(f"no area {area_id}", field="area_id")
        user.home_area_id = area_id
    session.flush()
    return user.home_area_id


def cast_ballot(session: Session, round_id: int, choices, viewer: Viewer,
                now: datetime | None = None) -> Ballot:
    """Cast or replace the viewer's ballot; the caller commits. Refused with a clear message
    when the round is not open, the voter lives outside its areas (or has not said where they
    live), or the choices break the round's rules."""
    rounds.require_signed_in(viewer, "vote")
    # A shared lock on the round: a worker closing it waits for this ballot, or we see it shut.
    rnd = rounds.lock_round(session, round_id, exclusive=False)
    moment = rounds.state(rnd, now)
    if moment == "closed":
        raise Conflict(f"this round closed at {rounds.closed_at(rnd):%Y-%m-%d %H:%M} UTC: "
                       "ballots can no longer be cast or changed")
    if moment == "upcoming":
        raise Conflict(f"voting opens at {rnd.opens_at:%Y-%m-%d %H:%M} UTC")
    home = home_area_id(session, viewer)
    allowed = rounds.area_ids(session, round_id)
    if home is None:
        raise Forbidden("say which area you live in (your home area) before voting",
                        field="home_area")
    if home not in allowed:
        names = ", ".join(a.name for a in rounds.areas_of(session, round_id))
        here = session.get(Area, home)
        raise Forbidden(f"this round is for residents of {names}; your home area is "
                        f"{here.name if here else home}", field="home_area")
    cleaned = clean_choices(session, rnd, choices)
    upsert = insert(Ballot).values(round_id=round_id, user_id=viewer.user_id, area_id=home,
                                   choices=cleaned, updated_at=func.now())
    upsert = upsert.on_conflict_do_update(
        constraint="ballot_one_per_person",
        set_={"choices": upsert.excluded.choices, "area_id": upsert.excluded.area_id,
              "updated_at": func.now()},
    ).returning(Ballot.id)
    ballot_id = session.execute(upsert).scalar_one()
    session.add(BallotChange(round_id=round_id, user_id=viewer.user_id, choices=cleaned))
    session.flush()
    return session.scalar(select(Ballot).where(Ballot.id == ballot_id)
                          .execution_options(populate_existing=True))


def my_ballot(session: Session, round_id: int, viewer: Viewer) -> Ballot | None:
    """The viewer's own ballot in the round, or None. Never anyone else's."""
    if viewer.user_id is None:
        return None
    return session.scalar(select(Ballot).where(Ballot.round_id == round_id,
                                               Ballot.user_id == viewer.user_id))


def totals_visible(rnd: Round, viewer: Viewer, now: datetime | None = None) -> bool:
    """Workers always see totals; others once the round closes, or any time if not hidden."""
    return viewer.moderates or not rnd.hide_totals or rounds.state(rnd, now) == "closed"


def require_totals_visible(rnd: Round, viewer: Viewer, now: datetime | None = None) -> None:
    """Forbidden, saying when they will show, if the viewer may not see the totals yet."""
    if not totals_visible(rnd, viewer, now):
        raise Forbidden(f"the totals of this round are hidden until it closes "
                        f"({rounds.closed_at(rnd):%Y-%m-%d %H:%M} UTC)")


# --- results -------------------------------------------------------------------------------

@dataclass
class ProposalResult:
    id: int
    title: str
    description: str
    lon: float
    lat: float
    area_id: int | None
    area_name: str | None
    total: int
    voters: int  # ballots that gave it points or ranked it
    gap_score: float | None
    asset_ids: list = field(default_factory=list)
    place: int = 0  # 1 = most points; ties share a place


@dataclass
class AreaTurnout:
    id: int
    name: str
    ballots: int
    residents: int  # accounts with this home area
    population: int | None

    @property
    def of_residents(self) -> float | None:
        """Ballots per signed-up resident of the area."""
        return self.ballots / self.residents if self.residents else None

    @property
    def of_population(self) -> float | None:
        """Ballots per person living in the area."""
        return self.ballots / self.population if self.population else None


@dataclass
class Results:
    round: Round
    state: str
    proposals: list[ProposalResult]
    turnout: list[AreaTurnout]
    ballots: int
    method: str  # 'points' or 'borda'
    gap_note: str = ""  # what the gap scores are, for people reading the results


def _totals(session: Session, rnd: Round, n: int) -> dict[int, tuple[int, int]]:
    """proposal id -> (total, voters) over the counted ballots, in SQL."""
    entry = func.jsonb_each_text(Ballot.choices).table_valued("key", "value").lateral("kv")
    value = cast(entry.c.value, Integer)
    # Borda: n - rank + 1; a rank past n (its proposal withdrawn since) earns nothing.
    points = value if rnd.mode == "points" else func.greatest(
        literal_column(str(int(n))) - value + 1, 0)
    pid = cast(entry.c.key, Integer)
    rows = session.execute(
        select(pid, func.sum(points), func.count())
        .select_from(Ballot).join(entry, literal_column("true"))
        .where(Ballot.round_id == rnd.id).group_by(pid))
    return {int(p): (int(total), int(voters)) for p, total, voters in rows}


def results(session: Session, round_id: int, *, gap_scores: dict[int, float] | None = None,
            now: datetime | None = None) -> Results:
    """Totals per published proposal (best first), turnout per area, and each proposal's
    area's gap score (from `gap_scores`, area id -> score; None leaves them blank).

    The caller decides who may see this (`totals_visible`)."""
    rnd = rounds.get_round(session, round_id)
    rows = session.execute(
        select(Proposal, func.ST_X(Proposal.geom), func.ST_Y(Proposal.geom), Area.name)
        .outerjoin(Area, Area.id == Proposal.area_id)
        .where(Proposal.round_id == round_id, Proposal.status == "published")
        .order_by(Proposal.id)).all()
    totals = _totals(session, rnd, len(rows))
    gap_scores = gap_scores or {}
    found = []
    for proposal, lon, lat, area_name in rows:
        total, voters = totals.get(proposal.id, (0, 0))
        found.append(ProposalResult(
            id=proposal.id, title=proposal.title, description=proposal.description,
            lon=lon, lat=lat, area_id=proposal.area_id, area_name=area_name, total=total,
            voters=voters, gap_score=gap_scores.get(proposal.area_id),
            asset_ids=list(proposal.asset_ids or [])))
    found.sort(key=lambda r: (-r.total, r.id))
    for result in found:  # competition ranking: 1, 2, 2, 4
        result.place = 1 + sum(1 for other in found if other.total > result.total)
    return Results(round=rnd, state=rounds.state(rnd, now), proposals=found,
                   turnout=turnout(session, round_id),
                   ballots=ballot_count(session, round_id),
                   method="points" if rnd.mode == "points" else "borda")


def turnout(session: Session, round_id: int) -> list[AreaTurnout]:
    """For each of the round's areas: ballots cast from it, residents signed up with it as
    their home area, and its population."""
    ballots = (select(func.count()).select_from(Ballot)
               .where(Ballot.round_id == round_id, Ballot.area_id == Area.id)
               .scalar_subquery())
    residents = (select(func.count()).select_from(User)
                 .where(User.home_area_id == Area.id, User.active.is_(True))
                 .scalar_subquery())
    rows = session.execute(
        select(Area.id, Area.name, ballots, residents, Area.population)
        .where(Area.id.in_(rounds.area_ids(session, round_id))).order_by(Area.name))
    return [AreaTurnout(id=i, name=name, ballots=b, residents=r, population=pop)
            for i, name, b, r, pop in rows]


def ballot_count(session: Session, round_id: int) -> int:
    """How many people have voted in the round (a number, never who)."""
    return session.scalar(select(func.count()).select_from(Ballot)
                          .where(Ballot.round_id == round_id)) or 0


def audit_count(session: Session, round_id: int) -> int:
    """How many ballots were cast in all, changes included."""
    return session.scalar(select(func.count()).select_from(BallotChange)
                          .where(BallotChange.round_id == round_id)) or 0

