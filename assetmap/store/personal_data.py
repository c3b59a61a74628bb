"""Residents' personal data: everything held about a person, erasing an account, retention.

What counts as personal data here: the account itself (email, name, password hash, home
point and home area), the skills a person offers, their API tokens, and the links between
the person and what they did (assets, links and proposals they added, revisions, pending
edits, ballots). The community assets a person published belong to the community: erasing
the account keeps them and only cuts the tie (`created_by`, `user_id` become NULL), the same
thing the foreign keys' ON DELETE SET NULL does, done here explicitly so that nothing
depends on the schema's cascade rules.

Retention: the schema records no sign-in time, so "inactive" means no sign of activity —
no change to the account, no revision, pending edit, ballot, skill or API-token use — for
the given number of days (see `last_activity`). A column `app_user.last_seen_at`, set at
every sign-in, would make this exact; until then the sweep errs on the side of keeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from geoalchemy2.shape import to_shape
from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput, NotFound
from assetmap.store.models import (
    ApiToken,
    Area,
    Asset,
    AssetChange,
    Ballot,
    BallotChange,
    Link,
    PersonSkill,
    Proposal,
    ReportSnapshot,
    Revision,
    Round,
    User,
)

DEFAULT_RETENTION_DAYS = 730  # two years without any activity
FORMAT_VERSION = 1


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _point(geom) -> dict | None:
    if geom is None:
        return None
    point = to_shape(geom)
    return {"lon": point.x, "lat": point.y}


def _rows(session: Session, query: Select, columns: tuple[str, ...]) -> list[dict]:
    return [{name: _plain(getattr(row, name)) for name in columns}
            for row in session.scalars(query)]


def export_person(session: Session, user_id: int) -> dict:
    """Everything held about the person `user_id`, as JSON-ready data.

    Their own skills include where they placed them: the person may see their own location.
    Revisions list what they did (the field values are community data and stay out).
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account with id {user_id}.")
    home_area = session.get(Area, user.home_area_id) if user.home_area_id else None
    skills = [
        {"id": s.id, "skill": s.skill, "category": s.category, "description": s.description,
         "location": _point(s.geom), "created_at": _plain(s.created_at)}
        for s in session.scalars(select(PersonSkill).where(PersonSkill.user_id == user_id)
                                 .order_by(PersonSkill.id))
    ]
    asset_cols = ("id", "kind", "category", "name", "status", "visibility", "created_at",
                  "updated_at")
    link_cols = ("id", "from_asset_id", "to_asset_id", "type", "status", "evidence",
                 "created_at")
    return {
        "format": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "account": {
            "id": user.id, "email": user.email, "display_name": user.display_name,
            "role": user.role, "active": user.active, "created_at": _plain(user.created_at),
            "updated_at": _plain(user.updated_at), "home": _point(user.home),
            "home_area": ({"id": home_area.id, "name": home_area.name} if home_area else None),
            "password": "set (only a one-way hash is kept)" if user.password_hash else "not set",
        },
        "skills": skills,
        "assets_added": _rows(session, select(Asset).where(Asset.created_by == user_id)
                              .order_by(Asset.id), asset_cols),
        "links_added": _rows(session, select(Link).where(Link.created_by == user_id)
                             .order_by(Link.id), link_cols),
        "revisions": _rows(session, select(Revision).where(Revision.user_id == user_id)
                           .order_by(Revision.id),
                           ("id", "entity", "entity_id", "action", "at", "reason")),
        "edits_proposed": _rows(session, select(AssetChange).where(
            AssetChange.user_id == user_id).order_by(AssetChange.id),
            ("id", "asset_id", "proposed", "status", "created_at", "reason")),
        "proposals": _rows(session, select(Proposal).where(Proposal.created_by == user_id)
                           .order_by(Proposal.id),
                           ("id", "round_id", "title", "description", "status", "created_at")),
        "ballots": _rows(session, select(Ballot).where(Ballot.user_id == user_id)
                         .order_by(Ballot.id), ("round_id", "choices", "updated_at")),
        "ballot_history": _rows(session, select(BallotChange).where(
            BallotChange.user_id == user_id).order_by(BallotChange.id),
            ("round_id", "choices", "at")),
        "rounds_opened": _rows(session, select(Round).where(Round.created_by == user_id)
                               .order_by(Round.id), ("id", "title", "created_at")),
        "api_tokens": _rows(session, select(ApiToken).where(ApiToken.user_id == user_id)
                            .order_by(ApiToken.id),
                            ("id", "name", "created_at", "last_used_at", "revoked")),
        "reports_run": _rows(session, select(ReportSnapshot).where(
            ReportSnapshot.created_by == user_id).order_by(ReportSnapshot.id),
            ("id", "kind", "created_at")),
    }


@dataclass
class Erased:
    """What erasing an account did, for the person and the log."""

    user_id: int
    skills: int = 0
    tokens: int = 0
    detached: dict[str, int] = field(default_factory=dict)


