"""Who is asking: the signed-in user, else a planner's API token, else anonymous."""

from __future__ import annotations

from flask import current_app, g, request

from assetmap.store.visibility import ANONYMOUS, Viewer


def current_viewer() -> Viewer:
    """The Viewer for this request, worked out once and kept on `g`."""
    if "viewer" not in g:
        try:
            g.viewer = _session_viewer() or _token_viewer() or ANONYMOUS
        except Exception:
            # A bad token is answered with 401 by its own error; the error page itself must
            # still render, as an anonymous visitor.
            g.viewer = ANONYMOUS
            raise
    return g.viewer


def _session_viewer() -> Viewer | None:
    if not hasattr(current_app, "login_manager") or not request.cookies:
        # Sign-in lives in the session or remember-me cookie: with no cookie at all there is
        # nobody to load (and the map's API requests skip Flask-Login's work).
        return None
    from flask_login import current_user

    if current_user and getattr(current_user, "is_authenticated", False):
        return Viewer(role=current_user.role, user_id=current_user.id)
    return None


def _token_viewer() -> Viewer | None:
    from assetmap.web import tokens

    return tokens.viewer_from_request()
