"""The web app: create_app() and its blueprints."""

from assetmap.web.app import create_app

__all__ = ["create_app"]
