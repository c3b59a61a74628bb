"""Map domain errors and HTTP errors to responses: JSON for the API, a page for people."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from assetmap.errors import AssetmapError


def _wants_json() -> bool:
    return (request.path.startswith(("/api/", "/healthz", "/ogc"))
            or request.accept_mimetypes.best == "application/json")


def _respond(status: int, message: str, extra: dict | None = None):
    if _wants_json():
        return jsonify({"error": message, **(extra or {})}), status
    return render_template("error.html", status=status, message=message), status


def register(app: Flask) -> None:
    """Install the error handlers on `app`."""

    @app.errorhandler(AssetmapError)
    def domain_error(exc: AssetmapError):
        body = exc.to_dict()
        return _respond(exc.status, body.pop("error"), body)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _respond(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(DataError)
    def unstorable(exc: DataError):
        # The database refused a value (a number out of range, a character it cannot store):
        # that is bad input, whichever check let it through.
        app.logger.info("refused by the database: %s", exc.orig)
        return _respond(400, "A value in the request cannot be stored: a number is out of "
                             "range or a text contains a character that is not allowed.")

    @app.errorhandler(OperationalError)
    def database_down(exc: OperationalError):
        app.logger.warning("database unavailable: %s", exc.orig)
        return _respond(503, "The database is not available just now; please try again shortly.")
