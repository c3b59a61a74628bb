"""Who may do what: a `require_role` decorator for views, and the asker's user id.

    from assetmap.web.roles import current_user_id, require_role

    @blueprint.post("/moderation/<int:change_id>/approve")
    @require_role("worker", "admin")
    def approve(change_id): ...

    @blueprint.get("/account/things")
    @require_role()                    # any signed-in person, whatever their role
    def things(): ...

Both look at the same asker as the rest of the app (`viewer.current_viewer()`): the signed-in
person, else the owner of a valid API token. Someone not signed in is sent to the sign-in
page (a 401 JSON error under /api/); a signed-in person without the role gets a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, jsonify, redirect, request, url_for

from assetmap.taxonomy import ROLES
from assetmap.web.viewer import current_viewer

SIGN_IN_NEEDED = "Sign in to do this."


def current_user_id() -> int | None:
    """The id of the person asking (signed in, or by API token), or None if anonymous."""
    return current_viewer().user_id


def current_role() -> str | None:
    """The role of the person asking, or None if anonymous."""
    return current_viewer().role


def is_api_request() -> bool:
    """Requests under /api/ get JSON errors rather than pages and redirects."""
    return request.path.startswith("/api/")


def require_role(*roles: str) -> Callable:
    """Allow the view only to people with one of `roles` (any signed-in person if none)."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        # A typo here would silently lock everyone out: fail when the module is imported.
        raise ValueError(f"unknown role(s) {unknown}: choose from {ROLES}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            viewer = current_viewer()
            if not viewer.signed_in:
                if is_api_request():
                    response = jsonify({"error": SIGN_IN_NEEDED})
                    response.status_code = 401
                    response.headers["WWW-Authenticate"] = 'Bearer realm="assetmap"'
                    return response
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if roles and viewer.role not in roles:
                allowed = " or ".join(roles)
                abort(403, description=f"This needs the {allowed} role; you are a "
                                       f"{viewer.role}.")
            return view(*args, **kwargs)

        guarded.required_roles = roles
        return guarded

    return decorate
