"""The OpenAPI document served at /api/v1/openapi.json describes every /api/v1 route the app
answers, with the same methods, and nothing that is not there: a new endpoint cannot be left
out of it (nor of the fuzz tests that walk it)."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from assetmap.web import create_app

IGNORED_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
SELF = "/api/v1/openapi.json"


@pytest.fixture(scope="module")
def app(database_url):
    return create_app({"DATABASE_URL": database_url, "TESTING": True})


@pytest.fixture(scope="module")
def doc(app):
    response = app.test_client().get(SELF)
    assert response.status_code == 200
    return response.json


def openapi_path(rule: str) -> str:
    """Flask's `/rounds/<int:round_id>` as OpenAPI's `/rounds/{round_id}`."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


def app_routes(app) -> dict[str, set[str]]:
    """OpenAPI path -> lower-case methods, for every /api/v1 rule but the document itself."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == SELF:
            continue
        methods = {m.lower() for m in rule.methods - IGNORED_METHODS}
        routes.setdefault(openapi_path(rule.rule), set()).update(methods)
    return routes


def documented(doc: dict) -> dict[str, set[str]]:
    return {path: set(item) & HTTP_METHODS for path, item in doc["paths"].items()}


def test_openapi_path_converts_flask_rules():
    assert openapi_path("/api/v1/rounds/<int:round_id>/proposals/<int:proposal_id>/status") == (
        "/api/v1/rounds/{round_id}/proposals/{proposal_id}/status")
    assert openapi_path("/export/<layer>.<fmt>") == "/export/{layer}.{fmt}"


def test_every_api_route_is_documented_with_its_methods(app, doc):
    routes, described = app_routes(app), documented(doc)
    assert "/api/v1/rounds/{round_id}/ballot" in routes  # the rules are really read
    missing = sorted(f"{m.upper()} {path}" for path, methods in routes.items()
                     for m in methods - described.get(path, set()))
    stale = sorted(f"{m.upper()} {path}" for path, methods in described.items()
                   for m in methods - routes.get(path, set()))
    assert not missing, f"routes missing from assetmap/web/openapi.py: {missing}"
    assert not stale, f"documented operations that the app does not answer: {stale}"


def test_every_path_parameter_is_declared(doc):
    for path, item in doc["paths"].items():
        names = set(re.findall(r"\{([^}]+)\}", path))
        for method in set(item) & HTTP_METHODS:
            declared = {p["name"] for p in item[method].get("parameters", [])
                        if p["in"] == "path"}
            assert declared == names, f"{method.upper()} {path}: path parameters {declared}"


def test_document_is_valid_openapi_and_every_reference_resolves(doc):
    validate(doc)
    text = repr(doc)
    refs = set(re.findall(r"#/components/schemas/([A-Za-z0-9_]+)", text))
    assert refs <= set(doc["components"]["schemas"]), refs - set(doc["components"]["schemas"])
