"""Forms for accounts and skills (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice.
    from wtforms.fields.choices import SelectChoice
except ImportError:  # older WTForms
    SelectChoice = None

from assetmap.errors import InvalidInput
from assetmap.store import skills as skill_store
from assetmap.store import users as user_store
from assetmap.taxonomy import ASSET_CATEGORIES, ROLES


def choices(pairs) -> list:
    """Options for a SelectField from (value, label) pairs, in whichever form WTForms wants."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def _store_check(check):
    """A WTForms validator running one of the store's own checks, so rules live in one place."""

    def validate(form, field):
        try:
            check(field.data)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from exc

    return validate


def _email_field(label: str = "Email") -> EmailField:
    return EmailField(label, validators=[DataRequired("Enter your email address."),
                                         _store_check(user_store.normalise_email)],
                      render_kw={"autocomplete": "email", "maxlength": 320})


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[InputRequired("Choose a password."),
                                            _store_check(user_store.check_password)],
                         render_kw={"autocomplete": "new-password",
                                    "minlength": user_store.MIN_PASSWORD})


def _confirm(other: str) -> PasswordField:
    return PasswordField("Type it again", validators=[
        InputRequired("Type the password again."),
        EqualTo(other, "The two passwords are not the same.")],
        render_kw={"autocomplete": "new-password"})


def _display_name() -> StringField:
    return StringField("Your name, as others will see it", validators=[
        DataRequired("Enter a name."), Length(max=user_store.MAX_NAME)],
        render_kw={"autocomplete": "name", "maxlength": user_store.MAX_NAME})


class SignUpForm(FlaskForm):
    display_name = _display_name()
    email = _email_field()
    password = _new_password(f"Password (at least {user_store.MIN_PASSWORD} characters)")
    confirm = _confirm("password")


class SignInForm(FlaskForm):
    # No format checks here: any mistake gets the same answer, whatever it was.
    email = EmailField("Email", validators=[DataRequired("Enter your email address."),
                                            Length(max=320)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[
        InputRequired("Enter your password."), Length(max=user_store.MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetForm(FlaskForm):
    password = _new_password(f"New password (at least {user_store.MIN_PASSWORD} characters)")
    confirm = _confirm("password")


class NameForm(FlaskForm):
    display_name = _display_name()


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Current password", validators=[
        InputRequired("Enter your current password."), Length(max=user_store.MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"})
    password = _new_password(f"New password (at least {user_store.MIN_PASSWORD} characters)")
    confirm = _confirm("password")


class PlainForm(FlaskForm):
    """A form with nothing but its CSRF token: sign out, remove a skill."""


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=choices((role, role) for role in ROLES),
                       validators=[DataRequired()])


class SkillForm(FlaskForm):
    skill = StringField("Skill", validators=[DataRequired("Say which skill you offer."),
                                             Length(max=skill_store.MAX_SKILL)],
                        render_kw={"maxlength": skill_store.MAX_SKILL,
                                   "placeholder": "e.g. first aid, bookkeeping, Polish"})
    category = SelectField("Kind of skill", choices=choices(ASSET_CATEGORIES.items()),
                           validators=[DataRequired("Choose a kind of skill.")])
    description = TextAreaField("Details (optional, only you see them)",
                                validators=[Length(max=skill_store.MAX_DESCRIPTION)],
                                render_kw={"maxlength": skill_store.MAX_DESCRIPTION,
                                           "rows": 3})
    area = SelectField("Your neighbourhood", choices=[], validate_choice=True)

    def set_areas(self, areas: list[tuple[int, str]]) -> None:
        """Offer the areas known to the map, plus 'not listed'."""
        self.area.choices = choices([("", "Not listed / prefer not to say")] + [
            (str(area_id), name) for area_id, name in areas])
