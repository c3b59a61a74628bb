"""Skills people offer: a resident's own list at /account/skills, and the public counts per
area (page /skills, JSON /api/v1/skills/summary) with small counts withheld. No response
ever carries an individual's location."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for

from assetmap.errors import InvalidInput
from assetmap.store import skills as skill_store
from assetmap.store.models import User
from assetmap.web.auth import show_field_error
from assetmap.web.auth_forms import PlainForm, SkillForm
from assetmap.web.database import db_session
from assetmap.web.roles import current_user_id, require_role

blueprint = Blueprint("skills", __name__)


def _threshold() -> int:
    return int(current_app.config.get("SKILL_COUNT_THRESHOLD", skill_store.DEFAULT_THRESHOLD))


def _mine_page(form: SkillForm, status: int = 200):
    db = db_session()
    return render_template("skills/mine.html", form=form, plain=PlainForm(),
                           skills=skill_store.skills_of(db, current_user_id()),
                           threshold=_threshold()), status


@blueprint.get("/account/skills")
@require_role()
def mine():
    """The skills the signed-in person offers, and a form to offer another."""
    db = db_session()
    form = SkillForm()
    form.set_areas(skill_store.area_choices(db))
    me = db.get(User, current_user_id())
    home = getattr(me, "home_area_id", None)
    if home is not None:  # start from the home area the person has already given
        form.area.data = str(home)
    return _mine_page(form)


@blueprint.post("/account/skills")
@require_role()
def offer():
    """Offer a skill."""
    db = db_session()
    form = SkillForm()
    form.set_areas(skill_store.area_choices(db))
    if form.validate_on_submit():
        try:
            skill_store.offer_skill(db, current_user_id(), form.skill.data, form.category.data,
                                    form.description.data or "",
                                    area_id=int(form.area.data) if form.area.data else None)
            db.commit()
        except InvalidInput as exc:
            db.rollback()
            show_field_error(form, exc)
        else:
            flash(f"Thank you: you now offer {form.skill.data.strip()}.", "success")
            return redirect(url_for("skills.mine"), 303)
    return _mine_page(form, 400)


@blueprint.post("/account/skills/<int:skill_id>/remove")
@require_role()
def remove(skill_id: int):
    """Withdraw one of your skills (404 if it is not yours)."""
    db = db_session()
    skill_store.remove_skill(db, current_user_id(), skill_id)
    db.commit()
    flash("That skill has been removed.", "success")
    return redirect(url_for("skills.mine"), 303)


@blueprint.get("/skills")
def summary_page():
    """The public counts per area, as a table."""
    summary = skill_store.skill_summary(db_session(), _threshold())
    return render_template("skills/summary.html", summary=summary)


@blueprint.get("/api/v1/skills/summary")
def summary_api():
    """The public counts per area as JSON: counts below the threshold are withheld."""
    return jsonify(skill_store.skill_summary(db_session(), _threshold()))
