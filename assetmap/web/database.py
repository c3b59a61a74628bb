"""The request's database session."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session


def db_session() -> Session:
    """One session per request, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["assetmap.sessions"]()
    return g.db_session


def db_bind() -> Engine | Connection:
    """What the request's sessions are bound to, for a single read that needs no Session."""
    if "db_session" in g:
        return g.db_session.get_bind()
    bind = current_app.extensions["assetmap.sessions"].kw.get("bind")
    return bind if bind is not None else db_session().get_bind()
