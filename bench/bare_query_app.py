"""A second reference for the viewport benchmark: a bare Flask view that runs assetmap's own
viewport query (anonymous viewer) and nothing else: no sign-in, CSRF, rate limits, security
headers or access log. The gap between it and the bare endpoint is the database's share; the
gap between it and assetmap is what the app's own protections cost."""

import os

from flask import Flask, Response, request

from assetmap.store import mapdata
from assetmap.store.db import make_engine
from assetmap.store.visibility import ANONYMOUS

app = Flask(__name__)
engine = make_engine(os.environ["DATABASE_URL"])


@app.get("/api/v1/assets")
def assets():
    body = mapdata.assets_in_view_json(engine, ANONYMOUS,
                                       bbox=mapdata.parse_bbox(request.args.get("bbox")),
                                       limit=mapdata.parse_limit(request.args.get("limit")))
    return Response(body, mimetype="application/json")


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
