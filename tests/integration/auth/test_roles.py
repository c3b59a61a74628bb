"""The role decorator's allow/deny table, current_user_id, and the admin's role changes."""

from __future__ import annotations

import pytest
from flask import Blueprint, jsonify

from assetmap.store.models import User
from assetmap.web.roles import current_user_id, require_role
from tests.integration.auth.helpers import make_user, post_form, sign_in

probe = Blueprint("probe", __name__)


@probe.get("/probe/moderate")
@require_role("worker", "admin")
def moderate_page():
    return f"moderating as {current_user_id()}"


@probe.get("/api/probe/moderate")
@require_role("worker", "admin")
def moderate_api():
    return jsonify({"user": current_user_id()})


@probe.get("/probe/anyone")
@require_role()
def anyone_page():
    return "signed in"


@pytest.fixture
def probe_app(make_app):
    app = make_app()
    app.register_blueprint(probe)
    return app


# (role, worker-or-admin page, any-signed-in page); None = not signed in.
TABLE = [
    (None, 302, 302),
    ("resident", 403, 200),
    ("planner", 403, 200),
    ("worker", 200, 200),
    ("admin", 200, 200),
]


@pytest.mark.parametrize(("role", "moderate", "anyone"), TABLE)
def test_allow_deny_table(probe_app, sessions, role, moderate, anyone):
    client = probe_app.test_client()
    user_id = None
    if role:
        user_id = make_user(sessions, f"{role}@example.org", role)
        assert sign_in(client, f"{role}@example.org").status_code == 302
    page = client.get("/probe/moderate")
    assert page.status_code == moderate
    assert client.get("/probe/anyone").status_code == anyone
    api = client.get("/api/probe/moderate")
    if role is None:
        assert page.headers["Location"] == "/sign-in?next=/probe/moderate"
        assert api.status_code == 401 and api.json == {"error": "Sign in to do this."}
    elif moderate == 403:
        assert f"This needs the worker or admin role; you are a {role}." in page.get_data(
            as_text=True)
        assert api.status_code == 403 and "worker or admin" in api.json["error"]
    else:
        assert page.get_data(as_text=True) == f"moderating as {user_id}"
        assert api.json == {"user": user_id}


def test_unknown_role_in_the_decorator_fails_at_import():
    with pytest.raises(ValueError, match="unknown role"):
        require_role("wizard")


def test_admin_changes_a_role(client, sessions):
    make_user(sessions, "admin@example.org", "admin")
    resident = make_user(sessions, "res@example.org", "resident", name="Rhiannon")
    sign_in(client, "admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Rhiannon" in page and "res@example.org" in page
    response = post_form(client, f"/admin/users/{resident}/role", {"role": "worker"},
                         token_from="/admin/users")
    assert response.status_code == 303
    with sessions() as session:
        assert session.get(User, resident).role == "worker"


def test_unknown_role_and_last_admin_are_clear_400s(client, sessions):
    admin = make_user(sessions, "only@example.org", "admin")
    resident = make_user(sessions, "res2@example.org")
    sign_in(client, "only@example.org")
    bad = post_form(client, f"/admin/users/{resident}/role", {"role": "emperor"},
                    token_from="/admin/users")
    assert bad.status_code == 400
    assert "Unknown role &#39;emperor&#39;: choose one of resident, worker, planner, admin." in (
        bad.get_data(as_text=True))
    demote = post_form(client, f"/admin/users/{admin}/role", {"role": "resident"},
                       token_from="/admin/users")
    assert demote.status_code == 400
    assert "only admin" in demote.get_data(as_text=True)
    missing = post_form(client, "/admin/users/999999/role", {"role": "worker"},
                        token_from="/admin/users")
    assert missing.status_code == 404
    with sessions() as session:
        assert session.get(User, admin).role == "admin"
        assert session.get(User, resident).role == "resident"


def test_residents_cannot_see_or_change_accounts(client, sessions):
    make_user(sessions, "nosy@example.org")
    target = make_user(sessions, "target@example.org")
    sign_in(client, "nosy@example.org")
    assert client.get("/admin/users").status_code == 403
    response = post_form(client, f"/admin/users/{target}/role", {"role": "admin"},
                         token_from="/account")
    assert response.status_code == 403
