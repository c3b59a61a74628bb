"""The participatory rounds part of the OpenAPI document (/api/v1/rounds...), merged into the
whole by `openapi.document()`. Limits and enums come from the store, so they never drift."""

from __future__ import annotations

from assetmap.store import rounds as store
from assetmap.store.ballots import MAX_CHOICES
from assetmap.web.openapi import _json, _op, _path_id, _ref

STATES = ["upcoming", "open", "closed"]
PROPOSAL_STATES = ["pending", "published", "rejected", "archived"]


def paths() -> dict:
    """The rounds' paths: who may call each is said in its summary and its error codes."""
    round_id, proposal_id = _path_id("round_id"), _path_id("proposal_id")
    one = _json(_ref("Round"), "The round")
    created = {**_json(_ref("Round"), "The new round"), "headers": {"Location": {
        "description": "The new round's URL", "schema": {"type": "string"}}}}
    ballot = _json(_ref("Ballot"), "The asker's own ballot")
    home = _json(_ref("HomeArea"), "The asker's home area (null: not given)")
    # Unsafe requests without a bearer token need the X-CSRFToken header (400 without).
    vote = _op("Cast or change your ballot (residents of the round's areas while it is open; "
               "403 without a home area among them, 409 before it opens or once it closed)",
               {"200": ballot}, params=[round_id], body="BallotInput",
               codes=("400", "401", "403", "404", "409", "413"))
    return {
        "/api/v1/rounds": {
            "get": _op("Every round, latest closing first", {"200": _json(
                {"type": "array", "items": _ref("Round")}, "A list")}, codes=()),
            "post": _op("Open a round (workers and admins)", {"201": created},
                        body="RoundInput", codes=("400", "401", "403", "413")),
        },
        "/api/v1/rounds/{round_id}": {"get": _op(
            "One round and the proposals the asker may see", {"200": _json(
                _ref("RoundDetail"), "The round")}, params=[round_id], codes=("404",))},
        "/api/v1/rounds/{round_id}/close": {"post": _op(
            "Close a round now (workers and admins; 409 if it has closed already)",
            {"200": one}, params=[round_id], codes=("400", "401", "403", "404", "409"))},
        "/api/v1/rounds/{round_id}/proposals": {
            "get": _op("The round's proposals the asker may see: published ones, their own, "
                       "and every live one for workers", {"200": _json(
                           {"type": "array", "items": _ref("Proposal")}, "A list")},
                       params=[round_id], codes=("404",)),
            "post": _op("Propose an action inside the round's areas (signed-in people; pending "
                        "until a worker approves it; 409 once the round closed)",
                        {"201": _json(_ref("Proposal"), "The new proposal")},
                        params=[round_id], body="ProposalInput",
                        codes=("400", "401", "404", "409", "413")),
        },
        "/api/v1/rounds/{round_id}/proposals/{proposal_id}/status": {"post": _op(
            "Approve (published), reject (with a reason) or archive a proposal: workers and "
            "admins; the author may archive their own while it is pending",
            {"200": _json(_ref("ProposalStatus"), "The proposal's new status")},
            params=[round_id, proposal_id], body="ProposalStatusInput",
            codes=("400", "401", "403", "404", "409", "413"))},
        "/api/v1/rounds/{round_id}/ballot": {
            "get": _op("Your own ballot (signed-in people; 404 if you have not voted)",
                       {"200": ballot}, params=[round_id], codes=("401", "404")),
            "put": vote,
            "post": vote,
        },
        "/api/v1/rounds/{round_id}/results": {"get": _op(
            "Totals, turnout per area and gap scores: workers and admins always; others once "
            "the round closes, or at any time if its totals are not hidden (403 until then)",
            {"200": _json(_ref("RoundResults"), "The results")}, params=[round_id],
            codes=("403", "404"))},
        "/api/v1/rounds/home-area": {
            "get": _op("Your home area, which decides the rounds you may vote in (signed-in "
                       "people)", {"200": home}, codes=("401",)),
            "put": _op("Set your home area (null clears it; signed-in people)", {"200": home},
                       body="HomeAreaInput", codes=("400", "401", "413")),
        },
    }


