"""Accounts: create, authenticate, change roles, and single-use password-reset tokens.

Passwords are hashed with Argon2 (argon2-cffi); a hash made with older parameters is
replaced the next time its owner signs in. Reset tokens are signed with itsdangerous and
carry a fingerprint of the password hash they were issued against, so a token stops working
as soon as the password changes — which makes every token single-use.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput, NotFound
from assetmap.store.models import User
from assetmap.taxonomy import ROLES

MIN_PASSWORD = 10
# Argon2 copes with long input, but hashing megabytes on request is a cheap denial of service.
MAX_PASSWORD = 1024
MAX_NAME = 120
RESET_SALT = "assetmap.password-reset"
RESET_MAX_AGE = 3600  # seconds a reset link stays good

_hasher = PasswordHasher()
# Verified when an email is unknown, so a miss takes as long as a wrong password and timing
# does not tell anyone which emails have accounts.
_DUMMY_HASH = _hasher.hash("not a real password, only for equal timing")


@dataclass(frozen=True)
class Account:
    """A plain copy of a user, safe to keep after the database session is closed."""

    id: int
    email: str
    display_name: str
    role: str
    active: bool
    fingerprint: str


def as_account(user: User) -> Account:
    """A detached, immutable copy of `user`."""
    return Account(id=user.id, email=user.email, display_name=user.display_name,
                   role=user.role, active=bool(user.active),
                   fingerprint=fingerprint(user.password_hash))


def fingerprint(password_hash: str | None) -> str:
    """A short digest of a password hash: changes whenever the password does."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def normalise_email(email: str) -> str:
    """A checked, lower-cased email address; InvalidInput naming the problem otherwise."""
    email = (email or "").strip()
    if not email:
        raise InvalidInput("Enter an email address.", field="email")
    if len(email) > 320:
        raise InvalidInput("That email address is too long.", field="email")
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"That email address is not valid: {exc}", field="email") from exc
    # One account per mailbox whatever the capitals: compare and store in lower case.
    return checked.normalized.lower()


def check_password(password: str) -> str:
    """`password` if it is long enough (and not absurdly long), else InvalidInput."""
    if password is None or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"Use a password of at least {MIN_PASSWORD} characters.",
                           field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"Use a password of at most {MAX_PASSWORD} characters.",
                           field="password")
    return password


def check_role(role: str) -> str:
    """`role` if it is one of the known roles, else InvalidInput listing them."""
    if role not in ROLES:
        raise InvalidInput(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.",
                           field="role")
    return role


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Enter a name to show to others.", field="display_name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"Use a name of at most {MAX_NAME} characters.",
                           field="display_name")
    return name


def hash_password(password: str) -> str:
    """An Argon2 hash of `password` (after checking its length)."""
    return _hasher.hash(check_password(password))


def find_by_email(session: Session, email: str) -> User | None:
    """The user with this email (any capitals), or None."""
    try:
        email = normalise_email(email)
    except InvalidInput:
        return None
    return session.scalar(select(User).where(func.lower(User.email) == email))


def get_user(session: Session, user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account with id {user_id}.")
    return user


def create_user(session: Session, email: str, display_name: str, password: str,
                role: str = "resident") -> User:
    """A new account (flushed, not committed). InvalidInput on any bad field or a taken email."""
    email = normalise_email(email)
    display_name = _check_name(display_name)
    check_role(role)
    password_hash = hash_password(password)
    if find_by_email(session, email) is not None:
        raise InvalidInput("An account with that email already exists.", field="email")
    user = User(email=email, display_name=display_name, password_hash=password_hash,
                role=role, active=True)
    try:
        # A savepoint, so losing a race for the same email leaves the session usable.
        with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:
        raise InvalidInput("An account with that email already exists.", field="email") from exc
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user whose email and password match, else None (never says which was wrong).

    A hash made with older Argon2 parameters is upgraded in place (flushed, not committed).
    """
    user = find_by_email(session, email)
    if user is None or not user.password_hash or not user.active:
        _verify(_DUMMY_HASH, password or "")
        return None
    if not _verify(user.password_hash, password or ""):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.flush()
    return user


def _verify(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, user: User, password: str) -> None:
    """Replace `user`'s password; this also voids every reset link and signed-in session."""
    user.password_hash = hash_password(password)
    session.flush()


def set_display_name(session: Session, user: User, name: str) -> None:
    """Change the name shown to others."""
    user.display_name = _check_name(name)
    session.flush()


def set_role(session: Session, user: User | str, role: str) -> User:
    """Give an account (a User, or the email of one) a new role.

    InvalidInput for an unknown role or for demoting the last admin (nobody could then
    manage roles); NotFound for an unknown email.
    """
    check_role(role)
    if isinstance(user, str):
        email, user = user, find_by_email(session, user)
        if user is None:
            raise NotFound(f"No account with the email {email!r}.")
    if user.role == "admin" and role != "admin":
        admins = session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True)))
        if admins <= 1:
            raise InvalidInput("This is the only admin: make someone else admin first.",
                               field="role")
    user.role = role
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by role then email."""
    order = {role: i for i, role in enumerate(ROLES)}
    users = session.scalars(select(User).order_by(User.email)).all()
    return sorted(users, key=lambda u: (order.get(u.role, len(order)), u.email))


def _serializer(secret_key: str, clock: Callable[[], float]) -> URLSafeTimedSerializer:
    """A timed serializer whose idea of 'now' comes from `clock` (injectable for tests)."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT, signer=ClockSigner)


def issue_reset_token(secret_key: str, user: User, *, clock: Callable[[], float] = time.time
                      ) -> str:
    """A signed token that lets `user` set a new password once, until it expires."""
    return _serializer(secret_key, clock).dumps(
        {"uid": user.id, "fp": fingerprint(user.password_hash)})


def verify_reset_token(session: Session, secret_key: str, token: str, *,
                       max_age: int = RESET_MAX_AGE,
                       clock: Callable[[], float] = time.time) -> User:
    """The user a reset token was issued to; InvalidInput if it is forged, expired or used."""
    serializer = _serializer(secret_key, clock)
    try:
        payload = serializer.loads(token or "", max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidInput("This reset link has expired. Ask for a new one.",
                           field="token") from exc
    except BadSignature as exc:
        raise InvalidInput("This reset link is not valid. Ask for a new one.",
                           field="token") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise InvalidInput("This reset link is not valid. Ask for a new one.", field="token")
    user = session.get(User, payload["uid"])
    if user is None or not user.active:
        raise InvalidInput("This reset link is not valid. Ask for a new one.", field="token")
    if payload.get("fp") != fingerprint(user.password_hash):
        raise InvalidInput("This reset link has already been used. Ask for a new one.",
                           field="token")
    return user
