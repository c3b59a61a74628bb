"""The request's database session."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def db_session() -> Session:
    """One session per request, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["assetmap.sessions"]()
    return g.db_session