def schemas() -> dict:
    """The rounds' request and response bodies."""
    text = {"type": "string"}
    number = {"type": "number"}
    integer = {"type": "integer"}
    ids = {"type": "array", "items": integer}
    when = {"type": "string", "format": "date-time"}

    def maybe(schema: dict) -> dict:
        return {**schema, "nullable": True}

    def shape(properties: dict, required: tuple | None = None) -> dict:
        return {"type": "object", "required": list(required or properties),
                "properties": properties}

    round_fields = {
        "id": integer, "title": text, "question": text,
        "mode": {"type": "string", "enum": list(store.MODES)}, "budget": maybe(integer),
        "opens_at": when, "closes_at": when, "closed_early_at": maybe(when),
        "hide_totals": {"type": "boolean"}, "state": {"type": "string", "enum": STATES},
        "area_ids": ids, "ballots": integer}
    proposal = shape({
        "id": integer, "round_id": integer, "title": text, "description": text,
        "lon": number, "lat": number, "area_id": maybe(integer), "asset_ids": ids,
        "status": {"type": "string", "enum": PROPOSAL_STATES}, "reason": text,
        "version": integer})
    summary = shape({
        key: value for key, value in round_fields.items()
        if key not in ("hide_totals", "area_ids")} | {
        "method": {"type": "string", "enum": ["points", "borda"]}})
    result = shape({
        "id": integer, "place": integer, "title": text, "description": text,
        "total": integer, "voters": integer, "area_id": maybe(integer), "area": maybe(text),
        "gap_score": maybe(number), "asset_ids": ids, "lon": number, "lat": number})
    turnout = shape({
        "area_id": integer, "area": text, "ballots": integer, "residents": integer,
        "population": maybe(integer), "turnout_of_residents": maybe(number),
        "turnout_of_population": maybe(number)})
    return {
        "Round": shape(round_fields),
        "RoundDetail": shape({**round_fields, "proposals": {
            "type": "array", "items": _ref("Proposal")}}),
        "Proposal": proposal,
        "ProposalStatus": shape({"id": integer, "status": {
            "type": "string", "enum": PROPOSAL_STATES}, "version": integer}),
        "Ballot": shape({"round_id": integer, "choices": {
            "type": "object", "additionalProperties": integer,
            "description": "proposal id -> points (points mode) or rank (ranking mode)"},
            "updated_at": maybe(when)}),
        "RoundResults": shape({"round": summary, "proposals": {
            "type": "array", "items": result, "description": "Published proposals, best "
            "first; `place` 1 is the most points (ties share a place)"},
            "turnout": {"type": "array", "items": turnout}}),
        "HomeArea": shape({"area_id": maybe(integer)}),
        "RoundInput": {
            "type": "object", "required": ["title", "opens_at", "closes_at", "area_ids"],
            "description": "`budget` is required in points mode; a time without a zone is UTC",
            "properties": {
                "title": {"type": "string", "minLength": 1, "maxLength": store.MAX_TITLE},
                "question": {"type": "string", "maxLength": store.MAX_TEXT},
                "mode": {"type": "string", "enum": list(store.MODES), "default": "points"},
                "budget": {"type": "integer", "minimum": 1, "maximum": store.MAX_BUDGET,
                           "description": "points each resident may spread (points mode)"},
                "opens_at": when, "closes_at": {**when, "description": "after opens_at"},
                "hide_totals": {"type": "boolean", "default": True,
                                "description": "hide totals from residents until it closes"},
                "area_ids": {"type": "array", "minItems": 1, "items": {
                    "type": "integer", "minimum": 0, "maximum": store.MAX_ID}}}},
        "ProposalInput": {
            "type": "object", "required": ["title"],
            "description": "Place it with `lon` and `lat` or a GeoJSON Point as `geometry`; "
                           "the point must lie in one of the round's areas",
            "properties": {
                "title": {"type": "string", "minLength": 1, "maxLength": store.MAX_TITLE},
                "description": {"type": "string", "maxLength": store.MAX_TEXT},
                "lon": {"type": "number", "minimum": -180, "maximum": 180},
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "geometry": {"type": "object", "description": "GeoJSON Point"},
                "asset_ids": {"type": "array", "maxItems": store.MAX_ASSETS,
                              "description": "assets the proposal builds on",
                              "items": {"type": "integer", "minimum": 0,
                                        "maximum": store.MAX_ID}}}},
        "ProposalStatusInput": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string", "enum": PROPOSAL_STATES[1:]},
            "reason": {"type": "string", "maxLength": 2000,
                       "description": "required when rejecting"},
            "version": {"type": "integer", "description": "the version you saw (409 when "
                        "it has changed since)"}}},
        "BallotInput": {"type": "object", "required": ["choices"], "properties": {
            "choices": {"type": "object", "maxProperties": MAX_CHOICES,
                        "additionalProperties": {"type": "integer", "minimum": 0},
                        "description": "published proposal id -> points (within the "
                        "budget) or rank (1, 2, 3… without gaps)"}}},
        "HomeAreaInput": {"type": "object", "properties": {
            "area_id": {**maybe(integer), "minimum": 0, "maximum": store.MAX_ID}}},
    }
