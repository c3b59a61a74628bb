"""Planners' interoperability endpoints: GeoJSON exports, OGC API - Features, vector tiles."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the export, OGC and tile blueprints on `app`."""
