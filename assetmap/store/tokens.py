"""Planners' API tokens: made once, shown once, kept only as a SHA-256 hash.

A token stands for its user while that user is active and still a planner or an admin; it
gives what that role sees (see `assetmap.store.layers` for what a "full" export adds).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assetmap.errors import Forbidden, InvalidInput, NotFound
from assetmap.store.models import ApiToken, User

TOKEN_ROLES = ("planner", "admin")
PREFIX = "amt_"  # makes a leaked token easy to recognise (and to search for in logs)
TOUCH_EVERY = timedelta(minutes=5)  # how stale last_used_at may be: spares a write per request


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is kept."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    email: str
    role: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def create_token(session: Session, email: str, name: str) -> tuple[int, str]:
    """Make a token for the user with `email`; returns (id, token). Commits.

    Only planners and admins may have one; the token is returned here and never again.
    """
    name = name.strip()
    if not name:
        raise InvalidInput("a token needs a name saying what it is for", field="name")
    if len(name) > 120:
        raise InvalidInput("a token's name must be at most 120 characters", field="name")
    user = session.execute(select(User.id, User.role, User.active)
                           .where(User.email == email.strip())).first()
    if user is None:
        raise NotFound(f"no user with email {email!r}")
    if user.role not in TOKEN_ROLES or not user.active:
        raise Forbidden(f"{email} is a {user.role}{'' if user.active else ' (inactive)'}; "
                        f"only active planners and admins may have API tokens")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token), revoked=False)
    session.add(row)
    session.commit()
    return row.id, token


@dataclass(frozen=True)
class TokenUser:
    """Who a valid token stands for."""

    id: int
    role: str


def verify_token(session: Session, token: str) -> TokenUser | None:
    """The user a token stands for, or None when it is unknown, revoked or no longer allowed.

    Notes when it was used (at most every few minutes) and commits that.
    """
    found = session.execute(
        select(ApiToken.id, ApiToken.last_used_at, User.id, User.role)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(False),
               User.active.is_(True), User.role.in_(TOKEN_ROLES))).first()
    if found is None:
        return None
    token_id, last_used_at, user_id, role = found
    now = datetime.now(UTC)
    if last_used_at is None or now - last_used_at > TOUCH_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == token_id)
                        .values(last_used_at=now))
        session.commit()
    return TokenUser(user_id, role)


def list_tokens(session: Session) -> list[TokenInfo]:
    """Every token, newest first, with its owner's email and role."""
    query = (select(ApiToken, User.email, User.role).join(User, User.id == ApiToken.user_id)
             .order_by(ApiToken.id.desc()))
    return [TokenInfo(t.id, email, role, t.name, t.created_at, t.last_used_at, t.revoked)
            for t, email, role in session.execute(query)]


def revoke_token(session: Session, token_id: int) -> None:
    """Revoke token `token_id` for good. Commits."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no API token with id {token_id}")
    row.revoked = True
    session.commit()
