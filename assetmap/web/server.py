"""Run the app under gunicorn from Python, so `assetmap serve` needs no extra config file."""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def run_gunicorn(app: Flask, *, host: str, port: int, workers: int) -> None:
    """Serve `app` with gunicorn until interrupted."""
    engine = app.extensions["assetmap.engine"]

    def post_fork(_server, _worker):
        # Each worker opens its own connections; never share the parent's sockets.
        engine.dispose(close=False)

    _Gunicorn(app, {"bind": f"{host}:{port}", "workers": workers, "accesslog": "-",
                    "timeout": 120, "post_fork": post_fork}).run()
