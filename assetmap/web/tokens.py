"""Planners' API tokens sent as `Authorization: Bearer <token>`."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from assetmap.store.tokens import verify_token
from assetmap.store.visibility import Viewer


def viewer_from_request() -> Viewer | None:
    """The Viewer a valid bearer token stands for; None without one.

    A bearer token that is unknown, revoked or whose owner is no longer a planner or admin is
    refused with 401 rather than quietly treated as anonymous, so a planner knows at once why
    the export is thinner than expected.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    # A separate short session: verifying writes last_used_at, and the request's own session
    # must not be committed behind its back.
    with current_app.extensions["assetmap.sessions"]() as session:
        user = verify_token(session, token) if token else None
        viewer = Viewer(role=user.role, user_id=user.id) if user is not None else None
    if viewer is None:
        raise Unauthorized(
            "the API token is not valid (unknown, revoked, or its owner may no longer use one)",
            www_authenticate=WWWAuthenticate("bearer", {"error": "invalid_token"}))
    return viewer