# (model, column) pairs that tie a row to a person; erasing sets them to NULL.
TIES = (
    (Asset, "created_by"), (Link, "created_by"), (Proposal, "created_by"),
    (Round, "created_by"), (ReportSnapshot, "created_by"), (Revision, "user_id"),
    (AssetChange, "user_id"), (AssetChange, "reviewed_by"), (Ballot, "user_id"),
    (BallotChange, "user_id"),
)


def delete_account(session: Session, user_id: int) -> Erased:
    """Erase the account `user_id` (flushed, not committed).

    Deleted: the account row (email, name, password hash, home), skills, API tokens.
    Kept but no longer tied to the person: assets, links, proposals, rounds, reports,
    revisions, edits and ballots (a ballot still counts, anonymously). The only admin
    cannot erase their account: nobody could manage roles afterwards.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account with id {user_id}.")
    if user.role == "admin":
        admins = session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True)))
        if admins <= 1:
            raise InvalidInput("This is the only admin account: make someone else admin "
                               "before deleting it.", field="account")
    erased = Erased(user_id=user_id)
    erased.skills = session.execute(
        delete(PersonSkill).where(PersonSkill.user_id == user_id)).rowcount
    erased.tokens = session.execute(
        delete(ApiToken).where(ApiToken.user_id == user_id)).rowcount
    for model, column in TIES:
        attr = getattr(model, column)
        count = session.execute(update(model).where(attr == user_id).values({column: None})
                                .execution_options(synchronize_session=False)).rowcount
        if count:
            key = f"{model.__tablename__}.{column}"
            erased.detached[key] = erased.detached.get(key, 0) + count
    session.execute(delete(User).where(User.id == user_id))
    session.expire_all()
    session.flush()
    return erased


def last_activity(session: Session) -> Select:
    """(user id, latest sign of activity) for every account: the newest of the account's
    own change, a revision, a pending edit, a ballot, a skill offered and an API-token use."""
    signs = [
        select(User.id.label("uid"), User.updated_at.label("at")),
        select(User.id, User.created_at),
        select(Revision.user_id, func.max(Revision.at)).group_by(Revision.user_id),
        select(AssetChange.user_id, func.max(AssetChange.created_at))
        .group_by(AssetChange.user_id),
        select(BallotChange.user_id, func.max(BallotChange.at)).group_by(BallotChange.user_id),
        select(PersonSkill.user_id, func.max(PersonSkill.updated_at))
        .group_by(PersonSkill.user_id),
        select(ApiToken.user_id, func.max(ApiToken.last_used_at)).group_by(ApiToken.user_id),
    ]
    union = signs[0].union_all(*signs[1:]).subquery()
    return (select(union.c.uid, func.max(union.c.at).label("last"))
            .where(union.c.uid.is_not(None)).group_by(union.c.uid))


@dataclass
class Sweep:
    """What a retention sweep found (and, unless a dry run, removed)."""

    cutoff: datetime
    accounts: list[int]
    skills: int
    homes: int
    dry_run: bool

    def describe(self) -> str:
        """One line for people."""
        verb = "would remove" if self.dry_run else "removed"
        return (f"{len(self.accounts)} account(s) inactive since before "
                f"{self.cutoff.date().isoformat()}: {verb} {self.skills} skill(s) and "
                f"{self.homes} home location(s)")


def retention_sweep(session: Session, days: int = DEFAULT_RETENTION_DAYS, *,
                    dry_run: bool = False, now: datetime | None = None) -> Sweep:
    """Remove the skills and home location of accounts inactive for more than `days` days.

    The accounts themselves stay (people can still sign in and offer skills again); only the
    personal data that feeds the public counts and the votes' eligibility goes. Flushed, not
    committed.
    """
    if not isinstance(days, int) or days < 1:
        raise InvalidInput("the retention period must be a whole number of days, at least 1",
                           field="days")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    activity = last_activity(session).subquery()
    stale = list(session.scalars(select(activity.c.uid).where(activity.c.last < cutoff)
                                 .order_by(activity.c.uid)))
    skills = session.scalar(select(func.count()).select_from(PersonSkill)
                            .where(PersonSkill.user_id.in_(stale))) if stale else 0
    homes = session.scalar(select(func.count()).select_from(User).where(
        User.id.in_(stale), (User.home.is_not(None)) | (User.home_area_id.is_not(None)))
    ) if stale else 0
    if stale and not dry_run:
        session.execute(delete(PersonSkill).where(PersonSkill.user_id.in_(stale)))
        # Leave updated_at as it was: clearing data is not the person being active.
        session.execute(update(User).where(User.id.in_(stale))
                        .values(home=None, home_area_id=None, updated_at=User.updated_at)
                        .execution_options(synchronize_session=False))
        session.flush()
    return Sweep(cutoff=cutoff, accounts=stale, skills=skills or 0, homes=homes or 0,
                 dry_run=dry_run)
