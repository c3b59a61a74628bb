"""A person's own data: see what is held, download it as JSON, delete the account.

    GET  /account/data        the page: what is held, a download link, the delete form
    GET  /account/data.json   everything held about the signed-in person, as a file
    POST /account/delete      erase the account (current password and CSRF token needed)

Registered in the app factory with `app.register_blueprint(my_data.blueprint)`.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_login import logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from assetmap.errors import InvalidInput
from assetmap.store import users as user_store
from assetmap.store.models import User
from assetmap.store.personal_data import delete_account, export_person
from assetmap.web.database import db_session
from assetmap.web.roles import current_user_id, require_role

blueprint = Blueprint("my_data", __name__)


class DeleteForm(FlaskForm):
    """Deleting an account asks for the password again and an explicit tick."""

    password = PasswordField("Your current password", validators=[DataRequired(
        "Enter your password to confirm.")])
    confirm = BooleanField("I understand this cannot be undone",
                           validators=[DataRequired("Tick the box to confirm.")])


@blueprint.after_request
def never_cache(response):
    # Personal data: never kept by a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(form: DeleteForm, status: int = 200):
    held = export_person(db_session(), current_user_id())
    counts = {key: len(value) for key, value in held.items() if isinstance(value, list)}
    return render_template("account/data.html", held=held, counts=counts, form=form), status


@blueprint.get("/account/data")
@require_role()
def page():
    """What is held about you, the download link and the delete form."""
    return _page(DeleteForm())


@blueprint.get("/account/data.json")
@require_role()
def download():
    """Everything held about the signed-in person, as a JSON file."""
    held = export_person(db_session(), current_user_id())
    response = Response(json.dumps(held, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-assetmap-data.json"'
    return response


@blueprint.post("/account/delete")
@require_role()
def delete():
    """Erase the signed-in person's account once they confirm with their password."""
    form = DeleteForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    db = db_session()
    user = db.get(User, current_user_id())
    if user_store.authenticate(db, user.email, form.password.data) is None:
        form.password.errors = [*form.password.errors, "That is not your current password."]
        db.rollback()
        return _page(form, 400)
    try:
        delete_account(db, user.id)
    except InvalidInput as exc:
        db.rollback()
        form.form_errors.append(exc.message)
        return _page(form, 400)
    db.commit()
    logout_user()
    session.clear()
    flash("Your account and personal data have been deleted. Community assets you added "
          "stay on the map without your name.", "success")
    return redirect(url_for("pages.map_page"), 303)
