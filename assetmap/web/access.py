"""Accounts and protection: sign-in sessions, CSRF, rate limits, outgoing mail, account pages.

Settings (app config, or the environment where named):
- RATELIMIT_ENABLED (env RATELIMIT_ENABLED, default true), RATELIMIT_STORAGE_URI (env, default
  memory://; e.g. redis://127.0.0.1:6379 so that every worker shares the counts); see
  `ratelimit` for how they are counted;
- AUTH_RATE_LIMIT (env, default "10/minute"): sign in, sign up, password reset, per address;
- SUBMISSION_RATE_LIMIT (env, default "120/minute"): any other POST/PUT/PATCH/DELETE;
- MAIL_URL (env; unset: messages are written to MAIL_OUTBOX, default instance/outbox/),
  MAIL_FROM (env);
- PASSWORD_RESET_MAX_AGE: seconds a reset link is good for (default 3600).

CSRF: every unsafe request must carry the form's `csrf_token` or an `X-CSRFToken` header,
except requests with an `Authorization: Bearer` header. Those are judged by their token
alone — the session cookie is ignored for them — so a forged cross-site request gains
nothing (and a browser cannot add that header to another site's request anyway).
"""

from __future__ import annotations

import os

from flask import Blueprint, Flask, current_app, g, jsonify, render_template, request
from flask_login import AnonymousUserMixin, LoginManager, UserMixin
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from assetmap.config import instance_dir
from assetmap.mail import DEFAULT_SENDER, make_mailer
from assetmap.store.models import User
from assetmap.store.users import Account, as_account
from assetmap.web import ratelimit
from assetmap.web.database import db_session
from assetmap.web.ratelimit import UNSAFE_METHODS, RateLimited
from assetmap.web.security import env_flag

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

# Shared by every app: it holds only which views are exempt, a property of the code.
csrf = CSRFProtect()


class SignedInUser(UserMixin):
    """The signed-in person as Flask-Login sees them: a small copy, no database session.

    The session keeps `id:fingerprint`, the fingerprint changing with the password, so
    setting a new password signs out every other device.
    """

    def __init__(self, account: Account):
        self.account = account
        self.id = account.id
        self.role = account.role
        self.display_name = account.display_name
        self.email = account.email

    @property
    def is_active(self) -> bool:
        return self.account.active

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.fingerprint}"


class Anonymous(AnonymousUserMixin):
    """Not signed in: no id, no role."""

    id = None
    role = None
    display_name = ""


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(session_id: str) -> SignedInUser | None:
    """The person a session cookie names, if the account is still active and unchanged."""
    user_id, _, print_ = session_id.partition(":")
    if not user_id.isdigit():
        return None
    try:
        user = db_session().get(User, int(user_id))
    except SQLAlchemyError as exc:
        # Pages (error pages included) must still render when the database is away.
        current_app.logger.warning("could not load the signed-in user: %s", exc)
        return None
    if user is None or not user.active:
        return None
    account = as_account(user)
    return SignedInUser(account) if account.fingerprint == print_ else None


def carries_bearer_token() -> bool:
    """Whether the request authenticates with `Authorization: Bearer ...`."""
    header = request.headers.get("Authorization", "")
    return header[:7].lower() == "bearer "


def _client_key() -> str:
    """Rate limits count per client address. Under TESTING the submitted email is added,
    so a test suite signing many accounts in from 127.0.0.1 does not share one budget;
    repeated attempts at one account are still counted together."""
    key = request.remote_addr or "unknown"
    if current_app.testing and request.method in UNSAFE_METHODS:
        key += "|" + (request.form.get("email") or "").strip().lower()[:320]
    return key


def _is_safe_method() -> bool:
    return request.method not in UNSAFE_METHODS


def _error(status: int, message: str):
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, message=message), status


def _configure(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_ENABLED", env_flag("RATELIMIT_ENABLED") is not False)
    app.config.setdefault("RATELIMIT_STORAGE_URI",
                          os.environ.get("RATELIMIT_STORAGE_URI") or "memory://")
    app.config.setdefault("AUTH_RATE_LIMIT", os.environ.get("AUTH_RATE_LIMIT") or "10/minute")
    app.config.setdefault("SUBMISSION_RATE_LIMIT",
                          os.environ.get("SUBMISSION_RATE_LIMIT") or "120/minute")
    app.config.setdefault("MAIL_URL", os.environ.get("MAIL_URL") or None)
    app.config.setdefault("MAIL_FROM", os.environ.get("MAIL_FROM") or DEFAULT_SENDER)
    app.config.setdefault("MAIL_OUTBOX", str(instance_dir() / "outbox"))
    app.config.setdefault("PASSWORD_RESET_MAX_AGE", 3600)
    app.config.setdefault("SKILL_COUNT_THRESHOLD", 3)
    # CSRF is checked by our own hook below (to let bearer-token requests through).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid as long as the session


def rate_limit(app: Flask, target: Blueprint, limit: str) -> None:
    """Count the unsafe requests to every view of `target` against `limit` (e.g.
    "10/minute"), per view and per client address, instead of the submission limit."""
    app.extensions["assetmap.rate_limits"].limit_blueprint(target.name, limit)


def register(app: Flask) -> None:
    """Install sign-in, CSRF protection and rate limits on `app`, and the account pages."""
    from assetmap.web import auth, skills

    _configure(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    @app.before_request
    def token_requests_ignore_the_session():
        if carries_bearer_token():
            g._login_user = login_manager.anonymous_user()

    ratelimit.install(app, _client_key)

    @app.before_request
    def check_csrf():
        if not app.config.get("WTF_CSRF_ENABLED", True) or _is_safe_method():
            return
        if carries_bearer_token():
            # The cookie is ignored for this request, so there is nothing to forge; telling
            # Flask-WTF so spares its forms a second check.
            g.csrf_valid = True
            return
        csrf.protect(apply_exemptions=True)

    app.extensions["assetmap.mailer"] = make_mailer(
        app.config["MAIL_URL"], app.config["MAIL_OUTBOX"], app.config["MAIL_FROM"])

    @app.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError):
        reason = exc.description.rstrip(".")
        if request.path.startswith("/api/"):
            return _error(400, f"{reason}: send the token from the page's csrf-token meta tag "
                               "in an X-CSRFToken header (or use an API token).")
        return _error(400, f"This form could not be accepted: {reason}. Go back, reload the "
                           "page and try again.")

    @app.errorhandler(RateLimited)
    def too_many(exc: RateLimited):
        response, status = _error(429, "Too many attempts from your connection (the limit is "
                                  f"{exc.description}). Please wait a minute and try again.")
        response = app.make_response((response, status))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge):
        limit = app.config.get("MAX_CONTENT_LENGTH")
        size = ""
        if limit:
            size = (f" ({limit / 1048576:g} MB)" if limit >= 1048576 else f" ({limit / 1024:g} KB)")
        return _error(413, f"What was sent is larger than this site accepts{size}.")

    app.register_blueprint(auth.blueprint)
    app.register_blueprint(skills.blueprint)
    rate_limit(app, auth.blueprint, app.config["AUTH_RATE_LIMIT"])
