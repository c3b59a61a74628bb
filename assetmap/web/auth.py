"""Account pages: sign up, sign in, sign out, password reset by emailed link, the account
page, and the admin's list of accounts with their roles."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError

from assetmap.errors import InvalidInput
from assetmap.store import users as user_store
from assetmap.store.models import User
from assetmap.taxonomy import ROLES
from assetmap.web.access import SignedInUser
from assetmap.web.auth_forms import (
    NameForm,
    PasswordChangeForm,
    ResetForm,
    ResetRequestForm,
    RoleForm,
    SignInForm,
    SignUpForm,
)
from assetmap.web.database import db_session
from assetmap.web.roles import require_role

blueprint = Blueprint("auth", __name__)

NO_MATCH = "That email and password do not match an account."


@blueprint.after_request
def never_cache(response):
    # Account pages carry personal details and one-time tokens: keep them out of caches.
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the map: no open redirects."""
    if target:
        parts = urlsplit(target)
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target):
            return target
    return home_url()


def home_url() -> str:
    """The map, the site's front page."""
    for endpoint in ("pages.map_page", "home.index"):
        try:
            return url_for(endpoint)
        except BuildError:
            continue
    return request.script_root + "/"


def show_field_error(form: FlaskForm, exc: InvalidInput) -> None:
    """Show a store error beside the field it names (or at the top of the form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def _sign_in(user: User, remember: bool = False) -> None:
    # A fresh session on every sign-in: nothing from before carries over.
    session.clear()
    login_user(SignedInUser(user_store.as_account(user)), remember=remember)


def _status() -> int:
    return 400 if request.method == "POST" else 200


@blueprint.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    """Open an account (every new account is a resident)."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = SignUpForm()
    if form.validate_on_submit():
        db = db_session()
        try:
            user = user_store.create_user(db, form.email.data, form.display_name.data,
                                          form.password.data)
            db.commit()
        except InvalidInput as exc:
            db.rollback()
            show_field_error(form, exc)
        else:
            _sign_in(user)
            flash(f"Welcome, {user.display_name}: your account is ready and you are signed in.",
                  "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/sign_up.html", form=form), _status()


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in with email and password; the same message for any mismatch."""
    target = _safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(target)
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        db = db_session()
        user = user_store.authenticate(db, form.email.data, form.password.data)
        if user is not None:
            db.commit()  # keeps an upgraded password hash
            _sign_in(user, remember=bool(form.remember.data))
            return redirect(target)
        form.form_errors.append(NO_MATCH)
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/sign_in.html", form=form, next=request.args.get("next")), status


@blueprint.post("/sign-out")
def sign_out():
    """Sign out (a POST with the CSRF token, so no other site can sign anyone out)."""
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/reset-password", methods=["GET", "POST"])
def reset_request():
    """Ask for a reset link. The answer is the same whether or not the email has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = user_store.find_by_email(db_session(), form.email.data)
        if user is not None and user.active:
            _send_reset_link(user)
        hours = current_app.config["PASSWORD_RESET_MAX_AGE"] / 3600
        return render_template("auth/reset_sent.html", email=form.email.data, hours=hours)
    return render_template("auth/reset_request.html", form=form), _status()


def _send_reset_link(user: User) -> None:
    token = user_store.issue_reset_token(current_app.config["SECRET_KEY"], user)
    link = url_for("auth.reset", token=token, _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    body = render_template("auth/reset_email.txt", user=user, link=link, minutes=minutes)
    try:
        current_app.extensions["assetmap.mailer"].send(user.email, "Reset your assetmap password",
                                                       body)
    except OSError as exc:
        # Say nothing different to the asker (that would reveal the account); log for admins.
        current_app.logger.error("could not send the reset link to user %s: %s", user.id, exc)


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Set a new password with a link from the reset email (once, before it expires)."""
    db = db_session()
    try:
        user = user_store.verify_reset_token(
            db, current_app.config["SECRET_KEY"], token,
            max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except InvalidInput as exc:
        return render_template("auth/reset_invalid.html", message=exc.message), 400
    form = ResetForm()
    if form.validate_on_submit():
        user_store.set_password(db, user, form.password.data)
        db.commit()
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with it now.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset.html", form=form, token=token), _status()


def _me() -> User:
    user = db_session().get(User, current_user.id)
    if user is None:  # deleted since the page before
        abort(404)
    return user


def _account_page(name_form=None, password_form=None, status=200):
    user = _me()
    return render_template(
        "auth/account.html", user=user,
        name_form=NameForm(display_name=user.display_name) if name_form is None else name_form,
        password_form=PasswordChangeForm() if password_form is None else password_form), status


@blueprint.get("/account")
@require_role()
def account():
    """The signed-in person's own page: name, email, role; change name or password."""
    return _account_page()


@blueprint.post("/account/name")
@require_role()
def change_name():
    """Change the name shown to others."""
    form = NameForm()
    if form.validate_on_submit():
        db = db_session()
        user = _me()
        user_store.set_display_name(db, user, form.display_name.data)
        db.commit()
        flash("Your name has been changed.", "success")
        return redirect(url_for("auth.account"))
    return _account_page(name_form=form, status=400)


@blueprint.post("/account/password")
@require_role()
def change_password():
    """Change the password; asks for the current one first."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db = db_session()
        user = _me()
        if user_store.authenticate(db, user.email, form.current.data) is None:
            form.current.errors = ["That is not your current password."]
        else:
            user_store.set_password(db, user, form.password.data)
            db.commit()
            _sign_in(user)  # the session follows the new password; other devices are out
            flash("Your password has been changed.", "success")
            return redirect(url_for("auth.account"))
    return _account_page(password_form=form, status=400)


@blueprint.get("/admin/users")
@require_role("admin")
def users():
    """Every account with its role, for an admin to change."""
    accounts = user_store.list_users(db_session())
    return render_template("auth/users.html", accounts=accounts, form=RoleForm(), roles=ROLES)


@blueprint.post("/admin/users/<int:user_id>/role")
@require_role("admin")
def change_role(user_id: int):
    """Give an account another role (400 naming the problem for an unknown role)."""
    db = db_session()
    user = db.get(User, user_id)
    if user is None:
        abort(404, description=f"No account with id {user_id}.")
    user_store.set_role(db, user, request.form.get("role", ""))
    db.commit()
    flash(f"{user.display_name} is now a {user.role}.", "success")
    return redirect(url_for("auth.users")), 303
