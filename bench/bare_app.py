"""The reference for the viewport benchmark: a bare Flask endpoint that returns a prepared
FeatureCollection of 200 points of the same shape, with no database at all."""

import json

from flask import Flask, Response

app = Flask(__name__)
FEATURES = [{"type": "Feature", "id": i,
             "geometry": {"type": "Point", "coordinates": [-2.1 + i * 1e-4, 53.7 + i * 1e-4]},
             "properties": {"id": i, "name": f"Asset {i}", "kind": "group",
                            "category": "food", "category_label": "Food",
                            "description": "A community group " * 4, "website": "",
                            "opening_times": "", "accessibility": "", "status": "published",
                            "visibility": "public", "version": 1}} for i in range(200)]
BODY = json.dumps({"type": "FeatureCollection", "features": FEATURES, "truncated": False})


@app.get("/api/v1/assets")
def assets():
    return Response(BODY, mimetype="application/json")


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
