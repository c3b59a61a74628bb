"""Ids in paths stay within what PostgreSQL's integer columns hold, so an absurd id is simply
not found instead of reaching the database (where it would be an error)."""

from __future__ import annotations

from flask import Flask, abort

MAX_ID = 2**31 - 1


def register(app: Flask) -> None:
    """404 for any whole-number path value outside 0..MAX_ID."""

    @app.url_value_preprocessor
    def bounded_ids(_endpoint, values):
        for value in (values or {}).values():
            if isinstance(value, int) and not isinstance(value, bool) and not (
                    0 <= value <= MAX_ID):
                abort(404, description="There is nothing with that number.")
