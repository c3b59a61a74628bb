"""Hostile input at scale: schemathesis generates requests for every operation in
/api/v1/openapi.json and sends them to a live server (127.0.0.1, a committed database of its
own). Every answer must be below 500 and match what the document says: status code,
content type and body schema.

Default run: FUZZ_EXAMPLES (80) examples per operation and per asker, anonymous and an
admin's API token (which reaches every write path past the role checks): a few thousand
requests. Requests to the rounds API are also aimed at the world's own round, proposals and
area (see `_aim`), so they get past "not found" into the rules for proposals and ballots.
Longer: FUZZ_EXAMPLES=1000 .venv/bin/python -m pytest tests/security/test_fuzz_api.py
"""

from __future__ import annotations

import json
import os
import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from assetmap.store.db import make_engine, make_sessionmaker, transaction
from assetmap.store.models import Proposal, Round, User
from assetmap.store.tokens import create_token
from assetmap.web.openapi import document
from tests.security.world import build_world, make_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
COUNT = {"requests": 0, "5xx": 0}


@pytest.fixture(scope="module")
def live():
    world = build_world("assetmap_fuzz")
    engine = make_engine(world.url)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        _, token = create_token(session, "admin@example.org", "fuzzing")
    app = make_app(world, RATELIMIT_ENABLED=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "token": token, "world": world,
           "sessions": factory}
    server.shutdown()
    engine.dispose()
    print(f"\nfuzzing sent {COUNT['requests']} requests, {COUNT['5xx']} answered 5xx")


def _reset_round(live) -> None:
    """Each operation starts from the same round: open, its first proposal published and the
    second pending, and the admin living in its area (so the admin's token may vote). An
    earlier operation may have closed it, moderated its proposals or moved the admin."""
    world = live["world"]
    with transaction(live["sessions"]) as session:
        session.get(Round, world.ids["round"]).closed_early_at = None
        session.get(Proposal, world.ids["proposal"]).status = "published"
        session.get(Proposal, world.ids["pending_proposal"]).status = "pending"
        session.get(User, world.users["admin"]).home_area_id = world.ids["area"]


INT4_MAX = 2**31 - 1  # ids are PostgreSQL `integer` columns
LISTS = ("/api/v1/links", "/api/v1/assets/{asset_id}/history")


SCHEMA = schemathesis.openapi.from_dict(document())
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate], database=None,
                         suppress_health_check=list(HealthCheck))


# Path parameters of the rounds API -> the world's id to put there (see `_aim`).
KNOWN_IDS = {"round_id": "round", "proposal_id": "pending_proposal"}
INSIDE_THE_AREA = {"lon": -2.10, "lat": 53.71}


def _aim(case, ids: dict[str, int]):
    """A valid rounds request pointed at the world's round, proposals and area instead of
    random ids, so it reaches the checks behind "not found"."""
    for name in case.path_parameters or {}:
        if name in KNOWN_IDS:
            case.path_parameters[name] = ids[KNOWN_IDS[name]]
    data = case.body
    if isinstance(data, dict):
        if "area_ids" in data:
            data["area_ids"] = [ids["area"]]
        if data.get("area_id") is not None:
            data["area_id"] = ids["area"]
        if isinstance(data.get("choices"), dict) and data["choices"]:
            amount = next(iter(data["choices"].values()))
            # Mostly within the round's budget of 10 points, so some ballots are saved.
            data["choices"] = {str(ids["proposal"]): amount % 11 if amount > 0 else amount}
        if "lon" in data or "lat" in data:
            data.update(INSIDE_THE_AREA)
        if "geometry" in data:
            data["geometry"] = {"type": "Point", "coordinates": list(INSIDE_THE_AREA.values())}
        if "asset_ids" in data:
            data["asset_ids"] = [ids["published"]]
    return case


def _strategy(operation, ids: dict[str, int]):
    # Valid requests and requests that break the schema on purpose (wrong types, missing
    # fields, out-of-range numbers): both must get a documented answer, never a 500.
    strategies = [operation.as_strategy(GenerationMode.POSITIVE),
                  operation.as_strategy(GenerationMode.NEGATIVE)]
    if operation.path.startswith("/api/v1/rounds"):
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE).map(
            lambda case: _aim(case, ids)))
    return st.one_of(*strategies)


@pytest.mark.parametrize("asker", ["anonymous", "admin token"])
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation(label, asker, live):
    headers = {"Authorization": f"Bearer {live['token']}"} if asker != "anonymous" else None
    _reset_round(live)

    @FUZZ_SETTINGS
    @given(case=_strategy(OPERATIONS[label], live["world"].ids))
    def run(case):
        response = case.call(base_url=live["url"], headers=headers)
        COUNT["requests"] += 1
        COUNT["5xx"] += response.status_code >= 500
        case.validate_response(response, checks=CHECKS)

    run()


def test_document_defects_weight_is_valid_openapi_3_0():
    weight = document()["components"]["schemas"]["LinkInput"]["properties"]["weight"]
    bound = weight.get("exclusiveMinimum")
    assert bound is None or isinstance(bound, bool)


@pytest.mark.parametrize("path", ["/api/v1/assets/9007199254740992",
                                  "/api/v1/assets/2147483648/history",
                                  "/assets/2147483648"])
def test_document_defects_huge_ids_are_not_found(live, path):
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(live["url"] + path)
    except urllib.error.HTTPError as exc:
        assert exc.code == 404


def test_document_defects_nul_in_text_is_bad_input(live):
    import urllib.error
    import urllib.request

    body = json.dumps({"kind": "venue", "category": "community_space", "name": "Hall",
                       "website": "a\u0000b", "lon": -2.1, "lat": 53.71}).encode()
    request = urllib.request.Request(live["url"] + "/api/v1/assets", data=body, headers={
        "Authorization": f"Bearer {live['token']}", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 400


@pytest.mark.parametrize("path", LISTS)
def test_document_defects_lists_are_documented_as_arrays(path):
    ok = document()["paths"][path]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"].get("type") == "array"


def test_rounds_stay_readable_after_fuzzing(live):
    """Whatever the fuzzed writes stored, every round can still be listed and read."""
    import urllib.request

    with urllib.request.urlopen(live["url"] + "/api/v1/rounds") as response:
        listed = json.load(response)
    for rnd in listed:
        with urllib.request.urlopen(f"{live['url']}/api/v1/rounds/{rnd['id']}") as response:
            assert response.status == 200
