"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g

from assetmap.config import Settings, normalise_url
from assetmap.store.db import make_engine, make_sessionmaker

PACKAGE = Path(__file__).resolve().parents[1]


def _template_folder() -> str:
    # Installed as a wheel the templates sit inside the package; in a checkout, beside it.
    inside = PACKAGE / "templates"
    return str(inside if inside.is_dir() else PACKAGE.parent / "templates")


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (e.g. DATABASE_URL, TESTING)."""
    settings = Settings.from_env()
    from assetmap.web.json_text import StorableTextJSON

    app = Flask(__name__, template_folder=_template_folder(), static_folder="static")
    app.json = StorableTextJSON(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        TILE_URL=settings.tile_url,
        TILE_ATTRIBUTION=settings.tile_attribution,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.config.update(config or {})
    from assetmap.web import converters
    from assetmap.web.cookie_sessions import CookieSessions

    app.session_interface = CookieSessions()

    converters.register(app)
    url = app.config["DATABASE_URL"]
    url = normalise_url(url) if url else settings.resolved_database_url()
    engine = make_engine(url)
    app.extensions["assetmap.engine"] = engine
    app.extensions["assetmap.sessions"] = make_sessionmaker(engine)

    @app.teardown_appcontext
    def close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    from assetmap.web import (
        access,
        api,
        errors,
        home,
        interop,
        my_data,
        pages,
        reports_gaps,
        reports_network,
        rounds,
        security,
    )
    from assetmap.web.viewer import current_viewer

    @app.context_processor
    def viewer_context():
        return {"viewer": current_viewer()}

    errors.register(app)
    security.register(app)
    access.register(app)
    app.register_blueprint(home.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(rounds.blueprint)
    app.register_blueprint(reports_gaps.blueprint)
    app.register_blueprint(reports_network.blueprint)
    app.register_blueprint(my_data.blueprint)
    interop.register(app)
    return app
